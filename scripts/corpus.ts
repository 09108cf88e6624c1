// `npm run corpus`: measures AsyncGuard on real code and writes corpus/REPORT.md.
//
// Corpora (none of their files is ever copied into the repo):
//   asyncio  the interpreter's stdlib asyncio/ and test/test_asyncio/
//   debian   the asyncio libraries Debian packages, as installed under dist-packages
//   stdlib   every .py file of the interpreter's stdlib except site-packages
// AsyncGuard runs through its CLI (falling back to the engine in-process if the CLI cannot run), with
// its project index, on a scratch copy of each corpus (so the copy is a project of its own, with its
// `.asyncguard_cache` there, not in a system folder or in an enclosing checkout such as ~/.pyenv):
// first cold (no cache), then warm (the same command again, reading the cache the cold run saved),
// each timed with its wall-clock time, the CPU time of the CLI's process (all its threads) and its
// peak memory (maximum resident set size). pyright runs with only reportUnusedCoroutine on, over the first two and over the stdlib files that
// mention async code (all of the stdlib is too big for it within the run's time budget).
//
// Verdicts come from corpus/verdicts.json, written by a person who read each finding in its source:
// entries {root, file, line, rule, text, verdict, reason} where root is `stdlib` or `dist-packages`,
// text the trimmed source line, verdict `true`, `false-alarm` or `pyright-wrong`, and rule an
// AsyncGuard rule id, `reportUnusedCoroutine` (a pyright finding AsyncGuard misses) or
// `pyright-silent` (why pyright does not report an AsyncGuard finding). A finding with no entry is
// listed as unreviewed.
//
// Options: --skip-install; --no-pyright; --pyright-stdlib (pyright on all of the stdlib);
// --pyright-timeout MINUTES (default 15); --engine cli|direct; --rerender (the last run's results
// again, with the current verdicts, without measuring).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(repo, 'corpus');
const verdictsFile = join(corpusDir, 'verdicts.json');
const reportFile = join(corpusDir, 'REPORT.md');

/** Debian's asyncio libraries (and trio) that AsyncGuard is judged on; missing ones are skipped. */
const DEBIAN_PACKAGES = [
  'python3-aiohttp', 'python3-httpx', 'python3-httpcore', 'python3-anyio', 'python3-websockets',
  'python3-starlette', 'python3-uvicorn', 'python3-aiofiles', 'python3-aiosqlite', 'python3-aiodns',
  'python3-asyncpg', 'python3-aiosmtplib', 'python3-aiosmtpd', 'python3-asyncssh', 'python3-aioftp',
  'python3-aiormq', 'python3-aio-pika', 'python3-aiostream', 'python3-aiosignal', 'python3-async-timeout',
  'python3-async-lru', 'python3-aiopg', 'python3-aiomysql', 'python3-aioredis', 'python3-aiozmq',
  'python3-trio', 'python3-redis', 'python3-discord', 'python3-ipykernel',
];
/** Debian's own interpreter: the one whose dist-packages the libraries are installed for. */
const DEBIAN_PYTHON = '/usr/bin/python3';

const args = new Set(process.argv.slice(2));
const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const engineChoice = option('--engine') ?? 'cli';
const PYRIGHT_TIMEOUT_MS = Number(option('--pyright-timeout') ?? 15) * 60_000;
/** A file that says none of these cannot make a coroutine, except by calling one imported under another name. */
const MENTIONS_ASYNC = /\basync\b|\bawait\b|asyncio|coroutine/;

// ---------------------------------------------------------------------------------------------
// Data shapes

type CorpusId = 'asyncio' | 'debian' | 'stdlib';

interface Corpus {
  id: CorpusId;
  title: string;
  /** Verdicts are keyed by root, so the asyncio and stdlib corpora share theirs. */
  rootName: 'stdlib' | 'dist-packages';
  root: string;
  /** Paths relative to root, `/`-separated, sorted. */
  files: string[];
  /** The files pyright checks, when it runs on this corpus. */
  pyrightFiles?: string[];
  /** Why pyright checks only part of the corpus, for the report. */
  pyrightScope?: string;
}

interface Hit {
  corpus: CorpusId;
  file: string;
  line: number;
  endLine: number;
  column: number;
  rule: string;
  text: string;
}

interface Verdict {
  root: string;
  file: string;
  line: number;
  rule: string;
  text: string;
  verdict: 'true' | 'false-alarm' | 'pyright-wrong';
  reason: string;
}

