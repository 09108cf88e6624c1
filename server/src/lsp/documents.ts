// Open documents and their diagnostics: keeps the documents in sync, analyses each version through
// the engine (at once after a typed edit when the document analyses quickly, debounced otherwise,
// superseded by newer edits), publishes the diagnostics or answers `textDocument/diagnostic`, and
// analyses again the open documents that import a module whose exports changed.
import {
  DocumentDiagnosticReportKind,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { fileLineOf, parseNotebook } from '../engine/notebook/index';
import type { Finding, RuleSettings } from '../engine/types';
import type { AnalysisBackend } from './backend';
import type { ServerConfiguration } from './configuration';
import { Debouncer } from './debouncer';
import { EditLog } from './documentEdits';
import { toDiagnostic } from './diagnostics';
import { documentPath, type DocumentPath } from './documentPath';
import type { ClientFeatures } from './features';
import type { Output } from './output';
import type { RuleLinks } from './ruleLinks';
import type { ServerSettings } from './settings';

/** An analysis this quick is run at once after a typed edit, without the debounce delay. */
const QUICK_ANALYSIS_MS = 50;
/** Edits closer together than this are a burst (a tool, a paste, a replace-all), not typing. */
const TYPING_PAUSE_MS = 30;
/** After a partial result, the pause in typing after which the whole file is analysed. */
const SETTLE_AFTER_PARTIAL_MS = 400;

/** One analysis of one document version under one generation of settings. */
export interface DocumentResult {
  version: number;
  generation: number;
  doc: DocumentPath;
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleSettings;
  settings: ServerSettings;
  /** Not analysed: the document is excluded, too large, or AsyncGuard is off for it. */
  skipped: boolean;
  /** Only the edited function was analysed; findings elsewhere in the file follow after a pause in typing. */
  partial?: boolean;
}

/** What the documents need of the rest of the server. */
export interface DocumentsHost {
  connection: Connection;
  output: Output;
  configuration: ServerConfiguration;
  features(): ClientFeatures;
  backend(): AnalysisBackend;
  engineReady(): Promise<boolean>;
  links(): RuleLinks;
  /** Runs a handler, logging what it throws or rejects with. */
  guard(what: string, fn: () => void | Promise<void>): void;
  /** A document opened: what the workspace analysis said of its file gives way to its own analysis. */
  opened(uri: string): void;
}

export class Documents {
  /** Each open document's edits since its last analysis, so the analysis thread can be sent the edits instead of the text. */
  private readonly edits = new EditLog();
  readonly documents = new TextDocuments({
    create: TextDocument.create,
    update: (document, changes, version) => {
      this.edits.record(document.uri, { from: document.version, version, changes });
      return TextDocument.update(document, changes, version);
    },
  });
  /** Bumped whenever settings or configuration change: results of older generations are stale. */
  private generation = 0;
  private readonly results = new Map<string, DocumentResult>();
  /** Analyses under way, one per document, so concurrent requests for one version share it. */
  private readonly inflight = new Map<string, { key: string; promise: Promise<DocumentResult | 'superseded' | undefined> }>();
  /** Per document: how long its last analysis took and when its last edit came, for `changed`'s delay. */
  private readonly pace = new Map<string, { analysisMs: number; lastEditAt: number }>();
  private readonly debouncer: Debouncer;
  /** TypeScript projects named in the output so far (tsconfig.json paths, or inferred:FOLDER). */
  private readonly toldProjects = new Set<string>();

  constructor(private readonly host: DocumentsHost) {
    this.debouncer = new Debouncer((uri, e) => host.output.error(`analysis of ${uri}`, e));
  }

  listen(): void {
    const { guard } = this.host;
    this.documents.onDidOpen((e) => guard('didOpen', () => this.host.opened(e.document.uri)));
    this.documents.onDidChangeContent((e) => guard('didChange', () => this.changed(e.document)));
    this.documents.onDidSave((e) => guard('didSave', () => this.saved(e.document)));
    this.documents.onDidClose((e) => guard('didClose', () => this.closed(e.document)));
    this.documents.listen(this.host.connection);
  }

  isOpen(uri: string): boolean {
    return this.documents.get(uri) !== undefined;
  }

  cancelAll(): void {
    this.debouncer.cancelAll();
  }

  counts(): { openDocuments: number; cachedResults: number; findings: number } {
    let findings = 0;
    for (const r of this.results.values()) findings += r.findings.length;
    return { openDocuments: this.documents.all().length, cachedResults: this.results.size, findings };
  }

  /** Settings or configuration changed: every open document is analysed again. */
  refreshAll(): void {
    this.generation++;
    if (this.host.features().pullDiagnostics) {
      this.refreshPulled();
    } else {
      for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
    }
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
    /** A notebook's findings stay relative to its cells (notebooks.ts publishes them to the cells). */
    inCells = false,
  ): Promise<DocumentResult | 'superseded' | undefined> {
    const { configuration, output } = this.host;
    const { rules, off, skipped } = configuration.documentSettings(doc, settings);
    const base = { version: version ?? 0, generation: this.generation, doc, rules, settings };
    // an .ipynb open as text: its findings are relative to its cells, which notebooks.ts syncs and analyses
    if (doc.language === 'notebook' && key !== undefined) return { ...base, findings: [], diagnostics: [], skipped: true };
    const tooLarge = off || skipped ? undefined : configuration.workspace.textSkipReason(text);
    if (off || skipped || tooLarge) {
      if (skipped ?? tooLarge) output.once(`Not analysing ${doc.path}: ${skipped ?? tooLarge}`);
      return { ...base, findings: [], diagnostics: [], skipped: true };
    }
    configuration.interpreterFor(settings);
    const started = performance.now();
    // An open document's text is what its importers see (overlay); a file read from disk is the disk.
    const overlay = version !== undefined && doc.onDisk && doc.language === 'python';
    let reply;
    try {
      // Pulled diagnostics have no second publication to complete a partial result with.
      const allowPartial = key !== undefined && !this.host.features().pullDiagnostics;
      const changes = key !== undefined && version !== undefined ? this.edits.upTo(key, version) : undefined;
      reply = await this.host.backend().analyze({ path: doc.path, text, version, rules, overlay, allowPartial, changes }, key);
    } catch (e) {
      output.error(`analysing ${doc.path}`, e);
      return undefined;
    }
    if (!reply) return 'superseded';
    if (key !== undefined && version !== undefined) this.edits.analysed(key, version);
    if (reply.changedModules.length) {
      const changed = reply.changedModules;
      setImmediate(() => this.host.guard('re-analysing importers', () => this.reanalyzeImporters(doc.path, changed)));
    }
    let findings = reply.findings.filter((f) => rules.enabled[f.rule]);
    // a notebook not open (Analyze Workspace): its findings point at the file's lines holding the cells' lines
    if (doc.language === 'notebook' && !inCells) findings = onNotebookFileLines(findings, text);
    if (key) this.pace.set(key, { analysisMs: performance.now() - started, lastEditAt: this.pace.get(key)?.lastEditAt ?? 0 });
    if (output.tracing) {
      const notes = reply.notes.length ? `; ${reply.notes.join('; ')}` : '';
      output.traced(
        `Analysed ${doc.path} (version ${version ?? '-'}${reply.partial ? ', the edited function' : ''}) in ${(performance.now() - started).toFixed(1)} ms: ${findings.length} findings${notes}`,
      );
    }
    const uri = key ?? URI.file(doc.path).toString();
    if (doc.language === 'typescript' && !this.results.has(uri)) this.tellTypescriptProjects();
    const links = this.host.links();
    const diagnostics = findings.map((f) => toDiagnostic(f, rules, links.forFinding(settings, f.rule, { uri, range: f.range })));
    return { ...base, findings, diagnostics, skipped: false, partial: reply.partial };
  }

  /** The analysis of the document's current version, computed now if needed. */
  async currentResult(uri: string): Promise<{ document: TextDocument; result: DocumentResult } | undefined> {
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

  /** `textDocument/diagnostic`. */
  async pull(params: { textDocument: { uri: string }; previousResultId?: string }, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const document = this.documents.get(uri);
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const settings = await this.host.configuration.settingsFor(uri);
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

  /** A Python file changed on disk: open documents importing what changed are analysed again. */
  async diskFileChanged(uri: string, type: number): Promise<void> {
    const doc = documentPath(uri);
    // Open documents are followed through their edits; files on disk change what their importers see.
    if (!doc.onDisk || doc.language !== 'python' || this.documents.get(uri)) return;
    const backend = this.host.backend();
    const changed = type === FileChangeType.Deleted ? await backend.removeFile(doc.path) : await backend.updateFile(doc.path);
    await this.reanalyzeImporters(doc.path, changed);
  }

  /** Open documents importing a module whose exports changed are analysed again. */
  private async reanalyzeImporters(path: string, changedModules: readonly string[]): Promise<void> {
    if (changedModules.length === 0) return;
    const open = new Map<string, string>();
    for (const d of this.documents.all()) {
      const dp = documentPath(d.uri, d.languageId);
      if (dp.onDisk && dp.language === 'python' && dp.path !== path) open.set(dp.path, d.uri);
    }
    const affected = await this.host.backend().affectedBy(path, changedModules, [...open.keys()]);
    if (affected.length === 0) return;
    this.generation++;
    if (this.host.features().pullDiagnostics) {
      this.refreshPulled();
      return;
    }
    for (const file of affected) {
      const uri = open.get(file);
      if (uri) this.schedule(uri, this.debounceMs(uri));
    }
  }

  private refreshPulled(): void {
    if (!this.host.features().diagnosticRefresh) return;
    this.host.connection.languages.diagnostics.refresh().catch((e) => this.host.output.error('diagnostic refresh', e));
  }

  private debounceMs(uri: string): number {
    const store = this.host.configuration.store;
    return (store.peek(uri) ?? store.fallback).debounceMs;
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
      const settings = await this.host.configuration.settingsFor(uri);
      if (!(await this.host.engineReady())) return undefined;
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
    if (this.host.features().pullDiagnostics) return;
    this.debouncer.schedule(uri, delayMs, () => this.publish(uri));
  }

  /** Publishes diagnostics for the version analysed, unless a newer version arrived meanwhile. */
  private async publish(uri: string): Promise<void> {
    const current = await this.currentResult(uri);
    if (!current) return;
    const latest = this.documents.get(uri);
    if (!latest || latest.version !== current.result.version || this.debouncer.isPending(uri)) return;
    await this.host.connection.sendDiagnostics({ uri, version: current.result.version, diagnostics: current.result.diagnostics });
    // the rest of the file, analysed whole once the typing pauses (a newer edit replaces this)
    if (current.result.partial) this.schedule(uri, SETTLE_AFTER_PARTIAL_MS);
  }

  private changed(document: TextDocument): void {
    const settings = this.host.configuration.store.peek(document.uri);
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
    this.schedule(uri, first || typed ? 0 : this.debounceMs(uri));
  }

  private saved(document: TextDocument): void {
    if (this.host.configuration.store.peek(document.uri)?.run === 'onSave') this.schedule(document.uri, 0);
  }

  private closed(document: TextDocument): void {
    const uri = document.uri;
    const { connection, output } = this.host;
    this.debouncer.cancel(uri);
    this.results.delete(uri);
    this.pace.delete(uri);
    this.edits.forget(uri);
    this.host.configuration.store.forget(uri);
    if (!this.host.features().pullDiagnostics) {
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e) => output.error('clearing diagnostics', e));
    }
    const doc = documentPath(uri, document.languageId);
    const backend = this.host.backend();
    backend.closeDocument(doc.path).catch((e) => output.error(`closing ${doc.path}`, e));
    // Importers now see the file as it is on disk again.
    if (doc.onDisk && doc.language === 'python') {
      backend
        .updateFile(doc.path)
        .then((changed) => this.reanalyzeImporters(doc.path, changed))
        .catch((e) => output.error(`indexing ${doc.path}`, e));
    }
  }

  /** Names, once each, the TypeScript projects the engine has built (after a document's first analysis). */
  private tellTypescriptProjects(): void {
    this.host.backend().typescriptStats().then(
      (projects) => {
        for (const p of projects) {
          if (this.toldProjects.has(p.key)) continue;
          this.toldProjects.add(p.key);
          const what = p.key.startsWith('inferred:') ? `${p.key.slice('inferred:'.length)} (no tsconfig.json or jsconfig.json: default options)` : p.key;
          this.host.output.info(`TypeScript project: ${what}, ${p.sourceFiles} source files`);
        }
      },
      (e) => this.host.output.error('listing the TypeScript projects', e),
    );
  }
}

/**
 * A closed notebook's findings placed in the .ipynb file itself, as SARIF places them: on the file's
 * line that holds the cell's line, the message saying which cell and line; without fixes, whose
 * edits are relative to cells.
 */
function onNotebookFileLines(findings: Finding[], text: string): Finding[] {
  const parsed = parseNotebook(text);
  if (!parsed.ok) return findings;
  return findings.map((f) => {
    if (f.cell === undefined) return f;
    const line = fileLineOf(parsed.notebook, f.cell, f.range.start.line) ?? 0;
    const { cell: _cell, ...rest } = f;
    return {
      ...rest,
      message: `cell ${f.cell + 1}, line ${f.range.start.line + 1}: ${f.message}`,
      range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } },
      fixes: [],
    };
  });
}
