// The type-check half of `npm run fix-sweep`: every module a fix touched, type-checked before and
// after the fix in the context of its package (a scratch copy of the package with the module's text
// swapped in), by mypy and pyright in their default and strict modes for Python and by the
// TypeScript compiler for TS. What a fixed module reports that the module did not report before is
// a new diagnostic, counted per kind of fix. Diagnostics are compared without their positions (a
// fix moves lines), as multisets of `severity code message` per module.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixAll } from '../server/src/engine/fixAll';
import type { AnalysisResult, Fix } from '../server/src/engine/types';

/** A kind of fix as the report counts it: `keep-task`, `add-await (unsafe)`, or what `--fix` does as a whole. */
export type FixClass = string;
export const FIX_ALL_SAFE: FixClass = 'check --fix (every safe fix)';

export function classOf(fix: Fix): FixClass {
  return fix.safe ? fix.kind : `${fix.kind} (unsafe)`;
}

/** One text of a module with findings, and what each kind of fix makes of it. */
export interface TypecheckCase {
  /** The module's path relative to its corpus root (`aiohttp/web.py`). */
  module: string;
  what: string;
  before: string;
  after: Map<FixClass, string>;
}

/** The texts each kind of fix makes of `text`: that kind's fix on every finding, applied by the fix-all loop; suppressions (and with `safeOnly` the unsafe kinds) left out. */
export async function fixedByClass(text: string, result: AnalysisResult, analyze: (text: string) => AnalysisResult, safeOnly = false): Promise<Map<FixClass, string>> {
  const out = new Map<FixClass, string>();
  const classes = new Set(result.findings.flatMap((f) => f.fixes.filter((x) => x.kind !== 'suppress' && (x.safe || !safeOnly)).map(classOf)));
  for (const c of classes) {
    const only = (r: AnalysisResult): AnalysisResult => ({ ...r, findings: r.findings.map((f) => ({ ...f, fixes: f.fixes.filter((x) => classOf(x) === c) })) });
    const fixed = await fixAll(text, (t) => only(t === text ? result : analyze(t)), { unsafe: true });
    if (fixed.text !== text) out.set(c, fixed.text);
  }
  const safe = await fixAll(text, (t) => (t === text ? result : analyze(t)), { unsafe: false });
  if (safe.text !== text) out.set(FIX_ALL_SAFE, safe.text);
  return out;
}

/** One type checker in one mode: the diagnostics of each of `modules` (paths relative to `root`). */
export interface Checker {
  name: string;
  run(root: string, modules: string[]): Map<string, string[]>;
}

const repo = join(__dirname, '..');

/** The checkers by name (`mypy`, `mypy --strict`, `pyright`, `pyright strict`); all four unless `names` picks some. */
export function pythonCheckers(pythonVersion: string, names?: readonly string[]): Checker[] {
  const all = [mypy(false, pythonVersion), mypy(true, pythonVersion), pyright('standard', pythonVersion), pyright('strict', pythonVersion)];
  if (!names) return all;
  const unknown = names.filter((n) => !all.some((c) => c.name === n));
  if (unknown.length) throw new Error(`unknown checker ${unknown.join(', ')}: the checkers are ${all.map((c) => c.name).join(', ')}`);
  return all.filter((c) => names.includes(c.name));
}

const MYPY_LINE = /^(.+?):\d+: (error): (.*?)(?:  \[([\w-]+)\])?$/;

