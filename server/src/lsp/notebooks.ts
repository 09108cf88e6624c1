// Jupyter notebooks in the editor (LSP 3.17 notebook document sync): the server keeps each open
// notebook's cells, analyses its Python cells as one module (engine/notebook) whenever a cell
// changes, and publishes each cell's diagnostics to that cell's document. Quick fixes, fix-all and
// hovers in a cell are answered from the notebook's last analysis; a fix may edit several cells
// (keep-task declares its set in the first cell).
import {
  CodeActionKind,
  NotebookCellKind,
  NotebookDocuments,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type Hover,
  type NotebookDocument,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixNotebook, parseNotebook } from '../engine/notebook/index';
import type { AnalysisResult, Finding, Position, RuleSettings, TextEdit } from '../engine/types';
import { chooseFix, minimalEdit } from '../engine/workspace/index';
import { FIX_ALL_KIND } from '../protocol';
import { FIX_ALL_TITLE, kindRequested, touches } from './codeActions';
import { Debouncer } from './debouncer';
import { containsPosition, findingFor } from './diagnostics';
import { documentPath, type DocumentPath } from './documentPath';
import type { ServerSettings } from './settings';

/** Which notebooks the server asks the client to sync: Jupyter's, their Python cells. */
export const NOTEBOOK_SYNC = {
  notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
  save: true, // for `run: onSave`
};

/** What the notebook support needs of the server. */
export interface NotebookHost {
  settingsFor(uri: string): Promise<ServerSettings>;
  /** The engine's findings for a notebook's text (as an .ipynb file), or undefined when it failed (logged). */
  analyze(doc: DocumentPath, text: string, settings: ServerSettings): Promise<{ findings: Finding[]; rules: RuleSettings } | undefined>;
  diagnostic(finding: Finding, cellUri: string, rules: RuleSettings, settings: ServerSettings): Diagnostic;
  hover(finding: Finding, cellUri: string, settings: ServerSettings): Hover['contents'];
  documentChanges(): boolean;
  logError(what: string, e: unknown): void;
}

/** One analysis of one state of a notebook. */
interface NotebookResult {
  /** The notebook as the engine read it (an .ipynb text made from the cells): equal text, equal result. */
  text: string;
  /** The cells' document URIs in order: a finding's `cell` indexes this. */
  cells: string[];
  findings: Finding[];
  rules: RuleSettings;
  settings: ServerSettings;
}

