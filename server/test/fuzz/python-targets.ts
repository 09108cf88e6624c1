// The Python fuzz targets, run in worker threads (parallel.ts). Each analyses its inputs through
// the Analyzer and throws on the first broken property: a throw, an analysis over the time
// bound, a range outside the document, an internal-error note; for the fix targets also a fix
// that cannot be applied, changes nothing, brings its finding back or does not compile under
// CPython when its input did, and fix-all that does not reach a fixed point.
import fc from 'fast-check';
import { Analyzer } from '../../src/engine/analyzer';
import { checkAnalysis as checkWith, show } from './analysis-check';
import { Tally } from './budget';
import { cpythonCompileErrors } from './cpython';
import { checkFixes, type Analyze, type FixedText } from './fix-check';
import { pythonModule } from './python-grammar';
import { extremePython, mutatedRealPython, mutatedWholeFile, realPythonTexts } from './python-mutations';

/** Far deeper than CPython accepts (200 brackets): the engine must not recurse on nesting. */
const MAX_NESTING = 3000;

const analyzer = new Analyzer();
const analyze: Analyze = (text) => analyzer.analyze({ path: 'fuzz.py', text });
const checkAnalysis = (tally: Tally, text: string) => checkWith(tally, text, analyze);

export function fuzz(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number, check: (text: string) => void): void {
  fc.assert(
    fc.property(arbitrary, (text) => {
      check(text);
    }),
    { numRuns, seed },
  );
}

/** Fixed texts of inputs that compiled, which CPython does not compile: `what`, the error, the texts. */
export function uncompilableFixes(tally: Tally, cases: Array<{ input: string; fixed: FixedText[] }>): string[] {
  const verdicts = cpythonCompileErrors(cases.flatMap((c) => [c.input, ...c.fixed.map((f) => f.text)]));
  const broken: string[] = [];
  let i = 0;
  for (const c of cases) {
    const inputError = verdicts[i++];
    for (const f of c.fixed) {
      const error = verdicts[i++];
      if (inputError !== undefined) continue;
      tally.fixedTextsChecked++;
      if (error !== undefined) broken.push(`${f.what}: ${error}\ninput: ${show(c.input)}\nfixed: ${show(f.text)}`);
    }
  }
  return broken;
}

/** Applies every fix of every input; then CPython compiles the fixed texts of the inputs that compiled. */
async function fuzzFixes(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number): Promise<Tally> {
  const tally = new Tally();
  const cases: Array<{ input: string; fixed: FixedText[] }> = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (text) => {
      const result = checkAnalysis(tally, text);
      const check = await checkFixes(text, result, analyze);
      if (check.problems.length) throw new Error(`${check.problems.join('\n')}\non ${show(text)}`);
      tally.fixesApplied += check.applied;
      check.covered.forEach((what) => tally.cover(what));
      if (check.fixed.length) cases.push({ input: text, fixed: check.fixed });
    }),
    { numRuns, seed },
  );
  const broken = uncompilableFixes(tally, cases);
  if (broken.length) throw new Error(`${broken.length} fixed texts CPython does not compile; the first:\n${broken.slice(0, 3).join('\n\n')}`);
  return tally;
}

function fuzzAnalysis(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number): Tally {
  const tally = new Tally();
  fuzz(arbitrary, numRuns, seed, (text) => void checkAnalysis(tally, text));
  return tally;
}

async function ready(): Promise<void> {
  await analyzer.init();
  // the first analysis loads the standard library's summaries: not a cost of any input
  analyze('import asyncio\n');
}

export const targets: Record<string, (runs: number, seed: number) => Promise<Tally>> = {
  generated: async (n, seed) => (await ready(), fuzzAnalysis(pythonModule, n, seed)),
  windows: async (n, seed) => (await ready(), fuzzAnalysis(mutatedRealPython(realPythonTexts()), n, seed)),
  'whole-files': async (n, seed) => (await ready(), fuzzAnalysis(mutatedWholeFile(realPythonTexts()), n, seed)),
  extremes: async (n, seed) => (await ready(), fuzzAnalysis(extremePython(MAX_NESTING), n, seed)),
  'generated-fixes': async (n, seed) => (await ready(), await fuzzFixes(pythonModule, n, seed)),
  'window-fixes': async (n, seed) => (await ready(), await fuzzFixes(mutatedRealPython(realPythonTexts()), n, seed)),
};
