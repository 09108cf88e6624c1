// What the language server asks of the engine: analyses and the project index's bookkeeping. The
// same interface runs in this thread (LocalBackend) or on a worker thread (workerBackend.ts), so a
// long analysis never stops the server from reading messages.
import { Analyzer } from '../engine/analyzer';
import type { AnalysisResult, RuleSettings } from '../engine/types';
import { ProjectIndex, type ProjectIndexOptions } from './projectIndex';

export interface AnalyzeCall {
  path: string;
  text: string;
  version?: number;
  rules: RuleSettings;
  /** The text is an open document's: importers see it instead of the file on disk. */
  overlay: boolean;
}

export interface AnalyzeReply extends AnalysisResult {
  /** Modules whose exports the overlay changed (their importers need analysing again). */
  changedModules: string[];
}

export type IndexOptions = Omit<ProjectIndexOptions, 'log'>;

export interface AnalysisBackend {
  /** Loads the engine; rejects when it cannot be loaded. */
  init(options: IndexOptions): Promise<void>;
  /** `key` names the document: a queued analysis is dropped (resolves undefined) when a newer one for the same key arrives. */
  analyze(call: AnalyzeCall, key?: string): Promise<AnalyzeReply | undefined>;
  updateFile(path: string, text?: string): Promise<string[]>;
  removeFile(path: string): Promise<string[]>;
  affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): Promise<string[]>;
  /** True when the index was rebuilt (every file must be analysed again). */
  reconfigure(changes: Partial<Pick<IndexOptions, 'trusted' | 'roots' | 'interpreter'>>): Promise<boolean>;
  saveCaches(): Promise<void>;
  /** The engine's live heap in bytes (after a collection when node runs with --expose-gc). */
  heapUsed(): Promise<number>;
  dispose(): Promise<void>;
}

/** The engine in this thread; also what the worker thread runs. */
export class LocalBackend implements AnalysisBackend {
  private analyzer: Analyzer | undefined;
  private index: ProjectIndex | undefined;

  constructor(private readonly log: (message: string) => void) {}

  async init(options: IndexOptions): Promise<void> {
    this.index = new ProjectIndex({ ...options, log: this.log });
    this.analyzer = new Analyzer({ python: this.index });
    await this.analyzer.init();
  }

  async analyze(call: AnalyzeCall): Promise<AnalyzeReply> {
    return this.analyzeNow(call);
  }

  analyzeNow(call: AnalyzeCall): AnalyzeReply {
    if (!this.analyzer || !this.index) throw new Error('the engine is not initialised');
    let changedModules: string[] = [];
    if (call.overlay) {
      try {
        changedModules = this.index.updateFile(call.path, call.text);
      } catch (e) {
        this.log(`Indexing ${call.path} failed: ${(e as Error).message}`);
      }
    }
    const result = this.analyzer.analyze({ path: call.path, text: call.text, version: call.version, rules: call.rules });
    return { ...result, changedModules };
  }

  async updateFile(path: string, text?: string): Promise<string[]> {
    return this.index?.updateFile(path, text) ?? [];
  }

  async removeFile(path: string): Promise<string[]> {
    return this.index?.removeFile(path) ?? [];
  }

  async affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): Promise<string[]> {
    return this.index?.affectedBy(path, changed, openFiles) ?? [];
  }

  async reconfigure(changes: Partial<Pick<IndexOptions, 'trusted' | 'roots' | 'interpreter'>>): Promise<boolean> {
    return this.index?.reconfigure(changes) ?? false;
  }

  async saveCaches(): Promise<void> {
    this.index?.saveCaches();
  }

  async heapUsed(): Promise<number> {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  }

  async dispose(): Promise<void> {
    this.index?.saveCaches();
  }
}
