// Owns the language client: starts the bundled server over IPC, restarts it after a crash (a
// bounded number of times), and restarts it on request or when the workspace becomes trusted.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CrashPolicy } from './crashPolicy';
import { ANALYZE_WORKSPACE_COMMAND, DOCUMENT_SELECTOR, EXPLAIN_PROBLEM_COMMAND } from './languages';
import { withoutExecutableSettings } from './trust';

export type ServerState = 'starting' | 'running' | 'stopped';

/** The URI our handler (extension.ts) answers with an explanation; VS Code opens it without asking. */
export function explainUri(context: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: context.extension.id, path: '/explain' });
}

/** The packaged layout keeps the server bundle inside the extension, next to its wasm files. */
export const SERVER_MODULE = ['server', 'out', 'server.js'] as const;

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly crashPolicy = new CrashPolicy();
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  private readonly disposables: vscode.Disposable[] = [];
  private stateValue: ServerState = 'stopped';
  /** Set when the server crashed too often and we stopped restarting it. */
  gaveUp = false;

  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly afterAnalyzeWorkspace: () => void,
  ) {}

  get state(): ServerState {
    return this.stateValue;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  async start(): Promise<void> {
    this.gaveUp = false;
    const client = this.createClient();
    this.client = client;
    this.disposables.push(
      client.onDidChangeState((e) => {
        if (this.client !== client) return;
        this.setState(e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped');
      }),
    );
    this.setState('starting');
    try {
      await client.start();
    } catch (error) {
      this.output.error(`The AsyncGuard server did not start: ${String(error)}`);
      this.setState('stopped');
      throw error;
    }
  }

  /** A restart the user (or trust) asked for: a fresh client and a fresh crash count. */
  async restart(): Promise<void> {
    this.crashPolicy.reset();
    const old = this.client;
    this.client = undefined;
    if (old) {
      this.setState('stopped');
      await old.dispose().catch((error: unknown) => this.output.warn(`Stopping the server: ${String(error)}`));
    }
    await this.start();
  }

  /** Commands the running server implements through `workspace/executeCommand`. */
  serverCommands(): readonly string[] {
    return this.client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  }

  private setState(state: ServerState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.output.info(`Server ${state}`);
    this.stateEmitter.fire(state);
  }

  private createClient(): LanguageClient {
    const module = this.context.asAbsolutePath(SERVER_MODULE.join('/'));
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      initializationOptions: () => ({
        trusted: vscode.workspace.isTrusted,
        // Rule links open the explanation view: the Problems panel's through our URI handler, the
        // hover's (trusted Markdown) through the command.
        explainUri: explainUri(this.context).toString(),
        explainCommand: EXPLAIN_PROBLEM_COMMAND,
      }),
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml'),
      },
      diagnosticCollectionName: 'asyncguard',
      // The hover's "Explain this problem" link runs our command, and only that one.
      markdown: { isTrusted: { enabledCommands: [EXPLAIN_PROBLEM_COMMAND] } },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => this.onServerClosed(),
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (vscode.workspace.isTrusted || !Array.isArray(result)) return result;
            return result.map((value, i) => withoutExecutableSettings(params.items[i]?.section, value));
          },
        },
        executeCommand: async (command, args, next) => {
          const result = await next(command, args);
          if (command === ANALYZE_WORKSPACE_COMMAND) this.afterAnalyzeWorkspace();
          return result;
        },
      },
    };
    return new LanguageClient('asyncguard', 'AsyncGuard', serverOptions, clientOptions);
  }

  private onServerClosed() {
    if (this.crashPolicy.shouldRestartAfterCrash(Date.now())) {
      this.output.warn(`The AsyncGuard server stopped unexpectedly; restarting it (${this.crashPolicy.recentCrashes}).`);
      return { action: CloseAction.Restart, handled: true };
    }
    this.gaveUp = true;
    const message = vscode.l10n.t(
      'The AsyncGuard server crashed {0} times in the last 3 minutes and will not be restarted.',
      this.crashPolicy.recentCrashes,
    );
    this.output.error(message);
    const showOutput = vscode.l10n.t('Show Output');
    const restart = vscode.l10n.t('Restart Server');
    void vscode.window.showErrorMessage(message, showOutput, restart).then((choice) => {
      if (choice === showOutput) this.output.show();
      if (choice === restart) void vscode.commands.executeCommand('asyncguard.restartServer');
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    this.stateEmitter.dispose();
    await this.client?.dispose();
  }
}