/** What one run of AsyncGuard cost. */
interface Cost {
  /** Wall-clock. */
  seconds: number;
  /** CPU time of the analysis (user + system, all threads), unaffected by other work on the machine; -1 if unknown. */
  cpuSeconds: number;
  /** Peak resident memory of the CLI's process in MB; -1 if unknown (the engine in-process). */
  peakMB: number;
  /** The 1-minute load average when the run started: other work on the machine slows it. */
  load: number;
}

interface GuardRun {
  hits: Hit[];
  /** The first run: no summary cache. */
  cold: Cost;
  /**
   * The second run, reading the cache the first one saved (CLI only); whether it found the same, and
   * whether it found every summary it needed there (it wrote nothing to the cache).
   */
  warm?: Cost & { sameFindings: boolean; cacheComplete?: boolean };
  /** Size of the cache the cold run left, in MB, and the names of its files. */
  cacheMB?: number;
  cacheFiles?: string[];
  mode: string;
  notes: string[];
}

interface PyrightRun {
  hits: Hit[];
  seconds: number;
  filesAnalyzed: number;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Machine set-up

/**
 * CPU seconds used by this process's finished children (Linux: cutime + cstime of /proc/self/stat,
 * in clock ticks of 1/100 s), or undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function run(cmd: string, argv: string[], opts: { input?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, input: opts.input });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function installed(pkg: string): boolean {
  const r = run('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return r.code === 0 && r.stdout.includes('install ok installed');
}

function ensureDebianPackages(): string[] {
  const hasDpkg = run('dpkg-query', ['--version']).code === 0;
  if (!hasDpkg) {
    console.warn('corpus: not a Debian system; the Debian corpus is skipped');
    return [];
  }
  const missing = DEBIAN_PACKAGES.filter((p) => !installed(p));
  if (missing.length && !args.has('--skip-install')) {
    if (process.getuid?.() !== 0) {
      console.warn(`corpus: not root, cannot install ${missing.join(' ')}`);
    } else {
      console.log(`corpus: apt-get update, then installing ${missing.join(' ')}`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      // Only packages this Debian release actually has (a missing name would fail the whole install).
      const available = missing.filter((p) => /Candidate: (?!\(none\))/.test(run('apt-cache', ['policy', p]).stdout));
      if (available.length) {
        spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...available], { stdio: 'inherit', env });
      }
    }
  }
  return DEBIAN_PACKAGES.filter(installed);
}

// ---------------------------------------------------------------------------------------------
// Corpora

function walkPy(dir: string, skip: (rel: string) => boolean, root: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    const rel = relative(root, abs).split(sep).join('/');
    if (entry.name === '__pycache__' || skip(rel)) continue;
    if (entry.isDirectory()) walkPy(abs, skip, root, out);
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(rel);
  }
}

function pyFiles(root: string, starts: string[], skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const start of starts) {
    const abs = join(root, start);
    if (!existsSync(abs)) continue;
    if (statSync(abs).isDirectory()) walkPy(abs, skip, root, out);
    else if (abs.endsWith('.py')) out.push(start);
  }
  return [...new Set(out)].sort();
}

/** The top-level entries of dist-packages that the packages own (their import packages/modules). */
function debianPackageDirs(packages: string[]): { root: string; entries: string[] } | undefined {
  const entries = new Set<string>();
  let root: string | undefined;
  for (const pkg of packages) {
    for (const path of run('dpkg', ['-L', pkg]).stdout.split('\n')) {
      const m = /^(.*\/dist-packages)\/([^/]+)$/.exec(path);
      if (!m || /\.(dist|egg)-info$/.test(m[2]) || m[2] === '__pycache__') continue;
      root ??= m[1];
      if (m[1] === root) entries.add(m[2]);
    }
  }
  return root ? { root, entries: [...entries].sort() } : undefined;
}

function stdlibInfo(): { root: string; version: string } {
  const r = run('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])']);
  if (r.code !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  const [root, version] = r.stdout.trim().split('\n');
  return { root, version };
}

// ---------------------------------------------------------------------------------------------
// AsyncGuard

interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  rule: string;
}