export class NotebookSync {
  private readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly results = new Map<string, NotebookResult>();
  private readonly inflight = new Map<string, Promise<NotebookResult | undefined>>();
  /** Per notebook: the cells last given diagnostics, so a deleted cell or a closed notebook is cleared. */
  private readonly published = new Map<string, Set<string>>();
  private readonly debouncer: Debouncer;
  /** Notebooks saved since their last analysis was scheduled (for `run: onSave`). */
  private readonly savedSinceAnalysis = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly host: NotebookHost,
  ) {
    this.debouncer = new Debouncer((uri, e) => host.logError(`analysis of ${uri}`, e));
  }

  listen(): void {
    this.notebooks.listen(this.connection);
    this.notebooks.onDidOpen((nb) => this.schedule(nb.uri, 0));
    this.notebooks.onDidChange((e) => this.schedule(e.notebookDocument.uri, undefined, 'edit'));
    this.notebooks.onDidSave((nb) => this.schedule(nb.uri, undefined, 'save'));
    this.notebooks.onDidClose((nb) => this.closed(nb));
  }

  /** Whether `uri` is a cell of an open notebook (its requests are answered here). */
  ownsCell(uri: string): boolean {
    return this.notebooks.findNotebookDocumentForCell(uri) !== undefined;
  }

  /** The notebook a cell or notebook URI belongs to. */
  private notebookOf(uri: string): NotebookDocument | undefined {
    return this.notebooks.getNotebookDocument(uri) ?? this.notebooks.findNotebookDocumentForCell(uri);
  }

  get openNotebooks(): number {
    return this.results.size;
  }

  cancelAll(): void {
    this.debouncer.cancelAll();
  }

  /** Settings changed: every open notebook is analysed again. */
  refreshAll(): void {
    this.results.clear();
    for (const uri of this.published.keys()) this.schedule(uri, 0);
  }

  /**
   * Analyses and publishes the notebook after `delayMs` (the debounce setting when undefined). With
   * `run: onSave`, an edit of a notebook already analysed waits for its save.
   */
  private schedule(uri: string, delayMs: number | undefined, cause?: 'edit' | 'save'): void {
    // a save may replace the pending job of an edit: remembered, so that job's publication still happens
    if (cause === 'save') this.savedSinceAnalysis.add(uri);
    this.debouncer.schedule(uri, 0, async () => {
      const settings = await this.host.settingsFor(uri);
      const saved = this.savedSinceAnalysis.delete(uri);
      if (settings.run === 'onSave') {
        if (cause && !saved && this.published.has(uri)) return;
        await this.publish(uri);
        return;
      }
      const wait = delayMs ?? settings.debounceMs;
      if (wait > 0 && delayMs === undefined) this.debouncer.schedule(uri, wait, () => this.publish(uri));
      else await this.publish(uri);
    });
  }

  /** The notebook as an .ipynb text: its cells in order, Python code cells as code. */
  private snapshot(nb: NotebookDocument): { text: string; cells: string[] } {
    const cells = nb.cells.map((cell) => {
      const doc = this.notebooks.getCellTextDocument(cell);
      const python = cell.kind === NotebookCellKind.Code && doc?.languageId === 'python';
      return { cell_type: python ? 'code' : cell.kind === NotebookCellKind.Markup ? 'markdown' : 'raw', source: doc?.getText() ?? '' };
    });
    const text = JSON.stringify({ cells, metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 });
    return { text, cells: nb.cells.map((c) => c.document) };
  }

  /** The analysis of the notebook as it is now (shared by concurrent requests). */
  private current(uri: string): Promise<NotebookResult | undefined> {
    const nb = this.notebookOf(uri);
    if (!nb) return Promise.resolve(undefined);
    const { text, cells } = this.snapshot(nb);
    const kept = this.results.get(nb.uri);
    if (kept?.text === text) return Promise.resolve({ ...kept, cells });
    const key = `${nb.uri}\n${text}`;
    let promise = this.inflight.get(key);
    if (!promise) {
      promise = (async () => {
        const settings = await this.host.settingsFor(nb.uri);
        const analysed = await this.host.analyze(this.pathOf(nb), text, settings);
        if (!analysed) return undefined;
        const result: NotebookResult = { text, cells, findings: analysed.findings, rules: analysed.rules, settings };
        if (this.notebookOf(nb.uri)) this.results.set(nb.uri, result);
        return result;
      })().finally(() => this.inflight.delete(key));
      this.inflight.set(key, promise);
    }
    return promise;
  }

  /** The engine dispatches on the file name: a notebook is an .ipynb whatever its URI says. */
  private pathOf(nb: NotebookDocument): DocumentPath {
    const doc = documentPath(nb.uri);
    return { ...doc, path: /\.ipynb$/i.test(doc.path) ? doc.path : `${doc.path}.ipynb`, language: 'notebook' };
  }

  private async publish(uri: string): Promise<void> {
    const result = await this.current(uri);
    const nb = this.notebookOf(uri);
    if (!result || !nb || this.debouncer.isPending(nb.uri) || this.snapshot(nb).text !== result.text) return;
    const before = this.published.get(nb.uri) ?? new Set<string>();
    const now = new Set<string>();
    const byCell = new Map<string, Diagnostic[]>(result.cells.map((c) => [c, []]));
    for (const f of result.findings) {
      const cell = f.cell !== undefined ? result.cells[f.cell] : undefined;
      if (cell) byCell.get(cell)!.push(this.host.diagnostic(f, cell, result.rules, result.settings));
    }
    for (const [cell, diagnostics] of byCell) {
      if (diagnostics.length) now.add(cell);
      if (diagnostics.length || before.has(cell)) await this.connection.sendDiagnostics({ uri: cell, diagnostics });
    }
    for (const cell of before) if (!byCell.has(cell)) await this.connection.sendDiagnostics({ uri: cell, diagnostics: [] });
    this.published.set(nb.uri, now);
  }

  private closed(nb: NotebookDocument): void {
    this.debouncer.cancel(nb.uri);
    this.results.delete(nb.uri);
    this.savedSinceAnalysis.delete(nb.uri);
    for (const cell of this.published.get(nb.uri) ?? []) {
      this.connection.sendDiagnostics({ uri: cell, diagnostics: [] }).catch((e) => this.host.logError('clearing diagnostics', e));
    }
    this.published.delete(nb.uri);
  }

  // ---- requests on a cell ------------------------------------------------------------------------

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const cellUri = params.textDocument.uri;
    const result = await this.current(cellUri);
    if (!result) return [];
    const index = result.cells.indexOf(cellUri);
    const inCell = result.findings.filter((f) => f.cell === index);
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const fixable = result.findings.some((f) => chooseFix(f, result.settings.unsafeFixAll));
    if (kindRequested(only, CodeActionKind.QuickFix)) {
      const fromContext = params.context.diagnostics.map((d) => findingFor(d, inCell)).filter((f) => f !== undefined);
      const atRange = inCell.filter((f) => touches(f.range, params.range));
      const relevant = [...new Set([...fromContext, ...atRange])];
      for (const finding of relevant) {
        const diagnostic = this.host.diagnostic(finding, cellUri, result.rules, result.settings);
        for (const fix of finding.fixes) {
          if (!fix.edits.length) continue;
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: fix.preferred || undefined,
            edit: this.edit(result, fix.edits.map((e) => ({ ...e, cell: e.cell ?? finding.cell }))),
          });
        }
      }
      if (relevant.length && fixable) actions.push({ title: FIX_ALL_TITLE, kind: CodeActionKind.QuickFix, edit: await this.fixAllEdit(cellUri) });
    }
    if (only && kindRequested(only, FIX_ALL_KIND) && fixable) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: await this.fixAllEdit(cellUri) });
    return actions;
  }

  async hover(cellUri: string, position: Position): Promise<Hover | null> {
    const result = await this.current(cellUri);
    if (!result) return null;
    const index = result.cells.indexOf(cellUri);
    const finding = result.findings.find((f) => f.cell === index && containsPosition(f.range, position.line, position.character));
    if (!finding) return null;
    return { contents: this.host.hover(finding, cellUri, result.settings), range: finding.range };
  }

  /**
   * Fix-all over the whole notebook (engine/notebook's loop), as one minimal edit per changed cell;
   * undefined when nothing applies. Intermediate texts are analysed but never published.
   */
  async fixAllEdit(uri: string): Promise<WorkspaceEdit | undefined> {
    const result = await this.current(uri);
    const nb = this.notebookOf(uri);
    if (!result || !nb) return undefined;
    const outcome = await fixNotebook(
      result.text,
      async (text): Promise<AnalysisResult> => {
        if (text === result.text) return { findings: result.findings, notes: [] };
        const next = await this.host.analyze(this.pathOf(nb), text, result.settings);
        return { findings: next?.findings ?? [], notes: [] };
      },
      { unsafe: result.settings.unsafeFixAll },
    );
    if (!outcome.changedCells.length) return undefined;
    const before = parseNotebook(result.text);
    const after = parseNotebook(outcome.text);
    if (!before.ok || !after.ok) return undefined;
    const edits: TextEdit[] = [];
    for (const cell of outcome.changedCells) {
      const edit = minimalEdit(before.notebook.cells[cell].source, after.notebook.cells[cell].source);
      if (edit) edits.push({ ...edit, cell });
    }
    return this.edit(result, edits);
  }

  /** Edits relative to cells as a workspace edit on the cells' documents (versioned when the client takes that). */
  private edit(result: NotebookResult, edits: readonly TextEdit[]): WorkspaceEdit {
    const byCell = new Map<string, { range: TextEdit['range']; newText: string }[]>();
    for (const e of edits) {
      const uri = e.cell !== undefined ? result.cells[e.cell] : undefined;
      if (!uri) continue;
      const list = byCell.get(uri) ?? [];
      list.push({ range: e.range, newText: e.newText });
      byCell.set(uri, list);
    }
    if (this.host.documentChanges()) {
      return {
        documentChanges: [...byCell].map(([uri, list]) => ({
          textDocument: { uri, version: this.notebooks.cellTextDocuments.get(uri)?.version ?? null },
          edits: list,
        })),
      };
    }
    return { changes: Object.fromEntries(byCell) };
  }
}
