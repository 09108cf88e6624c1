// A corrupt cache (.asyncguard_cache: module summaries and kept findings) changes nothing a user
// sees: garbage, a truncated file, valid JSON of the wrong shape, malformed entries or a cache of
// another format version all give the same report as a run without a cache, and the run leaves a
// cache that reads again.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt, runCli, tempDir, writeTree } from './workspace';

const FILES = {
  'pyproject.toml': '[project]\nname = "app"\n',
  'app/__init__.py': '',
  'app/helpers.py': 'async def fetch():\n    return 1\n\ndef plain():\n    return 2\n',
  'app/main.py': 'from app.helpers import fetch, plain\n\nasync def main():\n    fetch()\n    plain()\n',
};

const CACHE_FILES = ['python-summaries.json', 'python-results.json'];

describe('a corrupt cache', () => {
  let dir: string;
  let expected: ReturnType<typeof runCli>;
  const pristine = new Map<string, string>();

  before(() => {
    ensureBuilt();
    dir = tempDir();
    writeTree(dir, FILES);
    expected = runCli(['check', '--no-cache', '.'], dir);
    assert.equal(expected.code, 1, expected.stderr);
    assert.match(expected.stdout, /^app\/main\.py:4:5: unawaited-coroutine /);
    assert.deepEqual(runCli(['check', '.'], dir), expected);
    const cache = join(dir, '.asyncguard_cache');
    assert.deepEqual(readdirSync(cache).filter((f) => f.endsWith('.json')).sort(), [...CACHE_FILES].sort(), 'the first run wrote both caches');
    for (const name of CACHE_FILES) pristine.set(name, readFileSync(join(cache, name), 'utf8'));
  });

  const corruptions: Array<[string, (pristine: string) => string]> = [
    ['random bytes', () => '\u0000\u00ff{{{not json'],
    ['a truncated file', (p) => p.slice(0, p.length / 2)],
    ['an empty file', () => ''],
    ['JSON of the wrong shape', () => JSON.stringify([1, 2, 3])],
    ['entries of the wrong shape', (p) => JSON.stringify({ ...JSON.parse(p), entries: { x: 1, y: null } })],
    [
      'summaries and results of the wrong shape',
      (p) => {
        const data = JSON.parse(p);
        for (const e of Object.values<any>(data.entries)) {
          e.summary = 'not a summary';
          if (e.result) e.result.findings = [{ rule: 'unawaited-coroutine', message: 'x', range: null, fixes: [] }];
        }
        return JSON.stringify(data);
      },
    ],
    ['a cache of another format version or engine build', (p) => JSON.stringify({ ...JSON.parse(p), version: 'asyncguard-summaries-0', build: 'another' })],
  ];

  for (const name of CACHE_FILES) {
    for (const [what, make] of corruptions) {
      it(`${name}, ${what}: the same report, and a readable cache afterwards`, () => {
        const file = join(dir, '.asyncguard_cache', name);
        writeFileSync(file, make(pristine.get(name)!));
        assert.deepEqual(runCli(['check', '.'], dir), expected);
        assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), 'the cache file is JSON again');
        assert.deepEqual(runCli(['check', '.'], dir), expected);
      });
    }
  }
});
