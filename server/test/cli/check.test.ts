// `asyncguard check` end to end in-process, on a fake engine: formats, exit codes, notes.
import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CliEnv, EngineOptions, ParallelRun, WorkItem } from '../../src/cli/check';
import { readSourceFile } from '../../src/engine/workspace/sourceFiles';
import { runCli } from '../../src/cli/run';
import { FakeEngine } from './fake-engine';
import { makeTree, runInProcess } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';

describe('asyncguard check: text format', () => {
  it('prints ruff-like lines and a summary, exit 1', async () => {
    const dir = makeTree({ 'app.py': SEED, 'pkg/clean.py': 'print(1)\n' });
    const r = await runInProcess(['check'], dir);
    assert.equal(r.stdout, "app.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\nFound 1 problem (1 fixable with --fix).\n");
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
  });

  it('says "All checks passed!" and exits 0 when nothing is found', async () => {
    const dir = makeTree({ 'clean.py': 'async def f():\n    await g()\n', 'web/a.ts': 'export const x = 1;\n' });
    const r = await runInProcess(['check', '.'], dir);
    assert.deepEqual(r, { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });

  it('counts findings whose only fixes are unsafe separately', async () => {
    const dir = makeTree({
      'a.py': 'import asyncio\nasync def job():\n    pass\nasync def main():\n    job()\n    asyncio.create_task(job())\n',
    });
    const r = await runInProcess(['check'], dir);
    assert.equal(
      r.stdout,
      "a.py:5:5: unawaited-coroutine Coroutine 'job()' is never awaited\n" +
        'a.py:6:5: dangling-task Task is created and dropped\n' +
        'Found 2 problems (1 fixable with --fix, 1 more fixable with --fix --unsafe-fixes).\n',
    );
    const unsafe = await runInProcess(['check', '--unsafe-fixes'], dir);
    assert.match(unsafe.stdout, /Found 2 problems \(2 fixable with --fix\)\.\n$/);
  });

  it('orders files as walked (sorted) and findings by position; paths relative to the working folder', async () => {
    const dir = makeTree({
      'b.py': 'async def f():\n    pass\nf()\n',
      'a/z.py': 'async def g():\n    pass\nif True:\n    g()\ng()\n',
    });
    const r = await runInProcess(['check', 'b.py', 'a'], dir);
    assert.equal(
      r.stdout,
      "b.py:3:1: unawaited-coroutine Coroutine 'f()' is never awaited\n" +
        "a/z.py:4:5: unawaited-coroutine Coroutine 'g()' is never awaited\n" +
        "a/z.py:5:1: unawaited-coroutine Coroutine 'g()' is never awaited\n" +
        'Found 3 problems (3 fixable with --fix).\n',
    );
    const outside = await runInProcess(['check', join(dir, 'b.py')], join(dir, 'a'));
    assert.equal(outside.stdout.split('\n')[0], `${join(dir, 'b.py')}:3:1: unawaited-coroutine Coroutine 'f()' is never awaited`);
  });

  it('analyses each file once even when named twice', async () => {
    const dir = makeTree({ 'app.py': SEED });
    const engine = new FakeEngine();
    const r = await runInProcess(['check', '.', 'app.py', './app.py'], dir, { engine });
    assert.equal(r.stdout.split('\n').length, 3);
    assert.deepEqual(engine.analyzed, [join(dir, 'app.py')]);
  });

  it('--exit-zero reports findings but exits 0', async () => {
    const dir = makeTree({ 'app.py': SEED });
    const r = await runInProcess(['check', '--exit-zero'], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^app\.py:5:5: /);
  });
});

describe('asyncguard check: json format', () => {
  it('prints exactly version and findings with 1-based positions and fixes', async () => {
    const dir = makeTree({ 'app.py': SEED });
    const r = await runInProcess(['check', '--format', 'json'], dir, { tty: true });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '', 'no progress in JSON mode even on a terminal');
    assert.deepEqual(JSON.parse(r.stdout), {
      version: '0.1.0',
      findings: [
        {
          file: 'app.py',
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 13,
          rule: 'unawaited-coroutine',
          severity: 'warning',
          message: "Coroutine 'nested()' is never awaited",
          fixes: [
            { kind: 'add-await', title: 'Add “await”', safe: true, preferred: true, edits: [{ line: 5, column: 5, endLine: 5, endColumn: 5, newText: 'await ' }] },
            {
              kind: 'suppress',
              title: 'Suppress with “# asyncguard: ignore[unawaited-coroutine]”',
              safe: false,
              preferred: false,
              edits: [{ line: 5, column: 13, endLine: 5, endColumn: 13, newText: '  # asyncguard: ignore[unawaited-coroutine]' }],
            },
          ],
        },
      ],
    });
  });

  it('counts columns in UTF-16 code units, plus one', async () => {
    // `x = "é𝒳"; ` is 11 UTF-16 units ("é" is one, "𝒳", outside the BMP, is two): the call is at column 12.
    const dir = makeTree({ 'u.py': 'async def f():\n    pass\nif "é𝒳":\n    f()\nx = "é𝒳"; f()\n' });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    const findings = JSON.parse(r.stdout).findings;
    assert.deepEqual(
      findings.map((f: { line: number; column: number; endColumn: number }) => [f.line, f.column, f.endColumn]),
      [
        [4, 5, 8],
        [5, 12, 15],
      ],
    );
    const text = await runInProcess(['check'], dir);
    assert.match(text.stdout, /^u\.py:4:5: .*\nu\.py:5:12: /);
  });

  it('prints an empty list and exits 0 on a clean tree', async () => {
    const dir = makeTree({ 'ok.py': 'x = 1\n' });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    assert.equal(r.stdout, '{\n  "version": "0.1.0",\n  "findings": []\n}\n');
    assert.equal(r.code, 0);
  });
});

describe('asyncguard check: github format', () => {
  it('prints one workflow command per finding, escaping what the runner needs escaped', async () => {
    const dir = makeTree({ 'dir,1/app.py': SEED, 'b.py': 'async def f():\n    pass\nf()\n' });
    const r = await runInProcess(['check', '--format', 'github', '--select', 'unawaited-coroutine'], dir);
    assert.equal(
      r.stdout,
      "::warning file=b.py,line=3,col=1,endLine=3,endColumn=4,title=unawaited-coroutine::Coroutine 'f()' is never awaited\n" +
        "::warning file=dir%2C1/app.py,line=5,col=5,endLine=5,endColumn=13,title=unawaited-coroutine::Coroutine 'nested()' is never awaited\n",
    );
    assert.equal(r.code, 1);
  });

  it('maps severities to error / warning / notice', async () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard.severity]\n"unawaited-coroutine" = "error"\n"dangling-task" = "information"\n',
      'a.py': 'import asyncio\nasync def job():\n    pass\njob()\nasyncio.create_task(job())\n',
    });
    const r = await runInProcess(['check', '--format', 'github'], dir);
    assert.deepEqual(
      r.stdout.split('\n').map((l) => l.split(' ')[0]),
      ['::error', '::notice', ''],
    );
  });
});

