// Analyses many files on worker threads, one per core, and hands the outcomes back in the order the
// files were given (so output is the same whatever the scheduling). Small inputs run in this thread:
// starting a worker (loading the bundle, the parser and the library summaries) costs more than it
// saves below a few dozen files.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Analyzer } from '../engine/analyzer';
import { languageOf } from '../engine/languages';
import { cliPythonProjects } from '../engine/project/projects';
import type { ModulesSeen, ProbeRecord, ResultCache } from '../engine/project/projects';
import type { AnalysisResult, RuleSettings } from '../engine/types';
import { readSourceFile } from '../engine/workspace/index';

export interface ParallelItem {
  path: string;
  rules: RuleSettings;
}

/** What became of one file: analysed, skipped (with the reason), or an internal error. */
export type FileOutcome =
  | { path: string; kind: 'analyzed'; result: AnalysisResult }
  | { path: string; kind: 'skipped'; reason: string }
  | { path: string; kind: 'error'; message: string };

/** How each thread builds its Analyzer: the CLI's Python projects (interpreter, cache) or the default. */
export interface WorkerEngineSettings {
  /** Use the CLI's Python projects (cliPythonProjects) with these settings. */
  cli?: { interpreter?: string; noCache: boolean; folder?: string; probeCacheDir?: string };
}

/** What one thread analyses with: its Analyzer, the findings kept between runs, and how to save its caches once its work is done. */
export interface AnalysisThread {
  analyzer: Analyzer;
  results?: (path: string) => ResultCache | undefined;
  saveCaches: () => void;
}

export function createAnalysisThread(settings: WorkerEngineSettings = {}, log?: (message: string) => void, onProbe?: (record: ProbeRecord) => void): AnalysisThread {
  if (!settings.cli) return { analyzer: new Analyzer(), saveCaches: () => undefined };
  const { interpreter, noCache, probeCacheDir, folder } = settings.cli;
  const projects = cliPythonProjects({ interpreter, noCache, probeCacheDir, onProbe, roots: folder ? [folder] : [], log });
  // A run analyses file after file of each TypeScript project: one program per tsconfig serves them all.
  return { analyzer: new Analyzer({ python: projects, typescript: { wholePrograms: true } }), results: (path) => projects.resultCacheFor(path), saveCaches: () => projects.saveCaches() };
}

export interface ParallelOptions {
  /** How every thread builds its engine. */
  engine?: WorkerEngineSettings;
  /** Worker threads to use; default: the cores present (os.availableParallelism()). 1 or less: this thread. */
  threads?: number;
  /** Below this many files per thread, fewer threads are used (default 24). */
  minFilesPerThread?: number;
}

/** What the main thread sends a worker (a file, or `finish`: save the caches and exit), and what comes back. */
export type WorkerRequest = { id: number; path: string; rules: RuleSettings } | 'finish';
export type WorkerReply = { id: number; outcome: FileOutcome };
/** A worker's line for `--verbose` (how its interpreter was probed). */
export type WorkerLog = { log: string };

/** The `--verbose` line telling how an interpreter's environment was learnt. */
export function describeProbe(record: ProbeRecord): string {
  const how = record.how === 'cache' ? 'from the probe cache' : record.failed ? 'asked, and it failed' : 'asked (not in the probe cache)';
  return `interpreter ${record.interpreter}: ${how}, ${record.ms.toFixed(1)} ms`;
}

const DEFAULT_MIN_FILES_PER_THREAD = 24;
/** Requests in flight per worker: enough that a worker never waits for the main thread. */
const IN_FLIGHT_PER_WORKER = 4;

export function threadsFor(fileCount: number, options: ParallelOptions = {}): number {
  const cores = options.threads ?? availableParallelism();
  const minPerThread = options.minFilesPerThread ?? DEFAULT_MIN_FILES_PER_THREAD;
  return Math.max(1, Math.min(cores, Math.floor(fileCount / minPerThread)));
}

/**
 * Threads for a run: TypeScript/JavaScript files all go to one thread (one program per tsconfig
 * serves every file of it; a second thread would build and hold a second copy), the other files
 * are spread as threadsFor says.
 */
export function threadsForItems(items: readonly { path: string }[], options: ParallelOptions = {}): number {
  const typescript = items.filter((i) => languageOf(i.path) === 'typescript').length;
  const others = items.length - typescript;
  const cores = options.threads ?? availableParallelism();
  const forOthers = others === 0 ? 0 : threadsFor(others, options);
  return Math.max(1, Math.min(cores, forOthers + (typescript > 0 && forOthers < cores ? 1 : 0)));
}

/** Reads and analyses one file, as a worker (or this thread) does. */
export function analyzeFile(engine: AnalysisThread, path: string, rules: RuleSettings): FileOutcome {
  const source = readSourceFile(path);
  if (source.kind === 'skipped') return { path, kind: 'skipped', reason: source.reason };
  try {
    return { path, kind: 'analyzed', result: analyzeText(engine, path, source.text, rules) };
  } catch (e) {
    return { path, kind: 'error', message: String((e as Error).stack ?? e) };
  }
}

/**
 * Analyses a file's text. A Python file whose text, settings and imported modules are unchanged
 * since the last run gets its findings from the result cache.
 */
export function analyzeText(engine: AnalysisThread, path: string, text: string, rules: RuleSettings): AnalysisResult {
  const { analyzer } = engine;
  const cache = languageOf(path) === 'python' ? engine.results?.(path) : undefined;
  if (!cache) return analyzer.analyze({ path, text, rules });
  // the key holds the Python target the analysis will use, the interpreter's when no file declares one
  rules = analyzer.rulesFor(path, rules);
  const kept = cache.get(path, text, rules, (name) => analyzer.moduleFor(path, name));
  if (kept) return kept;
  const modulesSeen: ModulesSeen = new Map();
  const result = analyzer.analyze({ path, text, rules, modulesSeen });
  cache.set(path, text, rules, modulesSeen, result);
  return result;
}

