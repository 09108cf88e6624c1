// `asyncguard check`: finds the files, reads them, analyses them through the engine, applies fixes
// when asked, and prints the report in the chosen format.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { AnalyzeRequest } from '../engine/analyzer';
import { isNotebookPath } from '../engine/languages';
import { fileLineOf, fixNotebook, parseNotebook } from '../engine/notebook/index';
import type { AnalysisResult, Finding, RuleSettings } from '../engine/types';
import { encodeSource, fixAll, readSourceFile, Workspace, writeFileAtomic, type SourceFile } from '../engine/workspace/index';
import type { CheckOptions } from './args';
import { githubStream } from './formats/github';
import { jsonStream } from './formats/json';
import { formatSarif } from './formats/sarif';
import { addToTally, emptyTally, type ReportStream } from './formats/stream';
import { textStream } from './formats/text';
import { createProgress } from './progress';
import type { FileOutcome } from './parallel';
import type { CheckReport, FileReport, Note } from './report';

/** What the CLI needs of the engine; `Analyzer` is one, tests pass a fake. */
export interface CheckEngine {
  init(): Promise<void>;
  analyze(req: AnalyzeRequest): AnalysisResult;
  /** Called once at the end of a run (to save caches). */
  finish?(): void;
}

export interface EngineOptions {
  python?: string;
  noCache: boolean;
  /** Keep the interpreter's sys.path between runs (in the user's cache folder). */
  probeCache: boolean;
  /** The working folder: a Python project is looked for no higher than it (as the editor's workspace folder). */
  folder: string;
  /** Where the engine reports problems of the environment (an interpreter that fails). */
  log: (message: string) => void;
  /** With --verbose: where the engine tells how it learnt the interpreter's environment. */
  verbose?: (message: string) => void;
}

/** Files analysed on other threads while they are still being found (see CliEnv.startParallel). */
export interface ParallelRun {
  add(item: WorkItem): void;
  /** No more files will be added. */
  end(): void;
  /** Abandons the run (the walk failed). */
  cancel(): Promise<void>;
  /** Each file's outcome, in the order added. */
  outcomes(): AsyncIterable<FileOutcome>;
}

export interface WorkItem {
  path: string;
  rules: RuleSettings;
  /** Named on the command line (not met while walking a folder): failing to read it is an error. */
  named?: boolean;
}

/** What is said of a file that cannot be analysed: an error when it was named, else a warning. */
function unreadable(file: string, reason: string, named: boolean | undefined): Note {
  return named ? { file, message: `cannot be checked: ${reason}`, level: 'error' } : { file, message: `skipped: ${reason}`, level: 'warning' };
}

