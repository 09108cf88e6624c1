// AsyncGuard for VS Code: starts the bundled language server and adds the explanation commands
// and the status item. Diagnostics, quick fixes and hovers come from the server.
import * as vscode from 'vscode';
import { registerAnalyzeWorkspaceFallback, registerCommands, reportWorkspaceFindings, type CommandDeps } from './commands';
import { ExplanationView, type ShownExplanation } from './explain/explanationView';
import { EXPLAIN_PROBLEM_COMMAND, EXPLAIN_RULE_COMMAND, LANGUAGE_IDS } from './languages';
import { explainUri, ServerController, type ServerState } from './serverController';
import { countFindings, ServerStatus, type FindingCount } from './status';

/** What `activate` returns; the extension-host tests read it. */
export interface AsyncGuardApi {
  readonly serverState: ServerState;
  /** Resolves once the server runs (or rejects after `timeoutMs`). */
  whenRunning(timeoutMs?: number): Promise<void>;
  findings(): FindingCount;
  /** The explanation panel's content, while it is open. */
  readonly explanation: ShownExplanation | undefined;
  readonly status: { text: string; detail: string | undefined };
}

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<AsyncGuardApi> {
  const output = vscode.window.createOutputChannel('AsyncGuard', { log: true });
  const explanations = new ExplanationView(context.extensionUri);
  const status = new ServerStatus();
  server = new ServerController(context, output, reportWorkspaceFindings);
  const controller = server;
  context.subscriptions.push(output, explanations, status, controller, controller.onDidChangeState((s) => status.setState(s)));
  void vscode.commands.executeCommand('setContext', 'asyncguard.languages', LANGUAGE_IDS);

  const deps: CommandDeps = { server: controller, explanations, output };
  const manifest = context.extension.packageJSON as { version?: string };
  output.info(`AsyncGuard ${manifest.version ?? ''} in ${vscode.env.appName} ${vscode.version}, display language ${vscode.env.language}`);
  registerCommands(context, deps);
  context.subscriptions.push(vscode.window.registerUriHandler({ handleUri: (uri) => handleExplainUri(context, uri) }));
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: restarting the server so it may use every setting');
      void controller.restart();
    }),
  );

  try {
    await controller.start();
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The AsyncGuard server did not start: {0}', String(error)));
  }
  registerAnalyzeWorkspaceFallback(context, deps);

  return {
    get serverState() {
      return controller.state;
    },
    whenRunning: (timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (controller.state === 'running') return resolve();
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`server not running after ${timeoutMs} ms (state ${controller.state})`));
        }, timeoutMs);
        const sub = controller.onDidChangeState((s) => {
          if (s !== 'running') return;
          clearTimeout(timer);
          sub.dispose();
          resolve();
        });
      }),
    findings: countFindings,
    get explanation() {
      return explanations.current;
    },
    get status() {
      return { text: status.text, detail: status.detail };
    },
  };
}

/** Rule links (explainUri): `…/explain?rule=R`, with `uri`, `line` and `character` for a finding. */
async function handleExplainUri(context: vscode.ExtensionContext, uri: vscode.Uri): Promise<void> {
  if (uri.path !== explainUri(context).path) return;
  const query = new URLSearchParams(uri.query);
  const rule = query.get('rule');
  if (!rule) return;
  const target = query.get('uri');
  const line = Number(query.get('line'));
  if (target && Number.isInteger(line) && line >= 0) {
    const character = Number(query.get('character')) || 0;
    await vscode.commands.executeCommand(EXPLAIN_PROBLEM_COMMAND, { rule, uri: target, range: { start: { line, character }, end: { line, character } } });
  } else {
    await vscode.commands.executeCommand(EXPLAIN_RULE_COMMAND, rule);
  }
}

export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
