// Every Python fix, as exact text before and after; each result must parse and must not raise the
// same finding again. Cases are tables in the style of typescript-eslint's rule tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { cpythonSyntaxErrors, pythonExecutable } from '../helpers/python';
import { applyEdits } from '../../src/engine/text';
import { defaultRuleSettings } from '../../src/engine/rules';
import type { FixKind, PythonVersion, RuleId } from '../../src/engine/types';
import { analyzePython, loadPythonEngine } from '../../src/engine/python/index';

interface FixCase {
  name: string;
  rule: RuleId;
  fix: FixKind;
  /** The project's oldest Python (RuleSettings.pythonTarget). */
  target?: PythonVersion;
  before: string;
  after: string;
}

const lines = (...l: string[]) => l.join('\n') + '\n';

// redis.asyncio.connection's shape: an optional module imported under a condition below the
// imports, and a task started from `__del__`
const REDIS_IMPORTS = ['import asyncio', 'from redis.utils import HIREDIS_AVAILABLE', ''];
const HIREDIS = ['hiredis = None', 'if HIREDIS_AVAILABLE:', '    import hiredis', ''];
const closing = (...started: string[]) => [
  'class Connection:',
  '    def __del__(self):',
  '        loop = asyncio.get_event_loop()',
  '        coro = self.disconnect()',
  '        if loop.is_running():',
  ...started,
  '        else:',
  '            loop.run_until_complete(coro)',
];

