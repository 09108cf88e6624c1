// Analysis of the files that are not open, on request (`asyncguard.analyzeWorkspace`), with
// work-done progress. Results are pushed as diagnostics, or kept for `workspace/diagnostic` when
// the client pulls. Open documents are left to the document analysis.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
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
import { excludeMatcher, loadProjectConfig } from '../engine/project/config';
import type { DocumentResult } from './server';
import type { ServerSettings } from './settings';
import { workspaceFiles } from './workspaceFiles';

/** Larger files are skipped with a message: generated code, not something a person wrote. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface WorkspaceAnalysisSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
  milliseconds: number;
}

export interface WorkspaceAnalysisHost {
  connection: Connection;
  folders(): WorkspaceFolder[];
  isOpen(uri: string): boolean;
  settingsFor(uri: string): Promise<ServerSettings>;
  analyzeFile(path: string, text: string, settings: ServerSettings): Promise<DocumentResult | 'superseded' | undefined>;
  excludedBy(path: string, settings: ServerSettings): boolean;
  /** True when diagnostics are pushed; false when the client pulls them. */
  push(): boolean;
  log(message: string): void;
  logError(what: string, e: unknown): void;
}

interface StoredReport {
  resultId: string;
  diagnostics: Diagnostic[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
      for (const folder of this.host.folders()) {
        const folderPath = URI.parse(folder.uri).fsPath;
        const settings = await this.host.settingsFor(folder.uri);
        if (!settings.enable) continue;
        const project = loadProjectConfig(folderPath);
        const projectExcluded = project.ok ? excludeMatcher(project.config) : () => false;
        const excluded = (p: string) => projectExcluded(p) || this.host.excludedBy(p, settings);
        for await (const path of workspaceFiles(folderPath, excluded, (p, e) => this.host.log(`Skipping ${p}: ${e.message}`))) {
          files.push({ path, uri: URI.file(path).toString(), settings });
          if (isCancelled()) break;
        }
      }
      for (let i = 0; i < files.length && !isCancelled(); i++) {
        const { path, uri, settings } = files[i];
        progress.report(Math.round((i / files.length) * 100), `${i + 1}/${files.length} ${URI.file(path).path.split('/').pop()}`);
        await yieldToRequests();
        if (this.host.isOpen(uri)) continue;
        const diagnostics = await this.analyzeOne(path, settings, summary);
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

  private async analyzeOne(path: string, settings: ServerSettings, summary: WorkspaceAnalysisSummary): Promise<Diagnostic[] | undefined> {
    let text: string;
    try {
      const info = await stat(path);
      if (info.size > MAX_FILE_BYTES) {
        summary.skipped++;
        this.host.log(`Skipping ${path}: ${(info.size / 1024 / 1024).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1024 / 1024} MB limit`);
        return undefined;
      }
      text = utf8.decode(await readFile(path));
    } catch (e) {
      summary.skipped++;
      this.host.log(`Skipping ${path}: ${e instanceof TypeError ? 'not UTF-8 text' : (e as Error).message}`);
      return undefined;
    }
    const result = await this.host.analyzeFile(path, text, settings);
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
