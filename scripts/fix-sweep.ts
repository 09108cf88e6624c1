// `npm run fix-sweep`: every fix AsyncGuard offers, applied to every finding over real code — each
// fix on its own, and all together with the fix-all loop behind `--fix` and the language server's
// fix-all, with and without unsafe fixes — and checked: the fix applies and changes the text, its
// finding is not reported again, fix-all reaches a fixed point in one run, and CPython compiles
// every fixed text of a file it compiled before. Then the type check: every module a fix touched is
// type-checked before and after, in its package (mypy and pyright, default and strict; the
// TypeScript compiler for the TS corpus), and the diagnostics the fixed module adds are counted per
// kind of fix (scripts/fix-sweep-typecheck.ts). Prints the counts and the tables of
// docs/RELIABILITY.md; exits 1 on any broken result or new diagnostic from a safe fix.
//
// Real code has few findings (it works), so each file is also swept as variants with one mistake
// put back, the one people make: an `await` dropped from a statement (`await x()` -> `x()`), or
// the name a task was kept in dropped (`t = asyncio.create_task(...)` -> `asyncio.create_task(...)`).
//
// Corpora: the interpreter's whole standard library; the asyncio libraries Debian packages
// (installed here with apt-get when missing and run as root); three npm packages that ship their
// TypeScript or JavaScript sources (installed into .tools/fix-sweep-ts with npm).
//   node --import tsx scripts/fix-sweep.ts [--skip-install] [--limit N] [--variants N] [--json FILE]
//     [--no-typecheck] [--typecheck-variants N] [--typecheck-safe-only] [--checkers 'mypy,pyright strict']
//     [--only python|ts] [--corpus stdlib|debian]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Analyzer } from '../server/src/engine/analyzer';
import { readSourceFile } from '../server/src/engine/project/files';
import type { AnalysisResult, FixKind } from '../server/src/engine/types';
import { cpythonCompileErrors } from '../server/test/fuzz/cpython';
import { checkFixes, rangeProblems, type FixedText } from '../server/test/fuzz/fix-check';
import { FixtureCompiler, newDiagnostics } from '../server/test/ts/compile';
import { countProject, FIX_ALL_SAFE, fixedByClass, projectTable, pythonCheckers, typecheckCases, typecheckTable, type TypecheckCase, type TypecheckCounts } from './fix-sweep-typecheck';

const DEBIAN_PACKAGES: Record<string, string> = {
  'python3-aiohttp': 'aiohttp',
  'python3-httpx': 'httpx',
  'python3-httpcore': 'httpcore',
  'python3-anyio': 'anyio',
  'python3-websockets': 'websockets',
  'python3-starlette': 'starlette',
  'python3-uvicorn': 'uvicorn',
  'python3-aiofiles': 'aiofiles',
  'python3-aiosqlite': 'aiosqlite',
  'python3-asyncpg': 'asyncpg',
  'python3-aiodns': 'aiodns',
  'python3-trio': 'trio',
  // these hold real dropped tasks
  'python3-redis': 'redis',
  'python3-discord': 'discord',
  'python3-ipykernel': 'ipykernel',
};
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const limit = Number(option('--limit') ?? Infinity);
/** Variants per file with one mistake put back. */
const variantsPerFile = Number(option('--variants') ?? 10);
const typecheck = !argv.includes('--no-typecheck');
/** Of those, how many per file are type-checked (besides the file as it is). */
const typecheckVariants = Number(option('--typecheck-variants') ?? 1);
const only = option('--only');
/** Type-check only what safe fixes write (the kinds the goal of no new diagnostic is about): fewer checker runs. */
const typecheckSafeOnly = argv.includes('--typecheck-safe-only');
/** The Python checkers to run, by name; all four when not given. */
const checkerNames = option('--checkers')?.split(',').map((n) => n.trim());
/** One Python corpus by its slug (`stdlib`, `debian`); all when not given. */
const onlyCorpus = option('--corpus');
const repo = join(__dirname, '..');
const scratchRoot = join(repo, '.tools', 'fix-sweep');

