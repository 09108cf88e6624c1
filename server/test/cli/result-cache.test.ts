// The CLI keeps each Python file's findings in .asyncguard_cache between runs (the built bundle,
// run as a user runs it): a second run over unchanged files reports the same, from the cache; an
// edit to a file, or to a module it imports, makes that file analysed again; a broken cache file
// is ignored; --no-cache neither reads nor writes one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pythonExecutable } from '../helpers/python';

const cli = join(__dirname, '..', '..', 'out', 'cli.js');
const CACHE = join('.asyncguard_cache', 'python-results.json');

describe('the CLI result cache', () => {
  let dir: string;
  const check = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--python', pythonExecutable(), ...args, '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.stderr, '');
    return (JSON.parse(r.stdout) as { findings: { file: string; line: number; rule: string; message: string }[] }).findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
  };
  const cached = () => JSON.parse(readFileSync(join(dir, CACHE), 'utf8')) as { entries: Record<string, { result: { findings: { message: string }[] } }> };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'asyncguard-results-'));
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "shop"\n');
    writeFileSync(join(dir, 'api.py'), 'async def fetch():\n    return 1\n');
    writeFileSync(join(dir, 'service.py'), 'from api import fetch\n\n\ndef run():\n    fetch()\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const finding = 'service.py:5 unawaited-coroutine “fetch()” creates a coroutine that is never awaited, so “fetch” never runs';

  it('a first run analyses and keeps the findings', () => {
    assert.deepEqual(check(), [finding]);
    assert.ok(existsSync(join(dir, CACHE)));
  });

  it('a second run over unchanged files takes them from the cache', () => {
    // mark the kept finding: a run that reports the mark did not analyse the file again
    const data = cached();
    const key = Object.keys(data.entries).find((k) => k.endsWith('service.py'))!;
    data.entries[key].result.findings[0].message = 'from the cache';
    writeFileSync(join(dir, CACHE), JSON.stringify(data));
    assert.deepEqual(check(), ['service.py:5 unawaited-coroutine from the cache']);
  });

  it('other rule settings analyse again', () => {
    assert.deepEqual(check('--select', 'unawaited-coroutine'), [finding]);
  });

  it('an edit to an imported module analyses its importers again', () => {
    check(); // the cache now holds the settings of a plain run again
    writeFileSync(join(dir, 'api.py'), 'def fetch():\n    return 1\n');
    assert.deepEqual(check(), []);
    writeFileSync(join(dir, 'api.py'), 'async def fetch():\n    return 2\n');
    assert.deepEqual(check(), [finding]);
  });

  it('an edit to the file itself analyses it again', () => {
    writeFileSync(join(dir, 'service.py'), 'from api import fetch\n\n\nasync def run():\n    await fetch()\n');
    assert.deepEqual(check(), []);
  });

  it('a corrupt cache file is ignored and replaced', () => {
    writeFileSync(join(dir, 'service.py'), 'from api import fetch\n\n\ndef run():\n    fetch()\n');
    writeFileSync(join(dir, CACHE), '{"build": 1, "entries": [');
    assert.deepEqual(check(), [finding]);
    assert.equal(Object.keys(cached().entries).length, 2);
  });

  it('--no-cache neither reads nor writes the cache', () => {
    const data = cached();
    for (const e of Object.values(data.entries)) for (const f of e.result.findings) f.message = 'stale';
    writeFileSync(join(dir, CACHE), JSON.stringify(data));
    assert.deepEqual(check('--no-cache'), [finding]);
    assert.match(readFileSync(join(dir, CACHE), 'utf8'), /stale/);
  });
});
