// The language server: keeps open documents in sync, analyses them through the engine (debounced,
// superseded by newer edits), and answers diagnostics, code actions, hovers and commands.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deepestFolderHolding } from '../engine/project/folders';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { chooseFix, fixAll } from '../engine/fixAll';
import { mergeRuleSettings, type ProjectConfig } from '../engine/project/config';
import type { Finding, Range, Refactor, RuleSettings } from '../engine/types';
import { codeActions, FIX_ALL_KIND, isFixAllData, kindRequested, workspaceEdit } from './codeActions';
import { Debouncer } from './debouncer';
import { containsPosition, toDiagnostic } from './diagnostics';
import { documentPath, type DocumentPath } from './documentPath';
import { minimalEdit } from './fixAll';
import { hoverContent } from './hover';
import { Exclusion } from './exclusion';
import { LocalBackend, type AnalysisBackend } from './backend';
import { ProjectConfigCache } from './projectConfig';
import { RuleLinks } from './ruleLinks';
import type { ServerSettings } from './settings';
import { version } from '../../package.json';
import { languageOfLocale } from '../docs/pages';
import { SettingsStore } from './settingsStore';
import { WorkerBackend } from './workerBackend';
import { MAX_FILE_BYTES, WorkspaceAnalysis, type WorkspaceAnalysisSummary } from './workspaceAnalysis';
import { NOTEBOOK_SYNC, NotebookSync } from './notebooks';

/** The files whose changes the server watches for besides sources: AsyncGuard's configuration and the TypeScript projects'. */
const CONFIG_GLOBS = ['**/pyproject.toml', '**/asyncguard.json', '**/package.json', '**/tsconfig*.json', '**/jsconfig.json'];

/** What a changed file configures: AsyncGuard's rules (`asyncguard`), a TypeScript project (`typescript`), or nothing. */
function configKind(path: string): { asyncguard: boolean; typescript: boolean } | undefined {
  if (/[\\/]node_modules[\\/]/.test(path)) return undefined;
  const name = basename(path);
  if (name === 'pyproject.toml' || name === 'asyncguard.json') return { asyncguard: true, typescript: false };
  if (name === 'package.json') return { asyncguard: true, typescript: true };
  if (/^tsconfig.*\.json$/.test(name) || name === 'jsconfig.json') return { asyncguard: false, typescript: true };
  return undefined;
}

/** An analysis this quick is run at once after a typed edit, without the debounce delay. */
const QUICK_ANALYSIS_MS = 50;
/** Edits closer together than this are a burst (a tool, a paste, a replace-all), not typing. */
const TYPING_PAUSE_MS = 30;
/** After a partial result, the pause in typing after which the whole file is analysed. */
const SETTLE_AFTER_PARTIAL_MS = 400;

export const ANALYZE_WORKSPACE_COMMAND = 'asyncguard.analyzeWorkspace';
export const APPLY_FIX_ALL_COMMAND = 'asyncguard.applyFixAll';
/** A custom request for status displays and the soak benchmark: what the server holds and its memory. */
export const STATUS_REQUEST = 'asyncguard/status';

export interface ServerStatus {
  engineLoaded: boolean;
  /** 'worker' when the engine runs on its own thread (the bundled server), 'local' otherwise. */
  analysis: 'worker' | 'local';
  /** Times the analysis thread was replaced (it crashed or an analysis ran past the limit). */
  analysisRestarts: number;
  trusted: boolean;
  openDocuments: number;
  cachedResults: number;
  findings: number;
  /** This thread's live heap, the engine's (its own thread when `analysis` is 'worker'), and the process's resident memory. */
  heapUsed: number;
  engineHeapUsed: number;
  rss: number;
  /** The TypeScript programs held: one per live project, with its source files and open documents. */
  typescript: { key: string; openDocuments: number; sourceFiles: number }[];
}

/** One analysis of one document version under one generation of settings. */
export interface DocumentResult {
  version: number;
  generation: number;
  doc: DocumentPath;
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleSettings;
  settings: ServerSettings;
  /** Only the edited function was analysed; findings elsewhere in the file follow after a pause in typing. */
  partial?: boolean;
}

interface ClientFeatures {
  configuration: boolean;
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  resolveEdit: boolean;
  documentChanges: boolean;
  watchFiles: boolean;
  workspaceFolders: boolean;
}

function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    configuration: c.workspace?.configuration === true,
    pullDiagnostics: c.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    resolveEdit: c.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true,
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    watchFiles: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
  };
}

function message(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function requireUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.textDocument.uri must be a string');
  return uri;
}

