// Analysis of the files that are not open, on request (`asyncguard.analyzeWorkspace`), with
// work-done progress. The files are those the engine's workspace layer finds in each folder, each
// with its own settings, read as the CLI reads them (so `asyncguard check` gives the same findings);
// a file skipped is logged with the layer's reason. Results are pushed as diagnostics, or kept for
// `workspace/diagnostic` when the client pulls. Open documents are left to the document analysis.
import { createHash } from 'node:crypto';
import {
  DocumentDiagnosticReportKind,
  WorkDoneProgressReporter,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type PreviousResultId,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Workspace } from '../engine/workspace/index';
import type { WorkspaceAnalysisSummary } from '../protocol';
import { editorLayer } from './configuration';
import type { DocumentResult } from './documents';
import type { ServerSettings } from './settings';

export interface WorkspaceAnalysisHost {
  connection: Connection;
  folders(): readonly WorkspaceFolder[];
  workspace(): Workspace;
  isOpen(uri: string): boolean;
  settingsFor(uri: string): Promise<ServerSettings>;
  analyzeFile(path: string, text: string, settings: ServerSettings): Promise<DocumentResult | 'superseded' | undefined>;
  /** True when diagnostics are pushed; false when the client pulls them. */
  push(): boolean;
  log(message: string): void;
  logError(what: string, e: unknown): void;
}

interface StoredReport {
  resultId: string;
  diagnostics: Diagnostic[];
}

function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class WorkspaceAnalysis {
  private readonly reports = new Map<string, StoredReport>();
  private readonly pushed = new Set<string>();
  private running: { cancel(): void } | undefined;
  private done = false;
  private runCounter = 0;

  constructor(private readonly host: WorkspaceAnalysisHost) {}

  cancel(): void {
    this.running?.cancel();
  }

  /** A document opened: its own analysis takes over from what the workspace analysis pushed. */
  forgetPushed(uri: string): void {
    this.reports.delete(uri);
    if (this.pushed.delete(uri)) {
      this.host.connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e) => this.host.logError('clearing diagnostics', e));
    }
  }

  rerunIfDone(): void {
    if (!this.done) return;
    this.run(undefined, undefined).catch((e) => this.host.logError('workspace analysis', e));
  }

  async run(requestToken: CancellationToken | undefined, attached: WorkDoneProgressReporter | undefined): Promise<WorkspaceAnalysisSummary> {
    this.running?.cancel();
    let cancelled = false;
    const me = { cancel: () => (cancelled = true) };
    this.running = me;
    const runId = ++this.runCounter;
    const started = performance.now();
    const progress = await this.progressReporter(attached);
    const isCancelled = () =>
      cancelled || requestToken?.isCancellationRequested === true || ('token' in progress && (progress as { token: CancellationToken }).token.isCancellationRequested);
    progress.begin('AsyncGuard: analysing the workspace', 0, 'finding files', true);
    const summary: WorkspaceAnalysisSummary = { files: 0, findings: 0, skipped: 0, cancelled: false, milliseconds: 0 };
    const seen = new Set<string>();
    try {
      const files: Array<{ path: string; uri: string; settings: ServerSettings }> = [];
      const workspace = this.host.workspace();
      for (const folder of this.host.folders()) {
        if (!folder.uri.startsWith('file:')) continue;
        const folderPath = URI.parse(folder.uri).fsPath;
        const settings = await this.host.settingsFor(folder.uri);
        if (!settings.enable) continue;
        let walked = 0;
        try {
          for (const { path } of workspace.filesUnder(folderPath, editorLayer(settings))) {
            files.push({ path, uri: URI.file(path).toString(), settings });
            // a walk reads folders synchronously: let requests in now and then
            if (++walked % 200 === 0) await yieldToRequests();
            if (isCancelled()) break;
          }
        } catch (e) {
          this.host.log(`Skipping ${folderPath}: ${(e as Error).message}`);
        }
      }
      for (let i = 0; i < files.length && !isCancelled(); i++) {
        const { path, uri, settings } = files[i];
        progress.report(Math.round((i / files.length) * 100), `${i + 1}/${files.length} ${URI.file(path).path.split('/').pop()}`);
        await yieldToRequests();
        if (this.host.isOpen(uri)) continue;
        const diagnostics = await this.analyzeOne(workspace, path, settings, summary);
        if (diagnostics === undefined || runId !== this.runCounter) continue;
        seen.add(uri);
        summary.files++;
        summary.findings += diagnostics.length;
        this.store(uri, diagnostics);
      }
      summary.cancelled = isCancelled();
      if (!summary.cancelled) {
        // Files that had findings before and are gone now (deleted, fixed, excluded) are cleared.
        for (const [uri, report] of this.reports) if (!seen.has(uri) && report.diagnostics.length > 0) this.store(uri, []);
        this.done = true;
      }
    } finally {
      if (this.running === me) this.running = undefined;
      summary.milliseconds = Math.round(performance.now() - started);
      progress.done();
    }
    if (!this.host.push()) {
      // a client that cannot refresh pulls again by itself
      this.host.connection.languages.diagnostics.refresh().catch(() => undefined);
    }
    this.host.log(
      `Workspace analysis: ${summary.files} files, ${summary.findings} findings, ${summary.skipped} skipped in ${summary.milliseconds} ms${summary.cancelled ? ' (cancelled)' : ''}`,
    );
    return summary;
  }

  /** The client's token when the request carried one; otherwise server-initiated progress, if the client allows it. */
  private async progressReporter(attached: WorkDoneProgressReporter | undefined): Promise<WorkDoneProgressReporter> {
    if (attached && !WorkDoneProgressReporter.isNullInstance(attached)) return attached;
    try {
      return await this.host.connection.window.createWorkDoneProgress();
    } catch (e) {
      this.host.logError('creating work-done progress', e);
      return attached ?? { begin() {}, report() {}, done() {} };
    }
  }

  private async analyzeOne(workspace: Workspace, path: string, settings: ServerSettings, summary: WorkspaceAnalysisSummary): Promise<Diagnostic[] | undefined> {
    const source = workspace.read(path);
    if (source.kind === 'skipped') {
      summary.skipped++;
      this.host.log(`Skipping ${path}: ${source.reason}`);
      return undefined;
    }
    const result = await this.host.analyzeFile(path, source.text, settings);
    return result && result !== 'superseded' ? result.diagnostics : undefined;
  }

  private store(uri: string, diagnostics: Diagnostic[]): void {
    // A file that never had findings needs no report; one that had them needs an empty one.
    if (diagnostics.length === 0 && !this.reports.has(uri)) return;
    const resultId = createHash('sha1').update(JSON.stringify(diagnostics)).digest('hex');
    if (this.reports.get(uri)?.resultId === resultId) return;
    this.reports.set(uri, { resultId, diagnostics });
    if (this.host.push()) {
      if (diagnostics.length > 0) this.pushed.add(uri);
      else this.pushed.delete(uri);
      this.host.connection.sendDiagnostics({ uri, diagnostics }).catch((e) => this.host.logError('publishing diagnostics', e));
    }
  }

  /** `workspace/diagnostic`: the stored reports of files that are not open; unchanged ones by id. */
  pullReport(previous: readonly PreviousResultId[]): WorkspaceDiagnosticReport {
    const known = new Map(previous.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, report] of this.reports) {
      if (this.host.isOpen(uri)) continue;
      if (known.get(uri) === report.resultId) {
        items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: report.resultId });
      } else {
        items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: report.resultId, items: report.diagnostics });
      }
    }
    return { items };
  }
}
