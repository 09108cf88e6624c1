// How much the fuzz tests generate, and from which seeds. `npm test` runs the short form (scale 1: a
// little over 100,000 inputs) from fixed seeds, so that it gives the same result on every run and
// every machine; `npm run fuzz` multiplies it and draws random seeds. A seed replays a run.
export const SCALE = Number(process.env.ASYNCGUARD_FUZZ_SCALE ?? 1);

/**
 * The base seed of `npm test`: of the bases 1-16, the one whose fix targets applied the most kinds
 * of fix to the most kinds of input (docs/RELIABILITY.md, "Fuzzing").
 */
export const FIXED_SEED = 4;

/**
 * fast-check's base seed: ASYNCGUARD_FUZZ_SEED when it is a number, a random one when it is
 * "random" (`npm run fuzz`), else FIXED_SEED. Every run prints it.
 */
export function baseSeed(): number {
  const given = process.env.ASYNCGUARD_FUZZ_SEED;
  if (given === 'random') return Math.floor(Math.random() * 2 ** 31);
  return given ? Number(given) : FIXED_SEED;
}

export function runs(base: number): number {
  return Math.max(1, Math.round(base * SCALE));
}

/**
 * An analysis that takes longer than this is a hang. Wall time (a worker thread cannot read its own
 * CPU time on Node 20), so it is generous: CI machines are shared and slow.
 */
export const HANG_MS = Number(process.env.ASYNCGUARD_FUZZ_HANG_MS ?? 20_000);

export interface TallyData {
  inputs: number;
  findings: number;
  fixesApplied: number;
  fixedTextsChecked: number;
  maxMs: number;
  totalMs: number;
  /** What the fix targets exercised: `fix RULE KIND [on STYLE]` per fix applied, `lines LF|CRLF|CR|mixed|none` per input. */
  covered: Record<string, number>;
}

/** Figures one fuzz target gathers, printed by the test and by `npm run fuzz`. */
export class Tally implements TallyData {
  inputs = 0;
  findings = 0;
  fixesApplied = 0;
  fixedTextsChecked = 0;
  maxMs = 0;
  totalMs = 0;
  covered: Record<string, number> = {};
  /** The base seed of the run (set by fuzzInParallel). */
  seed?: number;

  cover(what: string): void {
    this.covered[what] = (this.covered[what] ?? 0) + 1;
  }

  /** Runs `run`, measuring its time in milliseconds. */
  time<T>(run: () => T): { value: T; ms: number } {
    const start = performance.now();
    const value = run();
    const ms = performance.now() - start;
    this.inputs++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
    return { value, ms };
  }

  data(): TallyData {
    const { inputs, findings, fixesApplied, fixedTextsChecked, maxMs, totalMs, covered } = this;
    return { inputs, findings, fixesApplied, fixedTextsChecked, maxMs, totalMs, covered };
  }

  add(other: TallyData): void {
    this.inputs += other.inputs;
    this.findings += other.findings;
    this.fixesApplied += other.fixesApplied;
    this.fixedTextsChecked += other.fixedTextsChecked;
    this.totalMs += other.totalMs;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
    for (const [what, n] of Object.entries(other.covered)) this.covered[what] = (this.covered[what] ?? 0) + n;
  }

  /** `checker` names what parsed the fixed texts (CPython, the TypeScript compiler). */
  summary(checker = 'CPython'): string {
    const parts = [
      ...(this.seed === undefined ? [] : [`seed ${this.seed}`]),
      `${this.inputs} inputs`,
      `${this.findings} findings`,
      `time per input mean ${(this.totalMs / Math.max(1, this.inputs)).toFixed(2)} ms, max ${this.maxMs.toFixed(0)} ms`,
    ];
    if (this.fixesApplied) {
      const kinds = Object.keys(this.covered).filter((k) => k.startsWith('fix ') && !k.includes(' on ')).length;
      parts.push(`${this.fixesApplied} single fixes applied (${kinds} kinds of fix on a rule)`, `${this.fixedTextsChecked} fixed texts checked by ${checker}`);
    }
    return parts.join(', ');
  }
}