describe('asyncguard check: notes and errors', () => {
  it('reports skipped files on stderr and still checks the rest', async () => {
    const dir = makeTree({
      'app.py': SEED,
      'latin1.py': Buffer.from('# caf\xe9\nx = 1\n', 'latin1'),
      'blob.py': Buffer.from([0x61, 0x00, 0x62]),
      'empty.py': '',
      'utf16.py': Buffer.from([0xff, 0xfe, 0x61, 0x00]),
    });
    const r = await runInProcess(['check'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "app.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\nFound 1 problem (1 fixable with --fix).\n");
    assert.equal(
      r.stderr,
      'asyncguard: warning: blob.py: skipped: binary file (contains NUL bytes)\n' +
        'asyncguard: warning: latin1.py: skipped: not UTF-8\n' +
        'asyncguard: warning: utf16.py: skipped: not UTF-8 (UTF-16 byte order mark)\n',
    );
  });

  it('skips a file over the 2 MB limit with its size, a byte over included', async () => {
    const dir = makeTree({ 'big.py': '', 'edge.py': '' });
    truncateSync(join(dir, 'big.py'), 51 * 1024 * 1024); // sparse: nothing is written
    truncateSync(join(dir, 'edge.py'), 2 * 1024 * 1024 + 1);
    const engine = new FakeEngine();
    const r = await runInProcess(['check'], dir, { engine });
    assert.deepEqual(r, {
      code: 0,
      stdout: 'All checks passed!\n',
      stderr: 'asyncguard: warning: big.py: skipped: too large (51 MB, the limit is 2 MB)\nasyncguard: warning: edge.py: skipped: too large (2.1 MB, the limit is 2 MB)\n',
    });
    assert.deepEqual(engine.analyzed, []);
  });

  it('analyses a file of exactly the limit and reports at its last line', async () => {
    const head = 'async def f():\n    pass\n';
    const tail = 'f()\n';
    const lines = Math.floor((2 * 1024 * 1024 - head.length - tail.length - 2) / 'x = 1\n'.length);
    // a comment line makes up the last bytes to the limit
    const padding = 2 * 1024 * 1024 - head.length - tail.length - lines * 'x = 1\n'.length;
    const dir = makeTree({ 'limit.py': head + 'x = 1\n'.repeat(lines) + '#'.repeat(padding - 1) + '\n' + tail });
    assert.equal(statSync(join(dir, 'limit.py')).size, 2 * 1024 * 1024);
    const r = await runInProcess(['check'], dir);
    assert.equal(r.stdout, `limit.py:${lines + 4}:1: unawaited-coroutine Coroutine 'f()' is never awaited\nFound 1 problem (1 fixable with --fix).\n`);
  });

  it('an empty file is analysed and passes', async () => {
    const dir = makeTree({ '__init__.py': '' });
    const engine = new FakeEngine();
    const r = await runInProcess(['check'], dir, { engine });
    assert.deepEqual(r, { code: 0, stdout: 'All checks passed!\n', stderr: '' });
    assert.deepEqual(engine.analyzed, [join(dir, '__init__.py')]);
  });

  it("prints the engine's notes as warnings", async () => {
    const dir = makeTree({ 'n.py': 'x = 1  # NOTE\n' });
    const r = await runInProcess(['check'], dir);
    assert.equal(r.stderr, 'asyncguard: warning: n.py: note about line 1\n');
    assert.equal(r.code, 0);
  });

  it('an engine crash on one file is an internal error (exit 2) but the others are reported', async () => {
    const dir = makeTree({ 'a.py': SEED, 'b.py': 'RAISE\n' });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.stdout).findings.length, 1);
    assert.match(r.stderr, /^asyncguard: error: b\.py: internal error: Error: fake engine exploded\n/);
  });

  it('an engine that cannot load gives exit 2 and one clear line', async () => {
    const dir = makeTree({ 'a.py': SEED });
    const r = await runInProcess(['check'], dir, { engine: new FakeEngine('wasm missing') });
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'asyncguard: error: cannot load the analysis engine: wasm missing\n' });
  });

  it('a path that does not exist is a usage error', async () => {
    const dir = makeTree({ 'a.py': SEED });
    const engine = new FakeEngine();
    const r = await runInProcess(['check', 'a.py', 'nope'], dir, { engine });
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'asyncguard: error: nope: no such file or folder\n' });
    assert.equal(engine.initCalls, 0);
  });

  it('a file named on the command line that cannot be checked is an error (exit 2); the others are still checked', async () => {
    const dir = makeTree({ 'README.md': '# hi\n', 'blob.py': Buffer.from([0x61, 0x00, 0x62]), 'app.py': SEED });
    const r = await runInProcess(['check', 'README.md', 'blob.py', 'app.py'], dir);
    assert.deepEqual(r, {
      code: 2,
      stdout: "app.py:5:5: unawaited-coroutine Coroutine 'nested()' is never awaited\nFound 1 problem (1 fixable with --fix); 2 errors (see above).\n",
      stderr:
        'asyncguard: error: README.md: cannot be checked: not a Python or TypeScript/JavaScript file\n' +
        'asyncguard: error: blob.py: cannot be checked: binary file (contains NUL bytes)\n',
    });
  });

  it('the same unreadable file met while walking a folder is a warning', async () => {
    const dir = makeTree({ 'src/blob.py': Buffer.from([0x61, 0x00, 0x62]), 'src/app.py': 'x = 1\n' });
    const r = await runInProcess(['check', 'src'], dir);
    assert.deepEqual(r, { code: 0, stdout: 'All checks passed!\n', stderr: 'asyncguard: warning: src/blob.py: skipped: binary file (contains NUL bytes)\n' });
  });

  it('usage errors exit 2 and name the problem', async () => {
    const dir = makeTree({});
    for (const [argv, message] of [
      [['check', '--format', 'xml'], "unknown format 'xml' (expected one of: text, json, sarif, github)"],
      [['check', '--frobnicate'], "unknown option '--frobnicate'"],
      [['check', '--select', 'no-such-rule'], "unknown rule 'no-such-rule' in --select (known rules: unawaited-coroutine, dangling-task, floating-future, run-in-running-loop, floating-promise, misused-promise)"],
      [['lint'], "unknown command 'lint'"],
      [[], 'missing command'],
    ] as const) {
      const r = await runInProcess([...argv], dir);
      assert.deepEqual(r, { code: 2, stdout: '', stderr: `asyncguard: error: ${message}\nRun 'asyncguard --help' for usage.\n` }, argv.join(' '));
    }
  });

  it('shows a progress counter on a terminal, and clears it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++) files[`m${i}.py`] = 'x = 1\n';
    const dir = makeTree(files);
    const r = await runInProcess(['check'], dir, { tty: true });
    assert.match(r.stderr, /^\r\x1b\[2KChecking 1\/3 files\.\.\.(.*)\r\x1b\[2KChecking 3\/3 files\.\.\.\r\x1b\[2K$/s);
    assert.equal(r.stdout, 'All checks passed!\n');
    const quiet = await runInProcess(['check'], dir, { tty: false });
    assert.equal(quiet.stderr, '');
  });

  it('--help and --version print to stdout and exit 0', async () => {
    const dir = makeTree({});
    const help = await runInProcess(['check', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: asyncguard check \[options\] \[PATH\.\.\.\]/);
    assert.deepEqual(await runInProcess(['--version'], dir), { code: 0, stdout: 'asyncguard 0.1.0\n', stderr: '' });
  });

  it('leaves files untouched without --fix', async () => {
    const dir = makeTree({ 'app.py': SEED });
    await runInProcess(['check'], dir);
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), SEED);
  });
});

