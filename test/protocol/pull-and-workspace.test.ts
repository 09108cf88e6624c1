// Pull diagnostics (textDocument/diagnostic, workspace/diagnostic) and the workspace analysis
// command with work-done progress.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FULL_CAPABILITIES, SEED, TestClient } from './lspClient';

const PULL_CAPABILITIES = {
  ...FULL_CAPABILITIES,
  workspace: { ...FULL_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
  textDocument: { ...FULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
};

const DANGLING = 'import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    asyncio.create_task(work())\n';

/**
 * A small project: two files with findings, one clean, one excluded by pyproject.toml, one not
 * UTF-8, one too large to be anything but generated, and a symlink loop.
 */
function makeProject(): string {
  const folder = mkdtempSync(join(tmpdir(), 'asyncguard-ws-'));
  mkdirSync(join(folder, 'pkg'));
  mkdirSync(join(folder, 'build'));
  mkdirSync(join(folder, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(folder, 'pyproject.toml'), '[tool.asyncguard]\nextend-exclude = ["build"]\n');
  writeFileSync(join(folder, 'main.py'), SEED);
  writeFileSync(join(folder, 'pkg', 'tasks.py'), DANGLING);
  writeFileSync(join(folder, 'pkg', 'clean.py'), 'async def f():\n    return 1\n');
  writeFileSync(join(folder, 'build', 'gen.py'), SEED);
  writeFileSync(join(folder, 'node_modules', 'dep', 'x.py'), SEED);
  writeFileSync(join(folder, 'pkg', 'latin1.py'), Buffer.from('# caf\xe9\nasync def f():\n    pass\n', 'latin1'));
  writeFileSync(join(folder, 'pkg', 'huge.py'), `${SEED}${'x = 1\n'.repeat(500_000)}`);
  symlinkSync(folder, join(folder, 'pkg', 'loop'));
  return folder;
}

describe('language server: pull diagnostics', () => {
  let client: TestClient;
  let capabilities: any;
  const uri = 'file:///virtual/pull.py';

  before(async () => {
    const started = await TestClient.start({ capabilities: PULL_CAPABILITIES });
    client = started.client;
    capabilities = started.init.capabilities;
  });
  after(() => client.dispose());

  it('declares a diagnostic provider and does not push', async () => {
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'asyncguard', interFileDependencies: false, workspaceDiagnostics: true });
    await client.open(uri, SEED, 1);
    const report = await client.request('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(report.kind, 'full');
    assert.deepEqual(
      report.items.map((d: any) => [d.code, d.range]),
      [['unawaited-coroutine', { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } }]],
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(client.published, []);
  });

  it('answers unchanged for the same result id and full after an edit', async () => {
    const first = await client.request('textDocument/diagnostic', { textDocument: { uri } });
    const again = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
    await client.change(uri, 2, [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, text: 'await ' }]);
    const after = await client.request('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(after.kind, 'full');
    assert.deepEqual(after.items, []);
    assert.notEqual(after.resultId, first.resultId);
  });

  it('asks the client to pull again when the settings change', async () => {
    const before = client.refreshRequests;
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('a diagnostic refresh', () => (client.refreshRequests > before ? true : undefined));
  });

  it('reports the workspace analysis through workspace/diagnostic', async () => {
    const folder = makeProject();
    const ws = (await TestClient.start({ capabilities: PULL_CAPABILITIES, rootPath: folder })).client;
    try {
      const result = await ws.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace', arguments: [] });
      assert.equal(result.files, 3);
      const report = await ws.request('workspace/diagnostic', { previousResultIds: [] });
      const byFile = report.items.map((i: any) => [i.uri.slice(`file://${folder}`.length), i.kind, i.version, i.items.map((d: any) => d.code)]);
      assert.deepEqual(byFile.sort(), [
        ['/main.py', 'full', null, ['unawaited-coroutine']],
        ['/pkg/tasks.py', 'full', null, ['dangling-task']],
      ]);
      const ids = report.items.map((i: any) => ({ uri: i.uri, value: i.resultId }));
      const again = await ws.request('workspace/diagnostic', { previousResultIds: ids });
      assert.deepEqual(again.items.map((i: any) => i.kind), ['unchanged', 'unchanged']);
      assert.deepEqual(ws.published, []);
    } finally {
      await ws.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('language server: workspace analysis', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = makeProject();
    client = (await TestClient.start({ rootPath: folder })).client;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes diagnostics for files that are not open, with work-done progress', async () => {
    const open = `file://${folder}/main.py`;
    await client.open(open, SEED, 5);
    await client.diagnosticsFor(open, 5);
    const result = await client.request('workspace/executeCommand', {
      command: 'asyncguard.analyzeWorkspace',
      arguments: [],
      workDoneToken: 'ws-1',
    });
    // main.py is open (left to the document analysis), build/ and node_modules/ are excluded,
    // latin1.py is not UTF-8, huge.py is over the size limit, pkg/loop is a symlink back to the
    // root, a folder already walked; tasks.py and clean.py are analysed.
    assert.deepEqual({ files: result.files, findings: result.findings, skipped: result.skipped, cancelled: result.cancelled }, {
      files: 2,
      findings: 1,
      skipped: 2,
      cancelled: false,
    });
    const unopened = client.published.filter((p) => p.uri !== open);
    assert.deepEqual(
      unopened.map((p) => [p.uri.slice(`file://${folder}`.length), p.version, p.diagnostics.map((d) => [d.code, d.range.start.line])]),
      [['/pkg/tasks.py', undefined, [['dangling-task', 6]]]],
    );
    const kinds = client.progress.filter((p) => p.token === 'ws-1').map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    assert.ok(kinds.includes('report'));
    // the reasons are the workspace layer's, word for word what `asyncguard check` says
    assert.ok(client.logs.includes(`Skipping ${folder}/pkg/latin1.py: not UTF-8`), client.logs.join('\n'));
    assert.ok(client.logs.includes(`Skipping ${folder}/pkg/huge.py: too large (2.9 MB, the limit is 2 MB)`), client.logs.join('\n'));
  });

  it('stops when the user cancels the progress', async () => {
    mkdirSync(join(folder, 'many'));
    for (let i = 0; i < 300; i++) writeFileSync(join(folder, 'many', `m${i}.py`), SEED);
    const before = client.progress.length;
    const running = client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
    // No token in the request: the server creates its own (window/workDoneProgress/create), cancellable.
    const begin = await client.waitFor('progress begin', () => client.progress.slice(before).find((p) => p.value.kind === 'begin'));
    assert.equal(begin.value.cancellable, true);
    await client.notify('window/workDoneProgress/cancel', { token: begin.token });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.ok(result.files < 300, `analysed ${result.files} files after the cancel`);
    rmSync(join(folder, 'many'), { recursive: true, force: true });
  });

  it('clears a file whose findings are gone on the next run', async () => {
    writeFileSync(join(folder, 'pkg', 'tasks.py'), 'async def work():\n    pass\n');
    const from = client.published.length;
    await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
    assert.deepEqual(await client.diagnosticsFor(`file://${folder}/pkg/tasks.py`, undefined, from), []);
  });
});
