// The TypeScript/JavaScript fuzz targets, run in worker threads (parallel.ts): generated modules and
// mutated windows of the repository's TS files, analysed in a throwaway strict project. The same
// properties as for Python; a fixed text must type-check as well as its input did (no diagnostic
// of the compiler that the input did not have).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Analyzer } from '../../src/engine/analyzer';
import { FixtureCompiler, newDiagnostics } from '../ts/compile';
import { Tally } from './budget';
import { checkFixes, type Analyze } from './fix-check';
import { mutatedWindows } from './python-mutations';
import { checkAnalysis, show } from './analysis-check';
import { tsModule } from './ts-grammar';

const repo = join(__dirname, '..', '..', '..');

function realTsTexts(): string[] {
  const dirs = [join(repo, 'examples', 'web'), join(repo, 'server', 'test', 'fixtures', 'ts', 'strict')];
  return dirs.flatMap((d) => readdirSync(d).filter((f) => /\.(ts|tsx|js)$/.test(f) && !f.endsWith('.d.ts')).map((f) => readFileSync(join(d, f), 'utf8')));
}

interface Project {
  path: string;
  analyze: Analyze;
  compiler: FixtureCompiler;
}

let project: Project | undefined;

/** A strict project of one file in a folder of its own, so that nothing else is type-checked. */
async function ready(): Promise<Project> {
  if (project) return project;
  const dir = mkdtempSync(join(tmpdir(), 'asyncguard-fuzz-ts-'));
  mkdirSync(dir, { recursive: true });
  const options = { target: 'ES2023', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2023', 'DOM'], strict: true, noEmit: true, types: [] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['.'] }));
  const analyzer = new Analyzer();
  await analyzer.init();
  const path = join(dir, 'input.ts');
  project = { path, analyze: (text) => analyzer.analyze({ path, text }), compiler: new FixtureCompiler(join(dir, 'tsconfig.json')) };
  // the first analysis loads the compiler and the lib files: seconds that no input should be charged
  project.analyze('export {};\n');
  return project;
}

async function fuzzAnalysis(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number): Promise<Tally> {
  const { analyze } = await ready();
  const tally = new Tally();
  fc.assert(
    fc.property(arbitrary, (text) => void checkAnalysis(tally, text, analyze)),
    { numRuns, seed },
  );
  return tally;
}

async function fuzzFixes(arbitrary: fc.Arbitrary<string>, numRuns: number, seed: number): Promise<Tally> {
  const { path, analyze, compiler } = await ready();
  const tally = new Tally();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (text) => {
      const result = checkAnalysis(tally, text, analyze);
      const check = await checkFixes(text, result, analyze);
      if (check.problems.length) throw new Error(`${check.problems.join('\n')}\non ${show(text)}`);
      tally.fixesApplied += check.applied;
      check.covered.forEach((what) => tally.cover(what));
      if (!check.fixed.length) return;
      const before = compiler.diagnostics(path, text);
      for (const f of check.fixed) {
        const added = newDiagnostics(before, compiler.diagnostics(path, f.text));
        tally.fixedTextsChecked++;
        if (added.length) throw new Error(`${f.what} adds compiler errors: ${added.join('; ')}\ninput: ${show(text)}\nfixed: ${show(f.text)}`);
      }
    }),
    { numRuns, seed },
  );
  return tally;
}

/** New compiler diagnostics of each fix of `text` (for the known-problem tests). */
export async function diagnosticsAddedByFixes(text: string): Promise<Array<{ what: string; added: string[] }>> {
  const { path, analyze, compiler } = await ready();
  const check = await checkFixes(text, analyze(text), analyze);
  const before = compiler.diagnostics(path, text);
  return check.fixed.map((f) => ({ what: f.what, added: newDiagnostics(before, compiler.diagnostics(path, f.text)) }));
}

export const targets: Record<string, (runs: number, seed: number) => Promise<Tally>> = {
  generated: (n, seed) => fuzzAnalysis(tsModule, n, seed),
  windows: (n, seed) => fuzzAnalysis(mutatedWindows(realTsTexts()), n, seed),
  'generated-fixes': (n, seed) => fuzzFixes(tsModule, n, seed),
};
