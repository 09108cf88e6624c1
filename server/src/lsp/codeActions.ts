// Code actions for a document's findings: every engine fix as a quick fix (the engines offer the
// suppression comment as one of them), and fix-all (as a quick fix and as `source.fixAll.asyncguard` for codeActionsOnSave). Fix-all edits
// need repeated analysis, so they are left for codeAction/resolve when the client supports it.
// Refactorings the user asks for at a selection ("Run concurrently") come as `refactor.rewrite`
// actions: never tied to a diagnostic, never part of fix-all.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Position, Range, Refactor, TextEdit } from '../engine/types';
import { chooseFix } from '../engine/workspace/index';
import { FIX_ALL_KIND } from '../protocol';
import { findingFor } from './diagnostics';

export const FIX_ALL_TITLE = 'Fix all AsyncGuard problems in this file';

export interface FixAllData {
  asyncguard: 'fixAll';
  uri: string;
  version: number;
}

export function isFixAllData(data: unknown): data is FixAllData {
  const d = data as FixAllData | undefined;
  return typeof d === 'object' && d !== null && d.asyncguard === 'fixAll' && typeof d.uri === 'string';
}

export interface EditTarget {
  uri: string;
  version: number;
  /** Versioned edits (`documentChanges`) let the client refuse edits meant for an older text. */
  documentChanges: boolean;
}

export function workspaceEdit(target: EditTarget, edits: readonly (TextEdit | LspTextEdit)[]): WorkspaceEdit {
  const list = edits.map((e) => ({ range: e.range, newText: e.newText }));
  if (target.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: target.uri, version: target.version }, edits: list }] };
  }
  return { changes: { [target.uri]: list } };
}

/** `requested` asks for `kind` when it equals it or is one of its parents (`source` covers `source.fixAll.x`). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return !kind.startsWith(CodeActionKind.Source);
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

export interface CodeActionInput {
  params: CodeActionParams;
  target: EditTarget;
  findings: readonly Finding[];
  diagnosticOf: (finding: Finding) => Diagnostic;
  /** When false, fix-all actions carry their edit; otherwise it is computed on resolve. */
  lazyFixAll: boolean;
  /** Fix-all applies unsafe fixes too (the `asyncguard.fixAll.unsafeFixes` setting). */
  unsafeFixAll: boolean;
  fixAllEdit: () => TextEdit | undefined;
  /** The engine's refactorings at the range (asked for only when `refactor.rewrite` is requested). */
  refactors?: readonly Refactor[];
}

function notAfter(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character <= q.character);
}

/** Ranges that overlap or meet: a cursor at either end of a call still gets its fixes. */
export function touches(a: Range, b: Range): boolean {
  return notAfter(a.start, b.end) && notAfter(b.start, a.end);
}

export function codeActions(input: CodeActionInput): CodeAction[] {
  const { params, findings } = input;
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (kindRequested(only, CodeActionKind.QuickFix)) {
    const inContext = params.context.diagnostics
      .map((d) => findingFor(d, findings))
      .filter((f): f is Finding => f !== undefined);
    const atRange = findings.filter((f) => touches(f.range, params.range));
    const relevant = [...new Set([...inContext, ...atRange])];
    for (const finding of relevant) actions.push(...quickFixes(input, finding));
    if (relevant.length > 0 && findings.some((f) => chooseFix(f, input.unsafeFixAll))) {
      actions.push(fixAllAction(input, CodeActionKind.QuickFix));
    }
  }
  if (only && kindRequested(only, FIX_ALL_KIND) && findings.some((f) => chooseFix(f, input.unsafeFixAll))) {
    actions.push(fixAllAction(input, FIX_ALL_KIND));
  }
  if (kindRequested(only, CodeActionKind.RefactorRewrite)) {
    for (const r of input.refactors ?? []) {
      actions.push({ title: r.title, kind: CodeActionKind.RefactorRewrite, edit: workspaceEdit(input.target, r.edits) });
    }
  }
  return actions;
}

function quickFixes(input: CodeActionInput, finding: Finding): CodeAction[] {
  const diagnostic = matchingContextDiagnostic(input, finding) ?? input.diagnosticOf(finding);
  const actions: CodeAction[] = [];
  for (const fix of finding.fixes) {
    if (fix.edits.length === 0) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.preferred || undefined,
      edit: workspaceEdit(input.target, fix.edits),
    });
  }
  return actions;
}

function matchingContextDiagnostic(input: CodeActionInput, finding: Finding): Diagnostic | undefined {
  return input.params.context.diagnostics.find((d) => findingFor(d, [finding]) !== undefined);
}

function fixAllAction(input: CodeActionInput, kind: string): CodeAction {
  const action: CodeAction = { title: FIX_ALL_TITLE, kind };
  if (input.lazyFixAll) {
    const data: FixAllData = { asyncguard: 'fixAll', uri: input.target.uri, version: input.target.version };
    action.data = data;
  } else {
    const edit = input.fixAllEdit();
    action.edit = workspaceEdit(input.target, edit ? [edit] : []);
  }
  return action;
}
