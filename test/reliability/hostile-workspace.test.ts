// The CLI and the language server on a hostile workspace (hostile-workspace.ts): both finish,
// report the findings of the files they can read, say why they skip the others, and never follow
// a symlink loop or block on a FIFO.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { TestClient } from '../protocol/lspClient';
import { asRoot, makeHostileWorkspace } from './hostile-workspace';
import { ensureBuilt, runCli, tempDir } from './workspace';

const COROUTINE = 'unawaited-coroutine “nested()” creates a coroutine that is never awaited, so “nested” never runs';
const TASK =
  'dangling-task The Task from “asyncio.create_task()” is not kept: the event loop holds tasks only weakly, so it can be garbage-collected before it finishes';

describe('a hostile workspace', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = tempDir();
    makeHostileWorkspace(dir);
  });

  it('CLI: reports what it can read, names each file it skips and why, exit 1', () => {
    const r = runCli(['check', '--no-cache', '.'], dir, { timeoutMs: 300_000 });
    assert.deepEqual(r, {
      code: 1,
      stdout: [
        `good.py:7:5: ${COROUTINE}`,
        // root reads a file whatever its mode says
        ...(asRoot ? [`locked.py:7:5: ${COROUTINE}`] : []),
        `pkg/inner.py:7:5: ${TASK}`,
        `Found ${asRoot ? 3 : 2} problems (${asRoot ? 3 : 2} fixable with --fix).`,
        '',
      ].join('\n'),
      stderr: [
        'asyncguard: warning: big.py: skipped: too large (50.1 MB, the limit is 2 MB)',
        'asyncguard: warning: binary.py: skipped: binary file (contains NUL bytes)',
        'asyncguard: warning: latin1.py: skipped: not UTF-8',
        ...(asRoot ? [] : ['asyncguard: warning: locked.py: skipped: cannot read (EACCES)']),
        'asyncguard: warning: utf16.py: skipped: not UTF-8 (UTF-16 byte order mark)',
        '',
      ].join('\n'),
    });
  });

  it('CLI: a FIFO named on the command line is not read, and is an error (exit 2); a folder named like a file is walked', () => {
    const r = runCli(['check', '--no-cache', 'fifo.py', 'folder.py', 'good.py'], dir, { timeoutMs: 120_000 });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, `good.py:7:5: ${COROUTINE}\nFound 1 problem (1 fixable with --fix); 1 error (see above).\n`);
    assert.equal(r.stderr, 'asyncguard: error: fifo.py: cannot be checked: not a regular file\n');
  });

  describe('language server: workspace analysis', () => {
    let client: TestClient;
    before(async () => {
      client = (await TestClient.start({ rootPath: dir })).client;
    });
    after(() => client.dispose());

    it('publishes the readable files\' findings, logs each skipped file, and keeps serving', async () => {
      const summary = await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
      const uri = (rel: string) => URI.file(join(dir, rel)).toString();
      const codes = (rel: string) => client.publishedFor(uri(rel)).at(-1)?.diagnostics.map((d) => d.code);
      assert.deepEqual(codes('good.py'), ['unawaited-coroutine']);
      assert.deepEqual(codes('pkg/inner.py'), ['dangling-task']);
      assert.deepEqual(codes('locked.py'), asRoot ? ['unawaited-coroutine'] : undefined);
      for (const rel of ['big.py', 'latin1.py', 'utf16.py', 'binary.py', 'fifo.py', 'folder.py', 'dangling.py']) {
        assert.equal(codes(rel), undefined, `nothing published for ${rel}`);
      }
      const skipped = client.logs.filter((m) => m.startsWith('Skipping ')).map((m) => m.replace(dir + '/', '')).sort();
      // the same reasons, in the same words, as the CLI's
      assert.deepEqual(skipped, [
        'Skipping big.py: too large (50.1 MB, the limit is 2 MB)',
        'Skipping binary.py: binary file (contains NUL bytes)',
        ...(asRoot ? [] : ['Skipping locked.py: cannot read (EACCES)']),
        'Skipping latin1.py: not UTF-8',
        'Skipping utf16.py: not UTF-8 (UTF-16 byte order mark)',
      ].sort());
      assert.deepEqual(
        { files: summary.files, findings: summary.findings, skipped: summary.skipped, cancelled: summary.cancelled },
        { files: asRoot ? 3 : 2, findings: asRoot ? 3 : 2, skipped: asRoot ? 4 : 5, cancelled: false },
      );
      const probe = 'file:///virtual/after-hostile.py';
      await client.open(probe, 'async def nested():\n    pass\n\nasync def main():\n    nested()\n', 1);
      assert.deepEqual((await client.diagnosticsFor(probe, 1)).map((d) => d.code), ['unawaited-coroutine']);
    });
  });
});