export class AsyncGuardServer {
  private readonly documents = new TextDocuments(TextDocument);
  private backend: AnalysisBackend = new LocalBackend(() => undefined);
  /** Analyses under way, one per document, so concurrent requests for one version share it. */
  private readonly inflight = new Map<string, { key: string; promise: Promise<DocumentResult | 'superseded' | undefined> }>();
  private engineReady: Promise<boolean> = Promise.resolve(false);
  private features: ClientFeatures = clientFeatures({});
  private trusted = true;
  private folders: WorkspaceFolder[] = [];
  private readonly settings: SettingsStore;
  /** Bumped whenever settings or project configuration change: results of older generations are stale. */
  private generation = 0;
  private readonly results = new Map<string, DocumentResult>();
  /** Per document: how long its last analysis took and when its last edit came, for `changed`'s delay. */
  private readonly pace = new Map<string, { analysisMs: number; lastEditAt: number }>();
  private readonly debouncer: Debouncer;
  private readonly projectConfigs: ProjectConfigCache;
  private readonly workspace: WorkspaceAnalysis;
  private trace: ServerSettings['trace'] = 'off';
  private readonly warnedOnce = new Set<string>();
  private readonly exclusion = new Exclusion();
  private links = new RuleLinks({ language: 'en' });
  /** Said once in the output: a file not analysed and why. */
  private readonly toldSkipped = new Set<string>();
  /** TypeScript projects named in the output so far (tsconfig.json paths, or inferred:FOLDER). */
  private readonly toldProjects = new Set<string>();
  /** Open Jupyter notebooks: their cells' diagnostics, fixes and hovers. */
  private readonly notebooks: NotebookSync;

