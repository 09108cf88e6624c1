// A corrupt summary cache (.asyncguard_cache) changes nothing a user sees: garbage, a truncated
// file, valid JSON of the wrong shape, malformed entries or a cache of another format version all
// give the same report as a run without a cache, and the run leaves a cache that reads again.
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

describe('a corrupt summary cache', () => {
  let dir: string;
  let expected: ReturnType<typeof runCli>;
  let cacheFile: string;
  let pristine: string;

  before(() => {
    ensureBuilt();
    dir = tempDir();
    writeTree(dir, FILES);
    expected = runCli(['check', '--no-cache', '.'], dir);
    assert.equal(expected.code, 1, expected.stderr);
    assert.match(expected.stdout, /^app\/main\.py:4:5: unawaited-coroutine /);
    assert.deepEqual(runCli(['check', '.'], dir), expected);
    const cache = join(dir, '.asyncguard_cache');
    const name = readdirSync(cache).find((f) => f.endsWith('.json'));
    assert.ok(name, 'the first run wrote a cache');
    cacheFile = join(cache, name);
    pristine = readFileSync(cacheFile, 'utf8');
  });

  const valid = () => JSON.parse(readFileSync(cacheFile, 'utf8'));
  const corruptions: Array<[string, () => string]> = [
    ['random bytes', () => '\u0000\u00ff{{{not json'],
    ['a truncated file', () => pristine.slice(0, pristine.length / 2)],
    ['an empty file', () => ''],
    ['JSON of the wrong shape', () => JSON.stringify([1, 2, 3])],
    ['entries of the wrong shape', () => JSON.stringify({ ...JSON.parse(pristine), entries: { x: 1, y: null } })],
    [
      'summaries of the wrong shape',
      () => {
        const data = JSON.parse(pristine);
        for (const e of Object.values<any>(data.entries)) e.summary = 'not a summary';
        return JSON.stringify(data);
      },
    ],
    ['a cache of another format version', () => JSON.stringify({ ...JSON.parse(pristine), version: 'asyncguard-summaries-0' })],
  ];

  for (const [what, make] of corruptions) {
    it(`${what}: the same report, and a readable cache afterwards`, () => {
      writeFileSync(cacheFile, make());
      assert.deepEqual(runCli(['check', '.'], dir), expected);
      assert.doesNotThrow(() => valid(), 'the cache file is JSON again');
      assert.deepEqual(runCli(['check', '.'], dir), expected);
    });
  }
});
