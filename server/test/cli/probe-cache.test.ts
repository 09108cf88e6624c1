// The CLI keeps what the interpreter said of its sys.path in the user's cache folder (the built
// bundle, run as a user runs it, with a fake interpreter that counts how often it is run): a second
// run does not start it; a changed pyvenv.cfg, interpreter or library folder makes the next run ask
// again; --no-cache asks every time and keeps nothing; worker threads share the cached answer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTree } from './helpers';

const cli = join(__dirname, '..', '..', 'out', 'cli.js');
const skip = process.platform === 'win32' && 'the fake interpreter is a shell script';

/** A project with a virtualenv whose fake interpreter counts its runs, and a cache folder of its own. */
function setup(files = 1) {
  const site = makeTree({ 'remote.py': 'async def fetch():\n    return 1\n' });
  const project: Record<string, string> = { 'pyproject.toml': '[project]\nname = "app"\n', 'venv/pyvenv.cfg': 'home = /usr/bin\n' };
  for (let i = 0; i < files; i++) project[`use${i}.py`] = 'from remote import fetch\n\n\ndef run():\n    fetch()\n';
  const root = makeTree(project);
  const cacheDir = join(makeTree({}), 'cache');
  const counter = join(root, 'runs.txt');
  const python = join(root, 'venv', 'bin', 'python');
  mkdirSync(join(root, 'venv', 'bin'));
  writeFileSync(python, `#!/bin/sh\necho run >> '${counter}'\necho '${JSON.stringify({ path: [site], stdlib: [], version: [3, 11] })}'\n`, { mode: 0o755 });
  const runs = () => (existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0);
  const check = (...args: string[]) => {
    // the project's venv/ is found as a user's would be: no --python
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--verbose', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ASYNCGUARD_CACHE_DIR: cacheDir },
    });
    const findings = (JSON.parse(r.stdout) as { findings: { file: string; rule: string }[] }).findings.map((f) => `${f.file} ${f.rule}`);
    const probes = r.stderr.split('\n').filter((l) => l.includes(`interpreter ${python}:`)).map((l) => l.replace(/, [\d.]+ ms$/, '').replace(`interpreter ${python}: `, ''));
    return { findings, probes, stderr: r.stderr };
  };
  /** Moves a file's mtime forward, as an edit or a reinstall would. */
  const touch = (path: string) => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
  };
  return { root, site, python, cacheDir, runs, check, touch };
}

describe('the interpreter probe cache', { skip }, () => {
  it('a second run takes sys.path from the cache and does not start the interpreter', () => {
    const t = setup();
    const first = t.check();
    assert.deepEqual(first.findings, ['use0.py unawaited-coroutine']); // the library's fetch() was resolved
    assert.deepEqual(first.probes, ['asyncguard: asked (not in the probe cache)']);
    // --verbose also tells when the walk ended and when the first file was analysed
    assert.match(first.stderr, /^asyncguard: 1 file found in \d+ ms$/m);
    assert.match(first.stderr, /^asyncguard: first file analysed at \d+ ms$/m);
    assert.equal(t.runs(), 1);
    assert.ok(existsSync(join(t.cacheDir, 'interpreters.json')));
    const second = t.check();
    assert.deepEqual(second.findings, first.findings);
    assert.deepEqual(second.probes, ['asyncguard: from the probe cache']);
    assert.equal(t.runs(), 1);
  });

  // each change makes exactly one more run of the interpreter, then the cache holds again
  for (const [what, change] of [
    ['the virtualenv’s pyvenv.cfg', (t: ReturnType<typeof setup>) => t.touch(join(t.root, 'venv', 'pyvenv.cfg'))],
    ['the interpreter', (t: ReturnType<typeof setup>) => t.touch(t.python)],
    ['a library folder (a package installed)', (t: ReturnType<typeof setup>) => t.touch(t.site)],
  ] as const) {
    it(`a change to ${what} makes the next run ask the interpreter again`, () => {
      const t = setup();
      t.check();
      t.check();
      assert.equal(t.runs(), 1);
      change(t);
      assert.deepEqual(t.check().probes, ['asyncguard: asked (not in the probe cache)']);
      assert.equal(t.runs(), 2);
      assert.deepEqual(t.check().probes, ['asyncguard: from the probe cache']);
      assert.equal(t.runs(), 2);
    });
  }

  it('--no-cache asks the interpreter every time and keeps no answer', () => {
    const t = setup();
    assert.deepEqual(t.check('--no-cache').findings, ['use0.py unawaited-coroutine']);
    t.check('--no-cache');
    assert.equal(t.runs(), 2);
    assert.ok(!existsSync(join(t.cacheDir, 'interpreters.json')));
  });

  it('a corrupt cache file is ignored and rewritten', () => {
    const t = setup();
    mkdirSync(t.cacheDir, { recursive: true });
    writeFileSync(join(t.cacheDir, 'interpreters.json'), '{"version": "asyncguard-interpreters-1", "entries": {"x": 1');
    assert.deepEqual(t.check().findings, ['use0.py unawaited-coroutine']);
    assert.equal(t.runs(), 1);
    t.check();
    assert.equal(t.runs(), 1);
  });

  it('worker threads take the cached answer too: a warm run on two threads starts no interpreter', () => {
    const t = setup(60);
    const cold = t.check('--threads', '2', '--no-cache');
    assert.equal(cold.findings.length, 60);
    assert.ok(t.runs() >= 1);
    t.check('--threads', '1'); // fills the cache
    const before = t.runs();
    const warm = t.check('--threads', '2');
    assert.deepEqual(warm.findings, cold.findings);
    assert.equal(t.runs(), before);
    assert.match(warm.stderr, /analysis threads started after \d+ files were found/);
    assert.deepEqual(warm.probes, ['asyncguard: from the probe cache', 'asyncguard: from the probe cache']);
  });
});
