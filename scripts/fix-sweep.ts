// `npm run fix-sweep`: every fix AsyncGuard offers, applied to every finding over real code — each
// fix on its own, and all together the two ways the product applies them (the CLI's --fix
// --unsafe-fixes, the language server's fix-all) — and checked: the fix applies and changes the
// text, its finding is not reported again, fix-all reaches a fixed point, and CPython compiles
// every fixed text of a file it compiled before. Prints the counts; exits 1 on any broken result.
//
// Real code has few findings (it works), so each file is also swept as variants with one mistake
// put back, the one people make: an `await` dropped from a statement (`await x()` -> `x()`), or
// the name a task was kept in dropped (`t = asyncio.create_task(...)` -> `asyncio.create_task(...)`).
//
// Corpora: the interpreter's whole standard library, and the asyncio libraries Debian packages
// (installed here with apt-get when missing and run as root).
//   node --import tsx scripts/fix-sweep.ts [--skip-install] [--limit N] [--variants N] [--json FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../server/src/engine/analyzer';
import { readSourceFile } from '../server/src/engine/project/files';
import type { FixKind } from '../server/src/engine/types';
import { cpythonCompileErrors } from '../server/test/fuzz/cpython';
import { checkFixes, rangeProblems, type FixedText } from '../server/test/fuzz/fix-check';

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
};
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

const argv = process.argv.slice(2);
const option = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const limit = Number(option('--limit') ?? Infinity);
/** Variants per file with one mistake put back. */
const variantsPerFile = Number(option('--variants') ?? 10);

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
  files: string[];
}

function corpora(): Corpus[] {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const result: Corpus[] = [{ name: 'CPython standard library', files: pythonFiles(stdlib, (n) => n === 'site-packages' || n === 'dist-packages') }];
  const debian = Object.entries(DEBIAN_PACKAGES).filter(([pkg]) => installed(pkg));
  const files = debian.flatMap(([, dir]) => pythonFiles(join(DIST_PACKAGES, dir)));
  if (files.length) result.push({ name: `Debian asyncio libraries (${debian.map(([, d]) => d).join(', ')})`, files });
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
    for (const { what, text } of texts) {
      const where = what ? `${path} (${what})` : path;
      if (what) counts.variants++;
      const result = analyze(text);
      for (const p of rangeProblems(text, result)) counts.broken.push(`${where}: ${p}`);
      if (!result.findings.length) continue;
      if (!what) counts.filesWithFindings++;
      counts.findings += result.findings.length;
      for (const f of result.findings) for (const fix of f.fixes) counts.offered[fix.kind] = (counts.offered[fix.kind] ?? 0) + 1;
      const check = await checkFixes(text, result, analyze);
      counts.singleApplied += check.applied;
      counts.fixAllTexts += check.fixed.filter((f) => f.what.startsWith('fix-all')).length;
      for (const p of check.problems) counts.broken.push(`${where}: ${p}`);
      queue.add(where, text, check.fixed);
    }
  }
  queue.flush();
  process.stderr.write(`\r${corpus.name}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(0)} s${' '.repeat(20)}\n`);
  return counts;
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
    `- fixed texts compiled by CPython: ${c.compiled} (plus ${c.notCompiledBefore} of files CPython does not compile as they are)`,
    `- broken results: ${c.broken.length}`,
    ...c.broken.slice(0, 50).map((b) => `  - ${b}`),
  ].join('\n');
}

async function main(): Promise<void> {
  ensureDebianPackages();
  const analyzer = new Analyzer();
  await analyzer.init();
  const results: Array<{ name: string; counts: Counts }> = [];
  for (const corpus of corpora()) results.push({ name: corpus.name, counts: await sweep(corpus, analyzer) });
  console.log(results.map((r) => report(r.name, r.counts)).join('\n\n'));
  const json = option('--json');
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
  const broken = results.reduce((n, r) => n + r.counts.broken.length, 0);
  if (broken) {
    console.log(`\nfix-sweep: ${broken} broken results`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
