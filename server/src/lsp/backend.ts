// What the language server asks of the engine: analyses and the Python projects' bookkeeping. The
// same interface runs in this thread (LocalBackend) or on a worker thread (workerBackend.ts), so a
// long analysis never stops the server from reading messages.
import { Analyzer, type RefactorRequest } from '../engine/analyzer';
import type { EngineStats } from '../engine/analyzer';
import type { AnalysisResult, Refactor, RuleSettings } from '../engine/types';
import { SyncedTexts, type DocumentChange, type TextEdits } from './documentEdits';
import { EditorPythonProjects, type EditorPythonProjectsOptions } from './pythonProjects';

export interface AnalyzeCall {
  path: string;
  text: string;
  version?: number;
  rules: RuleSettings;
  /** The text is an open document's: importers see it instead of the file on disk. */
  overlay: boolean;
  /** The reply may be partial (see AnalyzeReply.partial). */
  allowPartial?: boolean;
  /** An open document's edits up to `version`: the analysis thread is sent these instead of the text when it holds an earlier version. */
  changes?: DocumentChange[];
}

/** An analysis as the analysis thread receives it: with the whole text, or with the edits since the version it holds. */
export type SentAnalyzeCall = Omit<AnalyzeCall, 'text' | 'changes'> & ({ text: string; edits?: undefined } | { text?: undefined; edits: TextEdits });

/** The edits did not apply to the text the analysis thread holds (it restarted, or a step is missing): send the text. */
export interface ResendText {
  resend: true;
}

export interface AnalyzeReply extends AnalysisResult {
  /** Modules whose exports the overlay changed (their importers need analysing again). */
  changedModules: string[];
  /** Only the edited function was analysed although the edit may change findings elsewhere in the file: analyse the same text again. */
  partial?: boolean;
}

export type ProjectsOptions = Omit<EditorPythonProjectsOptions, 'log'>;

export interface AnalysisBackend {
  /** Loads the engine; rejects when it cannot be loaded. */
  init(options: ProjectsOptions): Promise<void>;
  /** `key` names the document: a queued analysis is dropped (resolves undefined) when a newer one for the same key arrives. */
  analyze(call: AnalyzeCall, key?: string): Promise<AnalyzeReply | undefined>;
  /** The refactorings the user may ask for at a selection of the text (`refactor.rewrite` actions). */
  refactors(request: RefactorRequest): Promise<Refactor[]>;
  updateFile(path: string, text?: string): Promise<string[]>;
  /** The document was closed: drop what its analyses kept. */
  closeDocument(path: string): Promise<void>;
  removeFile(path: string): Promise<string[]>;
  affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): Promise<string[]>;
  /** tsconfig/jsconfig/package.json files that changed: the TypeScript projects they shape are rebuilt. */
  typescriptConfigChanged(paths: readonly string[]): Promise<void>;
  /** True when the projects were rebuilt (every file must be analysed again). */
  reconfigure(changes: Partial<Pick<ProjectsOptions, 'trusted' | 'roots' | 'interpreter'>>): Promise<boolean>;
  saveCaches(): Promise<void>;
  /** The engine's live heap in bytes (after a collection when node runs with --expose-gc). */
  heapUsed(): Promise<number>;
  /** The TypeScript programs the engine holds: their files and open documents. */
  typescriptStats(): Promise<EngineStats['projects']>;
  dispose(): Promise<void>;
}

/** The engine in this thread; also what the worker thread runs. */
export class LocalBackend implements AnalysisBackend {
  private analyzer: Analyzer | undefined;
  private projects: EditorPythonProjects | undefined;
  /** Open documents' texts as last sent by the main thread (when this runs on the analysis thread). */
  private readonly texts = new SyncedTexts();

  constructor(private readonly log: (message: string) => void) {}

  async init(options: ProjectsOptions): Promise<void> {
    this.projects = new EditorPythonProjects({ ...options, log: this.log });
    this.analyzer = new Analyzer({ python: this.projects });
    await this.analyzer.init();
  }

  async analyze(call: AnalyzeCall): Promise<AnalyzeReply> {
    return this.analyzeNow(call);
  }

  /** An analysis sent from the main thread: an open document's text is kept, so later calls can bring only the edits. */
  async analyzeSent(call: SentAnalyzeCall): Promise<AnalyzeReply | ResendText> {
    const { edits, ...rest } = call;
    let text = call.text;
    if (edits) {
      text = call.version === undefined ? undefined : this.texts.apply(call.path, call.version, edits);
      if (text === undefined) return { resend: true };
    } else if (call.version !== undefined) this.texts.set(call.path, call.version, call.text!);
    return this.analyzeNow({ ...rest, text: text! });
  }

  analyzeNow(call: AnalyzeCall): AnalyzeReply {
    if (!this.analyzer || !this.projects) throw new Error('the engine is not initialised');
    const projects = this.projects;
    let changedModules: string[] = [];
    const request = { path: call.path, text: call.text, version: call.version, rules: call.rules };
    if (call.version === undefined) return { ...this.analyzer.analyze(request), changedModules };
    // An edit inside one function that leaves what others see of it unchanged changes no export:
    // the projects take the text only when the whole file is analysed.
    const beforeWholeAnalysis = () => {
      if (!call.overlay) return;
      try {
        changedModules = projects.updateFile(call.path, call.text);
      } catch (e) {
        this.log(`Indexing ${call.path} failed: ${(e as Error).message}`);
      }
    };
    const { incremental: _, ...result } = this.analyzer.analyzeOpen(request, { beforeWholeAnalysis, allowPartial: call.allowPartial });
    return { ...result, changedModules };
  }

  async refactors(request: RefactorRequest): Promise<Refactor[]> {
    if (!this.analyzer) throw new Error('the engine is not initialised');
    return this.analyzer.refactors(request);
  }

  async closeDocument(path: string): Promise<void> {
    this.texts.delete(path);
    this.analyzer?.close(path);
  }

  async updateFile(path: string, text?: string): Promise<string[]> {
    return this.projects?.updateFile(path, text) ?? [];
  }

  async removeFile(path: string): Promise<string[]> {
    return this.projects?.removeFile(path) ?? [];
  }

  async affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): Promise<string[]> {
    return this.projects?.affectedBy(path, changed, openFiles) ?? [];
  }

  async typescriptConfigChanged(paths: readonly string[]): Promise<void> {
    for (const path of paths) this.analyzer?.typescriptConfigChanged(path);
  }

  async reconfigure(changes: Partial<Pick<ProjectsOptions, 'trusted' | 'roots' | 'interpreter'>>): Promise<boolean> {
    return this.projects?.reconfigure(changes) ?? false;
  }

  async saveCaches(): Promise<void> {
    this.projects?.saveCaches();
  }

  async heapUsed(): Promise<number> {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  }

  async typescriptStats(): Promise<EngineStats['projects']> {
    return this.analyzer?.typescriptStats() ?? [];
  }

  async dispose(): Promise<void> {
    this.projects?.saveCaches();
  }
}
