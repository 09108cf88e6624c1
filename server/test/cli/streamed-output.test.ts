// Findings are written as each file is analysed, not held until the end: what stdout holds while
// the third file is analysed, per format; the whole output stays what the whole report renders to
// (the JSON a valid document laid out as JSON.stringify(…, null, 2) lays it out); SARIF, whose
// document lists the rules used, is written whole at the end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/run';
import { FakeEngine } from './fake-engine';
import { makeTree } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n';
const TASK = 'import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    asyncio.create_task(work())\n';
const files = { 'a.py': SEED, 'b.py': 'x = 1\n', 'c.py': TASK, 'd.py': SEED };

async function run(format: string, tree: Record<string, string> = files) {
  const dir = makeTree(tree);
  let stdout = '';
  const seen: Record<string, string> = {};
  const engine = new FakeEngine();
  engine.beforeAnalyze = (path) => void (seen[path.slice(dir.length + 1)] = stdout);
  const code = await runCli(['check', '--format', format], {
    cwd: dir,
    stdout: (t) => void (stdout += t),
    stderr: () => undefined,
    stderrIsTTY: false,
    engineFor: () => engine,
    version: '0.1.0',
  });
  return { code, stdout, seen };
}

describe('asyncguard check writes findings as the files are analysed', () => {
  it('text: each file’s lines before the next files are analysed; the summary counts them all', async () => {
    const r = await run('text');
    assert.equal(r.seen['a.py'], '');
    assert.equal(r.seen['c.py'], "a.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\n");
    assert.equal(
      r.stdout,
      [
        "a.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited",
        'c.py:7:5: dangling-task Task is created and dropped',
        "d.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited",
        'Found 3 problems (2 fixable with --fix, 1 more fixable with --fix --unsafe-fixes).',
        '',
      ].join('\n'),
    );
    assert.equal(r.code, 1);
  });

  it('json: a valid document, opened with the first file and laid out as the whole report was', async () => {
    const r = await run('json');
    assert.match(r.seen['c.py'], /^\{\n {2}"version": "0\.1\.0",\n {2}"findings": \[\n {4}\{\n {6}"file": "a\.py",/);
    const doc = JSON.parse(r.stdout) as { version: string; findings: { file: string; line: number; rule: string }[] };
    assert.equal(r.stdout, JSON.stringify(doc, null, 2) + '\n');
    assert.deepEqual(
      doc.findings.map((f) => `${f.file}:${f.line} ${f.rule}`),
      ['a.py:5 unawaited-coroutine', 'c.py:7 dangling-task', 'd.py:5 unawaited-coroutine'],
    );
  });

  it('json with no findings (or no files) is the empty document', async () => {
    for (const tree of [{ 'b.py': 'x = 1\n' }, {}] as Record<string, string>[]) {
      const r = await run('json', tree);
      assert.equal(r.stdout, '{\n  "version": "0.1.0",\n  "findings": []\n}\n');
      assert.equal(r.code, 0);
    }
  });

  it('github: each annotation as its file is done', async () => {
    const r = await run('github');
    assert.match(r.seen['c.py'], /^::warning file=a\.py,line=5,col=5,[^\n]*\n$/);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 3);
  });

  it('sarif is written whole, once every file is analysed', async () => {
    const r = await run('sarif');
    assert.equal(r.seen['d.py'], '');
    const doc = JSON.parse(r.stdout) as { runs: { results: unknown[] }[] };
    assert.equal(doc.runs[0].results.length, 3);
  });
});
