// One tree, one answer: `asyncguard check .`, `asyncguard check sub` (for sub/) and the editor's
// Analyze Workspace (the language server over LSP) report exactly the same findings, because they
// share one workspace layer: which files belong (a gitignored gen/, a 3 MB generated module over the
// size limit), each file's settings from its own nearest configuration (a sub-project whose
// pyproject.toml ignores dangling-task, TS/JS folders with asyncguard.json or a package.json
// "asyncguard" key), and where a Python file's imports resolve from (the sub-project's root).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { ensureBuilt, runCli, tempDir, writeTree } from '../reliability/workspace';
import { TestClient } from './lspClient';

const JOBS = 'async def refresh():\n    return 1\n';
const MAIN = [
  'import asyncio',
  '',
  'from app.jobs import refresh',
  '',
  '',
  'async def main():',
  '    refresh()',
  '    asyncio.create_task(refresh())',
  '',
].join('\n');
const WORKER_RUN = [
  'import asyncio',
  '',
  'from worker.tasks import job',
  '',
  '',
  'async def main():',
  '    job()',
  '    asyncio.create_task(job())',
  '',
].join('\n');
const TS = [
  'async function save(): Promise<void> {}',
  '',
  'export function onClick(): void {',
  '  save();',
  '}',
  '',
  'export function each(items: number[]): void {',
  '  items.forEach(async () => {',
  '    await save();',
  '  });',
  '}',
  '',
].join('\n');

/** The 3 MB module: generated, with an unawaited coroutine at its very end that neither front end reaches. */
function generatedModule(): string {
  const line = 'TABLE_ENTRY = (1, 2, 3, 4, 5, 6, 7, 8)\n';
  return 'async def f():\n    pass\n' + line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)) + 'async def g():\n    f()\n';
}

function makeTree(root: string): void {
  mkdirSync(join(root, '.git'));
  writeTree(root, {
    '.gitignore': 'gen/\n',
    'gen/ignored.py': MAIN,
    'big/generated.py': generatedModule(),
    'app/__init__.py': '',
    'app/jobs.py': JOBS,
    'app/main.py': MAIN,
    'sub/pyproject.toml': '[project]\nname = "worker"\nrequires-python = ">=3.11"\n\n[tool.asyncguard]\nignore = ["dangling-task"]\n',
    'sub/worker/__init__.py': '',
    'sub/worker/tasks.py': 'async def job():\n    return 2\n',
    'sub/worker/run.py': WORKER_RUN,
    'sub/ui/package.json': JSON.stringify({ name: 'ui', asyncguard: { severity: { 'floating-promise': 'hint' } } }),
    'sub/ui/widget.ts': TS,
    'web/asyncguard.json': JSON.stringify({ severity: { 'floating-promise': 'error' }, ignore: ['misused-promise'] }),
    'web/app.ts': TS,
    'scripts/tool.ts': TS,
  });
}

/** `file:line:column rule severity message`, the CLI's coordinates. */
type Line = string;

const SEVERITY_NAMES = ['', 'error', 'warning', 'information', 'hint'];

function fromCli(stdout: string): Line[] {
  const report = JSON.parse(stdout) as { findings: Array<{ file: string; line: number; column: number; rule: string; severity: string; message: string }> };
  return report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.severity} ${f.message}`).sort();
}

describe('one tree, one answer: check ., check sub and Analyze Workspace', () => {
  let root: string;
  let whole: { code: number | null; stdout: string; stderr: string };
  let sub: { code: number | null; stdout: string; stderr: string };
  let client: TestClient;
  let editor: Line[];

  before(async () => {
    ensureBuilt();
    root = tempDir('asyncguard-one-answer-');
    makeTree(root);
    whole = runCli(['check', '--format', 'json', '--no-cache', '.'], root, { timeoutMs: 300_000 });
    sub = runCli(['check', '--format', 'json', '--no-cache', 'sub'], root, { timeoutMs: 300_000 });
    client = (await TestClient.start({ rootPath: root, settings: {} })).client;
    await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace', arguments: [] });
    editor = client.published
      .filter((p) => p.diagnostics.length)
      .flatMap((p) => {
        const file = URI.parse(p.uri).fsPath.slice(root.length + 1);
        return p.diagnostics.map(
          (d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${SEVERITY_NAMES[d.severity ?? 0]} ${d.message}`,
        );
      })
      .sort();
  });
  after(() => client?.dispose());

  it('check . reports what each file\'s own configuration keeps, and nothing from gen/ or the 3 MB module', () => {
    assert.equal(whole.code, 1, whole.stderr);
    const found = fromCli(whole.stdout).map((l) => l.split(' ').slice(0, 3).join(' '));
    assert.deepEqual(found, [
      'app/main.py:7:5 unawaited-coroutine warning',
      'app/main.py:8:5 dangling-task warning',
      'scripts/tool.ts:4:3 floating-promise warning',
      'scripts/tool.ts:8:17 misused-promise warning',
      // the sub-project's pyproject.toml turns dangling-task off there; its import resolves from sub/
      'sub/ui/widget.ts:4:3 floating-promise hint',
      'sub/ui/widget.ts:8:17 misused-promise warning',
      'sub/worker/run.py:7:5 unawaited-coroutine warning',
      'web/app.ts:4:3 floating-promise error',
    ]);
    assert.equal(whole.stderr, 'asyncguard: warning: big/generated.py: skipped: too large (3.1 MB, the limit is 2 MB)\n');
  });

  it('check sub gives sub/ exactly what check . gives it', () => {
    assert.equal(sub.code, 1, sub.stderr);
    assert.deepEqual(
      fromCli(sub.stdout),
      fromCli(whole.stdout).filter((l) => l.startsWith('sub/')),
    );
    assert.equal(sub.stderr, '');
  });

  it('Analyze Workspace publishes exactly what check . prints, and skips the same file for the same reason', () => {
    assert.deepEqual(editor, fromCli(whole.stdout));
    const skipped = client.logs.filter((l) => l.startsWith('Skipping '));
    assert.deepEqual(skipped, [`Skipping ${join(root, 'big', 'generated.py')}: too large (3.1 MB, the limit is 2 MB)`]);
  });
});
