// What a person asks of a finding: its quick fixes and fix-all (code actions, resolved lazily when
// the client can), the refactorings at the cursor, the hover, and the fix-all command. Fix-all runs
// the engine's one fix-all loop (engine/workspace/fixAll.ts), the same as the CLI's --fix.
import { CodeActionKind, ErrorCodes, ResponseError, type CancellationToken, type CodeAction, type Connection } from 'vscode-languageserver/node';
import type { Finding, Range, Refactor } from '../engine/types';
import { chooseFix, fixAll, minimalEdit } from '../engine/workspace/index';
import { APPLY_FIX_ALL_COMMAND } from '../protocol';
import type { AnalysisBackend } from './backend';
import { codeActions, isFixAllData, kindRequested, workspaceEdit } from './codeActions';
import { containsPosition, toDiagnostic } from './diagnostics';
import type { DocumentResult, Documents } from './documents';
import type { ClientFeatures } from './features';
import { hoverContent } from './hover';
import type { Output } from './output';
import type { RuleLinks } from './ruleLinks';
import type { ServerSettings } from './settings';

export interface ActionsHost {
  connection: Connection;
  output: Output;
  documents: Documents;
  features(): ClientFeatures;
  backend(): AnalysisBackend;
  links(): RuleLinks;
}

export class FindingActions {
  constructor(private readonly host: ActionsHost) {}

  async codeActions(params: Parameters<typeof codeActions>[0]['params'], token: CancellationToken): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    if (!params.range || !params.context || !Array.isArray(params.context.diagnostics)) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.range and params.context.diagnostics are required');
    }
    const current = await this.host.documents.currentResult(uri);
    if (!current || token.isCancellationRequested) return [];
    const { document, result } = current;
    if (!result.doc.language) return [];
    const features = this.host.features();
    const version = document.version;
    const text = document.getText();
    // A client that cannot resolve code actions gets the fix-all edit now.
    const unsafeFixAll = result.settings.unsafeFixAll;
    const eager = !features.resolveEdit && result.findings.some((f) => chooseFix(f, unsafeFixAll)) ? await this.fixAllEdit(text, result) : undefined;
    const refactors = kindRequested(params.context.only, CodeActionKind.RefactorRewrite) ? await this.refactors(result, text, params.range) : [];
    if (token.isCancellationRequested) return [];
    const links = this.host.links();
    return codeActions({
      params,
      target: { uri, version, documentChanges: features.documentChanges },
      findings: result.findings,
      diagnosticOf: (f) => toDiagnostic(f, result.rules, links.forFinding(result.settings, f.rule, { uri, range: f.range })),
      lazyFixAll: features.resolveEdit,
      unsafeFixAll,
      fixAllEdit: () => eager,
      refactors,
    });
  }

  async resolveCodeAction(action: CodeAction): Promise<CodeAction> {
    if (!isFixAllData(action?.data)) return action;
    const current = await this.host.documents.currentResult(action.data.uri);
    if (!current) return action;
    const version = current.document.version;
    const edit = await this.fixAllEdit(current.document.getText(), current.result);
    action.edit = workspaceEdit({ uri: action.data.uri, version, documentChanges: this.host.features().documentChanges }, edit ? [edit] : []);
    return action;
  }

  async hover(params: { textDocument: { uri: string }; position: { line: number; character: number } }) {
    const uri = params.textDocument.uri;
    const position = params.position;
    if (typeof position?.line !== 'number' || typeof position?.character !== 'number') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'params.position is required');
    }
    const current = await this.host.documents.currentResult(uri);
    if (!current) return null;
    const finding = current.result.findings.find((f) => containsPosition(f.range, position.line, position.character));
    if (!finding) return null;
    return { contents: this.hoverContents(finding, uri, current.result.settings), range: finding.range };
  }

  /** The hover of a finding in the document (or notebook cell) `uri`. */
  hoverContents(finding: Finding, uri: string, settings: ServerSettings) {
    const links = this.host.links();
    const explain = links.explainCommand(finding.rule, { uri, range: finding.range });
    return hoverContent(finding, explain ? { explain } : { page: links.page(settings, finding.rule) });
  }

  /** The fix-all command: applies the document's fix-all edit; false when there is nothing to apply. */
  async applyFixAll(uri: string): Promise<boolean> {
    const current = await this.host.documents.currentResult(uri);
    if (!current) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not open`);
    const version = current.document.version;
    const edit = await this.fixAllEdit(current.document.getText(), current.result);
    if (!edit) return false;
    const target = { uri, version, documentChanges: this.host.features().documentChanges };
    const applied = await this.host.connection.workspace.applyEdit({ label: FIX_ALL_LABEL, edit: workspaceEdit(target, [edit]) });
    return applied.applied;
  }

  /** The engine's refactorings at the range; none (logged) when it fails, so the quick fixes still come. */
  private async refactors(result: DocumentResult, text: string, range: Range): Promise<Refactor[]> {
    if (result.skipped) return [];
    try {
      return await this.host.backend().refactors({ path: result.doc.path, text, range, rules: result.rules });
    } catch (e) {
      this.host.output.error(`looking for refactorings in ${result.doc.path}`, e);
      return [];
    }
  }

  /** The fix-all edit for `original`, the text `result` was computed from. Intermediate texts never reach the module index. */
  private async fixAllEdit(original: string, result: DocumentResult) {
    const { text } = await fixAll(
      original,
      async (t) => {
        // a partial result lacks the findings outside the edited function
        if (t === original && !result.partial) return { findings: result.findings, notes: [] };
        const next = await this.host.documents.analyzeText(result.doc, t, undefined, result.settings);
        return { findings: next && next !== 'superseded' ? next.findings : [], notes: [] };
      },
      { unsafe: result.settings.unsafeFixAll },
    );
    return minimalEdit(original, text);
  }
}

/** The label of the fix-all edit, as the editor's undo shows it. */
export const FIX_ALL_LABEL = 'Fix all AsyncGuard problems';

/** The document the fix-all command names: its first argument, a uri or an object with one. */
export function fixAllTarget(args: unknown[] | undefined): string {
  const arg = args?.[0] as { uri?: unknown } | string | undefined;
  const uri = typeof arg === 'string' ? arg : arg?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${APPLY_FIX_ALL_COMMAND} needs a document uri`);
  return uri;
}