describe('asyncguard check: engine options', () => {
  it('passes --python and --no-cache to the engine; no cache when a path lies outside the working folder', async () => {
    const dir = makeTree({ 'proj/a.py': 'x = 1\n', 'lib/b.py': 'y = 2\n' });
    const seen: EngineOptions[] = [];
    const engineFor = (o: EngineOptions) => (seen.push(o), new FakeEngine());
    const run = async (argv: string[], cwd: string) => {
      const r = await runCli(argv, { cwd, stdout: () => {}, stderr: () => {}, stderrIsTTY: false, engineFor, version: '0' });
      const o = seen.pop()!;
      return [r, o.python, o.noCache];
    };
    assert.deepEqual(await run(['check', '--python', '/opt/py/bin/python3'], join(dir, 'proj')), [0, '/opt/py/bin/python3', false]);
    assert.deepEqual(await run(['check', '--no-cache'], join(dir, 'proj')), [0, undefined, true]);
    assert.deepEqual(await run(['check', '.', '../lib'], join(dir, 'proj')), [0, undefined, true]);
  });
});

/** A stand-in for the worker pool: the same reads and analyses in this thread, handed back as outcomes. */
function fakePool(fake: FakeEngine): ParallelRun & { added: string[] } {
  const items: WorkItem[] = [];
  let ended = false;
  return {
    get added() {
      return items.map((i) => i.path);
    },
    add: (item) => void items.push(item),
    end: () => void (ended = true),
    cancel: async () => undefined,
    // as the real pool: asked for from its start, each file's outcome as it is added, until the walk ends
    async *outcomes() {
      for (let i = 0; !ended || i < items.length; ) {
        if (i === items.length) {
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        const item = items[i++];
        const source = readSourceFile(item.path);
        if (source.kind === 'skipped') yield { path: item.path, kind: 'skipped' as const, reason: source.reason };
        else {
          try {
            yield { path: item.path, kind: 'analyzed' as const, result: fake.analyze({ path: item.path, text: source.text, rules: item.rules }) };
          } catch (e) {
            yield { path: item.path, kind: 'error' as const, message: String(e) };
          }
        }
      }
    },
  };
}

describe('asyncguard check: analysis on other threads', () => {
  const files = { 'a.py': SEED, 'b.py': Buffer.from([0, 1]), 'c.py': 'RAISE\n', 'd.py': 'x = 1\n' };

  it('reports outcomes from the parallel runner exactly as the serial run does', async () => {
    const dir = makeTree(files);
    const serial = await runInProcess(['check', '--format', 'json'], dir);
    const fake = new FakeEngine();
    let calls = 0;
    const startParallel: CliEnv['startParallel'] = (_found, done) => {
      calls++;
      assert.equal(done, true); // four files: asked only once the walk is over
      return fakePool(fake);
    };
    let stdout = '';
    let stderr = '';
    const engineFor = () => {
      throw new Error('the serial engine must not be built when the pool runs');
    };
    const code = await runCli(['check', '--format', 'json'], {
      cwd: dir,
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      stderrIsTTY: false,
      engineFor,
      startParallel,
      version: '0.1.0',
    });
    assert.equal(calls, 1);
    assert.equal(code, serial.code);
    assert.equal(stdout, serial.stdout);
    assert.equal(stderr.replace(/Error: fake engine exploded[^\n]*(\n\s+at [^\n]*)*/, 'E'), serial.stderr.replace(/Error: fake engine exploded[^\n]*(\n\s+at [^\n]*)*/, 'E'));
  });

  it('--fix and --diff never use the pool; a pool that declines leaves the run serial', async () => {
    const dir = makeTree({ 'a.py': SEED });
    let calls = 0;
    const env = {
      cwd: dir,
      stdout: () => {},
      stderr: () => {},
      stderrIsTTY: false,
      engineFor: () => new FakeEngine(),
      startParallel: () => {
        calls++;
        return undefined;
      },
      version: '0',
    };
    assert.equal(await runCli(['check', '--diff'], env), 1);
    assert.equal(await runCli(['check', '--fix'], env), 0);
    assert.equal(calls, 0);
    assert.equal(await runCli(['check', '--threads', '3'], env), 0);
    assert.equal(calls, 1);
  });

  it('a pool started while the files are still being found gets every file, in the order found', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 100; i++) tree[`m${String(i).padStart(3, '0')}.py`] = i % 10 ? 'x = 1\n' : SEED;
    const dir = makeTree(tree);
    const serial = await runInProcess(['check', '--format', 'json'], dir);
    const asked: string[] = [];
    let pool: ReturnType<typeof fakePool> | undefined;
    let stdout = '';
    const code = await runCli(['check', '--format', 'json'], {
      cwd: dir,
      stdout: (t) => void (stdout += t),
      stderr: () => undefined,
      stderrIsTTY: false,
      engineFor: () => {
        throw new Error('the serial engine must not be built when the pool runs');
      },
      startParallel: (found, done) => {
        asked.push(`${found.length}${done ? ' done' : ''}`);
        if (found.length < 64) return undefined;
        pool = fakePool(new FakeEngine());
        return pool;
      },
      version: '0.1.0',
    });
    // asked every 32 files; the pool took the 64 found so far, then each file as it was found
    assert.deepEqual(asked, ['32', '64']);
    assert.equal(pool!.added.length, 100);
    assert.deepEqual(pool!.added, [...pool!.added].sort());
    assert.equal(code, serial.code);
    assert.equal(stdout, serial.stdout);
  });

  it('--threads must be a whole number of at least 1', async () => {
    const r = await runInProcess(['check', '--threads', '0'], makeTree({}));
    assert.deepEqual(r, { code: 2, stdout: '', stderr: "asyncguard: error: --threads expects a whole number of at least 1, not '0'\nRun 'asyncguard --help' for usage.\n" });
  });
});