export interface CliEnv {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stderrIsTTY: boolean;
  /** Whether stdout is a terminal (pages are rendered in colour there). */
  stdoutIsTTY?: boolean;
  /** The environment variables the CLI reads (the locale, NO_COLOR). */
  environment?: Readonly<Record<string, string | undefined>>;
  engineFor: (options: EngineOptions) => CheckEngine;
  /**
   * Starts analysing files on other threads, for plain checks (fixes re-analyse in this thread).
   * Asked while the files are being found (`done` false) and once more when all are; returns
   * undefined while the files found are too few to gain from it. The files found so far are then
   * added by the caller, and each one found afterwards.
   */
  startParallel?: (found: readonly WorkItem[], done: boolean, options: EngineOptions, threads: number | undefined) => ParallelRun | undefined;
  version: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function runCheck(options: CheckOptions, env: CliEnv): Promise<number> {
  const early: Note[] = [];
  const verbose = options.verbose ? (message: string) => env.stderr(`asyncguard: ${message}\n`) : undefined;
  const since = (start: number) => `${(performance.now() - start).toFixed(0)} ms`;
  const started = performance.now();
  // A cache is kept beside the user's own code only: never in folders outside the working folder
  // (a library, the standard library) that a run merely reads.
  const outside = options.paths.some((arg) => isAbsolute(displayPath(resolve(env.cwd, arg), env.cwd)));
  const engineOptions: EngineOptions = {
    python: options.python,
    noCache: options.noCache || outside,
    // the interpreter's answer is kept per user, not beside the code: only --no-cache turns it off
    probeCache: !options.noCache,
    folder: env.cwd,
    log: (message) => env.stderr(`asyncguard: warning: ${message}\n`),
    verbose,
  };
  const report: CheckReport = {
    version: env.version,
    cwd: env.cwd,
    files: [],
    notes: early,
    fixed: 0,
    fixMode: options.fix && !options.diff,
    unsafeFixes: options.unsafeFixes,
  };
  const patches: string[] = [];
  /** The files found so far (collectWork's list, as it grows). */
  let found: readonly WorkItem[] = [];
  const namedPaths = new Set<string>();
  let wouldFix = 0;
  const progress = createProgress(env.stderr, env.stderrIsTTY && options.format !== 'json', () => found.length);
  let walked = false;
  const held: string[] = [];
  // Findings are written as each file is done and not kept (but SARIF's, whose document lists the rules they use).
  const stream = options.diff ? undefined : streamFor(options.format, env.version);
  const tally = emptyTally();
  const emit = (entry: FileReport) => {
    if (!stream) return void report.files.push(entry);
    addToTally(tally, entry, options.unsafeFixes);
    const text = stream.file(entry);
    if (!text) return;
    // held while the files are still being found: a walk that fails then leaves no half-written output
    if (!walked) return void held.push(text);
    progress.clear();
    env.stdout(text);
  };

  let firstTold = false;
  const analysed = () => {
    if (firstTold) return;
    firstTold = true;
    verbose?.(`first file analysed at ${since(started)}`);
  };
  /** Records the pool's outcomes as they come, from its start (while the walk goes on) to the last file. */
  const consume = async (run: ParallelRun) => {
    try {
      for await (const outcome of run.outcomes()) {
        progress.tick();
        analysed();
        recordOutcome(report, emit, outcome, displayPath(outcome.path, env.cwd), namedPaths.has(outcome.path));
      }
    } catch (e) {
      report.notes.push({ file: '.', message: `internal error: ${(e as Error).stack ?? e}`, level: 'error' });
    }
  };
  let consuming: Promise<void> | undefined;
  const mayRunParallel = !options.fix && !options.diff && env.startParallel !== undefined;
  let parallel: ParallelRun | undefined;
  let askedAt = 0;
  const onFound = (work: WorkItem[], done: boolean): Promise<void> | undefined => {
    found = work;
    if (!done && work[work.length - 1].named) namedPaths.add(work[work.length - 1].path);
    if (parallel) {
      if (done) return undefined;
      parallel.add(work[work.length - 1]);
      // now and then, let the workers' answers in: each is sent more files only as it answers
      return work.length % 64 === 0 ? new Promise((resolve) => setImmediate(resolve)) : undefined;
    }
    // asked every few files: the question looks at every file found so far
    if (!mayRunParallel || (!done && work.length < askedAt + 32)) return undefined;
    askedAt = work.length;
    parallel = env.startParallel!(work, done, engineOptions, options.threads);
    if (!parallel) return undefined;
    verbose?.(`analysis threads started after ${work.length} files were found, at ${since(started)}`);
    for (const item of work) parallel.add(item);
    consuming = consume(parallel);
    return undefined;
  };
  const work = await collectWork(options, env, early, onFound);
  if (typeof work === 'string') {
    await parallel?.cancel();
    await consuming;
    env.stderr(`asyncguard: error: ${work}\n`);
    return EXIT_ERROR;
  }
  await onFound(work, true);
  parallel?.end();
  walked = true;
  if (held.length) {
    progress.clear();
    env.stdout(held.join(''));
    held.length = 0;
  }
  verbose?.(`${fileCount(work.length)} found in ${since(started)}`);
  let engine: CheckEngine | undefined;
  if (!parallel) {
    engine = env.engineFor(engineOptions);
    try {
      await engine.init();
    } catch (e) {
      env.stderr(`asyncguard: error: cannot load the analysis engine: ${(e as Error).message}\n`);
      return EXIT_ERROR;
    }
  }

  await consuming;
  const serial = engine;
  if (serial) {
    for (const item of work) {
      progress.tick();
      const shown = displayPath(item.path, env.cwd);
      const source = readSourceFile(item.path);
      if (source.kind === 'skipped') {
        report.notes.push(unreadable(shown, source.reason, item.named));
        continue;
      }
      const analyze = (text: string) => {
        const result = serial.analyze({ path: item.path, text, rules: item.rules });
        analysed();
        return result;
      };
      try {
        if (!options.fix && !options.diff) {
          addFile(report, emit, shown, item.path, analyze(source.text), source.text);
          continue;
        }
        const fixed = await fixFile(source, shown, analyze, options);
        report.notes.push(...fixed.notes);
        if (fixed.patch) {
          patches.push(fixed.patch);
          wouldFix += fixed.applied;
        } else {
          report.fixed += fixed.applied;
        }
        addFile(report, emit, shown, item.path, fixed.result);
      } catch (e) {
        report.notes.push({ file: shown, message: `internal error: ${(e as Error).stack ?? e}`, level: 'error' });
      }
    }
  }
  progress.done();
  verbose?.(`${fileCount(work.length)} analysed at ${since(started)}`);
  try {
    engine?.finish?.();
  } catch (e) {
    report.notes.push({ file: '.', message: `could not save the cache: ${(e as Error).message}`, level: 'warning' });
  }

  for (const note of report.notes) env.stderr(`asyncguard: ${note.level}: ${note.file}: ${note.message}\n`);
  const internalError = report.notes.some((n) => n.level === 'error');

  if (options.diff) {
    env.stdout(patches.join(''));
    env.stderr(wouldFix ? `Would fix ${wouldFix} problem${wouldFix === 1 ? '' : 's'}.\n` : 'No fixes to apply.\n');
    if (internalError) return EXIT_ERROR;
    return patches.length && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
  }

  env.stdout(stream ? stream.end(report, tally) : formatSarif(report));
  if (internalError) return EXIT_ERROR;
  const findings = stream ? tally.findings : report.files.reduce((n, f) => n + f.findings.length, 0);
  return findings && !options.exitZero ? EXIT_FINDINGS : EXIT_CLEAN;
}

function recordOutcome(report: CheckReport, emit: (entry: FileReport) => void, outcome: FileOutcome, shown: string, named: boolean): void {
  if (outcome.kind === 'analyzed') addFile(report, emit, shown, outcome.path, outcome.result);
  else if (outcome.kind === 'skipped') report.notes.push(unreadable(shown, outcome.reason, named));
  else report.notes.push({ file: shown, message: `internal error: ${outcome.message}`, level: 'error' });
}

interface FixedFile {
  /** What the file holds afterwards (or, with --diff, would hold). */
  result: AnalysisResult;
  /** Fixes written (or, with --diff, that would be). */
  applied: number;
  /** With --diff: the changes as a unified diff. */
  patch?: string;
  notes: Note[];
}

/** --fix writes the fixed text; --diff only describes it. */
async function fixFile(source: SourceFile, shown: string, analyze: (text: string) => AnalysisResult, options: CheckOptions): Promise<FixedFile> {
  const fixOptions = { unsafe: options.unsafeFixes };
  const notebook = isNotebookPath(source.path);
  // a notebook is fixed cell by cell; one that is not valid is returned as it is, and never written
  const outcome = notebook ? await fixNotebook(source.text, analyze, fixOptions) : await fixAll(source.text, analyze, fixOptions);
  const notes: Note[] = [];
  if (!outcome.converged) notes.push({ file: shown, message: 'fixes did not settle; stopped after the last pass', level: 'warning' });
  if (outcome.text === source.text) return { result: outcome.result, applied: 0, notes };
  if (options.diff) return { result: outcome.result, applied: outcome.applied, patch: unifiedDiff(shown, source.text, outcome.text), notes };
  const failure = notebook && !parseNotebook(outcome.text).ok ? 'the fixed notebook would not be valid' : write(source, outcome.text);
  if (failure) {
    notes.push({ file: shown, message: `cannot write the fixed file (${failure})`, level: 'error' });
    return { result: outcome.initial, applied: 0, notes }; // the file still holds these
  }
  return { result: outcome.result, applied: outcome.applied, notes };
}

/** The formats written file by file; SARIF (its document lists the rules its findings use) is written whole at the end. */
function streamFor(format: CheckOptions['format'], version: string): ReportStream | undefined {
  switch (format) {
    case 'json':
      return jsonStream(version);
    case 'github':
      return githubStream();
    case 'text':
      return textStream();
    default:
      return undefined;
  }
}

/**
 * The files to analyse with their rule settings, or the reason the command cannot run; `onFound` is
 * told of each file as it is added to the list.
 */
async function collectWork(
  options: CheckOptions,
  env: CliEnv,
  notes: Note[],
  onFound: (work: WorkItem[], done: boolean) => Promise<void> | undefined,
): Promise<WorkItem[] | string> {
  let configFile: string | undefined;
  if (options.config) {
    configFile = resolve(env.cwd, options.config);
    if (!existsSync(configFile)) return `${options.config}: no such configuration file`;
  }
  // A broken pyproject.toml stops the run; a broken JSON file is warned about and the defaults apply.
  let fatal: string | undefined;
  const folders = options.paths.map((arg) => resolve(env.cwd, arg)).filter((p) => isDirectory(p));
  const workspace = new Workspace({
    roots: [env.cwd, ...folders],
    commandLine: { select: options.select, ignore: options.ignore },
    commandLineExclude: { root: env.cwd, exclude: options.exclude, extendExclude: options.extendExclude },
    configFile,
    isolated: options.isolated,
    respectGitignore: options.respectGitignore,
    onConfigError: (error) => {
      const where = `${displayPath(error.file, env.cwd)}: ${error.message}`;
      if (/\.json$/i.test(error.file) && error.file !== configFile) env.stderr(`asyncguard: warning: ${where}; using the default configuration\n`);
      else fatal ??= where;
    },
  });
  const configError = workspace.settings.configFileError;
  if (configError) return `${displayPath(configError.file, env.cwd)}: ${configError.message}`;
  const seen = new Set<string>();
  const work: WorkItem[] = [];
  for (const arg of options.paths) {
    const path = resolve(env.cwd, arg);
    if (!existsSync(path)) return `${arg}: no such file or folder`;
    if (!isDirectory(path)) {
      // A file named on the command line is checked whatever its excludes say, as ruff does.
      if (seen.has(path)) continue;
      seen.add(path);
      const settings = workspace.settingsFor(path);
      if (fatal) return fatal;
      if (!settings) notes.push(unreadable(displayPath(path, env.cwd), 'not a Python or TypeScript/JavaScript file', true));
      else {
        work.push({ path, rules: settings.rules, named: true });
        await onFound(work, false);
      }
      continue;
    }
    let found = 0;
    try {
      for (const file of workspace.filesUnder(path)) {
        if (fatal) return fatal;
        found++;
        if (seen.has(file.path)) continue;
        seen.add(file.path);
        work.push({ path: file.path, rules: file.settings.rules });
        await onFound(work, false);
      }
    } catch (e) {
      return `${arg}: ${(e as Error).message}`;
    }
    if (fatal) return fatal;
    if (!found && workspace.hasGitignoredFiles(path)) {
      env.stderr(`asyncguard: warning: ${arg}: every source file here is ignored by a .gitignore; use --no-respect-gitignore to check them\n`);
    }
  }
  return work;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `text`: what the file holds now, when known (a notebook's findings are placed in it). */
function addFile(report: CheckReport, emit: (entry: FileReport) => void, file: string, absolutePath: string, result: AnalysisResult, text?: string): void {
  if (result.error) report.notes.push({ file, message: `cannot be checked: ${result.error}`, level: 'error' });
  for (const note of result.notes) report.notes.push({ file, message: note, level: 'warning' });
  if (!result.findings.length) return;
  const findings = [...result.findings].sort(byPosition);
  const entry: FileReport = { file, absolutePath, findings };
  if (findings.some((f) => f.cell !== undefined)) entry.fileLine = notebookLines(absolutePath, text);
  emit(entry);
}

function fileCount(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

function byPosition(a: Finding, b: Finding): number {
  return (
    (a.cell ?? 0) - (b.cell ?? 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}

/** Where a notebook's cell lines are in its file (read again when a worker thread analysed it). */
function notebookLines(path: string, text: string | undefined): FileReport['fileLine'] {
  let parsed: ReturnType<typeof parseNotebook> | undefined;
  try {
    parsed = parseNotebook(text ?? readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  const notebook = parsed.ok ? parsed.notebook : undefined;
  return notebook && ((cell, line) => fileLineOf(notebook, cell, line));
}

/** Writes the fixed text; returns why it could not, if it could not. */
function write(source: SourceFile, text: string): string | undefined {
  try {
    writeFileAtomic(source.path, encodeSource(text, source.bom), source.mode);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

function unifiedDiff(file: string, before: string, after: string): string {
  const [from, to] = isAbsolute(file) ? [file, file] : [`a/${file}`, `b/${file}`];
  return createTwoFilesPatch(from, to, before, after, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

/** Paths as printed: relative to the working folder when inside it, with `/` on every system. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (!rel) return '.';
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}
