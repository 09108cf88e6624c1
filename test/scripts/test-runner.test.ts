// The summary `npm test` prints after node's: every test that did not run is counted, a skipped
// suite included (node's own count leaves its tests out), each with its file and reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { summary } from '../../scripts/test-events.mjs';

const dir = mkdtempSync(join(tmpdir(), 'asyncguard-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = `import { describe, it, test } from 'node:test';
describe('Neovim as an LSP client', { skip: 'nvim is not installed' }, () => { it('talks LSP', () => {}); });
describe('checks', () => {
  it('runs', () => {});
  it('needs chromium', { skip: 'chromium is not installed' }, () => {});
  it('later', { todo: 'not written yet' }, () => {});
});
test('decides at run time', (t) => { t.skip('no python3'); });
test('fails', () => { throw new Error('boom'); });
`;

test('counts skipped tests and suites, each with its file and reason', () => {
  const file = join(dir, 'fixture.test.mjs');
  writeFileSync(file, FIXTURE);
  const events = join(dir, 'events.jsonl');
  const reporter = pathToFileURL(join(import.meta.dirname, '..', '..', 'scripts', 'test-events.mjs')).href;
  // a run of its own, not a part of this one (node:test passes NODE_TEST_CONTEXT to child runs)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
  const run = spawnSync(process.execPath, ['--test', `--test-reporter=${reporter}`, `--test-reporter-destination=${events}`, file], { cwd: dir, encoding: 'utf8', env });
  assert.equal(run.status, 1, 'one test fails');
  assert.equal(
    summary(readFileSync(events, 'utf8'), dir),
    [
      '',
      'AsyncGuard tests: 1 passed, 1 failed, 3 skipped, 1 todo',
      '  skipped fixture.test.mjs: the suite "Neovim as an LSP client" (all its tests): nvim is not installed',
      '  skipped fixture.test.mjs: "needs chromium": chromium is not installed',
      '  skipped fixture.test.mjs: "decides at run time": no python3',
    ].join('\n'),
  );
});
