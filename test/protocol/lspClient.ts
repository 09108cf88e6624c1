// A minimal LSP client for the protocol tests: spawns the bundled server over stdio and speaks
// JSON-RPC with vscode-jsonrpc, recording what the server sends on its own.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const root = join(__dirname, '..', '..');
export const serverPath = join(root, 'server', 'out', 'server.js');

/** The seed every protocol test starts from: one unawaited coroutine, `nested()` on line 5. */
export const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';

export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceEdit: { documentChanges: true },
    didChangeConfiguration: { dynamicRegistration: false },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { versionSupport: true },
    codeAction: {
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** The client's display language (InitializeParams.locale). */
  locale?: string;
  /** What the client answers to workspace/configuration for section "asyncguard". */
  settings?: unknown;
  rootPath?: string;
  /** Extra node flags for the server process (the soak benchmark passes --expose-gc). */
  nodeArgs?: string[];
}

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: Array<{ token: string | number; value: any }> = [];
  readonly appliedEdits: WorkspaceEdit[] = [];
  /** What the server registered through client/registerCapability. */
  readonly registrations: Array<{ method: string; registerOptions?: any }> = [];
  readonly logs: string[] = [];
  configurationRequests = 0;
  refreshRequests = 0;
  settings: unknown;
  stderr = '';
  exitCode: number | null | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
    settings: unknown,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve((this.exitCode = code))));
    process.stderr.on('data', (d) => (this.stderr += d));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.wake();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    connection.onNotification('$/progress', (p: { token: string; value: unknown }) => {
      this.progress.push(p);
      this.wake();
    });
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => {
      this.configurationRequests++;
      return p.items.map(() => this.settings ?? null);
    });
    connection.onRequest('client/registerCapability', (p: { registrations: Array<{ method: string; registerOptions?: any }> }) => {
      this.registrations.push(...p.registrations);
      this.wake();
      return null;
    });
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshRequests++;
      this.wake();
      return null;
    });
    connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p.edit);
      return { applied: true };
    });
    connection.listen();
  }

  static async start(options: StartOptions = {}): Promise<{ client: TestClient; init: InitializeResult }> {
    if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run node scripts/build.mjs`);
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverPath, '--stdio'], { cwd: root });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection, options.settings);
    const rootUri = options.rootPath ? `file://${options.rootPath}` : null;
    const init = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'workspace' }] : null,
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
      ...(options.locale ? { locale: options.locale } : {}),
    })) as InitializeResult;
    await connection.sendNotification('initialized', {});
    return { client, init };
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `check` returns a value other than undefined, re-checked on every message. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          finish();
          reject(e);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; logs: ${this.logs.join('\n')}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      this.waiters.add(attempt);
      attempt();
    });
  }

  /** The first publication for `uri` at `version` (or unversioned, when `version` is undefined) after `from`. */
  diagnosticsFor(uri: string, version: number | undefined, from = 0): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri} version ${version}`, () =>
      this.published.slice(from).find((p) => p.uri === uri && p.version === version)?.diagnostics,
    );
  }

  /** Waits until the latest publication for `uri` satisfies `accept` (several may come as settings settle). */
  settledDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri} (last published: ${JSON.stringify(this.publishedFor(uri).at(-1))})`, () => {
      const last = this.publishedFor(uri).at(-1);
      return last && accept(last.diagnostics) ? last.diagnostics : undefined;
    });
  }

  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  open(uri: string, text: string, version = 1, languageId = 'python'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R = any>(method: string, params?: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params?: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  /** Writes raw bytes to the server's stdin, bypassing the JSON-RPC writer. */
  writeRaw(body: string): void {
    this.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    this.connection.dispose();
    if (code === 'timeout') {
      this.process.kill();
      throw new Error('the server did not exit after shutdown/exit');
    }
    return code;
  }

  /** For `after` hooks: ends the server however it is doing. */
  async dispose(): Promise<void> {
    if (this.exitCode !== undefined) return;
    try {
      await Promise.race([this.shutdown(), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // already gone
    }
    if (this.exitCode === undefined) this.process.kill();
  }
}
