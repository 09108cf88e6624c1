// The explanation view: one webview panel, reused, showing a rule's page from docs/rules in the
// display language, with the offending line quoted when it comes from a finding; or a concept's
// page from docs/concepts (rule pages link to them).
import * as vscode from 'vscode';
import { CONCEPTS, RULES } from '../../../server/src/protocol';
import { EXPLAIN_RULE_COMMAND } from '../languages';
import { docFileNames, docLanguageFor, renderExplanationHtml, type DocLanguage, type QuotedLine } from './ruleDocs';

export const EXPLANATION_VIEW_TYPE = 'asyncguard.explanation';

export interface ExplainRequest {
  rule: string;
  /** Defaults to the page for VS Code's display language. */
  language?: DocLanguage;
  quote?: QuotedLine;
}

export interface ShownExplanation {
  rule: string;
  language: DocLanguage;
  /** The page file that was rendered, relative to docs/rules. */
  file: string;
  html: string;
}

export class ExplanationView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** What the panel shows: rule, language and quote. */
  private panelKey: string | undefined;
  private shown: ShownExplanation | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** What the panel shows now (undefined once it is closed). */
  get current(): ShownExplanation | undefined {
    return this.panel ? this.shown : undefined;
  }

  async show(request: ExplainRequest): Promise<ShownExplanation> {
    const language = request.language ?? docLanguageFor(vscode.env.language);
    const { file, markdown } = await this.readPage(request.rule, language);
    const panel = this.panelFor(request);
    const pageLanguage: DocLanguage = file.endsWith('.zh-CN.md') ? 'zh-CN' : 'en';
    const html = renderExplanationHtml({
      rule: request.rule,
      language: pageLanguage,
      markdown,
      quote: request.quote,
      quoteHeading: request.quote
        ? vscode.l10n.t('Found in {0}, line {1}:', request.quote.file, request.quote.line)
        : undefined,
      explainCommand: EXPLAIN_RULE_COMMAND,
      knownRules: [...RULES.map((r) => r.id), ...CONCEPTS.map((c) => c.id)],
      cspSource: panel.webview.cspSource,
    });
    const concept = conceptOf(request.rule);
    panel.title = vscode.l10n.t('AsyncGuard: {0}', concept ? vscode.l10n.t(concept.title) : request.rule);
    panel.webview.html = html;
    panel.reveal(undefined, false);
    this.shown = { rule: request.rule, language: pageLanguage, file, html };
    return this.shown;
  }

  private async readPage(rule: string, language: DocLanguage): Promise<{ file: string; markdown: string }> {
    for (const file of docFileNames(rule, language)) {
      const uri = vscode.Uri.joinPath(this.extensionUri, 'docs', conceptOf(rule) ? 'concepts' : 'rules', file);
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        return { file, markdown: new TextDecoder().decode(bytes) };
      } catch {
        // try the next candidate
      }
    }
    throw new Error(vscode.l10n.t('There is no explanation page for the rule {0}.', rule));
  }

  /**
   * The panel to show `request` in. A webview keeps its scroll position when its HTML is replaced,
   * so another page (or the same page for another finding) gets a fresh panel in the same place:
   * every page opens at its top, where the quoted line is.
   */
  private panelFor(request: ExplainRequest): vscode.WebviewPanel {
    const key = JSON.stringify([request.rule, request.language ?? '', request.quote ?? null]);
    if (this.panel && this.panelKey === key) return this.panel;
    const column = this.panel?.viewColumn;
    this.panel?.dispose();
    this.panelKey = key;
    return this.createPanel(column);
  }

  private createPanel(column: vscode.ViewColumn | undefined): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      EXPLANATION_VIEW_TYPE,
      'AsyncGuard',
      { viewColumn: column ?? vscode.ViewColumn.Beside, preserveFocus: false },
      {
        enableScripts: false,
        enableFindWidget: true,
        enableCommandUris: [EXPLAIN_RULE_COMMAND],
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'docs')],
      },
    );
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

function conceptOf(id: string) {
  return CONCEPTS.find((c) => c.id === id);
}
