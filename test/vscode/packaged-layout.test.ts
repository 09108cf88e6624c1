// The .vsix holds only what .vscodeignore lets through. This copies exactly those files into an
// empty folder, as an installed extension has them, and checks that the language server started
// from there analyses the example like the one in the repository does (so nothing it loads at
// run time — WebAssembly, stdlib summaries, workers — was left out).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { packagedFiles } from '../../scripts/package.mjs';

const root = join(import.meta.dirname, '..', '..');
const examples = [
  { file: join(root, 'examples', 'orders', 'service.py'), languageId: 'python' },
  // the TypeScript engine is a bundle of its own, loaded on the first TS file
  { file: join(root, 'examples', 'web', 'cart.ts'), languageId: 'typescript' },
];

interface PulledDiagnostic {
  range: { start: { line: number } };
  code: string;
}

async function pullFindings(serverJs: string, example: string, languageId: string): Promise<string[]> {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection: MessageConnection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  connection.listen();
  try {
    const folder = pathToFileURL(join(root, 'examples')).href;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'examples' }],
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
      initializationOptions: { trusted: true },
    });
    connection.sendNotification('initialized', {});
    const uri = pathToFileURL(example).href;
    connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text: readFileSync(example, 'utf8') },
    });
    const report = await connection.sendRequest<{ items: PulledDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    return report.items.map((d) => `${d.range.start.line + 1}: ${d.code}`).sort();
  } finally {
    child.kill();
    await exited;
    connection.dispose();
  }
}

describe('the packaged extension layout', () => {
  let installed: string;

  before(async () => {
    installed = mkdtempSync(join(tmpdir(), 'asyncguard-packaged-'));
    for (const file of await packagedFiles()) {
      mkdirSync(dirname(join(installed, file)), { recursive: true });
      copyFileSync(join(root, file), join(installed, file));
    }
  });

  after(() => rmSync(installed, { recursive: true, force: true }));

  test('leaves out sources, maps, tests and the CLI', async () => {
    // TypeScript's lib.*.d.ts beside the bundle are data the TS engine reads, not sources
    const files = (await packagedFiles()).filter((f) => !/^server\/out\/lib\.[\w.]+\.d\.ts$/.test(f));
    assert.deepEqual(files.filter((f) => /\.(ts|map)$|^test\/|^client\/src\/|^server\/src\/|node_modules|server\/out\/cli\.js/.test(f)), []);
  });

  test('ships the TypeScript lib files the TS engine needs', async () => {
    assert.ok((await packagedFiles()).includes('server/out/lib.es5.d.ts'));
  });

  test('ships the concept pages the explanation view shows beside the rule pages', async () => {
    const files = await packagedFiles();
    for (const page of ['docs/concepts/concurrency.md', 'docs/concepts/concurrency.zh-CN.md', 'docs/rules/dangling-task.md']) assert.ok(files.includes(page), page);
  });

  for (const { file, languageId } of examples) {
    test(`its server finds what the repository’s server finds (${languageId})`, async () => {
      const expected = [...readFileSync(file, 'utf8').split('\n').entries()]
        .flatMap(([i, line]) => [...line.matchAll(/(?:#|\/\/) expect: ([\w-]+)/g)].map((m) => `${i + 1}: ${m[1]}`))
        .sort();
      assert.ok(expected.length >= 2);
      assert.deepEqual(await pullFindings(join(root, 'server', 'out', 'server.js'), file, languageId), expected);
      assert.deepEqual(await pullFindings(join(installed, 'server', 'out', 'server.js'), file, languageId), expected);
    });
  }
});
