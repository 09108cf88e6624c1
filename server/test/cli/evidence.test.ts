// `asyncguard check --format json`, built and on the real engine: a finding that rests on evidence
// rather than a declared type (an event loop nothing declares) carries that evidence, with 1-based
// lines; other findings carry none.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { ensureBuilt, makeTree, runBuilt } from './helpers';

const LISTENER = [
  'import asyncio',
  '',
  'class Listener:',
  '    def __init__(self, transport, loop):',
  '        self._loop = loop',
  '',
  '    def on_message(self, callback, is_async):',
  '        if is_async:',
  '            self._loop.create_task(callback())',
  '        else:',
  '            self._loop.call_soon(callback)',
  '',
  'async def main():',
  '    asyncio.create_task(asyncio.sleep(1))',
  '',
].join('\n');

before(ensureBuilt);

it('check --format json: the evidence for an untyped event loop, line by line', () => {
  const dir = makeTree({ 'listener.py': LISTENER });
  const r = runBuilt(['check', '--format', 'json', '--no-cache', '.'], dir);
  assert.equal(r.code, 1, r.stderr);
  const findings = (JSON.parse(r.stdout) as { findings: Array<{ line: number; rule: string; evidence?: unknown }> }).findings;
  assert.deepEqual(
    findings.map((f) => [f.line, f.rule, f.evidence]),
    [
      [
        9,
        'dangling-task',
        [
          { text: '“self._loop” is an event loop, though nothing declares it one:' },
          { text: '“self._loop” is assigned from the parameter “loop” of “__init__”', line: 5 },
          { text: '“self._loop.call_soon(...)”', line: 11 },
        ],
      ],
      [14, 'dangling-task', undefined],
    ],
  );
});