function sourceLines(root: string, file: string, cache: Map<string, string[]>): string[] {
  const key = join(root, file);
  let lines = cache.get(key);
  if (!lines) {
    lines = readFileSync(key, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    cache.set(key, lines);
  }
  return lines;
}

const lineCache = new Map<string, string[]>();

function toHit(corpus: Corpus, f: CliFinding): Hit {
  const text = (sourceLines(corpus.root, f.file, lineCache)[f.line - 1] ?? '').trim();
  return { corpus: corpus.id, file: f.file, line: f.line, endLine: f.endLine, column: f.column, rule: f.rule, text };
}

/**
 * Preloaded into the CLI's process: when it exits, its own resource usage (CPU time of all its
 * threads, peak resident memory) is written to the file $ASYNCGUARD_CORPUS_RUSAGE.
 */
const RUSAGE_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; import { isMainThread } from 'node:worker_threads';" +
    "if (isMainThread) process.on('exit', () => writeFileSync(process.env.ASYNCGUARD_CORPUS_RUSAGE, JSON.stringify(process.resourceUsage())));",
)}`;

/** The Debian corpus imports libraries that only Debian's interpreter has. */
function interpreterFor(corpus: Corpus): string[] {
  return corpus.rootName === 'dist-packages' && existsSync(DEBIAN_PYTHON) ? ['--python', DEBIAN_PYTHON] : [];
}

/** One `asyncguard check` over the corpus's copy in `cwd`: its findings, or why it printed none. */
function cliCheck(corpus: Corpus, cwd: string): { findings: CliFinding[]; notes: string[]; cost: Cost } | string {
  const cli = join(repo, 'server', 'bin', 'asyncguard.js');
  const usageFile = `${cwd}.rusage.json`;
  rmSync(usageFile, { force: true });
  const load = loadavg()[0];
  const start = performance.now();
  const argv = ['--import', RUSAGE_PRELOAD, cli, 'check', '--format', 'json', '--isolated', '--exit-zero', ...interpreterFor(corpus), ...corpus.files];
  const r = spawnSync(process.execPath, argv, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ASYNCGUARD_CORPUS_RUSAGE: usageFile },
  });
  const seconds = (performance.now() - start) / 1000;
  let usage: NodeJS.ResourceUsage | undefined;
  try {
    usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage;
  } catch {
    // the process died before its exit handler ran
  }
  rmSync(usageFile, { force: true });
  let parsed: { findings: CliFinding[] };
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return `the CLI printed no JSON (exit ${r.status}): ${r.stderr.trim().split('\n').slice(0, 3).join(' / ')}`;
  }
  // Skipped files, syntax errors and internal errors, as the CLI reports them.
  const notes = r.stderr.split('\n').filter((l) => l.startsWith('asyncguard:')).map((l) => l.replace(/^asyncguard: /, ''));
  const cost: Cost = {
    seconds,
    cpuSeconds: usage ? (usage.userCPUTime + usage.systemCPUTime) / 1e6 : -1,
    peakMB: usage ? usage.maxRSS / 1024 : -1,
    load,
  };
  return { findings: parsed.findings, notes, cost };
}

/** The files of every summary cache under `dir` (a file's own project marker, such as a setup.py, makes it a project of its own). */
function cacheFiles(dir: string): { path: string; size: number; mtimeMs: number }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.parentPath.split(sep).includes('.asyncguard_cache'))
    .map((e) => {
      const path = join(e.parentPath, e.name);
      const { size, mtimeMs } = statSync(path);
      return { path, size, mtimeMs };
    });
}

/** Cold, then warm, on a scratch copy of the corpus. */
function runGuardCli(corpus: Corpus): GuardRun | string {
  const scratch = mkdtempSync(join(tmpdir(), `asyncguard-corpus-${corpus.id}-`));
  try {
    for (const file of corpus.files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(corpus.root, file), join(scratch, file));
    }
    const cold = cliCheck(corpus, scratch);
    if (typeof cold === 'string') return cold;
    const saved = cacheFiles(scratch);
    const warm = cliCheck(corpus, scratch);
    const key = (f: CliFinding) => `${f.file}:${f.line}:${f.column}:${f.rule}`;
    // a warm run that summarised a module the cache lacked would have saved the cache again
    const stamp = (files: typeof saved) => JSON.stringify(files.sort((a, b) => (a.path < b.path ? -1 : 1)));
    const warmRun = typeof warm === 'string' ? undefined : {
      ...warm.cost,
      sameFindings: cold.findings.map(key).join() === warm.findings.map(key).join(),
      cacheComplete: saved.length ? stamp(saved) === stamp(cacheFiles(scratch)) : undefined,
    };
    return {
      hits: cold.findings.map((f) => toHit(corpus, f)),
      cold: cold.cost,
      warm: warmRun,
      cacheMB: saved.reduce((n, f) => n + f.size, 0) / 1e6,
      cacheFiles: [...new Set(saved.map((f) => basename(f.path)).filter((n) => n.endsWith('.json')))],
      mode: 'CLI (`asyncguard check --format json`)',
      notes: typeof warm === 'string' ? [...cold.notes, `warm run: ${warm}`] : cold.notes,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function runGuardDirect(corpus: Corpus): Promise<GuardRun> {
  const { Analyzer } = await import('../server/src/engine/analyzer');
  const analyzer = new Analyzer();
  await analyzer.init();
  const hits: Hit[] = [];
  const notes: string[] = [];
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const file of corpus.files) {
    const path = join(corpus.root, file);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
    } catch {
      continue; // not UTF-8: the CLI skips such files with a note, too
    }
    try {
      for (const f of analyzer.analyze({ path, text }).findings) {
        hits.push(toHit(corpus, { file, line: f.range.start.line + 1, column: f.range.start.character + 1, endLine: f.range.end.line + 1, rule: f.rule }));
      }
    } catch (e) {
      notes.push(`${file}: internal error: ${(e as Error).message}`);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cold: Cost = { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMB: -1, load };
  return { hits, cold, mode: 'engine in-process (`Analyzer.analyze`)', notes };
}

async function runGuard(corpus: Corpus): Promise<GuardRun> {
  if (engineChoice !== 'direct') {
    const r = runGuardCli(corpus);
    if (typeof r !== 'string') return r;
    console.warn(`corpus: ${r}; analysing in-process instead`);
    const direct = await runGuardDirect(corpus);
    direct.notes.unshift(`CLI unusable: ${r}`);
    return direct;
  }
  return runGuardDirect(corpus);
}

// ---------------------------------------------------------------------------------------------
// pyright

function pyrightVersion(): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'node_modules', 'pyright', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * pyright ignores absolute `include` paths and auto-excludes dot-folders, so the corpus is copied
 * to a scratch folder with its relative layout and checked there.
 */
function runPyright(corpus: Corpus, pythonPath: string): Promise<PyrightRun> {
  const scratch = mkdtempSync(join(tmpdir(), `asyncguard-pyright-${corpus.id}-`));
  const src = join(scratch, 'src');
  for (const file of corpus.pyrightFiles ?? corpus.files) {
    mkdirSync(dirname(join(src, file)), { recursive: true });
    cpSync(join(corpus.root, file), join(src, file));
  }
  const config = {
    include: ['src'],
    typeCheckingMode: 'off',
    reportUnusedCoroutine: 'error',
  };
  writeFileSync(join(scratch, 'pyrightconfig.json'), JSON.stringify(config, null, 2));
  const bin = join(repo, 'node_modules', 'pyright', 'index.js');
  const start = performance.now();
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, '--outputjson', '-p', join(scratch, 'pyrightconfig.json'), '--pythonpath', pythonPath], { cwd: scratch });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), PYRIGHT_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1000;
      rmSync(scratch, { recursive: true, force: true });
      try {
        const out = JSON.parse(stdout) as {
          generalDiagnostics: { file: string; rule?: string; range: { start: { line: number; character: number }; end: { line: number } } }[];
          summary: { filesAnalyzed: number };
        };
        const hits = out.generalDiagnostics
          .filter((d) => d.rule === 'reportUnusedCoroutine')
          .map((d) => {
            const file = relative(src, d.file).split(sep).join('/');
            return toHit(corpus, { file, line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, rule: 'reportUnusedCoroutine' });
          });
        resolveRun({ hits, seconds, filesAnalyzed: out.summary.filesAnalyzed });
      } catch {
        const why = code === null ? `stopped after ${PYRIGHT_TIMEOUT_MS / 60_000} minutes` : `exit ${code}: ${stderr.trim().slice(0, 300)}`;
        resolveRun({ hits: [], seconds, filesAnalyzed: 0, error: why });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Verdicts

function loadVerdicts(): Verdict[] {
  return existsSync(verdictsFile) ? (JSON.parse(readFileSync(verdictsFile, 'utf8')) as Verdict[]) : [];
}

/** Exact key first; then the same file, rule and text at another line (the source moved), if unique. */
function verdictFor(verdicts: Verdict[], root: string, hit: Hit): Verdict | undefined {
  const same = verdicts.filter((v) => v.root === root && v.file === hit.file && v.rule === hit.rule && v.text === hit.text);
  return same.find((v) => v.line === hit.line) ?? (same.length === 1 ? same[0] : undefined);
}

// ---------------------------------------------------------------------------------------------
// Report

function countLines(root: string, files: string[]): { lines: number; bytes: number } {
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const buf = readFileSync(join(root, f));
    bytes += buf.length;
    let n = 0;
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
    if (buf.length && buf[buf.length - 1] !== 10) n++;
    lines += n;
  }
  return { lines, bytes };
}

function code(text: string): string {
  const t = text.length > 110 ? `${text.slice(0, 107)}...` : text;
  const escaped = t.replace(/\|/g, '\\|');
  return escaped.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function overlaps(a: Hit, b: Hit): boolean {
  return a.file === b.file && a.line <= b.endLine && b.line <= a.endLine;
}

/** Whether the flagged call starts its line, as an expression statement (the only kind pyright checks) does. */
function isBareStatement(hit: Hit, root: string): boolean {
  const line = sourceLines(root, hit.file, lineCache)[hit.line - 1] ?? '';
  return /^\s*$/.test(line.slice(0, hit.column - 1));
}

interface CorpusResult {
  corpus: Corpus;
  lines: number;
  bytes: number;
  guard: GuardRun;
  pyright?: PyrightRun;
}

const RULES = ['unawaited-coroutine', 'dangling-task', 'floating-future'];

function render(results: CorpusResult[], verdicts: Verdict[], env: RunEnv): { md: string; unreviewed: number; falseAlarms: number } {
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  let unreviewed = 0;
  let falseAlarms = 0;
  let listedTotal = 0;
  const agreement = { pyright: 0, both: 0, missed: 0, pyrightWrong: 0, extra: 0 };
  const verdictText = (v: Verdict | undefined) => {
    if (!v) {
      unreviewed++;
      return 'unreviewed';
    }
    if (v.verdict === 'false-alarm') falseAlarms++;
    return v.verdict === 'true' ? `true: ${cell(v.reason)}` : `**${v.verdict}**: ${cell(v.reason)}`;
  };

  p('# AsyncGuard on real code');
  p();
  p(`Generated by \`npm run corpus\` (scripts/corpus.ts) on ${env.date}. Do not edit by hand: verdicts live in`);
  p('[verdicts.json](verdicts.json), each written after reading the finding in its source; triage of the false');
  p('alarms and of what pyright finds that AsyncGuard misses is in [TRIAGE.md](TRIAGE.md).');
  p();
  p(`- Python: CPython ${env.python} (\`python3\`); paths below are relative to its stdlib folder or to Debian's dist-packages.`);
  p(`- AsyncGuard ${env.guard}, run as: ${[...new Set(results.map((r) => r.guard.mode))].join('; ')}; every rule on, no configuration (\`--isolated\`),`);
  p(`  with its project index, on a scratch copy of each corpus (a project of its own); the Debian corpus with Debian's interpreter (\`--python ${DEBIAN_PYTHON}\`), whose dist-packages it imports.`);
  p(`- pyright ${env.pyright} with \`typeCheckingMode: off\` and only \`reportUnusedCoroutine\` on, on a scratch copy of each corpus.`);
  p(`- Machine: ${env.cpus} CPUs, shared with other work: 1-minute load average ${fmt(env.load[0], 1)} at the start, ${fmt(env.load[1], 1)} at the end (and at each AsyncGuard run below).`);
  p(`- Debian packages: ${env.packages.join(', ')}.`);
  p();
  p('## Figures');
  p();
  const cpu = (n: number) => (n < 0 ? 'n/a' : fmt(n, 1));
  p('| corpus | files | lines | MB | AsyncGuard s | CPU s | files/s | lines/s | pyright s | ' + RULES.join(' | ') + ' |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|' + RULES.map(() => '---:').join('|') + '|');
  for (const r of results) {
    const s = r.guard.cold.seconds;
    const pyr = !r.pyright ? 'not run' : r.pyright.error ? 'failed' : fmt(r.pyright.seconds, 1);
    const counts = RULES.map((rule) => String(r.guard.hits.filter((h) => h.rule === rule).length));
    p(`| ${r.corpus.title} | ${fmt(r.corpus.files.length)} | ${fmt(r.lines)} | ${fmt(r.bytes / 1e6, 1)} | ${fmt(s, 2)} | ${cpu(r.guard.cold.cpuSeconds)} | ${fmt(r.corpus.files.length / s)} | ${fmt(r.lines / s)} | ${pyr} | ${counts.join(' | ')} |`);
  }
  p();
  p('The stdlib corpus contains the asyncio corpus, so its findings include those. AsyncGuard times are');
  p('wall-clock for one cold `asyncguard check` process over the corpus, start-up included (files/s and lines/s');
  p("are from them); CPU s is that process's user + system time over all its threads, which other work on the");
  p('machine does not inflate. pyright times are for its runs side by side after AsyncGuard finished');
  p(`(${cpu(env.pyrightCpuSeconds)} CPU s together). The whole run took ${fmt(env.totalSeconds / 60, 1)} min wall-clock and ${env.totalCpuSeconds < 0 ? 'an unknown CPU time' : `${fmt(env.totalCpuSeconds / 60, 1)} min CPU`}.`);
  p();
  p('### Time and memory, cold and warm');
  p();
  p('| corpus | cold s | CPU s | peak MB | load | warm s | CPU s | peak MB | load | cache MB | warm: all from cache | same findings |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  const mb = (n: number | undefined) => (n === undefined || n < 0 ? 'n/a' : fmt(n));
  for (const r of results) {
    const { cold, warm } = r.guard;
    const warmCells = warm ? `${fmt(warm.seconds, 2)} | ${cpu(warm.cpuSeconds)} | ${mb(warm.peakMB)} | ${fmt(warm.load, 1)}` : 'n/a | n/a | n/a | n/a';
    const yes = (b: boolean | undefined) => (b === undefined ? 'n/a' : b ? 'yes' : '**no**');
    p(`| ${r.corpus.title} | ${fmt(cold.seconds, 2)} | ${cpu(cold.cpuSeconds)} | ${mb(cold.peakMB)} | ${fmt(cold.load, 1)} | ${warmCells} | ${r.guard.cacheMB === undefined ? 'n/a' : fmt(r.guard.cacheMB, 1)} | ${yes(warm?.cacheComplete)} | ${yes(warm?.sameFindings)} |`);
  }
  p();
  const cacheNames = [...new Set(results.flatMap((r) => r.guard.cacheFiles ?? []))].sort();
  p('Cold: a fresh copy of the corpus, no `.asyncguard_cache`: every file is analysed and every imported module');
  p('parsed and summarised. Warm: the same command again over the unchanged copy, with the cache the cold run');
  p(`saved (cache MB: its size on disk, in ${cacheNames.length ? cacheNames.map((n) => `\`${n}\``).join(' and ') : 'no file'}). What a warm run finds`);
  p('there it does not compute again: module summaries (`python-summaries.json`) and, where the CLI keeps them,');
  p("each file's findings (`python-results.json`, reused while the file, the settings and what its imports say");
  p('are unchanged). "all from cache": the warm run wrote nothing to the cache, so it computed nothing the cold');
  p('run had not saved (n/a: nothing was cached). Standard-library modules come from the built-in typeshed');
  p('summaries and are never cached.');
  p(`Both run the analysis on the CLI's worker threads (one per CPU). s is wall-clock; CPU s the process's user +`);
  p('system time over all its threads; peak MB its maximum resident set size (all threads, one process). load');
  p(`is the 1-minute load average as each run started: above ${env.cpus} the machine was busy with other work,`);
  p('which slows wall-clock times and leaves CPU times and memory nearly as they are.');
  p();
  p('pyright does not check the whole stdlib: it infers types across every module and needs far longer');
  p('than this run may take. It checks the stdlib files that mention async code (see below);');
  p('`--pyright-stdlib` makes it check all of them.');
  for (const r of results) {
    if (r.pyright?.error) p(`\n> pyright on ${r.corpus.title}: ${cell(r.pyright.error)}`);
  }
  if (results.some((r) => r.guard.notes.length)) {
    p();
    p('What the CLI said about files it could not fully check:');
    p();
    for (const r of results) for (const n of r.guard.notes.slice(0, 30)) p(`- ${r.corpus.title}: ${code(n)}`);
  }
  p();

  // Each finding once per root: the stdlib corpus repeats the asyncio corpus's findings.
  p('## Findings and verdicts');
  const listed = new Set<string>();
  for (const r of results) {
    const hits = r.guard.hits.filter((h) => !listed.has(`${r.corpus.rootName}|${h.file}|${h.line}|${h.column}|${h.rule}`));
    const repeated = r.guard.hits.length - hits.length;
    for (const h of r.guard.hits) listed.add(`${r.corpus.rootName}|${h.file}|${h.line}|${h.column}|${h.rule}`);
    listedTotal += hits.length;
    p();
    p(`### ${r.corpus.title} (${r.guard.hits.length} finding${r.guard.hits.length === 1 ? '' : 's'}${repeated ? `, ${repeated} already listed above` : ''})`);
    p();
    if (!hits.length) {
      p(repeated ? 'All listed above.' : 'None.');
      continue;
    }
    p('| file | line | rule | source | verdict |');
    p('|---|---:|---|---|---|');
    for (const h of hits) {
      p(`| ${cell(h.file)} | ${h.line} | ${h.rule} | ${code(h.text)} | ${verdictText(verdictFor(verdicts, r.corpus.rootName, h))} |`);
    }
  }
  p();

  p('## pyright comparison (`reportUnusedCoroutine` vs `unawaited-coroutine`)');
  for (const r of results) {
    if (!r.pyright) continue;
    const pyr = r.pyright.hits;
    const checked = new Set(r.corpus.pyrightFiles);
    const ours = r.guard.hits.filter((h) => h.rule === 'unawaited-coroutine' && checked.has(h.file));
    const missed = pyr.filter((ph) => !ours.some((h) => overlaps(h, ph)));
    const extra = ours.filter((h) => !pyr.some((ph) => overlaps(h, ph)));
    const agreed = ours.length - extra.length;
    const wrong = missed.filter((h) => verdictFor(verdicts, r.corpus.rootName, h)?.verdict === 'pyright-wrong').length;
    if (!r.pyright.error) {
      agreement.pyright += pyr.length;
      agreement.both += agreed;
      agreement.missed += missed.length - wrong;
      agreement.pyrightWrong += wrong;
      agreement.extra += extra.length;
    }
    p();
    p(`### ${r.corpus.title}`);
    p();
    if (r.pyright.error) {
      p(`pyright did not finish: ${cell(r.pyright.error)}`);
      continue;
    }
    if (r.corpus.pyrightScope) p(`pyright checked ${r.corpus.pyrightScope}.\n`);
    p(`pyright analysed ${r.pyright.filesAnalyzed} files in ${fmt(r.pyright.seconds, 1)} s and reported ${pyr.length}; AsyncGuard reported ${ours.length}; both: ${agreed}.`);
    p();
    p(`Found by pyright, missed by AsyncGuard: ${missed.length}.`);
    if (missed.length) {
      p();
      p('| file | line | source | verdict |');
      p('|---|---:|---|---|');
      for (const h of missed) p(`| ${cell(h.file)} | ${h.line} | ${code(h.text)} | ${verdictText(verdictFor(verdicts, r.corpus.rootName, h))} |`);
    }
    p();
    p(`Found by AsyncGuard, not by pyright: ${extra.length}.`);
    if (extra.length) {
      p();
      p('| file | line | source | why pyright is silent |');
      p('|---|---:|---|---|');
      for (const h of extra) {
        const v = verdictFor(verdicts, r.corpus.rootName, { ...h, rule: 'pyright-silent' });
        const why = v
          ? cell(v.reason)
          : isBareStatement(h, r.corpus.root)
            ? 'unreviewed (a bare statement: pyright checks these; it did not infer a coroutine)'
            : 'not a bare expression statement (a truth test or a never-read name): reportUnusedCoroutine only checks expression statements';
        if (!v && isBareStatement(h, r.corpus.root)) unreviewed++;
        p(`| ${cell(h.file)} | ${h.line} | ${code(h.text)} | ${why} |`);
      }
    }
  }
  p();
  p('## Summary');
  p();
  p(`- Findings: ${listedTotal} (each counted once), false alarms: ${falseAlarms}, unreviewed: ${unreviewed}.`);
  p(`- pyright \`reportUnusedCoroutine\`: ${agreement.pyright} reported where it ran; AsyncGuard reported ${agreement.both} of them,`);
  p(`  missed ${agreement.missed}, and rightly stayed silent on ${agreement.pyrightWrong} where pyright is wrong.`);
  p(`- AsyncGuard \`unawaited-coroutine\` findings pyright does not report: ${agreement.extra}.`);
  return { md: out.join('\n') + '\n', unreviewed, falseAlarms };
}

