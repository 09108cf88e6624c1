// The server speaks node IPC (what vscode-languageclient uses) as well as stdio.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { SEED, serverPath } from './lspClient';

describe('language server: transports', () => {
  it('serves diagnostics over node IPC', async () => {
    const child = fork(serverPath, ['--node-ipc'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<any>((resolve) =>
        connection.onNotification('textDocument/publishDiagnostics', (p: any) => {
          if (p.version === 1) resolve(p);
        }),
      );
      connection.listen();
      const init: any = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      assert.equal(init.serverInfo.name, 'asyncguard');
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: 'file:///virtual/ipc.py', languageId: 'python', version: 1, text: SEED },
      });
      const params = await published;
      assert.deepEqual(params.diagnostics.map((d: any) => [d.code, d.range.start.line, d.range.start.character]), [
        ['unawaited-coroutine', 4, 4],
      ]);
      await connection.sendRequest('shutdown');
      const exited = once(child, 'exit');
      await connection.sendNotification('exit');
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
