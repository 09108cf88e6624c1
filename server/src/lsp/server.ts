// The language server: wires the connection to the rooms that do the work — open documents and their
// diagnostics (documents.ts), what a person asks of a finding (actions.ts), Analyze Workspace
// (workspaceAnalysis.ts), the settings and configuration files (configuration.ts) and the output
// (output.ts) — and owns the lifecycle: initialization, the engine's thread, folders, watched files,
// status, and the guards that keep a bad message from ever stopping the server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { version } from '../../package.json';
import { languageOfLocale } from '../docs/pages';
import { ANALYZE_WORKSPACE_COMMAND, APPLY_FIX_ALL_COMMAND, FIX_ALL_KIND, STATUS_REQUEST, type ServerStatus, type WorkspaceAnalysisSummary } from '../protocol';
import { FindingActions, FIX_ALL_LABEL, fixAllTarget } from './actions';
import { LocalBackend, type AnalysisBackend } from './backend';
import { CONFIG_GLOBS, configKind, ServerConfiguration } from './configuration';
import { toDiagnostic } from './diagnostics';
import { documentPath } from './documentPath';
import { Documents } from './documents';
import { clientFeatures, type ClientFeatures } from './features';
import { Output } from './output';
import { RuleLinks } from './ruleLinks';
import { WorkerBackend } from './workerBackend';
import { NOTEBOOK_SYNC, NotebookSync } from './notebooks';
import { WorkspaceAnalysis } from './workspaceAnalysis';

function requireUri(params: unknown): string {
  const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'params.textDocument.uri must be a string');
  return uri;
}

interface InitializationOptions {
  trusted?: unknown;
  settings?: unknown;
  cacheDir?: unknown;
  analysisTimeoutMs?: unknown;
  explainUri?: unknown;
  explainCommand?: unknown;
}

export class AsyncGuardServer {
  private readonly output: Output;
  private readonly configuration: ServerConfiguration;
  private readonly documents: Documents;
  private readonly actions: FindingActions;
  private readonly workspace: WorkspaceAnalysis;
  /** Open Jupyter notebooks: their cells' diagnostics, fixes and hovers. */
  private readonly notebooks: NotebookSync;
  private backend: AnalysisBackend = new LocalBackend(() => undefined);
  private engineReady: Promise<boolean> = Promise.resolve(false);
  private features: ClientFeatures = clientFeatures({});
  private links = new RuleLinks({ language: 'en' });

