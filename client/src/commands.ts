// The palette commands (category "AsyncGuard"). Analyze Workspace is implemented by the server
// (`workspace/executeCommand`); the language client registers it when the server declares it.
import * as vscode from 'vscode';
import { CONCEPTS } from '../../server/src/engine/concepts';
import { RULES } from '../../server/src/engine/rules';
import type { ExplanationView } from './explain/explanationView';
import type { DocLanguage } from './explain/ruleDocs';
import { ANALYZE_WORKSPACE_COMMAND, DIAGNOSTIC_SOURCE, FIX_ALL_KIND, LANGUAGE_IDS } from './languages';
import type { ServerController } from './serverController';
import { countFindings } from './status';

export interface CommandDeps {
  server: ServerController;
  explanations: ExplanationView;
  output: vscode.LogOutputChannel;
}

/** Programmatic options of the explain commands (the palette passes none). */
export interface ExplainOptions {
  language?: DocLanguage;
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return code ? String(code.value) : undefined;
}

/** The AsyncGuard diagnostic under the cursor, else the first one on the cursor's line. */
export function diagnosticAt(uri: vscode.Uri, position: vscode.Position): vscode.Diagnostic | undefined {
  const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  return (
    ours.find((d) => d.range.contains(position)) ??
    ours.filter((d) => d.range.start.line <= position.line && position.line <= d.range.end.line)[0]
  );
}

/** What the server's hover link passes: the finding to explain, not the cursor's. */
interface FindingReference {
  rule: string;
  uri: string;
  range: { start: { line: number; character: number } };
}

function isFindingReference(value: unknown): value is FindingReference {
  const v = value as FindingReference | undefined;
  return typeof v?.rule === 'string' && typeof v.uri === 'string' && typeof v.range?.start?.line === 'number';
}

async function quoteLine(uri: vscode.Uri, line: number) {
  const document = await vscode.workspace.openTextDocument(uri);
  return {
    file: vscode.workspace.asRelativePath(uri, false),
    line: line + 1,
    text: line < document.lineCount ? document.lineAt(line).text : '',
  };
}

async function explainProblemAtCursor(deps: CommandDeps, arg?: ExplainOptions | FindingReference) {
  if (isFindingReference(arg)) {
    return deps.explanations.show({ rule: arg.rule, quote: await quoteLine(vscode.Uri.parse(arg.uri), arg.range.start.line) });
  }
  const options: ExplainOptions = arg && typeof arg === 'object' && 'language' in arg ? arg : {};
  const editor = vscode.window.activeTextEditor;
  const diagnostic = editor && diagnosticAt(editor.document.uri, editor.selection.active);
  const rule = diagnostic && ruleIdOf(diagnostic);
  if (!editor || !diagnostic || !rule) {
    const pick = vscode.l10n.t('Explain a Rule…');
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no AsyncGuard problem at the cursor.'), pick).then((choice) => {
      if (choice === pick) void vscode.commands.executeCommand('asyncguard.explainRule');
    });
    return undefined;
  }
  return deps.explanations.show({
    rule,
    language: options.language,
    quote: await quoteLine(editor.document.uri, diagnostic.range.start.line),
  });
}

async function explainRule(deps: CommandDeps, rule?: string, options: ExplainOptions = {}) {
  if (typeof rule !== 'string') {
    const languageName = { python: 'Python', typescript: 'TypeScript / JavaScript' } as const;
    const picked = await vscode.window.showQuickPick(
      [
        ...RULES.map((r) => ({ id: r.id, label: r.id, description: languageName[r.language], detail: vscode.l10n.t(r.summary) })),
        ...CONCEPTS.map((c) => ({ id: c.id, label: vscode.l10n.t('Explain: {0}', vscode.l10n.t(c.title)), detail: vscode.l10n.t(c.summary) })),
      ],
      { title: vscode.l10n.t('Explain a Rule'), placeHolder: vscode.l10n.t('Which rule should be explained?'), matchOnDetail: true },
    );
    if (!picked) return undefined;
    rule = picked.id;
  }
  return deps.explanations.show({ rule, language: options.language });
}

/** Applies the server's `source.fixAll.asyncguard` action to the active file. */
async function fixAllInFile(): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !(LANGUAGE_IDS as readonly string[]).includes(editor.document.languageId)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Python, TypeScript or JavaScript file to fix its AsyncGuard problems.'));
    return false;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL_KIND,
      1,
    )) ?? [];
  const fixAllKind = vscode.CodeActionKind.SourceFixAll.append('asyncguard');
  const fixAll = actions.find((a) => a.kind && fixAllKind.contains(a.kind));
  if (!fixAll || (!fixAll.edit && !fixAll.command)) {
    // findings whose fixes are all unsafe (docs/concepts/fix-safety.md) are left to the light bulb
    const problems = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'asyncguard').length;
    void vscode.window.showInformationMessage(
      problems
        ? vscode.l10n.t('AsyncGuard has no safe fix for this file: choose a fix from the light bulb (Ctrl+.), or let Fix All apply unsafe fixes with the setting asyncguard.fixAll.unsafeFixes.')
        : vscode.l10n.t('AsyncGuard has nothing to fix in this file.'),
    );
    return false;
  }
  if (fixAll.edit) await vscode.workspace.applyEdit(fixAll.edit);
  if (fixAll.command) await vscode.commands.executeCommand(fixAll.command.command, ...(fixAll.command.arguments ?? []));
  return true;
}

/** Used when the server does not implement the command itself. */
async function analyzeWorkspaceFallback(deps: CommandDeps) {
  const client = deps.server.languageClient;
  if (!client || deps.server.state !== 'running') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The AsyncGuard server is not running.'));
    return;
  }
  await client.sendRequest('workspace/executeCommand', { command: ANALYZE_WORKSPACE_COMMAND, arguments: [] });
  reportWorkspaceFindings();
}

export function reportWorkspaceFindings(): void {
  const { problems, files } = countFindings();
  void vscode.window.showInformationMessage(vscode.l10n.t('AsyncGuard found {0} problems in {1} files.', problems, files));
}

export function registerCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('asyncguard.explainProblem', (arg?: ExplainOptions | FindingReference) =>
      explainProblemAtCursor(deps, arg),
    ),
    vscode.commands.registerCommand('asyncguard.explainRule', (rule?: string, options?: ExplainOptions) =>
      explainRule(deps, rule, options),
    ),
    vscode.commands.registerCommand('asyncguard.fixAll', () => fixAllInFile()),
    vscode.commands.registerCommand('asyncguard.showOutput', () => deps.output.show(true)),
    vscode.commands.registerCommand('asyncguard.restartServer', async () => {
      await deps.server.restart();
      deps.output.info('Server restarted on request');
    }),
  );
}

/** Registers Analyze Workspace ourselves only if the server did not declare it. */
export function registerAnalyzeWorkspaceFallback(context: vscode.ExtensionContext, deps: CommandDeps): void {
  if (deps.server.serverCommands().includes(ANALYZE_WORKSPACE_COMMAND)) return;
  context.subscriptions.push(vscode.commands.registerCommand(ANALYZE_WORKSPACE_COMMAND, () => analyzeWorkspaceFallback(deps)));
}
