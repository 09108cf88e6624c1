// How much the fuzz tests generate. `npm test` runs the short form (scale 1: a little over 100,000
// inputs); `npm run fuzz` multiplies it. A seed replays a run that failed.
export const SCALE = Number(process.env.ASYNCGUARD_FUZZ_SCALE ?? 1);

/** fast-check's seed: fixed when given, else random (printed with any failure). */
export const SEED = process.env.ASYNCGUARD_FUZZ_SEED ? Number(process.env.ASYNCGUARD_FUZZ_SEED) : undefined;

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
}

/** Figures one fuzz target gathers, printed by the test and by `npm run fuzz`. */
export class Tally implements TallyData {
  inputs = 0;
  findings = 0;
  fixesApplied = 0;
  fixedTextsChecked = 0;
  maxMs = 0;
  totalMs = 0;

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
    const { inputs, findings, fixesApplied, fixedTextsChecked, maxMs, totalMs } = this;
    return { inputs, findings, fixesApplied, fixedTextsChecked, maxMs, totalMs };
  }

  add(other: TallyData): void {
    this.inputs += other.inputs;
    this.findings += other.findings;
    this.fixesApplied += other.fixesApplied;
    this.fixedTextsChecked += other.fixedTextsChecked;
    this.totalMs += other.totalMs;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  /** `checker` names what parsed the fixed texts (CPython, the TypeScript compiler). */
  summary(checker = 'CPython'): string {
    const parts = [
      `${this.inputs} inputs`,
      `${this.findings} findings`,
      `time per input mean ${(this.totalMs / Math.max(1, this.inputs)).toFixed(2)} ms, max ${this.maxMs.toFixed(0)} ms`,
    ];
    if (this.fixesApplied) parts.push(`${this.fixesApplied} single fixes applied`, `${this.fixedTextsChecked} fixed texts checked by ${checker}`);
    return parts.join(', ');
  }
}
