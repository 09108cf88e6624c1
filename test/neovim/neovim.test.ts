// A second LSP client: Neovim's built-in one (0.7, Debian's) starts `asyncguard-server --stdio`,
// receives the diagnostics for a Python file, shows the hover and applies the preferred quick fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ensureCommand } from '../../scripts/system-packages.mjs';

const root = join(__dirname, '..', '..');
const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
// Installed with apt-get when the tests run as root (CI's .ci/run installs it beforehand).
const missing = ensureCommand('nvim', 'neovim', { stdio: 'pipe' }) ?? (spawnSync('nvim', ['--version']).error ? 'nvim does not run' : undefined);

describe('Neovim as an LSP client', () => {
  it('gets the finding, the hover and the quick fix from asyncguard-server --stdio', { skip: missing }, () => {
    const folder = mkdtempSync(join(tmpdir(), 'asyncguard-nvim-'));
    try {
      const file = join(folder, 'app.py');
      const out = join(folder, 'result.json');
      writeFileSync(file, SEED);
      // The Python provider probe in Neovim's python ftplugin takes seconds; the LSP client needs none of it.
      const args = ['--headless', '--clean', '-n', '--cmd', 'let g:loaded_python3_provider = 0', '-c', `luafile ${join(__dirname, 'lsp-client.lua')}`];
      const run = spawnSync('nvim', args, {
        cwd: folder,
        encoding: 'utf8',
        timeout: 150_000,
        env: {
          ...process.env,
          ASYNCGUARD_SERVER: join(root, 'server', 'bin', 'asyncguard-server.js'),
          ASYNCGUARD_FILE: file,
          ASYNCGUARD_OUT: out,
          ASYNCGUARD_ROOT: folder,
        },
      });
      assert.equal(run.status, 0, `nvim failed: ${run.error ?? ''}${run.stderr}${run.stdout}`);
      const result = JSON.parse(readFileSync(out, 'utf8'));
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.diagnostics, [
        {
          lnum: 4,
          col: 4,
          end_lnum: 4,
          end_col: 12,
          severity: 2,
          source: 'asyncguard',
          code: 'unawaited-coroutine',
          message: '“nested()” creates a coroutine that is never awaited, so “nested” never runs',
        },
      ]);
      // Neovim shows the diagnostic's message apart: the hover adds what the call returns, why, and the rule's page.
      assert.match(result.hover, /^\*\*Returns:\*\* a coroutine \(from `app\.nested`\)\.\n\n\*\*Why it is a problem:\*\* /);
      const page = pathToFileURL(join(root, 'docs', 'rules', 'unawaited-coroutine.md')).href;
      assert.ok(result.hover.endsWith(`\n\n[Rule page: unawaited-coroutine](${page})`), result.hover);
      assert.deepEqual(result.actions, [
        'Add “await”',
        'Suppress “unawaited-coroutine” on this line',
        'Fix all AsyncGuard problems in this file',
      ]);
      assert.equal(result.text_after_fix, SEED.replace('    nested()', '    await nested()'));
      assert.equal(result.cleared, true, 'the diagnostic goes away after the fix');
      assert.equal(result.exit_code, 0, 'the server exits cleanly when the client stops it');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