function mypy(strict: boolean, pythonVersion: string): Checker {
  return {
    name: strict ? 'mypy --strict' : 'mypy',
    run(root, modules) {
      const args = [
        '--no-error-summary',
        '--show-error-codes',
        '--hide-error-context',
        '--no-color-output',
        '--python-version',
        pythonVersion,
        // mypy's incremental modes (its cache, its daemon) report a module differently depending on
        // what was checked before; a fresh run reports the same for the same input
        '--no-incremental',
        ...(strict ? ['--strict'] : []),
        ...modules,
      ];
      const r = spawnSync('mypy', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.error) throw new Error(`mypy did not run: ${r.error.message}`);
      // 0: clean, 1: errors found; anything else (2) is a blocking error that checked nothing
      if (r.status !== 0 && r.status !== 1) throw new Error(`mypy failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
      return collect(modules, r.stdout.split('\n').flatMap((line) => {
        const m = MYPY_LINE.exec(line);
        return m ? [{ file: m[1], key: `${m[2]} ${m[4] ?? '-'} ${m[3]}` }] : [];
      }));
    },
  };
}

interface PyrightOutput {
  generalDiagnostics: Array<{ file: string; severity: string; message: string; rule?: string }>;
}

function pyright(mode: 'standard' | 'strict', pythonVersion: string): Checker {
  return {
    name: mode === 'strict' ? 'pyright strict' : 'pyright',
    run(root, modules) {
      const config = join(root, 'pyrightconfig.json');
      writeFileSync(config, JSON.stringify({ include: modules, typeCheckingMode: mode, pythonVersion }));
      const r = spawnSync(process.execPath, ['--max-old-space-size=6144', join(repo, 'node_modules', 'pyright', 'index.js'), '--outputjson', '-p', config], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      // 0: clean, 1: errors found; 2 and 3 are fatal or configuration errors
      if (r.status !== 0 && r.status !== 1) throw new Error(`pyright failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
      const out = JSON.parse(r.stdout) as PyrightOutput;
      return collect(
        modules,
        out.generalDiagnostics
          .filter((d) => d.severity === 'error' || d.severity === 'warning')
          .map((d) => ({ file: relative(root, d.file), key: `${d.severity} ${d.rule ?? '-'} ${d.message.replace(/\s+/g, ' ')}` })),
      );
    },
  };
}

function collect(modules: string[], found: Array<{ file: string; key: string }>): Map<string, string[]> {
  const out = new Map(modules.map((m) => [m, [] as string[]]));
  // "already defined on line 57": a fix that adds lines above moves that line, not the diagnostic
  for (const d of found) out.get(d.file)?.push(d.key.replace(/\bline \d+/g, 'line N'));
  return out;
}

/** Diagnostics in `after` that `before` did not have (as multisets). */
export function added(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(d, (left.get(d) ?? 0) + 1);
  return after.filter((d) => {
    const n = left.get(d) ?? 0;
    if (n > 0) left.set(d, n - 1);
    return n === 0;
  });
}

/** Per kind of fix and checker: modules checked, new diagnostics, and the first few of them. */
export interface TypecheckCounts {
  /** class -> checker -> figures */
  byClass: Map<FixClass, Map<string, { modules: number; added: number; removed: number; examples: string[] }>>;
  /** What `--fix` (every safe fix) does per project: project -> checker -> diagnostics of the touched texts before and after. */
  byProject: Map<string, Map<string, ProjectFigures>>;
  /** Type checker runs that failed, with why. */
  failures: string[];
}

export interface ProjectFigures {
  /** Texts `--fix` changed (a module as it is, or a variant with one mistake put back). */
  texts: number;
  before: number;
  after: number;
  added: number;
}

/** A project is the top folder (or module) of a path: `aiohttp`, `asyncio`, `auth-js`. */
export function projectOf(module: string): string {
  return module.split('/')[0].replace(/\.py$/, '');
}

/** Counts one text `--fix` changed: its diagnostics before and after, and those it added. */
export function countProject(counts: TypecheckCounts, module: string, checker: string, before: readonly string[], after: readonly string[], newOnes = added(before, after).length): void {
  const project = projectOf(module);
  let byChecker = counts.byProject.get(project);
  if (!byChecker) counts.byProject.set(project, (byChecker = new Map()));
  let f = byChecker.get(checker);
  if (!f) byChecker.set(checker, (f = { texts: 0, before: 0, after: 0, added: 0 }));
  f.texts++;
  f.before += before.length;
  f.after += after.length;
  f.added += newOnes;
}

/**
 * Type-checks every case: the corpus is copied to `scratch` once (`packages`: the folders and
 * modules under `corpusRoot` that hold cases), then for each slot (one text per module) and each
 * state (before, and after each kind of fix), the slot's texts are written into the copy and each
 * checker runs on the modules that differ from the slot's `before`.
 */
export function typecheckCases(corpusRoot: string, scratch: string, cases: TypecheckCase[], checkers: Checker[], log: (line: string) => void): TypecheckCounts {
  const counts: TypecheckCounts = { byClass: new Map(), byProject: new Map(), failures: [] };
  if (!cases.length) return counts;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const tops = [...new Set(cases.map((c) => c.module.split('/')[0]))].sort();
  for (const top of tops) cpSync(join(corpusRoot, top), join(scratch, top), { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const originals = new Map<string, string>();
  for (const c of cases) if (!originals.has(c.module)) originals.set(c.module, readFileSync(join(scratch, c.module), 'utf8'));

  // slot k holds the k-th case of every module
  const slots: TypecheckCase[][] = [];
  const seen = new Map<string, number>();
  for (const c of cases) {
    const k = seen.get(c.module) ?? 0;
    seen.set(c.module, k + 1);
    (slots[k] ??= []).push(c);
  }
  const classes = [...new Set(cases.flatMap((c) => [...c.after.keys()]))].sort();
  const restore = (modules: Iterable<string>) => {
    for (const m of modules) writeFileSync(join(scratch, m), originals.get(m)!);
  };
  for (const [k, slot] of slots.entries()) {
    const modules = slot.map((c) => c.module);
    // the modules of earlier slots that this one does not hold are the package's own again
    restore([...originals.keys()].filter((m) => !modules.includes(m)));
    const write = (text: (c: TypecheckCase) => string) => {
      for (const c of slot) writeFileSync(join(scratch, c.module), text(c));
    };
    for (const checker of checkers) {
      write((c) => c.before);
      let before: Map<string, string[]>;
      const started = Date.now();
      try {
        before = checker.run(scratch, modules);
      } catch (e) {
        counts.failures.push(`slot ${k + 1}, ${checker.name}, before: ${(e as Error).message}`);
        continue;
      }
      for (const c of classes) {
        const touched = slot.filter((x) => x.after.has(c));
        if (!touched.length) continue;
        write((x) => x.after.get(c) ?? x.before);
        let after: Map<string, string[]>;
        try {
          // the same modules as before: what a checker reports can depend on what else it checks
          after = checker.run(scratch, modules);
        } catch (e) {
          counts.failures.push(`slot ${k + 1}, ${checker.name}, ${c}: ${(e as Error).message}`);
          continue;
        }
        const figures = figuresFor(counts, c, checker.name);
        for (const x of touched) {
          const b = before.get(x.module) ?? [];
          const a = after.get(x.module) ?? [];
          const plus = added(b, a);
          figures.modules++;
          figures.added += plus.length;
          figures.removed += added(a, b).length;
          for (const d of plus) if (figures.examples.length < 8) figures.examples.push(`${x.module} (${x.what}): ${d}`);
          if (c === FIX_ALL_SAFE) countProject(counts, x.module, checker.name, b, a);
        }
      }
      log(`  slot ${k + 1}/${slots.length} (${modules.length} modules), ${checker.name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  restore(originals.keys());
  return counts;
}

function figuresFor(counts: TypecheckCounts, c: FixClass, checker: string) {
  let byChecker = counts.byClass.get(c);
  if (!byChecker) counts.byClass.set(c, (byChecker = new Map()));
  let figures = byChecker.get(checker);
  if (!figures) byChecker.set(checker, (figures = { modules: 0, added: 0, removed: 0, examples: [] }));
  return figures;
}

/** The Markdown table of a corpus: one row per kind of fix, new (and gone) diagnostics per checker. */
export function typecheckTable(counts: TypecheckCounts, checkers: string[]): string {
  const rows = [...counts.byClass.entries()].sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : 1));
  const lines = [
    `| kind of fix | modules checked | ${checkers.map((c) => `new with ${c} (gone)`).join(' | ')} |`,
    `|---|---:|${checkers.map(() => '---:').join('|')}|`,
    ...rows.map(([c, byChecker]) => {
      const modules = Math.max(...[...byChecker.values()].map((f) => f.modules));
      const cells = checkers.map((name) => {
        const f = byChecker.get(name);
        return f ? `${f.added} (${f.removed})` : '–';
      });
      return `| ${c} | ${modules} | ${cells.join(' | ')} |`;
    }),
  ];
  const examples = rows.flatMap(([c, byChecker]) => [...byChecker.entries()].flatMap(([name, f]) => f.examples.map((e) => `  - ${c}, ${name}: ${e}`)));
  return [...lines, ...(examples.length ? ['', 'New diagnostics (the first of each):', ...examples] : []), ...counts.failures.map((f) => `- checker failure: ${f}`)].join('\n');
}

/** Per project, what `--fix` did to the type check: diagnostics before -> after (new), per checker. */
export function projectTable(counts: TypecheckCounts, checkers: string[]): string {
  const projects = [...counts.byProject.keys()].sort();
  const cell = (f: ProjectFigures | undefined) => (f ? `${f.before} → ${f.after} (${f.added})` : '–');
  return [
    `| project | texts fixed | ${checkers.map((c) => `${c}: before → after (new)`).join(' | ')} |`,
    `|---|---:|${checkers.map(() => '---:').join('|')}|`,
    ...projects.map((p) => {
      const byChecker = counts.byProject.get(p)!;
      const texts = Math.max(...[...byChecker.values()].map((f) => f.texts));
      return `| ${p} | ${texts} | ${checkers.map((c) => cell(byChecker.get(c))).join(' | ')} |`;
    }),
  ].join('\n');
}

/** Safe kinds first, then `--fix` as a whole, then the unsafe ones. */
function order(c: FixClass): number {
  if (c === FIX_ALL_SAFE) return 1;
  return c.endsWith('(unsafe)') ? 2 : 0;
}
