// Settings from workspace/configuration (refreshed on didChangeConfiguration) and pyproject.toml.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FULL_CAPABILITIES, SEED, TestClient } from './lspClient';

const DANGLING = 'import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    asyncio.create_task(work())\n    work()\n';

function summary(diagnostics: any[]) {
  return diagnostics.map((d) => [d.code, d.range.start.line, d.severity]);
}

describe('language server: configuration', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'asyncguard-config-'));
    client = (await TestClient.start({ rootPath: folder, settings: {} })).client;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('uses the default severities without settings', async () => {
    await client.open(`file://${folder}/a.py`, DANGLING, 1);
    assert.deepEqual(summary(await client.diagnosticsFor(`file://${folder}/a.py`, 1)), [
      ['dangling-task', 6, 2],
      ['unawaited-coroutine', 7, 2],
    ]);
  });

  it('re-reads the settings on didChangeConfiguration: per-rule severity and off', async () => {
    const uri = `file://${folder}/a.py`;
    const asked = client.configurationRequests;
    client.settings = { rules: { 'dangling-task': { severity: 'error' }, 'unawaited-coroutine': { severity: 'off' } } };
    const from = client.published.length;
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(summary(await client.diagnosticsFor(uri, 1, from)), [['dangling-task', 6, 1]]);
    assert.ok(client.configurationRequests > asked, 'the server asked for the new settings');
  });

  it('turns everything off with enable: false', async () => {
    const uri = `file://${folder}/a.py`;
    client.settings = { enable: false };
    const from = client.published.length;
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(await client.diagnosticsFor(uri, 1, from), []);
  });

  it('lets pyproject.toml win over the editor for the same rule', async () => {
    const uri = `file://${folder}/a.py`;
    writeFileSync(join(folder, 'pyproject.toml'), '[tool.asyncguard.severity]\n"dangling-task" = "hint"\n');
    client.settings = { rules: { 'dangling-task': { severity: 'error' }, 'unawaited-coroutine': { severity: 'information' } } };
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${folder}/pyproject.toml`, type: 1 }] });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const expected = [
      ['dangling-task', 6, 4],
      ['unawaited-coroutine', 7, 3],
    ];
    const settled = await client.settledDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(summary(settled), expected);
  });

  it('skips files matched by the exclude globs', async () => {
    client.settings = { exclude: ['generated/**'] };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const uri = `file://${folder}/generated/b.py`;
    await client.open(uri, SEED, 1);
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
    const kept = `file://${folder}/src/c.py`;
    await client.open(kept, SEED, 1);
    assert.deepEqual((await client.diagnosticsFor(kept, 1)).map((d) => d.code), ['unawaited-coroutine']);
  });

  it('links each diagnostic to the rule page under docsBaseUrl, and logs timings with trace verbose', async () => {
    client.settings = { docsBaseUrl: 'https://docs.example.org/asyncguard/rules', trace: { server: 'verbose' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const uri = `file://${folder}/src/c.py`;
    const [diagnostic] = await client.settledDiagnostics(uri, (d) => d[0]?.codeDescription?.href.startsWith('https://docs.example.org') === true);
    assert.deepEqual(diagnostic.codeDescription, { href: 'https://docs.example.org/asyncguard/rules/unawaited-coroutine.md' });
    const logged = await client.waitFor('a timing line', () => client.logs.find((l) => l.startsWith(`Analysed ${folder}/src/c.py (version 1) in `)));
    assert.match(logged, / ms: 1 findings$/);
  });

  it('analyses on save only when run is onSave', async () => {
    rmSync(join(folder, 'pyproject.toml'));
    client.settings = { run: 'onSave' };
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${folder}/pyproject.toml`, type: 3 }] });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const uri = `file://${folder}/saved.py`;
    await client.open(uri, SEED, 1);
    assert.equal((await client.diagnosticsFor(uri, 1)).length, 1);
    await client.change(uri, 2, [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, text: 'await ' }]);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.publishedFor(uri).some((p) => p.version === 2), false, 'nothing published before the save');
    await client.notify('textDocument/didSave', { textDocument: { uri } });
    assert.deepEqual(await client.diagnosticsFor(uri, 2), []);
  });
});

describe('language server: settings without workspace/configuration', () => {
  it('takes them from initializationOptions and didChangeConfiguration', async () => {
    const { client } = await TestClient.start({
      capabilities: { ...FULL_CAPABILITIES, workspace: {} },
      initializationOptions: { settings: { rules: { 'unawaited-coroutine': 'error' } } },
    });
    try {
      const uri = 'file:///virtual/settings.py';
      await client.open(uri, SEED, 1);
      assert.deepEqual(summary(await client.diagnosticsFor(uri, 1)), [['unawaited-coroutine', 4, 1]]);
      const from = client.published.length;
      await client.notify('workspace/didChangeConfiguration', { settings: { asyncguard: { rules: { 'unawaited-coroutine': { severity: 'hint' } } } } });
      assert.deepEqual(summary(await client.diagnosticsFor(uri, 1, from)), [['unawaited-coroutine', 4, 4]]);
      assert.equal(client.configurationRequests, 0);
    } finally {
      await client.dispose();
    }
  });
});

describe('language server: untrusted workspace', () => {
  it('ignores an interpreter path and never runs it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'asyncguard-untrusted-'));
    const marker = join(folder, 'ran');
    const interpreter = join(folder, 'python');
    writeFileSync(interpreter, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    const { client } = await TestClient.start({
      rootPath: folder,
      initializationOptions: { trusted: false },
      settings: { interpreterPath: interpreter },
    });
    try {
      writeFileSync(join(folder, 'other.py'), SEED);
      const uri = `file://${folder}/app.py`;
      await client.open(uri, SEED, 1);
      assert.deepEqual((await client.diagnosticsFor(uri, 1)).map((d) => d.code), ['unawaited-coroutine']);
      const summary = await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
      assert.equal(summary.findings, 1);
      assert.ok(
        client.logs.some((l) => l === `Ignoring asyncguard.interpreterPath "${interpreter}": the workspace is not trusted.`),
        client.logs.join('\n'),
      );
      assert.equal(existsSync(marker), false, 'the interpreter was run');
      assert.equal((await client.request('asyncguard/status')).trusted, false);
    } finally {
      await client.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