// ---------------------------------------------------------------------------------------------

interface RunEnv {
  python: string;
  pyright: string;
  guard: string;
  date: string;
  packages: string[];
  cpus: number;
  /** 1-minute load averages when the run started and ended: other work on the machine slows it. */
  load: [number, number];
  /** The whole run: wall-clock, and CPU of this process and its children (-1 if unknown). */
  totalSeconds: number;
  totalCpuSeconds: number;
  /** CPU of the pyright processes together (they run side by side). */
  pyrightCpuSeconds: number;
}

interface SavedRun {
  env: RunEnv;
  results: CorpusResult[];
}

async function measure(): Promise<SavedRun> {
  const load0 = loadavg()[0];
  const start = performance.now();
  const packages = ensureDebianPackages();
  const std = stdlibInfo();
  const asyncioFiles = pyFiles(std.root, ['asyncio', 'test/test_asyncio']);
  const corpora: Corpus[] = [
    { id: 'asyncio', title: 'asyncio + test_asyncio', rootName: 'stdlib', root: std.root, files: asyncioFiles, pyrightFiles: asyncioFiles },
  ];
  const deb = debianPackageDirs(packages);
  if (deb) {
    const files = pyFiles(deb.root, deb.entries);
    corpora.push({ id: 'debian', title: 'Debian asyncio libraries', rootName: 'dist-packages', root: deb.root, files, pyrightFiles: files });
  }
  const stdlibFiles = pyFiles(std.root, ['.'], (rel) => rel === 'site-packages' || rel === 'dist-packages');
  const inAsyncio = new Set(asyncioFiles);
  corpora.push({
    id: 'stdlib',
    title: 'whole stdlib',
    rootName: 'stdlib',
    root: std.root,
    files: stdlibFiles,
    ...(args.has('--pyright-stdlib')
      ? { pyrightFiles: stdlibFiles }
      : {
          pyrightFiles: stdlibFiles.filter((f) => !inAsyncio.has(f) && MENTIONS_ASYNC.test(readFileSync(join(std.root, f), 'latin1'))),
          pyrightScope:
            'the files outside asyncio/ and test/test_asyncio/ that mention `async`, `await`, `asyncio` or `coroutine` ' +
            '(pyright on all 1,800 files takes far longer than this run may; `--pyright-stdlib` runs it on all)',
        }),
  });

  console.log('corpus: building the CLI');
  const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: repo });
  if (build.status !== 0) console.warn('corpus: the build failed; the CLI may be stale');

  const results: CorpusResult[] = [];
  for (const corpus of corpora) {
    const { lines, bytes } = countLines(corpus.root, corpus.files);
    console.log(`corpus: AsyncGuard on ${corpus.title}: ${corpus.files.length} files, ${lines} lines`);
    const guard = await runGuard(corpus);
    const warm = guard.warm ? `, warm ${guard.warm.seconds.toFixed(2)} s` : '';
    console.log(`corpus:   ${guard.hits.length} findings, cold ${guard.cold.seconds.toFixed(2)} s${warm}`);
    results.push({ corpus, lines, bytes, guard });
  }

  // After the AsyncGuard timings, so pyright's work does not slow them; the pyright runs share the CPUs.
  const pyrightCpu0 = childrenCpuSeconds();
  if (!args.has('--no-pyright')) {
    const jobs = results.filter((r) => r.corpus.pyrightFiles);
    console.log(`corpus: pyright on ${jobs.map((r) => r.corpus.title).join(', ')}`);
    await Promise.all(
      jobs.map(async (r) => {
        const py = r.corpus.rootName === 'dist-packages' && existsSync(DEBIAN_PYTHON) ? DEBIAN_PYTHON : run('python3', ['-c', 'import sys; print(sys.executable)']).stdout.trim();
        r.pyright = await runPyright(r.corpus, py);
        console.log(`corpus:   pyright on ${r.corpus.title}: ${r.pyright.error ?? `${r.pyright.hits.length} findings in ${r.pyright.seconds.toFixed(1)} s`}`);
      }),
    );
  }

  const pyrightCpu1 = childrenCpuSeconds();
  const ownCpu = process.cpuUsage();
  const env: RunEnv = {
    python: std.version,
    pyright: pyrightVersion(),
    guard: (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version,
    date: new Date().toISOString().slice(0, 10),
    packages,
    cpus: cpus().length,
    load: [load0, loadavg()[0]],
    totalSeconds: (performance.now() - start) / 1000,
    totalCpuSeconds: pyrightCpu1 === undefined ? -1 : pyrightCpu1 + (ownCpu.user + ownCpu.system) / 1e6,
    pyrightCpuSeconds: pyrightCpu0 === undefined || pyrightCpu1 === undefined ? -1 : pyrightCpu1 - pyrightCpu0,
  };
  return { env, results };
}

/** The last run's raw results, so that new verdicts can be rendered without measuring again. */
const savedRunFile = join(tmpdir(), 'asyncguard-corpus-run.json');

async function main(): Promise<void> {
  let saved: SavedRun;
  if (args.has('--rerender')) {
    if (!existsSync(savedRunFile)) throw new Error('no saved run to render; run without --rerender first');
    saved = JSON.parse(readFileSync(savedRunFile, 'utf8')) as SavedRun;
  } else {
    saved = await measure();
    writeFileSync(savedRunFile, JSON.stringify(saved));
  }
  const { md, unreviewed, falseAlarms } = render(saved.results, loadVerdicts(), saved.env);
  writeFileSync(reportFile, md);
  console.log(`corpus: wrote ${relative(repo, reportFile)}: ${falseAlarms} false alarms, ${unreviewed} unreviewed`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