export async function* analyzeFilesInParallel(items: readonly ParallelItem[], options: ParallelOptions = {}): AsyncGenerator<FileOutcome> {
  const threads = threadsForItems(items, options);
  if (threads <= 1) {
    const engine = createAnalysisThread(options.engine);
    await engine.analyzer.init();
    for (const item of items) yield analyzeFile(engine, item.path, item.rules);
    engine.saveCaches();
    return;
  }
  const pool = new WorkerPool(threads, options.engine ?? {});
  for (const item of items) pool.add(item);
  pool.end();
  yield* pool.outcomes();
}

/**
 * The threads for a pool started while files are still being found (`done` false): only once the
 * files found justify every thread (the workers then load while the walk goes on); when the walk is
 * done, as threadsForItems says. Undefined: not (yet) worth a pool.
 */
export function poolThreads(found: readonly { path: string }[], done: boolean, options: ParallelOptions = {}): number | undefined {
  const threads = threadsForItems(found, options);
  const cores = options.threads ?? availableParallelism();
  if (threads <= 1 || (!done && threads < cores)) return undefined;
  return threads;
}

/**
 * Worker threads that analyse files as they are added, handing the outcomes back in the order added.
 * The workers start (loading the bundle, the parser and the library summaries) as soon as the pool
 * is made, so a pool made while the files are still being found overlaps that start with the walk.
 */
export class WorkerPool {
  /** The files added, each dropped once its outcome is handed back. */
  private readonly items: (ParallelItem | undefined)[] = [];
  private ended = false;
  private readonly done = new Map<number, FileOutcome>();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private readonly workers: Worker[];
  private readonly inFlight = new Map<Worker, number>();
  private readonly exited = new Set<Worker>();
  // TypeScript files go to the first worker only (see threadsForItems); it takes other files when it has none left.
  private readonly typescript: number[] = [];
  private readonly others: number[] = [];
  private nextTs = 0;
  private nextOther = 0;

  constructor(threads: number, engine: WorkerEngineSettings, onMessage?: (message: string) => void) {
    this.workers = Array.from({ length: threads }, () => startWorker(engine));
    for (const w of this.workers) {
      w.on('message', (reply: WorkerReply | WorkerLog) => {
        if ('log' in reply) {
          onMessage?.(reply.log);
          return;
        }
        this.done.set(reply.id, reply.outcome);
        this.inFlight.set(w, (this.inFlight.get(w) ?? 1) - 1);
        this.feed(w);
        this.notify();
      });
      w.on('error', (e) => {
        this.failure ??= e;
        this.notify();
      });
      w.on('exit', (code) => {
        this.exited.add(w);
        if ((this.inFlight.get(w) ?? 0) > 0) this.failure ??= new Error(`an analysis worker exited with code ${code}`);
        this.notify();
      });
    }
  }

  add(item: ParallelItem): void {
    const id = this.items.push(item) - 1;
    (languageOf(item.path) === 'typescript' ? this.typescript : this.others).push(id);
    for (const w of this.workers) this.feed(w);
  }

  /** No more files will be added. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Stops the workers without waiting for their work (the run was abandoned). */
  async cancel(): Promise<void> {
    this.ended = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Each file's outcome in the order added, until end() was called and every file is done; then the workers save their caches and exit. */
  async *outcomes(): AsyncGenerator<FileOutcome> {
    let emitted = 0;
    try {
      while (!this.ended || emitted < this.items.length) {
        const outcome = this.done.get(emitted);
        if (outcome) {
          this.done.delete(emitted);
          this.items[emitted++] = undefined;
          yield outcome;
          continue;
        }
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      // One after another: each save merges into the cache file that the one before wrote.
      for (const w of this.workers) await finish(w, this.exited);
    }
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  private take(w: Worker): number | undefined {
    if (w === this.workers[0] && this.nextTs < this.typescript.length) return this.typescript[this.nextTs++];
    return this.nextOther < this.others.length ? this.others[this.nextOther++] : undefined;
  }

  private feed(w: Worker): void {
    while ((this.inFlight.get(w) ?? 0) < IN_FLIGHT_PER_WORKER) {
      const id = this.take(w);
      if (id === undefined) return;
      const item = this.items[id]!; // still there: its outcome is not back yet
      const request: WorkerRequest = { id, path: item.path, rules: item.rules };
      this.inFlight.set(w, (this.inFlight.get(w) ?? 0) + 1);
      w.postMessage(request);
    }
  }
}

/** Asks a worker to save its caches and waits until it has exited. */
function finish(w: Worker, exited: Set<Worker>): Promise<void> {
  if (exited.has(w)) return Promise.resolve();
  return new Promise((resolve) => {
    w.once('exit', () => resolve());
    w.postMessage('finish' satisfies WorkerRequest);
  });
}

/**
 * The worker's script: the bundled `analyze-worker.js` beside the CLI bundle, or, when running from
 * source (tests, benchmarks), the TypeScript source loaded through tsx, whose ESM hooks a worker
 * does not inherit.
 */
function startWorker(engine: WorkerEngineSettings): Worker {
  const bundled = join(__dirname, 'analyze-worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: engine });
  const source = join(__dirname, 'parallel-worker.ts');
  const paths = JSON.stringify([__dirname]);
  return new Worker(`require(require.resolve('tsx/cjs', { paths: ${paths} })); require(${JSON.stringify(source)});`, { eval: true, workerData: engine });
}