const DROPPABLE_AWAIT = /^([ \t]*)await (?=[\w.]+\()/gm;
const DROPPABLE_TASK_NAME = /^([ \t]*)\w+ = (?=(?:asyncio\.|loop\.|self\._loop\.)?(?:create_task|ensure_future)\()/gm;

/** The file with one `await` or one task's name removed, for the first few places that have one. */
function variantsOf(text: string): Array<{ what: string; text: string }> {
  const out: Array<{ what: string; text: string }> = [];
  for (const [pattern, what] of [
    [DROPPABLE_AWAIT, 'await dropped'],
    [DROPPABLE_TASK_NAME, 'task name dropped'],
  ] as const) {
    for (const m of text.matchAll(pattern)) {
      if (out.length >= variantsPerFile) return out;
      const at = m.index + m[1].length;
      const line = text.slice(0, at).split('\n').length;
      out.push({ what: `${what} on line ${line}`, text: text.slice(0, at) + text.slice(m.index + m[0].length) });
    }
  }
  return out;
}

function installed(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages(): void {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) return;
  const missing = Object.keys(DEBIAN_PACKAGES).filter((p) => !installed(p));
  if (!missing.length || argv.includes('--skip-install')) return;
  if (process.getuid?.() !== 0) {
    console.warn(`fix-sweep: not root, so not installing ${missing.join(' ')}`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`fix-sweep: installing ${missing.join(' ')}`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const available = missing.filter((p) => /Candidate: (?!\(none\))/.test(spawnSync('apt-cache', ['policy', p], { encoding: 'utf8' }).stdout));
  if (available.length) spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...available], { stdio: 'inherit', env });
}

function pythonFiles(dir: string, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__' && !skip(entry.name)) visit(p);
      } else if (entry.isFile() && entry.name.endsWith('.py')) out.push(p);
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

interface Corpus {
  name: string;
  /** Its folder name under .tools/fix-sweep, where touched packages are type-checked. */
  slug: string;
  /** Module paths are relative to this folder (the stdlib, dist-packages). */
  root: string;
  files: string[];
}

function corpora(): Corpus[] {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const result: Corpus[] = [{ name: 'CPython standard library', slug: 'stdlib', root: stdlib, files: pythonFiles(stdlib, (n) => n === 'site-packages' || n === 'dist-packages') }];
  const debian = Object.entries(DEBIAN_PACKAGES).filter(([pkg]) => installed(pkg));
  const files = debian.flatMap(([, dir]) => pythonFiles(join(DIST_PACKAGES, dir)));
  if (files.length) result.push({ name: `Debian asyncio libraries (${debian.map(([, d]) => d).join(', ')})`, slug: 'debian', root: DIST_PACKAGES, files });
  return result;
}

interface Counts {
  files: number;
  variants: number;
  skipped: number;
  filesWithFindings: number;
  findings: number;
  offered: Partial<Record<FixKind, number>>;
  singleApplied: number;
  fixAllTexts: number;
  compiled: number;
  notCompiledBefore: number;
  broken: string[];
  typecheck?: TypecheckCounts;
  /** What checked the fixed texts: CPython for Python, the TypeScript compiler for TS. */
  checkedBy?: string;
}

function newCounts(): Counts {
  return { files: 0, variants: 0, skipped: 0, filesWithFindings: 0, findings: 0, offered: {}, singleApplied: 0, fixAllTexts: 0, compiled: 0, notCompiledBefore: 0, broken: [] };
}

/** Texts waiting for one CPython batch; flushed before they take too much memory. */
class CompileQueue {
  private cases: Array<{ path: string; input: string; fixed: FixedText[] }> = [];
  private chars = 0;

  constructor(private readonly counts: Counts) {}

  add(path: string, input: string, fixed: FixedText[]): void {
    this.cases.push({ path, input, fixed });
    this.chars += input.length + fixed.reduce((n, f) => n + f.text.length, 0);
    if (this.chars > 50_000_000) this.flush();
  }

  flush(): void {
    const verdicts = cpythonCompileErrors(this.cases.flatMap((c) => [c.input, ...c.fixed.map((f) => f.text)]));
    let i = 0;
    for (const c of this.cases) {
      const before = verdicts[i++];
      for (const f of c.fixed) {
        const after = verdicts[i++];
        if (before !== undefined) {
          this.counts.notCompiledBefore++;
          continue;
        }
        this.counts.compiled++;
        if (after !== undefined) this.counts.broken.push(`${c.path}: ${f.what}: CPython says ${after}`);
      }
    }
    this.cases = [];
    this.chars = 0;
  }
}

async function sweep(corpus: Corpus, analyzer: Analyzer): Promise<Counts> {
  const counts = newCounts();
  const queue = new CompileQueue(counts);
  const cases: TypecheckCase[] = [];
  const files = corpus.files.slice(0, limit);
  const started = Date.now();
  for (const [n, path] of files.entries()) {
    if (n % 200 === 0) process.stderr.write(`\r${corpus.name}: ${n}/${files.length} files, ${counts.findings} findings`);
    const source = readSourceFile(path);
    if (source.kind === 'skipped') {
      counts.skipped++;
      continue;
    }
    counts.files++;
    const analyze = (text: string) => analyzer.analyze({ path, text });
    const texts = [{ what: '', text: source.text }, ...(variantsPerFile ? variantsOf(source.text) : [])];
    for (const [i, { what, text }] of texts.entries()) {
      const where = what ? `${path} (${what})` : path;
      const checked = await checkText(counts, where, what, text, analyze);
      if (!checked) continue;
      const { result, check } = checked;
      queue.add(where, text, check.fixed);
      if (typecheck && i <= typecheckVariants) {
        const after = await fixedByClass(text, result, analyze, typecheckSafeOnly);
        if (after.size) cases.push({ module: relative(corpus.root, path), what: what || 'as it is', before: text, after });
      }
    }
  }
  queue.flush();
  process.stderr.write(`\r${corpus.name}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s${' '.repeat(20)}\n`);
  if (typecheck) {
    const checkable = compilingCases(cases, counts);
    const version = execFileSync('python3', ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'], { encoding: 'utf8' }).trim();
    console.error(`${corpus.name}: type-checking ${checkable.length} texts of ${new Set(checkable.map((c) => c.module)).size} modules before and after each kind of fix`);
    counts.typecheck = typecheckCases(corpus.root, join(scratchRoot, corpus.slug), checkable, pythonCheckers(version, checkerNames), (line) => console.error(line));
  }
  return counts;
}

/** Analyses one text (a file or a variant) and applies every fix of it; counts what it finds. Undefined when it has no finding. */
async function checkText(counts: Counts, where: string, what: string, text: string, analyze: (text: string) => AnalysisResult) {
  if (what) counts.variants++;
  const result = analyze(text);
  for (const p of rangeProblems(text, result)) counts.broken.push(`${where}: ${p}`);
  if (!result.findings.length) return undefined;
  if (!what) counts.filesWithFindings++;
  counts.findings += result.findings.length;
  for (const f of result.findings) for (const fix of f.fixes) counts.offered[fix.kind] = (counts.offered[fix.kind] ?? 0) + 1;
  const check = await checkFixes(text, result, analyze);
  counts.singleApplied += check.applied;
  counts.fixAllTexts += check.fixed.filter((f) => f.what.startsWith('fix-all')).length;
  for (const p of check.problems) counts.broken.push(`${where}: ${p}`);
  return { result, check };
}

/** The cases whose text CPython compiles, each with only the fixed texts it compiles too (the others are broken results). */
function compilingCases(cases: TypecheckCase[], counts: Counts): TypecheckCase[] {
  const texts = cases.flatMap((c) => [c.before, ...c.after.values()]);
  const verdicts = cpythonCompileErrors(texts);
  let i = 0;
  const out: TypecheckCase[] = [];
  for (const c of cases) {
    const before = verdicts[i++];
    const after = new Map<string, string>();
    for (const [kind, text] of c.after) {
      const error = verdicts[i++];
      if (before !== undefined) continue;
      if (error === undefined) after.set(kind, text);
      else counts.broken.push(`${c.module} (${c.what}): ${kind} on every finding: CPython says ${error}`);
    }
    if (before === undefined && after.size) out.push({ ...c, after });
  }
  return out;
}

function report(name: string, c: Counts): string {
  const offered = Object.entries(c.offered)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `## ${name}`,
    `- files analysed: ${c.files} (${c.skipped} skipped: not UTF-8 or unreadable); with findings as they are: ${c.filesWithFindings}`,
    `- variants with one mistake put back: ${c.variants}`,
    `- findings (files and variants): ${c.findings}; fixes offered: ${offered || 'none'}`,
    `- single fixes applied and re-analysed: ${c.singleApplied}; fix-all results: ${c.fixAllTexts}`,
    c.checkedBy
      ? `- fixed texts type-checked by ${c.checkedBy}: ${c.compiled}`
      : `- fixed texts compiled by CPython: ${c.compiled} (plus ${c.notCompiledBefore} of files CPython does not compile as they are)`,
    `- broken results: ${c.broken.length}`,
    ...c.broken.slice(0, 50).map((b) => `  - ${b}`),
    ...(c.typecheck ? ['', 'Type check of the touched modules, before and after (new diagnostics, and in brackets those the fix removed):', '', typecheckTable(c.typecheck, c.checkedBy ? ['tsc'] : pyCheckers), '', 'Per project, what `--fix` (every safe fix) did to the diagnostics of the texts it changed:', '', projectTable(c.typecheck, c.checkedBy ? ['tsc'] : pyCheckers)] : []),
  ].join('\n');
}

const pyCheckers = checkerNames ?? ['mypy', 'mypy --strict', 'pyright', 'pyright strict'];

/** New diagnostics from safe kinds of fix (and from `--fix` as a whole): the sweep's goal is none. */
function fromSafeFixes(t: TypecheckCounts | undefined): number {
  if (!t) return 0;
  let n = 0;
  for (const [c, byChecker] of t.byClass) if (!c.endsWith('(unsafe)')) for (const f of byChecker.values()) n += f.added;
  return n;
}

async function main(): Promise<void> {
  const analyzer = new Analyzer();
  await analyzer.init();
  const results: Array<{ name: string; counts: Counts }> = [];
  if (only !== 'ts') {
    ensureDebianPackages();
    for (const corpus of corpora().filter((c) => !onlyCorpus || c.slug === onlyCorpus)) results.push({ name: corpus.name, counts: await sweep(corpus, analyzer) });
  }
  if (only !== 'python') results.push(await sweepTypeScript(analyzer));
  console.log(results.map((r) => report(r.name, r.counts)).join('\n\n'));
  const json = option('--json');
  if (json) writeFileSync(json, JSON.stringify(results, (_, v) => (v instanceof Map ? Object.fromEntries(v) : v), 2));
  const broken = results.reduce((n, r) => n + r.counts.broken.length, 0);
  const fromSafe = results.reduce((n, r) => n + fromSafeFixes(r.counts.typecheck), 0);
  if (broken || fromSafe) {
    console.log(`\nfix-sweep: ${broken} broken results, ${fromSafe} new type-checker diagnostics from safe fixes`);
    process.exitCode = 1;
  }
}

// ------------------------------------------------------------------------------------ TypeScript

/** npm packages that ship their sources, pinned (the corpus of `npm run corpus:ts`). */
const TS_PACKAGES: Record<string, string> = {
  '@supabase/auth-js': '2.109.0',
  '@supabase/realtime-js': '2.109.0',
  axios: '1.21.1',
  '@types/node': '20.19.43',
};
const TS_OPTIONS = { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, skipLibCheck: true, noEmit: true, types: ['node'] };
const TS_PROJECTS = [
  { name: 'auth-js', pkg: '@supabase/auth-js', dir: 'src', options: TS_OPTIONS },
  { name: 'realtime-js', pkg: '@supabase/realtime-js', dir: 'src', options: TS_OPTIONS },
  { name: 'axios', pkg: 'axios', dir: 'lib', options: { ...TS_OPTIONS, allowJs: true, checkJs: false } },
];
const TS_SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DROPPABLE_TS_AWAIT = /^([ \t]*)await (?=[\w.]+\()/gm;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : TS_SOURCE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The TS corpus, fixes checked as for Python, each touched file type-checked by the compiler before and after. */
async function sweepTypeScript(analyzer: Analyzer): Promise<{ name: string; counts: Counts }> {
  const scratch = join(repo, '.tools', 'fix-sweep-ts');
  mkdirSync(scratch, { recursive: true });
  const manifest = JSON.stringify({ name: 'asyncguard-fix-sweep-ts', private: true, dependencies: TS_PACKAGES }, null, 2);
  const present = Object.keys(TS_PACKAGES).every((p) => existsSync(join(scratch, 'node_modules', p, 'package.json')));
  if (!present || !existsSync(join(scratch, 'package.json')) || readFileSync(join(scratch, 'package.json'), 'utf8') !== manifest) {
    writeFileSync(join(scratch, 'package.json'), manifest);
    console.error('fix-sweep: installing the TypeScript corpus into .tools/fix-sweep-ts');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: scratch, stdio: 'inherit' });
  }
  const counts: Counts = { ...newCounts(), checkedBy: 'the TypeScript compiler' };
  const typecheckCounts: TypecheckCounts = { byClass: new Map(), byProject: new Map(), failures: [] };
  counts.typecheck = typecheckCounts;
  for (const project of TS_PROJECTS) {
    const root = join(scratch, 'projects', project.name);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(join(scratch, 'node_modules', project.pkg, project.dir), join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...project.options, typeRoots: [join(scratch, 'node_modules', '@types')] }, include: ['src'] }));
    const compiler = new FixtureCompiler(join(root, 'tsconfig.json'));
    for (const path of tsFiles(join(root, 'src'))) {
      const original = readFileSync(path, 'utf8');
      counts.files++;
      const variants = [...original.matchAll(DROPPABLE_TS_AWAIT)].slice(0, variantsPerFile).map((m) => {
        const at = m.index + m[1].length;
        return { what: `await dropped on line ${original.slice(0, at).split('\n').length}`, text: original.slice(0, at) + original.slice(at + 'await '.length) };
      });
      const analyze = (text: string): AnalysisResult => analyzer.analyze({ path, text });
      for (const [i, { what, text }] of [{ what: '', text: original }, ...variants].entries()) {
        const where = `${project.name}/${relative(root, path)}${what ? ` (${what})` : ''}`;
        const checked = await checkText(counts, where, what, text, analyze);
        if (!checked) continue;
        const { result, check } = checked;
        const before = compiler.diagnostics(path, text);
        for (const f of check.fixed) {
          counts.compiled++;
          const added = newDiagnostics(before, compiler.diagnostics(path, f.text));
          if (added.length) counts.broken.push(`${where}: ${f.what} adds compiler errors: ${added.join('; ')}`);
        }
        if (!typecheck || i > typecheckVariants) continue;
        for (const [c, fixed] of await fixedByClass(text, result, analyze, typecheckSafeOnly)) {
          const after = compiler.diagnostics(path, fixed);
          let byChecker = typecheckCounts.byClass.get(c);
          if (!byChecker) typecheckCounts.byClass.set(c, (byChecker = new Map()));
          let figures = byChecker.get('tsc');
          if (!figures) byChecker.set('tsc', (figures = { modules: 0, added: 0, removed: 0, examples: [] }));
          const plus = newDiagnostics(before, after);
          figures.modules++;
          figures.added += plus.length;
          figures.removed += newDiagnostics(after, before).length;
          for (const d of plus) if (figures.examples.length < 8) figures.examples.push(`${where}: ${d}`);
          if (c === FIX_ALL_SAFE) countProject(typecheckCounts, project.name, 'tsc', before, after, plus.length);
        }
      }
    }
  }
  return { name: `TypeScript corpus (${TS_PROJECTS.map((p) => p.name).join(', ')})`, counts };
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
