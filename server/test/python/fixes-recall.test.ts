// The fixes of the findings the recall work added: a dropped run_coroutine_threadsafe(...) (keep the
// future and log its exception; wait for it), ensure_future(<call>) (keep the task), a declared
// awaitable (await it, unsafe), an async generator (suppress only). Exact text before and after, each
// result parses and does not raise the same finding again; the report-failure fix, run by CPython,
// shows the exception the coroutine raised where nothing showed before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { applyEdits } from '../../src/engine/text';
import type { FixKind, RuleId } from '../../src/engine/types';
import { analyzePython, loadPythonEngine } from '../../src/engine/python/index';
import { cpythonSyntaxErrors, pythonExecutable } from '../helpers/python';

const lines = (...l: string[]) => l.join('\n') + '\n';

interface FixCase {
  name: string;
  rule: RuleId;
  fix: FixKind;
  safe: boolean;
  before: string;
  after: string;
}

const cases: FixCase[] = [
  {
    name: 'run_coroutine_threadsafe: keep the future and log its exception; the comment stays on the line of the call',
    rule: 'floating-future',
    fix: 'report-failure',
    safe: true,
    before: lines('import asyncio', 'async def speak(): ...', 'def on_audio(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop)  # from the player thread'),
    after: lines(
      'import asyncio',
      'async def speak(): ...',
      'def on_audio(loop):',
      '    future = asyncio.run_coroutine_threadsafe(speak(), loop)  # from the player thread',
      '    future.add_done_callback(lambda done: done.cancelled() or done.result())',
    ),
  },
  {
    name: 'run_coroutine_threadsafe: a name already taken gets a fresh one',
    rule: 'floating-future',
    fix: 'report-failure',
    safe: true,
    before: lines('import asyncio', 'async def speak(): ...', 'future = None', 'def on_audio(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop)'),
    after: lines(
      'import asyncio',
      'async def speak(): ...',
      'future = None',
      'def on_audio(loop):',
      '    future_1 = asyncio.run_coroutine_threadsafe(speak(), loop)',
      '    future_1.add_done_callback(lambda done: done.cancelled() or done.result())',
    ),
  },
  {
    name: 'run_coroutine_threadsafe: `_ = ...` keeps the future in a name of its own (unsafe: `_` is no longer assigned)',
    rule: 'floating-future',
    fix: 'report-failure',
    safe: false,
    before: lines('import asyncio', 'async def speak(): ...', 'def on_audio(loop):', '    _ = asyncio.run_coroutine_threadsafe(speak(), loop)'),
    after: lines(
      'import asyncio',
      'async def speak(): ...',
      'def on_audio(loop):',
      '    future = asyncio.run_coroutine_threadsafe(speak(), loop)',
      '    future.add_done_callback(lambda done: done.cancelled() or done.result())',
    ),
  },
  {
    name: 'run_coroutine_threadsafe: a one-line `if` body joins with semicolons',
    rule: 'floating-future',
    fix: 'report-failure',
    safe: true,
    before: lines('import asyncio', 'async def speak(): ...', 'def on_audio(loop):', '    if loop: asyncio.run_coroutine_threadsafe(speak(), loop)'),
    after: lines(
      'import asyncio',
      'async def speak(): ...',
      'def on_audio(loop):',
      '    if loop: future = asyncio.run_coroutine_threadsafe(speak(), loop); future.add_done_callback(lambda done: done.cancelled() or done.result())',
    ),
  },
  {
    name: 'run_coroutine_threadsafe: wait for it in this thread (unsafe)',
    rule: 'floating-future',
    fix: 'wait-result',
    safe: false,
    before: lines('import asyncio', 'async def speak(): ...', 'def on_audio(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop)'),
    after: lines('import asyncio', 'async def speak(): ...', 'def on_audio(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop).result()'),
  },
  {
    name: 'ensure_future of an unknown call: keep the task',
    rule: 'dangling-task',
    fix: 'keep-task',
    safe: true,
    before: lines('import asyncio', 'def start(factory):', '    asyncio.ensure_future(factory())'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'def start(factory):',
      '    task: asyncio.Task[object] = asyncio.ensure_future(factory())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'a declared awaitable: await it (unsafe: a Future would now be waited for here)',
    rule: 'unawaited-coroutine',
    fix: 'add-await',
    safe: false,
    before: lines('from typing import Awaitable, Callable', 'async def run(cb: Callable[[], Awaitable[None]]):', '    cb()'),
    after: lines('from typing import Awaitable, Callable', 'async def run(cb: Callable[[], Awaitable[None]]):', '    await cb()'),
  },
];

before(() => loadPythonEngine());

const fixedTexts: string[] = [];

describe('python fixes of the recall findings: exact text after each fix', () => {
  for (const c of cases) {
    test(c.name, () => {
      const findings = analyzePython(c.before, { path: 'example.py' }).findings.filter((f) => f.rule === c.rule);
      assert.equal(findings.length, 1, `expected one ${c.rule} finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
      const fix = findings[0].fixes.find((f) => f.kind === c.fix);
      assert.ok(fix, `no ${c.fix} fix among ${findings[0].fixes.map((f) => f.kind).join(', ')}`);
      assert.equal(fix.safe, c.safe);
      assert.equal(findings[0].fixes.filter((f) => f.preferred).length, 1, 'exactly one preferred fix');
      const fixed = applyEdits(c.before, fix.edits);
      assert.equal(fixed, c.after);
      const again = analyzePython(fixed, { path: 'example.py' }).findings.filter((f) => f.rule === c.rule);
      assert.deepEqual(again.map((f) => f.message), [], 'the fix must not leave the same finding');
      fixedTexts.push(fixed);
    });
  }
  after(() => {
    assert.deepEqual(cpythonSyntaxErrors(fixedTexts), fixedTexts.map(() => undefined), 'every fixed text parses with CPython');
  });
});

/** Which fixes a finding offers, by kind, with the preferred one first. */
function offered(code: string, rule: RuleId): string[] {
  const findings = analyzePython(code, { path: 'example.py' }).findings.filter((f) => f.rule === rule);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  const fixes = findings[0].fixes;
  return [...fixes.filter((f) => f.preferred), ...fixes.filter((f) => !f.preferred)].map((f) => `${f.kind}${f.safe ? '' : ' (unsafe)'}`);
}

describe('python fixes of the recall findings: which are offered', () => {
  const table: Array<{ name: string; rule: RuleId; code: string; fixes: string[] }> = [
    {
      name: 'an async generator: the suppression only (draining it may never end)',
      rule: 'unawaited-coroutine',
      code: lines('async def ticks():', '    yield 1', 'async def main():', '    ticks()'),
      fixes: ['suppress (unsafe)'],
    },
    {
      name: 'run_coroutine_threadsafe in an async function: no `.result()`, which would block the loop',
      rule: 'floating-future',
      code: lines('import asyncio', 'async def speak(): ...', 'async def relay(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop)'),
      fixes: ['report-failure', 'suppress (unsafe)'],
    },
    {
      name: 'run_coroutine_threadsafe: never `await` (a concurrent Future is not awaitable)',
      rule: 'floating-future',
      code: lines('import asyncio', 'async def speak(): ...', 'def relay(loop):', '    asyncio.run_coroutine_threadsafe(speak(), loop)'),
      fixes: ['report-failure', 'wait-result (unsafe)', 'suppress (unsafe)'],
    },
    {
      name: 'a dropped task on an untyped loop: the same fixes as on a declared one, keep-task not applied without asking',
      rule: 'dangling-task',
      code: lines('async def work(): ...', 'class C:', '    def __init__(self, loop):', '        self._loop = loop', '    def go(self):', '        self._loop.call_soon(print)', '        self._loop.create_task(work())'),
      fixes: ['keep-task (unsafe)', 'suppress (unsafe)'],
    },
  ];
  for (const c of table) test(c.name, () => assert.deepEqual(offered(c.code, c.rule), c.fixes));
});

test('report-failure, run: the exception the coroutine raises is logged where before nothing showed', () => {
  const program = (statement: string) =>
    lines(
      'import asyncio, threading',
      'async def fail():',
      '    raise RuntimeError("lost in the loop thread")',
      'def relay(loop):',
      `    ${statement}`,
      'loop = asyncio.new_event_loop()',
      'thread = threading.Thread(target=loop.run_forever)',
      'thread.start()',
      'relay(loop)',
      'asyncio.run_coroutine_threadsafe(asyncio.sleep(0.05), loop).result()',
      'loop.call_soon_threadsafe(loop.stop)',
      'thread.join()',
      'loop.close()',
      'print("done")',
    );
  const before = program('asyncio.run_coroutine_threadsafe(fail(), loop)');
  const finding = analyzePython(before, { path: 'relay.py' }).findings.find((f) => f.rule === 'floating-future');
  assert.ok(finding);
  const fixed = applyEdits(before, finding.fixes.find((f) => f.kind === 'report-failure')!.edits);
  const stderrOf = (code: string) => {
    const r = spawnSync(pythonExecutable(), ['-c', code], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'done\n');
    return r.stderr;
  };
  assert.doesNotMatch(stderrOf(before), /lost in the loop thread/);
  assert.match(stderrOf(fixed), /exception calling callback for <Future[\s\S]*RuntimeError: lost in the loop thread/);
});
