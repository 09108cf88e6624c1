// The server answers bad input with errors and keeps serving: unknown methods, malformed params,
// broken JSON, edits for documents it never saw, and text no parser likes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED, TestClient } from './lspClient';

const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;

async function errorOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code: number; message: string };
  }
  assert.fail('expected an error response');
}

describe('language server: robustness', () => {
  let client: TestClient;
  const uri = 'file:///virtual/robust.py';

  /** The server still works: a fresh document gets its finding. */
  async function stillServing(version: number) {
    const probe = `file:///virtual/probe-${version}.py`;
    await client.open(probe, SEED, version);
    assert.deepEqual((await client.diagnosticsFor(probe, version)).map((d) => d.code), ['unawaited-coroutine']);
  }

  before(async () => {
    client = (await TestClient.start()).client;
    await client.open(uri, SEED, 1);
    await client.diagnosticsFor(uri, 1);
  });
  after(() => client.dispose());

  it('answers an unknown request with MethodNotFound', async () => {
    const error = await errorOf(client.request('asyncguard/noSuchThing', { x: 1 }));
    assert.equal(error.code, METHOD_NOT_FOUND);
    await client.notify('asyncguard/noSuchNotification', { x: 1 });
    await stillServing(1);
  });

  it('answers malformed params with InvalidParams', async () => {
    for (const [method, params] of [
      ['textDocument/hover', {}],
      ['textDocument/hover', { textDocument: { uri }, position: 'here' }],
      ['textDocument/codeAction', { textDocument: { uri: 42 } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: null, context: null }],
      ['textDocument/diagnostic', { textDocument: null }],
      ['workspace/executeCommand', { command: 'asyncguard.applyFixAll', arguments: [{ uri: 7 }] }],
      ['workspace/executeCommand', { command: 'rm -rf /' }],
    ] as const) {
      const error = await errorOf(client.request(method, params));
      assert.equal(error.code, INVALID_PARAMS, `${method} ${JSON.stringify(params)} -> ${JSON.stringify(error)}`);
    }
    await stillServing(2);
  });

  it('survives broken JSON, non-JSON-RPC bodies and null params', async () => {
    client.writeRaw('{"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": {');
    client.writeRaw('[1, 2, 3]');
    client.writeRaw('{"jsonrpc": "2.0", "id": 901}');
    client.writeRaw('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": null}');
    client.writeRaw('{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere.py", "version": 3}, "contentChanges": [{"text": "x"}]}}');
    client.writeRaw('{"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": "file:///nowhere.py"}}}');
    const error = await errorOf(client.request('textDocument/hover', null));
    assert.equal(error.code, INVALID_PARAMS);
    await stillServing(3);
  });

  it('answers requests about documents it does not have', async () => {
    const other = { textDocument: { uri: 'file:///virtual/never-opened.py' } };
    assert.equal(await client.request('textDocument/hover', { ...other, position: { line: 0, character: 0 } }), null);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(await client.request('textDocument/codeAction', { ...other, range, context: { diagnostics: [] } }), []);
    assert.deepEqual(await client.request('textDocument/diagnostic', other), { kind: 'full', items: [] });
  });

  it('keeps serving on text no parser likes', async () => {
    const nasty = [
      '\u0000\uffff\ud800 async def (((((\n',
      'def f(:\n  await\n' + '('.repeat(5000) + '\n',
      `async def f():\n    ${'x'.repeat(200_000)}()\n`,
      '\r\r\n\r' + SEED.replace(/\n/g, '\r\n'),
    ];
    for (const [i, text] of nasty.entries()) {
      const u = `file:///virtual/nasty-${i}.py`;
      await client.open(u, text, 1);
      const diagnostics = await client.diagnosticsFor(u, 1);
      const lines = text.split(/\r\n|\r|\n/).length;
      for (const d of diagnostics) assert.ok(d.range.end.line < lines, `range inside the document: ${JSON.stringify(d.range)}`);
      const hover = await client.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 3 } });
      assert.ok(hover === null || typeof hover.contents.value === 'string');
    }
    await stillServing(4);
  });

  it('counts columns in UTF-16 code units, as LSP does', async () => {
    const u = 'file:///virtual/unicode.py';
    await client.open(u, SEED.replace('    nested()', '    print("é😀"); nested()'), 1);
    assert.deepEqual((await client.diagnosticsFor(u, 1)).map((d) => d.range), [
      { start: { line: 4, character: 18 }, end: { line: 4, character: 26 } },
    ]);
  });

  it('counts a lone carriage return as a line break, as LSP and Python do', async () => {
    const u = 'file:///virtual/lone-cr.py';
    await client.open(u, '\r\r\n\r' + SEED.replace(/\n/g, '\r\n'), 1);
    assert.deepEqual((await client.diagnosticsFor(u, 1)).map((d) => [d.code, d.range.start.line]), [['unawaited-coroutine', 7]]);
  });

  it('ignores an edit that points outside the document', async () => {
    await client.change(uri, 2, [{ range: { start: { line: 999, character: 999 }, end: { line: 1000, character: 0 } }, text: '\n' }]);
    const diagnostics = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(diagnostics.map((d) => d.code), ['unawaited-coroutine']);
    await stillServing(5);
  });
});

describe('language server: analysis time limit', () => {
  it('stops an analysis that runs past the limit, restarts the analysis thread and keeps serving', async () => {
    const { client } = await TestClient.start({ initializationOptions: { analysisTimeoutMs: 1000 } });
    try {
      const slow = 'file:///virtual/slow.py';
      // 40,000 findings: far more than a second of work.
      await client.open(slow, SEED + '    nested()\n'.repeat(40_000), 1);
      await client.waitFor('the time-limit message', () =>
        client.logs.find((l) => l.includes('analysing /virtual/slow.py took longer than 1 s; the analysis thread was restarted')),
      );
      assert.equal(client.publishedFor(slow).length, 0, 'nothing is published for the stopped analysis');
      const quick = 'file:///virtual/quick.py';
      await client.open(quick, SEED, 1);
      assert.deepEqual((await client.diagnosticsFor(quick, 1)).map((d) => d.code), ['unawaited-coroutine']);
      const status = await client.request('asyncguard/status');
      assert.equal(status.analysis, 'worker');
      assert.ok(status.analysisRestarts >= 1);
    } finally {
      await client.dispose();
    }
  });
});