const cases: FixCase[] = [
  {
    name: 'add await to the bare call (the classic example)',
    rule: 'unawaited-coroutine',
    fix: 'add-await',
    before: lines('async def nested():', '    return 42', '', 'async def main():', '    nested()', '    print(await nested())'),
    after: lines('async def nested():', '    return 42', '', 'async def main():', '    await nested()', '    print(await nested())'),
  },
  {
    name: 'add await inside a condition awaits the call, not the whole test',
    rule: 'unawaited-coroutine',
    fix: 'add-await',
    before: lines('class Conn:', '    async def is_ready(self): ...', '', 'async def f(conn: Conn, other):', '    if conn.is_ready() or other:', '        pass'),
    after: lines('class Conn:', '    async def is_ready(self): ...', '', 'async def f(conn: Conn, other):', '    if await conn.is_ready() or other:', '        pass'),
  },
  {
    name: 'add await after `not`',
    rule: 'unawaited-coroutine',
    fix: 'add-await',
    before: lines('async def ready(): ...', 'async def f():', '    while not ready():', '        pass'),
    after: lines('async def ready(): ...', 'async def f():', '    while not await ready():', '        pass'),
  },
  {
    name: 'add await to a coroutine kept in a local that is never read',
    rule: 'unawaited-coroutine',
    fix: 'add-await',
    before: lines('import asyncio', 'async def f():', '    pause = asyncio.sleep(1)  # wait a bit'),
    after: lines('import asyncio', 'async def f():', '    pause = await asyncio.sleep(1)  # wait a bit'),
  },
  {
    name: 'make the enclosing function async and await the call',
    rule: 'unawaited-coroutine',
    fix: 'make-async',
    before: lines('async def save(): ...', '', 'def handler():', '    save()', '    return 1'),
    after: lines('async def save(): ...', '', 'async def handler():', '    await save()', '    return 1'),
  },
  {
    name: 'make a decorated method async keeps the decorator',
    rule: 'unawaited-coroutine',
    fix: 'make-async',
    before: lines('class C:', '    async def save(self): ...', '    @staticmethod', '    def run(c: "C"):', '        C.save(c)'),
    after: lines('class C:', '    async def save(self): ...', '    @staticmethod', '    async def run(c: "C"):', '        await C.save(c)'),
  },
  {
    name: 'suppress with a new comment',
    rule: 'unawaited-coroutine',
    fix: 'suppress',
    before: lines('async def nested(): ...', 'async def main():', '    nested()   '),
    after: lines('async def nested(): ...', 'async def main():', '    nested()  # asyncguard: ignore[unawaited-coroutine]'),
  },
  {
    name: 'suppress merges into an existing asyncguard comment',
    rule: 'unawaited-coroutine',
    fix: 'suppress',
    before: lines('async def nested(): ...', 'async def main():', '    nested()  # asyncguard: ignore[dangling-task] keep'),
    after: lines('async def nested(): ...', 'async def main():', '    nested()  # asyncguard: ignore[dangling-task, unawaited-coroutine] keep'),
  },
  {
    name: 'suppress after another tool\'s comment',
    rule: 'dangling-task',
    fix: 'suppress',
    before: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())  # noqa: E501'),
    after: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())  # noqa: E501  # asyncguard: ignore[dangling-task]'),
  },
  {
    name: 'suppress goes after a multi-line string, not inside it',
    rule: 'unawaited-coroutine',
    fix: 'suppress',
    before: lines('async def log(msg): ...', 'async def main():', '    log("""first', 'second""")'),
    after: lines('async def log(msg): ...', 'async def main():', '    log("""first', 'second""")  # asyncguard: ignore[unawaited-coroutine]'),
  },
  {
    name: 'keep the task: declares a typed set after the imports',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('"""Worker."""', 'import asyncio', '', '', 'async def work(): ...', '', '', 'async def main():', '    asyncio.create_task(work())', '    await asyncio.sleep(1)'),
    after: lines(
      '"""Worker."""',
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      '',
      '',
      'async def work(): ...',
      '',
      '',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
      '    await asyncio.sleep(1)',
    ),
  },
  {
    name: 'keep the task: reuses an existing module-level set and avoids a name the function uses',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'background_tasks = set()', 'async def work(): ...', 'async def main(task):', '    if task:', '        asyncio.ensure_future(work())'),
    after: lines(
      'import asyncio',
      'background_tasks = set()',
      'async def work(): ...',
      'async def main(task):',
      '    if task:',
      '        task_1: asyncio.Task[object] = asyncio.ensure_future(work())',
      '        background_tasks.add(task_1)',
      '        task_1.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task: another function using `task` does not number this one',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'async def work(): ...', 'async def other():', '    task = asyncio.create_task(work())', '    await task', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def other():',
      '    task = asyncio.create_task(work())',
      '    await task',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task: reuses a task set of another name defined further down',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines(
      'import asyncio',
      'async def work(): ...',
      'async def main():',
      '    asyncio.create_task(work())',
      '_running = set()',
      'def spawn(coro):',
      '    t = asyncio.ensure_future(coro)',
      '    _running.add(t)',
      '    t.add_done_callback(_running.discard)',
    ),
    after: lines(
      'import asyncio',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    _running.add(task)',
      '    task.add_done_callback(_running.discard)',
      '_running = set()',
      'def spawn(coro):',
      '    t = asyncio.ensure_future(coro)',
      '    _running.add(t)',
      '    t.add_done_callback(_running.discard)',
    ),
  },
  {
    name: 'keep the task: an import further down does not move the set below it',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', '', 'async def work(): ...', '', 'import os', '', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      '',
      'async def work(): ...',
      '',
      'import os',
      '',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    // redis.asyncio.connection, found by the fix sweep: mypy's `Name "hiredis" already defined on
    // line 55` became `on line 57`, the same diagnostic naming the line the import moved to
    name: 'keep the task: the set goes after the imports, above an import under a condition (redis and hiredis)',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines(...REDIS_IMPORTS, ...HIREDIS, ...closing('            loop.create_task(coro)')),
    after: lines(
      ...REDIS_IMPORTS,
      'background_tasks: set[asyncio.Task[object]] = set()',
      '',
      ...HIREDIS,
      ...closing(
        '            task: asyncio.Task[object] = loop.create_task(coro)',
        '            background_tasks.add(task)',
        '            task.add_done_callback(background_tasks.discard)',
      ),
    ),
  },
  {
    name: 'keep the task kept in a never-read local: its comment stays on its line',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'async def work(): ...', 'async def main(loop: asyncio.AbstractEventLoop):', '    t = loop.create_task(work())  # noqa: F841'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main(loop: asyncio.AbstractEventLoop):',
      '    t = loop.create_task(work())  # noqa: F841',
      '    background_tasks.add(t)',
      '    t.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task: a trailing comment stays on the line of the call',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(  # (1)!', '        work()', '    )  # type: ignore[unused-awaitable]', '    await asyncio.sleep(0)'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(  # (1)!',
      '        work()',
      '    )  # type: ignore[unused-awaitable]',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
      '    await asyncio.sleep(0)',
    ),
  },
  {
    name: 'keep the task with a chained add_done_callback: the statement keeps its line and comment',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work()).add_done_callback(print)  # (2)!'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main():',
      '    task = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
      '    task.add_done_callback(print)  # (2)!',
    ),
  },
  {
    name: 'keep the task on a one-line `if` body joins with semicolons, the comment last',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio', 'async def work(): ...', 'async def main(flag):', '    if flag: asyncio.create_task(work())  # later'),
    after: lines(
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main(flag):',
      '    if flag: task: asyncio.Task[object] = asyncio.create_task(work()); background_tasks.add(task); task.add_done_callback(background_tasks.discard)  # later',
    ),
  },
  {
    name: 'keep the task keeps CRLF line endings',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: 'import asyncio\r\nasync def work(): ...\r\nasync def main():\r\n\tasyncio.create_task(work())\r\n',
    after:
      'import asyncio\r\n\r\nbackground_tasks: set[asyncio.Task[object]] = set()\r\nasync def work(): ...\r\nasync def main():\r\n\ttask: asyncio.Task[object] = asyncio.create_task(work())\r\n\tbackground_tasks.add(task)\r\n\ttask.add_done_callback(background_tasks.discard)\r\n',
  },
  {
    name: 'keep the task keeps lone-CR line endings',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: 'import asyncio\rasync def work(): ...\rasync def main():\r    asyncio.create_task(work())  # go\r',
    after:
      'import asyncio\r\rbackground_tasks: set[asyncio.Task[object]] = set()\rasync def work(): ...\rasync def main():\r    task: asyncio.Task[object] = asyncio.create_task(work())  # go\r    background_tasks.add(task)\r    task.add_done_callback(background_tasks.discard)\r',
  },
  {
    name: 'keep the task: `asyncio.Task` as the module imports it (an alias)',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('import asyncio as aio', 'async def work(): ...', 'async def main():', '    aio.create_task(work())'),
    after: lines(
      'import asyncio as aio',
      '',
      'background_tasks: set[aio.Task[object]] = set()',
      'async def work(): ...',
      'async def main():',
      '    task: aio.Task[object] = aio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task: imports asyncio when the module imports only a function of it',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('from asyncio import create_task', 'async def work(): ...', 'async def main():', '    create_task(work())'),
    after: lines(
      'from asyncio import create_task',
      'import asyncio',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task: quoted when asyncio is imported only below the declaration',
    rule: 'dangling-task',
    fix: 'keep-task',
    before: lines('"""Tool."""', 'try:', '    import uvloop', 'except ImportError:', '    uvloop = None', 'import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      '"""Tool."""',
      '',
      'background_tasks: "set[asyncio.Task[object]]" = set()',
      'try:',
      '    import uvloop',
      'except ImportError:',
      '    uvloop = None',
      'import asyncio',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task for Python 3.8: typing.Set, quoted',
    rule: 'dangling-task',
    fix: 'keep-task',
    target: [3, 8],
    before: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      'import asyncio',
      'from typing import Set',
      '',
      'background_tasks: "Set[asyncio.Task[object]]" = set()',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task for Python 3.8 with postponed annotations: set[...] as is',
    rule: 'dangling-task',
    fix: 'keep-task',
    target: [3, 8],
    before: lines('from __future__ import annotations', 'import asyncio', 'import typing', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      'from __future__ import annotations',
      'import asyncio',
      'import typing',
      '',
      'background_tasks: set[asyncio.Task[object]] = set()',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'keep the task for Python 3.7: the module\'s own `typing` import',
    rule: 'dangling-task',
    fix: 'keep-task',
    target: [3, 7],
    before: lines('import asyncio', 'import typing', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())'),
    after: lines(
      'import asyncio',
      'import typing',
      '',
      'background_tasks: "typing.Set[asyncio.Task[object]]" = set()',
      'async def work(): ...',
      'async def main():',
      '    task: asyncio.Task[object] = asyncio.create_task(work())',
      '    background_tasks.add(task)',
      '    task.add_done_callback(background_tasks.discard)',
    ),
  },
  {
    name: 'await the dangling task instead',
    rule: 'dangling-task',
    fix: 'add-await',
    before: lines('import asyncio', 'async def work(): ...', 'async def main():', '    asyncio.create_task(work())'),
    after: lines('import asyncio', 'async def work(): ...', 'async def main():', '    await asyncio.create_task(work())'),
  },
  {
    name: 'await a floating future',
    rule: 'floating-future',
    fix: 'add-await',
    before: lines('import asyncio', 'async def main():', '    loop = asyncio.get_running_loop()', '    loop.run_in_executor(None, print, "hi")'),
    after: lines('import asyncio', 'async def main():', '    loop = asyncio.get_running_loop()', '    await loop.run_in_executor(None, print, "hi")'),
  },
];

/** Fixes that must not be offered where they would not compile or would change too much. */
const notOffered: Array<{ name: string; rule: RuleId; fix: FixKind; code: string }> = [
  { name: 'no await in a sync function', rule: 'unawaited-coroutine', fix: 'add-await', code: lines('async def g(): ...', 'def f():', '    g()') },
  { name: 'no await in a lambda', rule: 'unawaited-coroutine', fix: 'add-await', code: lines('async def g(): ...', 'async def f():', '    h = lambda: not g()') },
  { name: 'no await in a generator expression', rule: 'unawaited-coroutine', fix: 'add-await', code: lines('async def g(x): ...', 'async def f(xs):', '    return list(x for x in xs if g(x))') },
  { name: 'no make-async for a dunder method', rule: 'unawaited-coroutine', fix: 'make-async', code: lines('async def g(): ...', 'class C:', '    def __init__(self):', '        g()') },
  { name: 'no make-async for a generator', rule: 'unawaited-coroutine', fix: 'make-async', code: lines('async def g(): ...', 'def f():', '    g()', '    yield 1') },
  { name: 'no make-async at module level', rule: 'unawaited-coroutine', fix: 'make-async', code: lines('async def g(): ...', 'g()') },
];

before(() => loadPythonEngine());

const fixedTexts: string[] = [];

describe('python fixes: exact text after each fix', () => {
  for (const c of cases) {
    test(c.name, () => {
      const rules = { ...defaultRuleSettings(), pythonTarget: c.target };
      const findings = analyzePython(c.before, { path: 'example.py', rules }).findings.filter((f) => f.rule === c.rule);
      assert.equal(findings.length, 1, `expected one ${c.rule} finding, got ${JSON.stringify(findings.map((f) => f.message))}`);
      const fix = findings[0].fixes.find((f) => f.kind === c.fix);
      assert.ok(fix, `no ${c.fix} fix among ${findings[0].fixes.map((f) => f.kind).join(', ')}`);
      const fixed = applyEdits(c.before, fix.edits);
      assert.equal(fixed, c.after);
      const again = analyzePython(fixed, { path: 'example.py', rules }).findings.filter((f) => f.rule === c.rule);
      assert.deepEqual(again.map((f) => f.message), [], 'the fix must not leave the same finding');
      fixedTexts.push(fixed);
    });
  }
  after(() => {
    assert.deepEqual(cpythonSyntaxErrors(fixedTexts), fixedTexts.map(() => undefined), 'every fixed text parses with CPython');
  });
});

describe('python fixes: not offered where they would be wrong', () => {
  for (const c of notOffered) {
    test(c.name, () => {
      const findings = analyzePython(c.code, { path: 'example.py' }).findings.filter((f) => f.rule === c.rule);
      assert.equal(findings.length, 1);
      assert.deepEqual(findings[0].fixes.filter((f) => f.kind === c.fix), []);
      assert.equal(findings[0].fixes.filter((f) => f.preferred).length, 1, 'exactly one preferred fix');
    });
  }
});

test('the seed example, fixed, runs and prints 42 without a warning', () => {
  const seed = cases[0];
  const findings = analyzePython(seed.before, { path: 'seed.py' }).findings;
  assert.deepEqual(
    findings.map((f) => [f.rule, f.range.start.line + 1, f.range.start.character + 1, f.fixes.find((x) => x.preferred)?.kind]),
    [['unawaited-coroutine', 5, 5, 'add-await']],
  );
  const fixed = applyEdits(seed.before, findings[0].fixes.find((f) => f.preferred)!.edits);
  const program = fixed + 'import asyncio, warnings\nwarnings.simplefilter("error")\nasyncio.run(main())\n';
  const out = execFileSync(pythonExecutable(), ['-W', 'error', '-c', program], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(out, '42\n');
});
