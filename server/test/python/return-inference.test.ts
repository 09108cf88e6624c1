// A plain `def` that returns a coroutine on every path hands one back: calling it as a statement
// drops it. (Not a runtime fixture: CPython places the "never awaited" origin inside the helper,
// where the coroutine is created, not at the call that drops it.)
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyzePython, loadPythonEngine } from '../../src/engine/python/index';

before(() => loadPythonEngine());

const source = [
  'async def fetch():',
  '    return 42',
  'def make_fetch():',
  '    return fetch()  # the caller awaits it',
  'def make_fetch_again():',
  '    return make_fetch()  # two hops',
  'def maybe_fetch(flag):',
  '    if flag:',
  '        return fetch()',
  '    print("no coroutine on this path")',
  'async def main():',
  '    make_fetch()',
  '    make_fetch_again()',
  '    maybe_fetch(False)',
  '    await make_fetch()',
  '',
].join('\n');

test('helpers that return a coroutine on every path, trailing comments and all', () => {
  const found = analyzePython(source, { path: 'helpers.py' }).findings.map((f) => [f.rule, f.range.start.line + 1]);
  assert.deepEqual(found, [
    ['unawaited-coroutine', 12],
    ['unawaited-coroutine', 13],
  ]);
});
