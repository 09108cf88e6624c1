// `--fix`, `--unsafe-fixes` and `--diff` on a fake engine: exact text after fixing, what is kept
// (BOM, line endings, mode, symlinks), atomic replacement, and the diff that --diff prints.
import assert from 'node:assert/strict';
import { chmodSync, linkSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeEngine } from './fake-engine';
import { makeTree, runInProcess } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
const SEED_FIXED = 'async def nested():\n    return 42\n\nasync def main():\n    await nested()\n    print(await nested())\n';
const TASKS = 'import asyncio\nasync def job():\n    pass\nasync def main():\n    job()\n    asyncio.create_task(job())\n    asyncio.create_task(job())\n';

describe('asyncguard check --fix', () => {
  it('applies safe fixes, reports fixed and remaining, exit 0 when nothing remains', async () => {
    const dir = makeTree({ 'app.py': SEED });
    const r = await runInProcess(['check', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), SEED_FIXED);
    assert.deepEqual(r, { code: 0, stdout: 'Found 1 problem (1 fixed, 0 remaining).\n', stderr: '' });
    const again = await runInProcess(['check'], dir);
    assert.deepEqual(again, { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });

  it('leaves unsafe fixes alone without --unsafe-fixes, and never applies suppressions', async () => {
    const dir = makeTree({ 'a.py': TASKS });
    const r = await runInProcess(['check', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'a.py'), 'utf8'), TASKS.replace('    job()\n', '    await job()\n'));
    assert.equal(
      r.stdout,
      'a.py:6:5: dangling-task Task is created and dropped\n' +
        'a.py:7:5: dangling-task Task is created and dropped\n' +
        'Found 3 problems (1 fixed, 2 remaining).\n',
    );
    assert.equal(r.code, 1);
  });

  it('with --unsafe-fixes applies everything, re-analysing until stable (colliding inserts wait a pass)', async () => {
    const dir = makeTree({ 'a.py': TASKS });
    const r = await runInProcess(['check', '--fix', '--unsafe-fixes'], dir);
    assert.equal(
      readFileSync(join(dir, 'a.py'), 'utf8'),
      'background_tasks = set()\n\nimport asyncio\nasync def job():\n    pass\nasync def main():\n    await job()\n' +
        '    task = asyncio.create_task(job())\n    background_tasks.add(task)\n' +
        '    task = asyncio.create_task(job())\n    background_tasks.add(task)\n',
    );
    assert.deepEqual(r, { code: 0, stdout: 'Found 3 problems (3 fixed, 0 remaining).\n', stderr: '' });
  });

  it('keeps a UTF-8 byte order mark and CRLF line endings, also in inserted lines', async () => {
    const crlf = '\ufeff' + TASKS.replace(/\n/g, '\r\n');
    const dir = makeTree({ 'a.py': Buffer.from(crlf, 'utf8') });
    assert.deepEqual([...readFileSync(join(dir, 'a.py')).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    await runInProcess(['check', '--fix', '--unsafe-fixes'], dir);
    const bytes = readFileSync(join(dir, 'a.py'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(
      bytes.subarray(3).toString('utf8'),
      'background_tasks = set()\r\n\r\nimport asyncio\r\nasync def job():\r\n    pass\r\nasync def main():\r\n    await job()\r\n' +
        '    task = asyncio.create_task(job())\r\n    background_tasks.add(task)\r\n' +
        '    task = asyncio.create_task(job())\r\n    background_tasks.add(task)\r\n',
    );
  });

  it('keeps LF files LF and a file without a BOM without one', async () => {
    const dir = makeTree({ 'app.py': SEED });
    await runInProcess(['check', '--fix'], dir);
    const bytes = readFileSync(join(dir, 'app.py'));
    assert.notEqual(bytes[0], 0xef);
    assert.ok(!bytes.includes(13));
  });

  it('keeps the file mode', async () => {
    const dir = makeTree({ 'tool.py': '#!/usr/bin/env python3\n' + SEED, 'ro.py': SEED });
    chmodSync(join(dir, 'tool.py'), 0o751);
    chmodSync(join(dir, 'ro.py'), 0o604);
    await runInProcess(['check', '--fix'], dir);
    assert.equal(statSync(join(dir, 'tool.py')).mode & 0o7777, 0o751);
    assert.equal(statSync(join(dir, 'ro.py')).mode & 0o7777, 0o604);
    assert.equal(readFileSync(join(dir, 'ro.py'), 'utf8'), SEED_FIXED);
  });

  it('replaces the file by rename: a hard link to the old file keeps the old text, no temporary file is left', async () => {
    const dir = makeTree({ 'app.py': SEED });
    linkSync(join(dir, 'app.py'), join(dir, 'old-copy.txt'));
    const inodeBefore = statSync(join(dir, 'app.py')).ino;
    await runInProcess(['check', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), SEED_FIXED);
    assert.equal(readFileSync(join(dir, 'old-copy.txt'), 'utf8'), SEED, 'the old inode was never written in place');
    assert.notEqual(statSync(join(dir, 'app.py')).ino, inodeBefore);
    assert.deepEqual(readdirSync(dir).sort(), ['app.py', 'old-copy.txt']);
  });

  it('fixes the target of a symlink and keeps the link', async () => {
    const dir = makeTree({ 'real/app.py': SEED });
    symlinkSync(join(dir, 'real', 'app.py'), join(dir, 'link.py'));
    await runInProcess(['check', '--fix', 'link.py'], dir);
    assert.ok(lstatSync(join(dir, 'link.py')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'link.py')), join(dir, 'real', 'app.py'));
    assert.equal(readFileSync(join(dir, 'real', 'app.py'), 'utf8'), SEED_FIXED);
  });

  it('fixes TypeScript files through the same machinery, unsafe fixes only with --unsafe-fixes', async () => {
    const dir = makeTree({ 'web/main.ts': 'async function load() {}\nload();\n' });
    const safeOnly = await runInProcess(['check', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'web/main.ts'), 'utf8'), 'async function load() {}\nload();\n');
    assert.equal(safeOnly.code, 1);
    const r = await runInProcess(['check', '--fix', '--unsafe-fixes'], dir);
    assert.equal(readFileSync(join(dir, 'web/main.ts'), 'utf8'), 'async function load() {}\nvoid load();\n');
    assert.equal(r.code, 0);
  });
});

describe('asyncguard check --diff', () => {
  it('prints a unified diff of what --fix would do, writes nothing, exit 1', async () => {
    const dir = makeTree({ 'app.py': SEED, 'b.py': 'x = 1\n' });
    const r = await runInProcess(['check', '--diff'], dir);
    assert.equal(
      r.stdout,
      '--- a/app.py\n+++ b/app.py\n@@ -2,5 +2,5 @@\n     return 42\n \n async def main():\n-    nested()\n+    await nested()\n     print(await nested())\n',
    );
    assert.equal(r.stderr, 'Would fix 1 problem.\n');
    assert.equal(r.code, 1);
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), SEED);
  });

  it('with --unsafe-fixes shows the unsafe edits too; --fix --diff still writes nothing', async () => {
    const dir = makeTree({ 'a.py': 'import asyncio\nasync def job():\n    pass\nasyncio.create_task(job())\n' });
    const r = await runInProcess(['check', '--diff', '--fix', '--unsafe-fixes'], dir);
    assert.equal(
      r.stdout,
      '--- a/a.py\n+++ b/a.py\n@@ -1,4 +1,7 @@\n+background_tasks = set()\n+\n import asyncio\n async def job():\n     pass\n-asyncio.create_task(job())\n+task = asyncio.create_task(job())\n+background_tasks.add(task)\n',
    );
    assert.equal(readFileSync(join(dir, 'a.py'), 'utf8'), 'import asyncio\nasync def job():\n    pass\nasyncio.create_task(job())\n');
  });

  it('exits 0 with nothing on stdout when no fix applies', async () => {
    const dir = makeTree({ 'a.py': 'import asyncio\nasync def job():\n    pass\nasyncio.create_task(job())\n' });
    const r = await runInProcess(['check', '--diff'], dir);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'No fixes to apply.\n' });
  });
});

describe('asyncguard check --fix when the file cannot be written', () => {
  it('reports the file and the reason, exit 2, and still reports the other files', async () => {
    const dir = makeTree({ 'gone/app.py': SEED, 'kept.py': SEED });
    const engine = new FakeEngine();
    // The folder disappears while the file is being analysed, so the fixed text cannot be written.
    engine.beforeAnalyze = (path) => {
      if (path.includes('gone')) rmSync(join(dir, 'gone'), { recursive: true, force: true });
    };
    const r = await runInProcess(['check', '--fix'], dir, { engine });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'asyncguard: error: gone/app.py: cannot write the fixed file (ENOENT)\n');
    assert.equal(readFileSync(join(dir, 'kept.py'), 'utf8'), SEED_FIXED);
    assert.equal(r.stdout, "gone/app.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\nFound 2 problems (1 fixed, 1 remaining); 1 error (see above).\n");
  });
});
