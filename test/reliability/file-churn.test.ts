// Files deleted and renamed while they are being analysed: the CLI and the language server's
// workspace analysis finish without an internal error, report what they could read, and the next
// workspace analysis clears what was deleted and reports the renamed files under their new names.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { TestClient } from '../protocol/lspClient';
import { SEED } from './hostile-workspace';
import { builtCli, ensureBuilt, tempDir, writeTree } from './workspace';

const FILES = 300;
const name = (i: number) => `m${String(i).padStart(3, '0')}.py`;

function project(): string {
  const dir = tempDir();
  const files: Record<string, string> = { 'pyproject.toml': '[project]\nname = "churn"\n' };
  // each file is long enough that the run is still going when the churn starts
  for (let i = 0; i < FILES; i++) files[name(i)] = SEED + `\n\nasync def filler_${i}():\n${'    await nested()\n'.repeat(200)}`;
  writeTree(dir, files);
  return dir;
}

/** Deletes every third file and renames every third one, a few at a time, from the last one back. */
async function churn(dir: string): Promise<{ deleted: string[]; renamed: string[] }> {
  const deleted: string[] = [];
  const renamed: string[] = [];
  for (let i = FILES - 1; i >= 0; i--) {
    if (i % 3 === 0) {
      rmSync(join(dir, name(i)));
      deleted.push(name(i));
    } else if (i % 3 === 1) {
      renameSync(join(dir, name(i)), join(dir, `renamed_${name(i)}`));
      renamed.push(name(i));
    }
    if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
  }
  return { deleted, renamed };
}

describe('files deleted and renamed during analysis', () => {
  before(ensureBuilt);

  it('CLI: no internal error; findings and "cannot read" warnings only', async (t) => {
    const dir = project();
    const child = spawn(process.execPath, [builtCli, 'check', '--no-cache', '.'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let running = true;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => ((running = false), r(code))));
    // until the run ends, files keep moving: renamed away and back, so every stage may miss them
    let moves = 0;
    while (running) {
      for (let i = 1; i < FILES && running; i += 3) {
        const [from, to] = moves % 2 ? [`renamed_${name(i)}`, name(i)] : [name(i), `renamed_${name(i)}`];
        renameSync(join(dir, from), join(dir, to));
      }
      moves++;
      await new Promise((r) => setTimeout(r, 2));
    }
    const code = await exited;
    assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
    const lines = stderr.split('\n').filter(Boolean);
    for (const l of lines) assert.match(l, /^asyncguard: warning: (renamed_)?m\d{3}\.py: skipped: cannot read \(ENOENT\)$/);
    const findings = stdout.split('\n').filter((l) => /^\S+\.py:\d+:\d+: /.test(l));
    for (const f of findings) assert.match(f, /^(renamed_)?m\d{3}\.py:7:5: unawaited-coroutine /);
    t.diagnostic(`${moves} rounds of renames during the run; ${findings.length} findings, ${lines.length} files gone when read`);
  });

  describe('language server', () => {
    let client: TestClient;
    let dir: string;
    before(async () => {
      dir = project();
      client = (await TestClient.start({ rootPath: dir })).client;
    });
    after(() => client.dispose());

    it('finishes the analysis during the churn, and the next one reflects the files as they are', async () => {
      const first = client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
      await new Promise((r) => setTimeout(r, 200));
      const { deleted, renamed } = await churn(dir);
      await client.notify('workspace/didChangeWatchedFiles', {
        changes: [
          ...deleted.map((f) => ({ uri: URI.file(join(dir, f)).toString(), type: 3 })),
          ...renamed.flatMap((f) => [
            { uri: URI.file(join(dir, f)).toString(), type: 3 },
            { uri: URI.file(join(dir, `renamed_${f}`)).toString(), type: 1 },
          ]),
        ],
      });
      const summary = await first;
      assert.equal(summary.cancelled, false);
      assert.ok(summary.files + summary.skipped <= FILES);

      const second = await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace' });
      assert.deepEqual({ files: second.files, findings: second.findings, skipped: second.skipped }, { files: FILES - deleted.length, findings: FILES - deleted.length, skipped: 0 });
      const last = (f: string) => client.publishedFor(URI.file(join(dir, f)).toString()).at(-1)?.diagnostics.length;
      for (const f of deleted) assert.ok(last(f) === undefined || last(f) === 0, `${f} was deleted: no findings left for it`);
      for (const f of renamed) {
        assert.ok(last(f) === undefined || last(f) === 0, `${f} was renamed: no findings left under the old name`);
        assert.equal(last(`renamed_${f}`), 1, `renamed_${f} has its finding`);
      }
      for (let i = 2; i < FILES; i += 3) assert.equal(last(name(i)), 1, `${name(i)} kept its finding`);
    });
  });
});