  constructor(private readonly connection: Connection) {
    this.settings = new SettingsStore(connection, (what, e) => this.logError(what, e), (s) => (this.trace = s.trace));
    this.debouncer = new Debouncer((uri, e) => this.logError(`analysis of ${uri}`, e));
    this.projectConfigs = new ProjectConfigCache(
      (m) => this.connection.console.warn(m),
      (m) => this.connection.console.info(m),
    );
    this.workspace = new WorkspaceAnalysis({
      connection,
      folders: () => this.folders,
      isOpen: (uri) => this.documents.get(uri) !== undefined,
      settingsFor: (uri) => this.settingsFor(uri),
      analyzeFile: (path, text, settings) => this.analyzeText(documentPath(URI.file(path).toString()), text, undefined, settings),
      excludedBy: (path, settings) => this.excluded(path, settings),
      push: () => !this.features.pullDiagnostics,
      log: (m) => this.connection.console.info(m),
      logError: (what, e) => this.logError(what, e),
    });
    this.notebooks = new NotebookSync(connection, {
      settingsFor: (uri) => this.settingsFor(uri),
      analyze: async (doc, text, settings) => {
        const result = await this.analyzeText(doc, text, undefined, settings);
        return result && result !== 'superseded' ? { findings: result.findings, rules: result.rules } : undefined;
      },
      diagnostic: (f, uri, rules, settings) => toDiagnostic(f, rules, this.links.forFinding(settings, f.rule, { uri, range: f.range })),
      hover: (f, uri, settings) => this.hoverFor(f, uri, settings),
      documentChanges: () => this.features.documentChanges,
      logError: (what, e) => this.logError(what, e),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.guard('initialized', () => this.initialized()));
    c.onDidChangeConfiguration((params) => this.guard('didChangeConfiguration', () => this.configurationChanged(params?.settings)));
    c.onDidChangeWatchedFiles((params) => this.guard('didChangeWatchedFiles', () => this.filesChanged(params?.changes ?? [])));
    c.onCodeAction(this.request('textDocument/codeAction', (p, token) => this.codeActions(p, token)));
    c.onCodeActionResolve(this.request('codeAction/resolve', (p) => this.resolveCodeAction(p)));
    c.onHover(this.request('textDocument/hover', (p) => this.hover(p)));
    c.onExecuteCommand(this.request('workspace/executeCommand', (p, token, progress) => this.executeCommand(p, token, progress)));
    c.languages.diagnostics.on(this.request('textDocument/diagnostic', (p, token) => this.pullDocument(p, token)));
    c.languages.diagnostics.onWorkspace(this.request('workspace/diagnostic', (p) => this.workspace.pullReport(p.previousResultIds ?? [])));
    c.onRequest(STATUS_REQUEST, this.request(STATUS_REQUEST, () => this.status()));
    c.onShutdown(() => {
      this.debouncer.cancelAll();
      this.notebooks.cancelAll();
      this.workspace.cancel();
      return this.backend.dispose().catch((e) => this.logError('stopping the analysis thread', e));
    });

    this.documents.onDidOpen((e) => this.guard('didOpen', () => this.opened(e.document)));
    this.documents.onDidChangeContent((e) => this.guard('didChange', () => this.changed(e.document)));
    this.documents.onDidSave((e) => this.guard('didSave', () => this.saved(e.document)));
    this.documents.onDidClose((e) => this.guard('didClose', () => this.closed(e.document)));
    this.documents.listen(c);
    this.notebooks.listen();
    c.listen();
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  private initialize(params: InitializeParams): InitializeResult {
    this.features = clientFeatures(params.capabilities ?? {});
    const options = (params.initializationOptions ?? {}) as {
      trusted?: unknown;
      settings?: unknown;
      cacheDir?: unknown;
      analysisTimeoutMs?: unknown;
      explainUri?: unknown;
      explainCommand?: unknown;
    };
    this.trusted = options.trusted !== false;
    this.links = new RuleLinks({
      language: languageOfLocale(params.locale),
      explainUri: typeof options.explainUri === 'string' && /^[a-z][\w+.-]*:/i.test(options.explainUri) ? options.explainUri : undefined,
      explainCommand: typeof options.explainCommand === 'string' && options.explainCommand ? options.explainCommand : undefined,
    });
    this.settings.canAsk = this.features.configuration;
    if (options.settings !== undefined) this.settings.setFallback(options.settings);
    this.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    const log = (m: string) => this.connection.console.info(m);
    // Bundled, the engine runs on its own thread; from sources (no bundle beside us) in this one.
    const workerFile = join(__dirname, 'lsp-worker.js');
    const timeoutMs = typeof options.analysisTimeoutMs === 'number' && options.analysisTimeoutMs > 0 ? options.analysisTimeoutMs : 60_000;
    this.backend = existsSync(workerFile) ? new WorkerBackend({ file: workerFile, timeoutMs, log }) : new LocalBackend(log);
    log(
      `AsyncGuard language server ${version} on Node ${process.version}; analysis ${this.backend instanceof WorkerBackend ? 'on its own thread' : 'in the server thread'}; ` +
        `workspace ${this.trusted ? 'trusted' : 'not trusted (no interpreter is run)'}`,
    );
    const folderList = this.folders.map((f) => (f.uri.startsWith('file:') ? URI.parse(f.uri).fsPath : f.uri));
    log(folderList.length ? `Workspace folders: ${folderList.join(', ')}` : 'No workspace folder: files are analysed on their own');
    this.engineReady = this.backend
      .init({
        trusted: this.trusted,
        roots: this.folderPaths(),
        interpreter: this.settings.fallback.interpreterPath,
        cacheDir: typeof options.cacheDir === 'string' && options.cacheDir ? options.cacheDir : undefined,
      })
      .then(
      () => true,
      (e) => {
        this.logError('loading the analysis engine', e);
        return false;
      },
    );
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        notebookDocumentSync: NOTEBOOK_SYNC,
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.RefactorRewrite],
          resolveProvider: this.features.resolveEdit,
        },
        hoverProvider: true,
        executeCommandProvider: { commands: [ANALYZE_WORKSPACE_COMMAND, APPLY_FIX_ALL_COMMAND] },
        diagnosticProvider: this.features.pullDiagnostics
          ? { identifier: 'asyncguard', interFileDependencies: false, workspaceDiagnostics: true }
          : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'asyncguard', version },
    };
  }

  private initialized(): void {
    this.applyInterpreterSetting().catch((e) => this.logError('applying the interpreter setting', e));
    if (this.features.watchFiles) {
      this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [...CONFIG_GLOBS, '**/*.py', '**/*.pyi'].map((globPattern) => ({ globPattern })),
        })
        .catch((e) => this.logError('watching the configuration files', e));
    }
    if (this.features.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        this.guard('didChangeWorkspaceFolders', () => {
          const removed = new Set(e.removed.map((f) => f.uri));
          this.folders = [...this.folders.filter((f) => !removed.has(f.uri)), ...e.added];
          this.connection.console.info(`Workspace folders: ${this.folderPaths().join(', ') || 'none'}`);
          this.backend.reconfigure({ roots: this.folderPaths() }).then(
            (rebuilt) => rebuilt && this.refreshAll(),
            (e) => this.logError('re-indexing the workspace folders', e),
          );
        }),
      );
    }
  }

  private configurationChanged(settings: unknown): void {
    this.settings.changed(settings);
    this.refreshAll();
    this.applyInterpreterSetting().catch((e) => this.logError('applying the interpreter setting', e));
  }

  /** The interpreter setting of the first folder (or the global one) decides where imports of installed libraries resolve. */
  private async applyInterpreterSetting(): Promise<void> {
    const scope = this.folders[0]?.uri;
    const settings = scope ? await this.settingsFor(scope) : this.settings.fallback;
    const interpreter = this.interpreterFor(settings);
    if (await this.backend.reconfigure({ interpreter })) this.refreshAll();
  }

  private async filesChanged(changes: ReadonlyArray<{ uri: string; type: number }>): Promise<void> {
    let configChanged = false;
    const typescriptConfigs: string[] = [];
    for (const change of changes) {
      if (typeof change?.uri !== 'string') continue;
      const doc = documentPath(change.uri);
      const kind = configKind(doc.path);
      if (kind) {
        if (kind.asyncguard) configChanged = true;
        if (kind.typescript) typescriptConfigs.push(doc.path);
        continue;
      }
      // Open documents are followed through their edits; files on disk change what their importers see.
      if (!doc.onDisk || doc.language !== 'python' || this.documents.get(change.uri)) continue;
      const changed = change.type === FileChangeType.Deleted ? await this.backend.removeFile(doc.path) : await this.backend.updateFile(doc.path);
      await this.reanalyzeImporters(doc.path, changed);
    }
    if (typescriptConfigs.length) await this.backend.typescriptConfigChanged(typescriptConfigs);
    if (configChanged) this.projectConfigs.clear();
    if (configChanged || typescriptConfigs.length) this.refreshAll();
  }

  /** Open documents importing a module whose exports changed are analysed again. */
  private async reanalyzeImporters(path: string, changedModules: readonly string[]): Promise<void> {
    if (changedModules.length === 0) return;
    const open = new Map<string, string>();
    for (const d of this.documents.all()) {
      const dp = documentPath(d.uri, d.languageId);
      if (dp.onDisk && dp.language === 'python' && dp.path !== path) open.set(dp.path, d.uri);
    }
    const affected = await this.backend.affectedBy(path, changedModules, [...open.keys()]);
    if (affected.length === 0) return;
    this.generation++;
    if (this.features.pullDiagnostics) {
      if (this.features.diagnosticRefresh) this.connection.languages.diagnostics.refresh().catch((e) => this.logError('diagnostic refresh', e));
      return;
    }
    for (const file of affected) {
      const uri = open.get(file);
      if (uri) this.schedule(uri, (this.settings.peek(uri) ?? this.settings.fallback).debounceMs);
    }
  }

  /** Settings changed: every open document is analysed again, and a past workspace analysis re-run. */
  private refreshAll(): void {
    this.generation++;
    if (this.features.pullDiagnostics) {
      if (this.features.diagnosticRefresh) {
        this.connection.languages.diagnostics.refresh().catch((e) => this.logError('diagnostic refresh', e));
      }
    } else {
      for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
    }
    this.notebooks.refreshAll();
    this.workspace.rerunIfDone();
  }

  // ---- settings --------------------------------------------------------------------------------

  settingsFor(uri: string): Promise<ServerSettings> {
    return this.settings.get(uri);
  }

  /** The interpreter settings name, or undefined in an untrusted workspace (it would run a program). */
  interpreterFor(settings: ServerSettings): string | undefined {
    if (!settings.interpreterPath) return undefined;
    if (!this.trusted) {
      if (!this.warnedOnce.has(settings.interpreterPath)) {
        this.warnedOnce.add(settings.interpreterPath);
        this.connection.console.warn(`Ignoring asyncguard.interpreterPath "${settings.interpreterPath}": the workspace is not trusted.`);
      }
      return undefined;
    }
    return settings.interpreterPath;
  }

  // ---- analysis --------------------------------------------------------------------------------

  private folderOf(path: string): string | undefined {
    return deepestFolderHolding(this.folders.map((f) => URI.parse(f.uri).fsPath), path);
  }

  /** Excluded by the editor's globs (from the workspace folder) or by pyproject.toml's (from its folder). */
  private excluded(path: string, settings: ServerSettings, project?: ProjectConfig): boolean {
    return this.exclusion.excluded(path, this.folderOf(path) ?? dirname(path), settings.exclude, project);
  }

  /** Whether the document is AsyncGuard's to look at: enabled, a known language, not excluded. */
  private isAnalysed(doc: DocumentPath, settings: ServerSettings, project = doc.onDisk ? this.projectConfigs.forFile(doc.path) : undefined): boolean {
    return settings.enable && !!doc.language && !(doc.onDisk && this.excluded(doc.path, settings, project));
  }

  /**
   * Runs the engine on one text: undefined when the engine failed (logged), 'superseded' when a
   * newer version of the same document was queued before this one started.
   */
  async analyzeText(
    doc: DocumentPath,
    text: string,
    version: number | undefined,
    settings: ServerSettings,
    key?: string,
  ): Promise<DocumentResult | 'superseded' | undefined> {
    const project = doc.onDisk ? this.projectConfigs.forFile(doc.path) : undefined;
    const rules = mergeRuleSettings([{ severity: settings.rules }, project]);
    const base = { version: version ?? 0, generation: this.generation, doc, rules, settings };
    // a notebook's findings are relative to its cells: it is analysed through its cells (notebooks.ts), never as a text document
    if (doc.language === 'notebook' && key !== undefined) return { ...base, findings: [], diagnostics: [] };
    if (!this.isAnalysed(doc, settings, project)) {
      if (doc.language && settings.enable) this.tellSkipped(doc.path, 'it matches an exclude pattern (asyncguard.exclude or the project configuration)');
      return { ...base, findings: [], diagnostics: [] };
    }
    if (text.length > MAX_FILE_BYTES) {
      const note = `Not analysing ${doc.path}: ${(text.length / 1024 / 1024).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`;
      if (!this.warnedOnce.has(note)) {
        this.warnedOnce.add(note);
        this.connection.console.warn(note);
      }
      return { ...base, findings: [], diagnostics: [] };
    }
    this.interpreterFor(settings);
    const started = performance.now();
    // An open document's text is what its importers see (overlay); a file read from disk is the disk.
    const overlay = version !== undefined && doc.onDisk && doc.language === 'python';
    let reply;
    try {
      // Pulled diagnostics have no second publication to complete a partial result with.
      const allowPartial = key !== undefined && !this.features.pullDiagnostics;
      reply = await this.backend.analyze({ path: doc.path, text, version, rules, overlay, allowPartial }, key);
    } catch (e) {
      this.logError(`analysing ${doc.path}`, e);
      return undefined;
    }
    if (!reply) return 'superseded';
    if (reply.changedModules.length) {
      const changed = reply.changedModules;
      setImmediate(() => this.guard('re-analysing importers', () => this.reanalyzeImporters(doc.path, changed)));
    }
    const findings = reply.findings.filter((f) => rules.enabled[f.rule]);
    if (key) this.pace.set(key, { analysisMs: performance.now() - started, lastEditAt: this.pace.get(key)?.lastEditAt ?? 0 });
    if (this.trace !== 'off') {
      const notes = reply.notes.length ? `; ${reply.notes.join('; ')}` : '';
      this.connection.console.log(
        `Analysed ${doc.path} (version ${version ?? '-'}${reply.partial ? ', the edited function' : ''}) in ${(performance.now() - started).toFixed(1)} ms: ${findings.length} findings${notes}`,
      );
    }
    if (doc.language === 'typescript' && !this.results.has(key ?? URI.file(doc.path).toString())) this.tellTypescriptProjects();
    const uri = key ?? URI.file(doc.path).toString();
    const diagnostics = findings.map((f) => toDiagnostic(f, rules, this.links.forFinding(settings, f.rule, { uri, range: f.range })));
    return { ...base, findings, diagnostics, partial: reply.partial };
  }

  /** The analysis of the document's current version, computed now if needed. */
  private async currentResult(uri: string): Promise<{ document: TextDocument; result: DocumentResult } | undefined> {
    for (;;) {
      const document = this.documents.get(uri);
      if (!document) return undefined;
      const cached = this.results.get(uri);
      if (cached && cached.version === document.version && cached.generation === this.generation && !cached.partial) return { document, result: cached };
      const result = await this.analyzeVersion(uri, document);
      if (result === undefined) return undefined;
      // A newer edit or a settings change arrived meanwhile: analyse that instead.
      if (result === 'superseded') continue;
      const now = this.documents.get(uri);
      if (!now || now.version !== result.version || result.generation !== this.generation) continue;
      return { document: now, result };
    }
  }

  /** Analyses the document as it is now; concurrent callers for the same version share one analysis. */
  private analyzeVersion(uri: string, document: TextDocument): Promise<DocumentResult | 'superseded' | undefined> {
    const generation = this.generation;
    const key = `${document.version}:${generation}`;
    const running = this.inflight.get(uri);
    if (running?.key === key) return running.promise;
    // The document object is updated in place by later edits: take this version's text now.
    const version = document.version;
    const text = document.getText();
    const doc = documentPath(uri, document.languageId);
    const promise = (async () => {
      const settings = await this.settingsFor(uri);
      if (!(await this.engineReady)) return undefined;
      if (this.documents.get(uri)?.version !== version || generation !== this.generation) return 'superseded' as const;
      const result = await this.analyzeText(doc, text, version, settings, uri);
      if (result && result !== 'superseded') {
        result.generation = generation;
        if (this.documents.get(uri)?.version === version && generation === this.generation) this.results.set(uri, result);
      }
      return result;
    })().finally(() => {
      if (this.inflight.get(uri)?.promise === promise) this.inflight.delete(uri);
    });
    this.inflight.set(uri, { key, promise });
    return promise;
  }

  private schedule(uri: string, delayMs: number): void {
    if (this.features.pullDiagnostics) return;
    this.debouncer.schedule(uri, delayMs, () => this.publish(uri));
  }

  /** Publishes diagnostics for the version analysed, unless a newer version arrived meanwhile. */
  private async publish(uri: string): Promise<void> {
    const current = await this.currentResult(uri);
    if (!current) return;
    const latest = this.documents.get(uri);
    if (!latest || latest.version !== current.result.version || this.debouncer.isPending(uri)) return;
    await this.connection.sendDiagnostics({ uri, version: current.result.version, diagnostics: current.result.diagnostics });
    // the rest of the file, analysed whole once the typing pauses (a newer edit replaces this)
    if (current.result.partial) this.schedule(uri, SETTLE_AFTER_PARTIAL_MS);
  }

  /** The open's analysis is scheduled by `changed`, which the documents' content event calls right after. */
  private opened(document: TextDocument): void {
    this.workspace.forgetPushed(document.uri);
  }

  private changed(document: TextDocument): void {
    const settings = this.settings.peek(document.uri);
    if (settings?.run === 'onSave' && this.results.has(document.uri)) return;
    // The first analysis of a document (its open) runs at once. An edit typed by hand (a pause since
    // the one before) in a document that analyses quickly (an edit inside one function usually takes
    // a few milliseconds) runs at once too; a slow document, or a burst of edits from a tool, waits
    // for the edits to pause.
    const uri = document.uri;
    const first = !this.results.has(uri) && !this.debouncer.isPending(uri);
    const now = performance.now();
    const pace = this.pace.get(uri);
    const typed = pace !== undefined && pace.analysisMs <= QUICK_ANALYSIS_MS && now - pace.lastEditAt >= TYPING_PAUSE_MS;
    if (pace) pace.lastEditAt = now;
    else this.pace.set(uri, { analysisMs: Infinity, lastEditAt: now });
    this.schedule(uri, first || typed ? 0 : (settings ?? this.settings.fallback).debounceMs);
  }

  private saved(document: TextDocument): void {
    if (this.settings.peek(document.uri)?.run === 'onSave') this.schedule(document.uri, 0);
  }

  private closed(document: TextDocument): void {
    const uri = document.uri;
    this.debouncer.cancel(uri);
    this.results.delete(uri);
    this.pace.delete(uri);
    this.settings.forget(uri);
    if (!this.features.pullDiagnostics) {
      this.connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e) => this.logError('clearing diagnostics', e));
    }
    const doc = documentPath(uri, document.languageId);
    this.backend.closeDocument(doc.path).catch((e) => this.logError(`closing ${doc.path}`, e));
    // Importers now see the file as it is on disk again.
    if (doc.onDisk && doc.language === 'python') {
      this.backend.updateFile(doc.path).then(
        (changed) => this.reanalyzeImporters(doc.path, changed),
        (e) => this.logError(`indexing ${doc.path}`, e),
      );
    }
  }

  private folderPaths(): string[] {
    return this.folders.filter((f) => f.uri.startsWith('file:')).map((f) => URI.parse(f.uri).fsPath);
  }

  // ---- pull diagnostics ------------------------------------------------------------------------

  private async pullDocument(params: { textDocument: { uri: string }; previousResultId?: string }, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = requireUri(params);
    const document = this.documents.get(uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const settings = await this.settingsFor(uri);
    let result: DocumentResult | undefined;
    const cached = this.results.get(uri);
    if (settings.run === 'onSave' && cached && cached.generation === this.generation) result = cached;
    else result = (await this.currentResult(uri))?.result;
    if (token.isCancellationRequested) {
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded', { retriggerRequest: true });
    }
    if (!result) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const resultId = `${result.generation}:${result.version}`;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: result.diagnostics };
  }

  // ---- code actions and hover ------------------------------------------------------------------

  private async codeActions(params: Parameters<typeof codeActions>[0]['params'], token: CancellationToken): Promise<CodeAction[]> {
    const uri = requireUri(params);
    if (!params.range || !params.context || !Array.isArray(params.context.diagnostics)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.range and params.context.diagnostics are required');
    }
    if (this.notebooks.ownsCell(uri)) return this.notebooks.codeActions(params);
    const current = await this.currentResult(uri);
    if (!current || token.isCancellationRequested) return [];
    const { document, result } = current;
    if (!result.doc.language) return [];
    const version = document.version;
    const text = document.getText();
    // A client that cannot resolve code actions gets the fix-all edit now.
    const unsafeFixAll = result.settings.unsafeFixAll;
    const eager =
      !this.features.resolveEdit && result.findings.some((f) => chooseFix(f, unsafeFixAll)) ? await this.fixAllEdit(text, result) : undefined;
    const refactors = kindRequested(params.context.only, CodeActionKind.RefactorRewrite) ? await this.refactors(result, text, params.range) : [];
    if (token.isCancellationRequested) return [];
    return codeActions({
      params,
      target: { uri, version, documentChanges: this.features.documentChanges },
      findings: result.findings,
      diagnosticOf: (f) => toDiagnostic(f, result.rules, this.links.forFinding(result.settings, f.rule, { uri, range: f.range })),
      lazyFixAll: this.features.resolveEdit,
      unsafeFixAll,
      fixAllEdit: () => eager,
      refactors,
    });
  }

  /** The engine's refactorings at the range; none (logged) when it fails, so the quick fixes still come. */
  private async refactors(result: DocumentResult, text: string, range: Range): Promise<Refactor[]> {
    if (text.length > MAX_FILE_BYTES || !this.isAnalysed(result.doc, result.settings)) return [];
    try {
      return await this.backend.refactors({ path: result.doc.path, text, range });
    } catch (e) {
      this.logError(`looking for refactorings in ${result.doc.path}`, e);
      return [];
    }
  }

  /** The fix-all edit for `original`, the text `result` was computed from. Intermediate texts never reach the project index. */
  private async fixAllEdit(original: string, result: DocumentResult) {
    const { text } = await fixAll(
      original,
      async (t) => {
        // a partial result lacks the findings outside the edited function
        if (t === original && !result.partial) return { findings: result.findings, notes: [] };
        const next = await this.analyzeText(result.doc, t, undefined, result.settings);
        return { findings: next && next !== 'superseded' ? next.findings : [], notes: [] };
      },
      { unsafe: result.settings.unsafeFixAll },
    );
    return minimalEdit(original, text);
  }

  private async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    if (!isFixAllData(action?.data)) return action;
    const current = await this.currentResult(action.data.uri);
    if (!current) return action;
    const version = current.document.version;
    const edit = await this.fixAllEdit(current.document.getText(), current.result);
    action.edit = workspaceEdit({ uri: action.data.uri, version, documentChanges: this.features.documentChanges }, edit ? [edit] : []);
    return action;
  }

  private async hover(params: { textDocument: { uri: string }; position: { line: number; character: number } }) {
    const uri = requireUri(params);
    const position = params.position;
    if (typeof position?.line !== 'number' || typeof position?.character !== 'number') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.position is required');
    }
    if (this.notebooks.ownsCell(uri)) return this.notebooks.hover(uri, position);
    const current = await this.currentResult(uri);
    if (!current) return null;
    const finding = current.result.findings.find((f) => containsPosition(f.range, position.line, position.character));
    if (!finding) return null;
    return { contents: this.hoverFor(finding, uri, current.result.settings), range: finding.range };
  }

  private hoverFor(finding: Finding, uri: string, settings: ServerSettings) {
    const explain = this.links.explainCommand(finding.rule, { uri, range: finding.range });
    const links = explain ? { explain } : { page: this.links.page(settings, finding.rule) };
    return hoverContent(finding, links);
  }

  // ---- commands --------------------------------------------------------------------------------

  private async executeCommand(
    params: { command: string; arguments?: unknown[] },
    token: CancellationToken,
    progress: Parameters<WorkspaceAnalysis['run']>[1],
  ): Promise<WorkspaceAnalysisSummary | boolean> {
    switch (params?.command) {
      case ANALYZE_WORKSPACE_COMMAND:
        if (!(await this.engineReady)) throw new ResponseError(ErrorCodes.InternalError, 'the analysis engine failed to load (see the output)');
        return this.workspace.run(token, progress);
      case APPLY_FIX_ALL_COMMAND: {
        const arg = params.arguments?.[0] as { uri?: unknown } | string | undefined;
        const uri = typeof arg === 'string' ? arg : arg?.uri;
        if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${APPLY_FIX_ALL_COMMAND} needs a document uri`);
        if (this.notebooks.ownsCell(uri)) {
          const edit = await this.notebooks.fixAllEdit(uri);
          return edit ? (await this.connection.workspace.applyEdit({ label: 'Fix all AsyncGuard problems', edit })).applied : false;
        }
        const current = await this.currentResult(uri);
        if (!current) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not open`);
        const version = current.document.version;
        const edit = await this.fixAllEdit(current.document.getText(), current.result);
        if (!edit) return false;
        const target = { uri, version, documentChanges: this.features.documentChanges };
        const applied = await this.connection.workspace.applyEdit({ label: 'Fix all AsyncGuard problems', edit: workspaceEdit(target, [edit]) });
        return applied.applied;
      }
      default:
        throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${String(params?.command)}`);
    }
  }

  private async status(): Promise<ServerStatus> {
    // Under --expose-gc (the soak benchmark) measure live memory, not garbage awaiting collection.
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    let findings = 0;
    for (const r of this.results.values()) findings += r.findings.length;
    return {
      engineLoaded: await Promise.race([this.engineReady, Promise.resolve(false)]),
      analysis: this.backend instanceof WorkerBackend ? 'worker' : 'local',
      analysisRestarts: this.backend instanceof WorkerBackend ? this.backend.restarts : 0,
      trusted: this.trusted,
      openDocuments: this.documents.all().length,
      cachedResults: this.results.size,
      findings,
      heapUsed: memory.heapUsed,
      engineHeapUsed: this.backend instanceof WorkerBackend ? await this.backend.heapUsed() : memory.heapUsed,
      rss: memory.rss,
      typescript: await this.backend.typescriptStats(),
    };
  }

  // ---- error containment -----------------------------------------------------------------------

  /** Names, once each, the TypeScript projects the engine has built (after a document's first analysis). */
  private tellTypescriptProjects(): void {
    this.backend.typescriptStats().then(
      (projects) => {
        for (const p of projects) {
          if (this.toldProjects.has(p.key)) continue;
          this.toldProjects.add(p.key);
          const what = p.key.startsWith('inferred:') ? `${p.key.slice('inferred:'.length)} (no tsconfig.json or jsconfig.json: default options)` : p.key;
          this.connection.console.info(`TypeScript project: ${what}, ${p.sourceFiles} source files`);
        }
      },
      (e) => this.logError('listing the TypeScript projects', e),
    );
  }

  /** Says once, at info level, that a file is not analysed and why. */
  private tellSkipped(path: string, why: string): void {
    if (this.toldSkipped.has(path)) return;
    this.toldSkipped.add(path);
    this.connection.console.info(`Not analysing ${path}: ${why}`);
  }

  logError(what: string, e: unknown): void {
    try {
      this.connection.console.error(`AsyncGuard: ${what} failed: ${message(e)}`);
    } catch {
      // The connection itself is gone; nothing left to tell.
    }
  }

  private guard(what: string, fn: () => void | Promise<void>): void {
    try {
      Promise.resolve(fn()).catch((e) => this.logError(what, e));
    } catch (e) {
      this.logError(what, e);
    }
  }

  /** With `asyncguard.trace.server` on: each request, what it was about, and how long it took. */
  private traceRequest(what: string, params: unknown, started: number): void {
    const p = params as { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown }; command?: unknown } | undefined;
    const about = [
      typeof p?.textDocument?.uri === 'string' ? documentPath(p.textDocument.uri).path : undefined,
      typeof p?.position?.line === 'number' ? `line ${p.position.line + 1}` : undefined,
      typeof p?.command === 'string' ? p.command : undefined,
    ].filter(Boolean);
    this.connection.console.log(`${what}${about.length ? ` ${about.join(' ')}` : ''}: ${(performance.now() - started).toFixed(1)} ms`);
  }

  /** Wraps a request handler: bad input becomes an error response, never a dead server. */
  private request<P, R, A extends unknown[]>(what: string, fn: (params: P, token: CancellationToken, ...rest: A) => R | Promise<R>) {
    return async (params: P, token: CancellationToken, ...rest: A): Promise<R> => {
      const started = performance.now();
      try {
        const result = await fn(params, token, ...rest);
        if (this.trace !== 'off') this.traceRequest(what, params, started);
        return result;
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        this.logError(what, e);
        throw new ResponseError(ErrorCodes.InternalError, `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
}
