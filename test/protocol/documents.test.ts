// The language server over stdio: document sync, versioned push diagnostics, debouncing, close.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { root, SEED, TestClient } from './lspClient';

const URI = 'file:///virtual/project/app.py';

describe('language server: documents and diagnostics', () => {
  let client: TestClient;
  let capabilities: any;

  before(async () => {
    const started = await TestClient.start();
    client = started.client;
    capabilities = started.init.capabilities;
  });
  after(() => client.dispose());

  it('announces incremental sync, code actions, hover and its commands', () => {
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.asyncguard', 'refactor.rewrite'], resolveProvider: true });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.executeCommandProvider.commands, ['asyncguard.analyzeWorkspace', 'asyncguard.applyFixAll']);
    // This client did not advertise pull diagnostics, so the server pushes them.
    assert.equal(capabilities.diagnosticProvider, undefined);
  });

  it('publishes the finding of an opened document with its version', async () => {
    await client.open(URI, SEED, 1);
    const diagnostics = await client.diagnosticsFor(URI, 1);
    assert.deepEqual(diagnostics, [
      {
        range: { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } },
        severity: 2,
        source: 'asyncguard',
        code: 'unawaited-coroutine',
        // no explanation view in this client: the rule's page as shipped beside the server
        codeDescription: { href: pathToFileURL(join(root, 'docs', 'rules', 'unawaited-coroutine.md')).href },
        message: '“nested()” creates a coroutine that is never awaited, so “nested” never runs',
      },
    ]);
  });

  it('follows incremental edits: the finding moves with the text and goes away when fixed', async () => {
    await client.change(URI, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import asyncio\n\n' }]);
    const moved = await client.diagnosticsFor(URI, 2);
    assert.deepEqual(
      moved.map((d) => [d.code, d.range]),
      [['unawaited-coroutine', { start: { line: 6, character: 4 }, end: { line: 6, character: 12 } }]],
    );
    await client.change(URI, 3, [{ range: { start: { line: 6, character: 4 }, end: { line: 6, character: 4 } }, text: 'await ' }]);
    assert.deepEqual(await client.diagnosticsFor(URI, 3), []);
  });

  it('after a burst of 200 edits publishes only for the last version', async () => {
    const uri = 'file:///virtual/project/burst.py';
    await client.open(uri, SEED, 1);
    await client.diagnosticsFor(uri, 1);
    const before = client.published.length;
    // Each edit adds a comment line above everything, so the finding ends 200 lines lower.
    for (let v = 2; v <= 201; v++) {
      void client.change(uri, v, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: `# edit ${v}\n` }]);
    }
    const final = await client.diagnosticsFor(uri, 201, before);
    assert.deepEqual(
      final.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['unawaited-coroutine', 204, 4]],
    );
    await new Promise((r) => setTimeout(r, 400));
    const burst = client.publishedFor(uri).slice(1);
    const versions = burst.map((p) => p.version);
    // Superseded versions are never published after a newer one, and the last word is version 201.
    assert.deepEqual(versions, [...versions].sort((a, b) => a! - b!));
    assert.equal(versions.at(-1), 201);
    assert.ok(burst.length <= 3, `expected the burst to be debounced, got publications for versions ${versions.join(', ')}`);
  });

  it('an edit that changes a function others call: its own finding at once, the callers\' after the typing pauses', async () => {
    const uri = 'file:///virtual/project/partial.py';
    const text = 'import asyncio\n\n\ndef helper():\n    return 2\n\n\ndef run():\n    helper()\n';
    await client.open(uri, text, 1);
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
    const before = client.published.length;
    // `def helper` becomes `async def helper` with a dropped coroutine in it: run()'s call now drops one too
    await client.change(uri, 2, [
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'async ' },
      { range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, text: 'asyncio.sleep(1)\n    ' },
    ]);
    const lines = (d: { range: { start: { line: number } } }[]) => d.map((x) => x.range.start.line + 1);
    await client.diagnosticsFor(uri, 2, before);
    await new Promise((r) => setTimeout(r, 800));
    const published = client.publishedFor(uri).filter((p) => p.version === 2).map((p) => lines(p.diagnostics));
    // helper() alone first, then the whole file
    assert.deepEqual(published, [[5], [5, 10]]);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = 'file:///virtual/project/closing.py';
    await client.open(uri, SEED, 1);
    assert.equal((await client.diagnosticsFor(uri, 1)).length, 1);
    const before = client.published.length;
    await client.close(uri);
    assert.deepEqual(await client.diagnosticsFor(uri, undefined, before), []);
  });

  it('treats an untitled Python buffer by its language id', async () => {
    const uri = 'untitled:Untitled-1';
    await client.open(uri, SEED, 1, 'python');
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).map((d) => d.code), ['unawaited-coroutine']);
    await client.close(uri);
  });

  it('gives files it does not analyse empty diagnostics', async () => {
    const uri = 'file:///virtual/project/notes.txt';
    await client.open(uri, 'nested()\n', 1, 'plaintext');
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
  });

  it('shuts down and exits with code 0', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});
