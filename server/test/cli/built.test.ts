// The built `asyncguard` executable, run as a user would, on the real engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CONCEPTS } from '../../src/engine/concepts';
import { RULES } from '../../src/engine/rules';
import { ensureBuilt, makeTree, repoRoot, runBuilt } from './helpers';

const version = JSON.parse(readFileSync(join(repoRoot, 'server', 'package.json'), 'utf8')).version as string;

// The seed example of the issue, with a line that runs it.
const SEED = 'import asyncio\n\nasync def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n\nasyncio.run(main())\n';
const SEED_FIXED = SEED.replace('    nested()\n', '    await nested()\n');
const MESSAGE = '“nested()” creates a coroutine that is never awaited, so “nested” never runs';

function python(file: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('python3', [file], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('built asyncguard', () => {
  before(ensureBuilt);

  it('leaves a floating promise in a loop alone on --fix: await and void are unsafe; --unsafe-fixes applies await', () => {
    const LOOP = 'async function warm(url: string): Promise<void> {\n  await Promise.resolve(url);\n}\n\nexport async function warmAll(urls: string[]): Promise<void> {\n  for (const u of urls) { warm(u); }\n}\n';
    // a project with its tsconfig, as most are (and its program leaves out the 2 MB DOM declarations)
    const dir = makeTree({ 'loop.ts': LOOP, 'tsconfig.json': '{ "compilerOptions": { "target": "es2022", "lib": ["es2022"], "strict": true } }\n' });
    const json = JSON.parse(runBuilt(['check', '--format', 'json', '--no-cache'], dir).stdout);
    assert.deepEqual(
      json.findings.map((f: { rule: string; line: number; fixes: { kind: string; safe: boolean; preferred: boolean }[] }) => [f.rule, f.line, f.fixes.map((x) => [x.kind, x.safe, x.preferred])]),
      [['floating-promise', 6, [['add-await', false, true], ['add-catch', false, false], ['add-void', false, false], ['suppress', false, false]]]],
    );
    assert.deepEqual(runBuilt(['check', '--fix', '--no-cache'], dir), {
      code: 1,
      stdout: `loop.ts:6:27: floating-promise ${json.findings[0].message}\nFound 1 problem (1 fixable with --fix --unsafe-fixes).\n`,
      stderr: '',
    });
    assert.equal(readFileSync(join(dir, 'loop.ts'), 'utf8'), LOOP);
    assert.deepEqual(runBuilt(['check', '--fix', '--unsafe-fixes', '--no-cache'], dir), { code: 0, stdout: 'Found 1 problem (1 fixed, 0 remaining).\n', stderr: '' });
    assert.equal(readFileSync(join(dir, 'loop.ts'), 'utf8'), LOOP.replace('{ warm(u); }', '{ await warm(u); }'));
  });

  it('one --fix run settles a lone-CR module with an import halfway down and a # noqa: RUF006, and it runs', () => {
    const lines = [
      'import asyncio',
      '',
      'async def job(n):',
      '    await asyncio.sleep(0)',
      '    print("job", n)',
      '',
      'async def main():',
      '    asyncio.create_task(job(1))  # started first',
      '    asyncio.create_task(job(2))  # noqa: RUF006',
      '    await other()',
      '    await asyncio.sleep(0.05)',
      '',
      'import sys',
      '',
      'async def other():',
      '    asyncio.create_task(job(3))',
      '',
      'asyncio.run(main())',
      'sys.stdout.flush()',
    ];
    const dir = makeTree({ 'app.py': lines.join('\r') + '\r' });
    assert.deepEqual(runBuilt(['check', '--fix', '--no-cache'], dir), { code: 0, stdout: 'Found 2 problems (2 fixed, 0 remaining).\n', stderr: '' });
    const fixed = readFileSync(join(dir, 'app.py'), 'utf8');
    assert.ok(!fixed.includes('\n'), 'still lone-CR line endings');
    const out = fixed.split('\r');
    assert.deepEqual(out.filter((l) => l.includes('set()')), ['background_tasks: set[asyncio.Task[object]] = set()']);
    assert.deepEqual(out.filter((l) => l.includes('#')), ['    task: asyncio.Task[object] = asyncio.create_task(job(1))  # started first', '    asyncio.create_task(job(2))  # noqa: RUF006']);
    // one `task` per function: the one in other() is not numbered because main() has one
    assert.deepEqual(out.filter((l) => l.includes('task:')), [
      '    task: asyncio.Task[object] = asyncio.create_task(job(1))  # started first',
      '    task: asyncio.Task[object] = asyncio.create_task(job(3))',
    ]);
    assert.deepEqual(runBuilt(['check', '--no-cache'], dir), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
    assert.deepEqual(runBuilt(['check', '--fix', '--no-cache'], dir), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
    assert.equal(readFileSync(join(dir, 'app.py'), 'utf8'), fixed, 'a second run changes nothing');
    const run = spawnSync('python3', ['-W', 'error', join(dir, 'app.py')], { encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.deepEqual(run.stdout.split('\n').filter(Boolean).sort(), ['job 1', 'job 2', 'job 3']);
  });

  it('starts without the TypeScript compiler: it is a bundle of its own, loaded on the first TS/JS file', () => {
    const out = join(repoRoot, 'server', 'out');
    for (const bundle of ['cli.js', 'analyze-worker.js', 'server.js', 'lsp-worker.js']) {
      assert.doesNotMatch(readFileSync(join(out, bundle), 'utf8'), /\bcreateLanguageService\b/, `${bundle} holds the TypeScript compiler`);
    }
    assert.match(readFileSync(join(out, 'ts-engine.js'), 'utf8'), /\bcreateLanguageService\b/);
    const dir = makeTree({ 'a.ts': 'async function f() {}\nf();\n', 'b.py': 'async def f():\n    pass\n\ndef g():\n    f()\n' });
    const r = runBuilt(['check', '--format', 'json', '.'], dir);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: { file: string; rule: string }[] }).findings.map((f) => `${f.file} ${f.rule}`), ['a.ts floating-promise', 'b.py unawaited-coroutine']);
  });

  it('check --format json on the seed example: exactly one unawaited-coroutine with an add-await fix', () => {
    const dir = makeTree({ 'seed.py': SEED });
    const r = runBuilt(['check', '--format', 'json', '.'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      version,
      findings: [
        {
          file: 'seed.py',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 13,
          rule: 'unawaited-coroutine',
          severity: 'warning',
          message: MESSAGE,
          fixes: [
            { kind: 'add-await', title: 'Add “await”', safe: true, preferred: true, edits: [{ line: 7, column: 5, endLine: 7, endColumn: 5, newText: 'await ' }] },
            {
              kind: 'suppress',
              title: 'Suppress “unawaited-coroutine” on this line',
              safe: false,
              preferred: false,
              edits: [{ line: 7, column: 13, endLine: 7, endColumn: 13, newText: '  # asyncguard: ignore[unawaited-coroutine]' }],
            },
          ],
        },
      ],
    });
  });

  it('--fix makes the seed run and print 42 without the "never awaited" warning', () => {
    const dir = makeTree({ 'seed.py': SEED });
    const before = python(join(dir, 'seed.py'));
    assert.match(before.stderr, /RuntimeWarning: coroutine 'nested' was never awaited/);
    const r = runBuilt(['check', '--fix'], dir);
    assert.deepEqual(r, { code: 0, stdout: 'Found 1 problem (1 fixed, 0 remaining).\n', stderr: '' });
    assert.equal(readFileSync(join(dir, 'seed.py'), 'utf8'), SEED_FIXED);
    assert.deepEqual(python(join(dir, 'seed.py')), { stdout: '42\n', stderr: '', status: 0 });
    assert.deepEqual(runBuilt(['check'], dir), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });

  it('--fix keeps a BOM and CRLF line endings on the real engine', () => {
    const original = Buffer.from('\ufeff' + SEED.replace(/\n/g, '\r\n'), 'utf8');
    const dir = makeTree({ 'seed.py': original });
    const text = runBuilt(['check', 'seed.py'], dir);
    assert.equal(text.stdout, `seed.py:7:5: unawaited-coroutine ${MESSAGE}\nFound 1 problem (1 fixable with --fix).\n`);
    runBuilt(['check', '--fix', 'seed.py'], dir);
    assert.deepEqual(readFileSync(join(dir, 'seed.py')), Buffer.from('\ufeff' + SEED_FIXED.replace(/\n/g, '\r\n'), 'utf8'));
    assert.deepEqual(python(join(dir, 'seed.py')), { stdout: '42\n', stderr: '', status: 0 });
  });

  it('columns count UTF-16 code units (plus one), past non-ASCII and astral characters', () => {
    // `    x = "é𝒳"; ` is 15 UTF-16 units: "é" is one, "𝒳" (outside the BMP) two; the call is at column 16.
    const dir = makeTree({ 'u.py': 'async def nested():\n    return 42\n\nasync def main():\n    x = "é𝒳"; nested()\n    print(x)\n' });
    const findings = JSON.parse(runBuilt(['check', '--format', 'json'], dir).stdout).findings;
    assert.deepEqual(
      findings.map((f: { line: number; column: number; endColumn: number; fixes: { edits: { column: number }[] }[] }) => [f.line, f.column, f.endColumn, f.fixes[0].edits[0].column]),
      [[5, 16, 24, 16]],
    );
    runBuilt(['check', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'u.py'), 'utf8').split('\n')[4], '    x = "é𝒳"; await nested()');
  });

  it('--diff prints the fix and leaves the file alone', () => {
    const dir = makeTree({ 'seed.py': SEED });
    const r = runBuilt(['check', '--diff'], dir);
    assert.deepEqual(r, {
      code: 1,
      stdout:
        '--- a/seed.py\n+++ b/seed.py\n@@ -4,7 +4,7 @@\n     return 42\n \n async def main():\n-    nested()\n+    await nested()\n     print(await nested())\n \n asyncio.run(main())\n',
      stderr: 'Would fix 1 problem.\n',
    });
    assert.equal(readFileSync(join(dir, 'seed.py'), 'utf8'), SEED);
  });

  it('--format text and github on the seed', () => {
    const dir = makeTree({ 'pkg/seed.py': SEED });
    assert.equal(runBuilt(['check'], dir).stdout, `pkg/seed.py:7:5: unawaited-coroutine ${MESSAGE}\nFound 1 problem (1 fixable with --fix).\n`);
    assert.equal(
      runBuilt(['check', '--format', 'github'], dir).stdout,
      `::warning file=pkg/seed.py,line=7,col=5,endLine=7,endColumn=13,title=unawaited-coroutine::${MESSAGE}\n`,
    );
  });

  it('reports unreadable input clearly and exits 0 when nothing else is wrong', () => {
    const dir = makeTree({
      'latin1.py': Buffer.from('x = "caf\xe9"\n', 'latin1'),
      'data.py': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'empty.py': '',
      'broken.py': 'def f(:\n    pass\n',
    });
    const r = runBuilt(['check'], dir);
    assert.deepEqual(r, {
      code: 0,
      stdout: 'All checks passed!\n',
      stderr:
        'asyncguard: warning: broken.py: the file has syntax errors; code inside them is not checked\n' +
        'asyncguard: warning: data.py: skipped: binary file (contains NUL bytes)\n' +
        'asyncguard: warning: latin1.py: skipped: not UTF-8\n',
    });
  });

  it('a syntax error is reported once per file, relative, in the same words for Python and TypeScript', () => {
    const dir = makeTree({ 'syn/broken.py': 'def f(:\n    pass\n', 'syn/broken.ts': 'function f( {\n  return 1;\n' });
    const r = runBuilt(['check', 'syn'], dir);
    assert.deepEqual(r, {
      code: 0,
      stdout: 'All checks passed!\n',
      stderr:
        'asyncguard: warning: syn/broken.py: the file has syntax errors; code inside them is not checked\n' +
        'asyncguard: warning: syn/broken.ts: the file has syntax errors; code inside them is not checked\n',
    });
  });

  it('a binary file named on the command line: an error, exit 2 (not "All checks passed!")', () => {
    const dir = makeTree({ 'image.py': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]) });
    assert.deepEqual(runBuilt(['check', 'image.py'], dir), {
      code: 2,
      stdout: 'No problems found; 1 error (see above).\n',
      stderr: 'asyncguard: error: image.py: cannot be checked: binary file (contains NUL bytes)\n',
    });
  });

  it('a broken pyproject.toml: exit 2, the file and the reason', () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard]\nselect = [dangling-task]\n', 'seed.py': SEED });
    const r = runBuilt(['check', 'seed.py'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^asyncguard: error: pyproject\.toml: 2:\d+: invalid TOML: .+\n$/);
  });

  it('pyproject.toml settings reach the real engine', () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard.severity]\n"unawaited-coroutine" = "error"\n', 'seed.py': SEED });
    assert.equal(JSON.parse(runBuilt(['check', '--format', 'json'], dir).stdout).findings[0].severity, 'error');
    const off = makeTree({ 'pyproject.toml': '[tool.asyncguard]\nignore = ["unawaited-coroutine"]\n', 'seed.py': SEED });
    assert.deepEqual(runBuilt(['check'], off), { code: 0, stdout: 'All checks passed!\n', stderr: '' });
  });

  it('--version, --help and usage errors', () => {
    const dir = makeTree({});
    assert.deepEqual(runBuilt(['--version'], dir), { code: 0, stdout: `asyncguard ${version}\n`, stderr: '' });
    const help = runBuilt(['--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^AsyncGuard: finds the async mistakes that silently drop work\.\n\nUsage: asyncguard <command>/);
    assert.deepEqual(runBuilt(['check', '--format=yaml'], dir), {
      code: 2,
      stdout: '',
      stderr: "asyncguard: error: unknown format 'yaml' (expected one of: text, json, sarif, github)\nRun 'asyncguard --help' for usage.\n",
    });
  });

  it('rule --all lists every rule, then every concept page; rule RULE-ID --format markdown prints its documentation page as written', () => {
    const dir = makeTree({});
    const all = runBuilt(['rule', '--all'], dir);
    assert.equal(all.code, 0);
    assert.deepEqual(
      all.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]),
      [...RULES.map((r) => r.id), ...CONCEPTS.map((c) => c.id)],
    );
    const page = join(repoRoot, 'docs', 'rules', 'unawaited-coroutine.md');
    const r = runBuilt(['rule', 'unawaited-coroutine', '--format', 'markdown'], dir);
    if (existsSync(page)) {
      assert.deepEqual(r, { code: 0, stdout: readFileSync(page, 'utf8'), stderr: '' });
    } else {
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^asyncguard: error: the documentation of unawaited-coroutine is not installed \(no unawaited-coroutine\.md under .*docs\)\n$/);
    }
    assert.equal(runBuilt(['rule', 'unawaited'], dir).code, 2);
  });

  it('runs from the repository root as `npm run --silent asyncguard -- check --format json DIR`', () => {
    const dir = makeTree({ 'seed.py': SEED, 'nested/ok.py': 'x = 1\n' });
    const r = spawnSync('npm', ['run', '--silent', 'asyncguard', '--', 'check', '--format', 'json', dir], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.findings.map((f: { file: string; line: number; rule: string }) => [f.file, f.line, f.rule]),
      [[join(dir, 'seed.py'), 7, 'unawaited-coroutine']],
    );
  });

  it('two worker threads (the bundled analyze-worker.js) report exactly what one thread reports', () => {
    const files: Record<string, string | Uint8Array> = { 'zz-binary.py': new Uint8Array([0x61, 0, 0x62]) };
    for (let i = 0; i < 50; i++) files[`m${String(i).padStart(2, '0')}.py`] = i % 5 === 0 ? SEED : 'import asyncio\n\nasync def main():\n    await asyncio.sleep(0)\n';
    const dir = makeTree(files);
    const one = runBuilt(['check', '--format', 'json', '--threads', '1'], dir);
    const two = runBuilt(['check', '--format', 'json', '--threads', '2'], dir);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.stderr, 'asyncguard: warning: zz-binary.py: skipped: binary file (contains NUL bytes)\n');
    assert.equal(one.stderr, two.stderr);
    assert.deepEqual(
      JSON.parse(two.stdout).findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`),
      ['m00.py:7', 'm05.py:7', 'm10.py:7', 'm15.py:7', 'm20.py:7', 'm25.py:7', 'm30.py:7', 'm35.py:7', 'm40.py:7', 'm45.py:7'],
    );
    assert.equal(two.code, 1);
  });

  it('writes its JSON whole when stdout is a pipe, well past the pipe buffer', () => {
    const body = Array.from({ length: 400 }, () => '    nested()\n').join('');
    const dir = makeTree({ 'many.py': `async def nested():\n    pass\n\nasync def main():\n${body}` });
    const r = runBuilt(['check', '--format', 'json'], dir);
    assert.ok(r.stdout.length > 256 * 1024);
    assert.equal(JSON.parse(r.stdout).findings.length, 400);
  });
});