  constructor(private readonly connection: Connection) {
    this.output = new Output(connection);
    this.configuration = new ServerConfiguration(this.output, connection, (s) => (this.output.trace = s.trace));
    const shared = {
      connection,
      output: this.output,
      configuration: this.configuration,
      features: () => this.features,
      backend: () => this.backend,
      links: () => this.links,
    };
    this.documents = new Documents({
      ...shared,
      engineReady: () => this.engineReady,
      guard: (what, fn) => this.guard(what, fn),
      opened: (uri) => this.workspace.forgetPushed(uri),
    });
    this.actions = new FindingActions({ ...shared, documents: this.documents });
    this.notebooks = new NotebookSync(connection, {
      settingsFor: (uri) => this.configuration.settingsFor(uri),
      analyze: async (doc, text, settings) => {
        const result = await this.documents.analyzeText(doc, text, undefined, settings, undefined, true);
        return result && result !== 'superseded' ? { findings: result.findings, rules: result.rules } : undefined;
      },
      diagnostic: (f, uri, rules, settings) => toDiagnostic(f, rules, this.links.forFinding(settings, f.rule, { uri, range: f.range })),
      hover: (f, uri, settings) => this.actions.hoverContents(f, uri, settings),
      documentChanges: () => this.features.documentChanges,
      logError: (what, e) => this.output.error(what, e),
    });
    this.workspace = new WorkspaceAnalysis({
      connection,
      folders: () => this.configuration.folders,
      workspace: () => this.configuration.workspace,
      isOpen: (uri) => this.documents.isOpen(uri),
      settingsFor: (uri) => this.configuration.settingsFor(uri),
      analyzeFile: (path, text, settings) => this.documents.analyzeText(documentPath(URI.file(path).toString()), text, undefined, settings),
      push: () => !this.features.pullDiagnostics,
      log: (m) => this.output.info(m),
      logError: (what, e) => this.output.error(what, e),
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.guard('initialized', () => this.initialized()));
    c.onDidChangeConfiguration((params) => this.guard('didChangeConfiguration', () => this.configurationChanged(params?.settings)));
    c.onDidChangeWatchedFiles((params) => this.guard('didChangeWatchedFiles', () => this.filesChanged(params?.changes ?? [])));
    c.onCodeAction(
      this.request('textDocument/codeAction', (p, token) =>
        this.notebooks.ownsCell(requireUri(p)) ? this.notebooks.codeActions(p) : this.actions.codeActions(p, token),
      ),
    );
    c.onCodeActionResolve(this.request('codeAction/resolve', (p) => this.actions.resolveCodeAction(p)));
    c.onHover(this.request('textDocument/hover', (p) => (this.notebooks.ownsCell(requireUri(p)) ? this.notebooks.hover(p.textDocument.uri, p.position) : this.actions.hover(p))));
    c.onExecuteCommand(this.request('workspace/executeCommand', (p, token, progress) => this.executeCommand(p, token, progress)));
    c.languages.diagnostics.on(this.request('textDocument/diagnostic', (p, token) => (requireUri(p), this.documents.pull(p, token))));
    c.languages.diagnostics.onWorkspace(this.request('workspace/diagnostic', (p) => this.workspace.pullReport(p.previousResultIds ?? [])));
    c.onRequest(STATUS_REQUEST, this.request(STATUS_REQUEST, () => this.status()));
    c.onShutdown(() => {
      this.documents.cancelAll();
      this.notebooks.cancelAll();
      this.workspace.cancel();
      return this.backend.dispose().catch((e) => this.output.error('stopping the analysis thread', e));
    });
    this.documents.listen();
    this.notebooks.listen();
    c.listen();
  }

  /** Whatever slips past the handlers' own guards (main.ts). */
  logError(what: string, e: unknown): void {
    this.output.error(what, e);
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  private initialize(params: InitializeParams): InitializeResult {
    this.features = clientFeatures(params.capabilities ?? {});
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    const { configuration, output } = this;
    configuration.trusted = options.trusted !== false;
    this.links = new RuleLinks({
      language: languageOfLocale(params.locale),
      explainUri: typeof options.explainUri === 'string' && /^[a-z][\w+.-]*:/i.test(options.explainUri) ? options.explainUri : undefined,
      explainCommand: typeof options.explainCommand === 'string' && options.explainCommand ? options.explainCommand : undefined,
    });
    configuration.store.canAsk = this.features.configuration;
    if (options.settings !== undefined) configuration.store.setFallback(options.settings);
    configuration.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    const log = (m: string) => output.info(m);
    // Bundled, the engine runs on its own thread; from sources (no bundle beside us) in this one.
    const workerFile = join(__dirname, 'lsp-worker.js');
    const timeoutMs = typeof options.analysisTimeoutMs === 'number' && options.analysisTimeoutMs > 0 ? options.analysisTimeoutMs : 60_000;
    this.backend = existsSync(workerFile) ? new WorkerBackend({ file: workerFile, timeoutMs, log }) : new LocalBackend(log);
    log(
      `AsyncGuard language server ${version} on Node ${process.version}; analysis ${this.backend instanceof WorkerBackend ? 'on its own thread' : 'in the server thread'}; ` +
        `workspace ${configuration.trusted ? 'trusted' : 'not trusted (no interpreter is run)'}`,
    );
    const folderList = configuration.folders.map((f) => (f.uri.startsWith('file:') ? URI.parse(f.uri).fsPath : f.uri));
    log(folderList.length ? `Workspace folders: ${folderList.join(', ')}` : 'No workspace folder: files are analysed on their own');
    this.engineReady = this.backend
      .init({
        trusted: configuration.trusted,
        roots: configuration.folderPaths(),
        interpreter: configuration.store.fallback.interpreterPath,
        cacheDir: typeof options.cacheDir === 'string' && options.cacheDir ? options.cacheDir : undefined,
      })
      .then(
        () => true,
        (e) => {
          output.error('loading the analysis engine', e);
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
    this.applyInterpreterSetting().catch((e) => this.output.error('applying the interpreter setting', e));
    if (this.features.watchFiles) {
      this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [...CONFIG_GLOBS, '**/*.py', '**/*.pyi'].map((globPattern) => ({ globPattern })),
        })
        .catch((e) => this.output.error('watching the configuration files', e));
    }
    if (this.features.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        this.guard('didChangeWorkspaceFolders', async () => {
          const removed = new Set(e.removed.map((f) => f.uri));
          const configuration = this.configuration;
          configuration.folders = [...configuration.folders.filter((f) => !removed.has(f.uri)), ...e.added];
          this.output.info(`Workspace folders: ${configuration.folderPaths().join(', ') || 'none'}`);
          if (await this.backend.reconfigure({ roots: configuration.folderPaths() })) this.refreshAll();
        }),
      );
    }
  }

  private configurationChanged(settings: unknown): void {
    this.configuration.store.changed(settings);
    this.refreshAll();
    this.applyInterpreterSetting().catch((e) => this.output.error('applying the interpreter setting', e));
  }

  /** The interpreter setting of the first folder (or the global one) decides where imports of installed libraries resolve. */
  private async applyInterpreterSetting(): Promise<void> {
    const scope = this.configuration.folders[0]?.uri;
    const settings = scope ? await this.configuration.settingsFor(scope) : this.configuration.store.fallback;
    const interpreter = this.configuration.interpreterFor(settings);
    if (await this.backend.reconfigure({ interpreter })) this.refreshAll();
  }

  private async filesChanged(changes: ReadonlyArray<{ uri: string; type: number }>): Promise<void> {
    let configChanged = false;
    const typescriptConfigs: string[] = [];
    for (const change of changes) {
      if (typeof change?.uri !== 'string') continue;
      const kind = configKind(documentPath(change.uri).path);
      if (kind) {
        if (kind.asyncguard) configChanged = true;
        if (kind.typescript) typescriptConfigs.push(documentPath(change.uri).path);
        continue;
      }
      await this.documents.diskFileChanged(change.uri, change.type);
    }
    if (typescriptConfigs.length) await this.backend.typescriptConfigChanged(typescriptConfigs);
    if (configChanged) this.configuration.configurationFilesChanged();
    if (configChanged || typescriptConfigs.length) this.refreshAll();
  }

  /** Settings changed: every open document is analysed again, and a past workspace analysis re-run. */
  private refreshAll(): void {
    this.documents.refreshAll();
    this.notebooks.refreshAll();
    this.workspace.rerunIfDone();
  }

  // ---- commands and status ---------------------------------------------------------------------

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
        const uri = fixAllTarget(params.arguments);
        if (!this.notebooks.ownsCell(uri)) return this.actions.applyFixAll(uri);
        const edit = await this.notebooks.fixAllEdit(uri);
        return edit ? (await this.connection.workspace.applyEdit({ label: FIX_ALL_LABEL, edit })).applied : false;
      }
      default:
        throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${String(params?.command)}`);
    }
  }

  private async status(): Promise<ServerStatus> {
    // Under --expose-gc (the soak benchmark) measure live memory, not garbage awaiting collection.
    (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    return {
      engineLoaded: await Promise.race([this.engineReady, Promise.resolve(false)]),
      analysis: this.backend instanceof WorkerBackend ? 'worker' : 'local',
      analysisRestarts: this.backend instanceof WorkerBackend ? this.backend.restarts : 0,
      trusted: this.configuration.trusted,
      ...this.documents.counts(),
      heapUsed: memory.heapUsed,
      engineHeapUsed: this.backend instanceof WorkerBackend ? await this.backend.heapUsed() : memory.heapUsed,
      rss: memory.rss,
      typescript: await this.backend.typescriptStats(),
    };
  }

  // ---- error containment -----------------------------------------------------------------------

  private guard(what: string, fn: () => void | Promise<void>): void {
    try {
      Promise.resolve(fn()).catch((e) => this.output.error(what, e));
    } catch (e) {
      this.output.error(what, e);
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
    this.output.traced(`${what}${about.length ? ` ${about.join(' ')}` : ''}: ${(performance.now() - started).toFixed(1)} ms`);
  }

  /** Wraps a request handler: bad input becomes an error response, never a dead server. */
  private request<P, R, A extends unknown[]>(what: string, fn: (params: P, token: CancellationToken, ...rest: A) => R | Promise<R>) {
    return async (params: P, token: CancellationToken, ...rest: A): Promise<R> => {
      const started = performance.now();
      try {
        const result = await fn(params, token, ...rest);
        if (this.output.tracing) this.traceRequest(what, params, started);
        return result;
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        this.output.error(what, e);
        throw new ResponseError(ErrorCodes.InternalError, `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
}
