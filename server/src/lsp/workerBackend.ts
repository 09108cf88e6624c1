// The engine on a worker thread. Calls go one at a time; a queued analysis is dropped when a newer
// one for the same document arrives; an analysis that runs past the time limit has its thread
// stopped and a fresh one started, so no input can hang the server. An open document's text is sent
// whole once; later analyses send the edits since the version the thread holds (documentEdits.ts).
import { Worker } from 'node:worker_threads';
import type { RefactorRequest } from '../engine/analyzer';
import type { EngineStats } from '../engine/analyzer';
import type { Refactor } from '../engine/types';
import type { AnalysisBackend, AnalyzeCall, AnalyzeReply, ProjectsOptions, ResendText, SentAnalyzeCall } from './backend';
import { editsBetween } from './documentEdits';

type Method =
  | 'init'
  | 'analyze'
  | 'analyzeSent'
  | 'refactors'
  | 'closeDocument'
  | 'updateFile'
  | 'removeFile'
  | 'affectedBy'
  | 'typescriptConfigChanged'
  | 'reconfigure'
  | 'saveCaches'
  | 'heapUsed'
  | 'typescriptStats'
  | 'dispose';

export interface WorkerCall {
  id: number;
  method: Method;
  args: unknown[];
}

export type WorkerMessage = { id: number; result: unknown } | { id: number; error: string } | { log: string };

interface Job {
  id: number;
  method: Method;
  args: unknown[];
  key?: string;
  resolve(value: any): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

export interface WorkerBackendOptions {
  /** The bundled worker script. */
  file: string;
  /** How long one analysis may take before its thread is replaced (loading the engine is not counted). */
  timeoutMs: number;
  log(message: string): void;
}

export class WorkerBackend implements AnalysisBackend {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private nextId = 1;
  private options: ProjectsOptions | undefined;
  /** False while a (new) thread loads the engine: the time limit counts analysis, not loading. */
  private loaded = false;
  /** Restarts so far; each restart re-initialises the new thread with the current index options. */
  restarts = 0;
  /** Per open document (path): the version whose text the thread holds, as far as this side knows. */
  private readonly held = new Map<string, number>();
  /** Analyses that went as edits (the rest sent the whole text); for the tests and the trace. */
  readonly sent = { edits: 0, texts: 0 };

  constructor(private readonly config: WorkerBackendOptions) {}

  init(options: ProjectsOptions): Promise<void> {
    this.options = options;
    return this.enqueue('init', [options]);
  }

  analyze(call: AnalyzeCall, key?: string): Promise<AnalyzeReply | undefined> {
    if (key !== undefined) {
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const job = this.queue[i];
        if (job.method === 'analyze' && job.key === key) {
          this.queue.splice(i, 1);
          job.resolve(undefined);
        }
      }
    }
    return this.enqueue('analyze', [call], key);
  }

  refactors(request: RefactorRequest): Promise<Refactor[]> {
    return this.enqueue('refactors', [request]);
  }

  updateFile(path: string, text?: string): Promise<string[]> {
    return this.enqueue('updateFile', [path, text]);
  }

  closeDocument(path: string): Promise<void> {
    this.held.delete(path);
    return this.enqueue('closeDocument', [path]);
  }

  removeFile(path: string): Promise<string[]> {
    return this.enqueue('removeFile', [path]);
  }

  affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): Promise<string[]> {
    return this.enqueue('affectedBy', [path, changed, openFiles]);
  }

  typescriptConfigChanged(paths: readonly string[]): Promise<void> {
    return this.enqueue('typescriptConfigChanged', [paths]);
  }

  async reconfigure(changes: Partial<Pick<ProjectsOptions, 'trusted' | 'roots' | 'interpreter'>>): Promise<boolean> {
    if (this.options) this.options = { ...this.options, ...changes };
    return this.enqueue('reconfigure', [changes]);
  }

  saveCaches(): Promise<void> {
    return this.enqueue('saveCaches', []);
  }

  heapUsed(): Promise<number> {
    return this.enqueue('heapUsed', []);
  }

  typescriptStats(): Promise<EngineStats['projects']> {
    return this.enqueue('typescriptStats', []);
  }

  /** Lets the thread write its caches (briefly: shutdown must not wait for a long analysis), then stops it. */
  async dispose(): Promise<void> {
    try {
      await Promise.race([this.enqueue('dispose', []), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    } finally {
      const worker = this.worker;
      this.worker = undefined;
      await worker?.terminate();
    }
  }

  private enqueue<T>(method: Method, args: unknown[], key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, method, args, key, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = job;
    const worker = this.ensureWorker();
    if (this.loaded) this.startClock(job);
    if (job.method === 'analyze') worker.postMessage({ id: job.id, method: 'analyzeSent', args: [this.toSend(job.args[0] as AnalyzeCall)] } satisfies WorkerCall);
    else worker.postMessage({ id: job.id, method: job.method, args: job.args } satisfies WorkerCall);
  }

  /** The call as the thread gets it: the edits since the version it holds when they chain, else the text. */
  private toSend(call: AnalyzeCall, textOnly = false): SentAnalyzeCall {
    const { changes, text, ...rest } = call;
    const held = this.held.get(call.path);
    const edits = textOnly || held === undefined || call.version === undefined || !changes ? undefined : editsBetween(held, call.version, changes, text.length);
    if (call.version !== undefined) this.held.set(call.path, call.version);
    if (edits) {
      this.sent.edits++;
      return { ...rest, edits };
    }
    this.sent.texts++;
    return { ...rest, text };
  }

  private startClock(job: Job): void {
    if ((job.method === 'analyze' || job.method === 'refactors') && !job.timer) job.timer = setTimeout(() => this.timedOut(job), this.config.timeoutMs);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    this.loaded = false;
    const worker = new Worker(this.config.file);
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (e) => this.lost(worker, `failed: ${e.stack ?? e.message}`));
    worker.on('exit', (code) => this.lost(worker, `exited with code ${code}`));
    this.worker = worker;
    // A replacement thread starts empty: load the engine and the index before the job at hand.
    if (this.current?.method !== 'init' && this.options) {
      worker.postMessage({ id: 0, method: 'init', args: [this.options] } satisfies WorkerCall);
    }
    return worker;
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    if (worker !== this.worker) return;
    if ('log' in message) {
      this.config.log(message.log);
      return;
    }
    if (message.id === 0) {
      if ('error' in message) this.config.log(`Restarting the analysis thread failed: ${message.error}`);
      this.loaded = true;
      if (this.current) this.startClock(this.current);
      return;
    }
    const job = this.current;
    if (!job || job.id !== message.id) return;
    if (job.method === 'init') this.loaded = true;
    if (job.method === 'analyze') {
      const call = job.args[0] as AnalyzeCall;
      if ('error' in message) this.held.delete(call.path);
      else if ((message.result as ResendText | undefined)?.resend) {
        // the thread's copy was not the version expected: the same call again, with the text
        worker.postMessage({ id: job.id, method: 'analyzeSent', args: [this.toSend(call, true)] } satisfies WorkerCall);
        return;
      }
    }
    this.finish(job);
    if ('error' in message) job.reject(new Error(message.error));
    else job.resolve(message.result);
    this.pump();
  }

  private finish(job: Job): void {
    if (job.timer) clearTimeout(job.timer);
    if (this.current === job) this.current = undefined;
  }

  private timedOut(job: Job): void {
    if (this.current !== job) return;
    const what = `${job.method === 'refactors' ? 'looking for refactorings in' : 'analysing'} ${(job.args[0] as AnalyzeCall | RefactorRequest).path}`;
    this.replaceWorker();
    this.finish(job);
    job.reject(new Error(`${what} took longer than ${this.config.timeoutMs / 1000} s; the analysis thread was restarted`));
    this.pump();
  }

  /** The thread died under a job: the job fails, the next job gets a new thread. */
  private lost(worker: Worker, how: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.held.clear();
    this.restarts++;
    this.config.log(`The analysis thread ${how}; starting a new one.`);
    const job = this.current;
    if (job) {
      this.finish(job);
      job.reject(new Error(`the analysis thread ${how}`));
    }
    this.pump();
  }

  private replaceWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.held.clear();
    this.restarts++;
    if (worker) {
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
    }
  }
}
