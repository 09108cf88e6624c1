// "Run concurrently" in Python: the exact text after the refactoring for every shape (TaskGroup on
// 3.11+, gather before, loops), tables of where it is and is not offered (typescript-eslint style),
// every rewritten text compiled by CPython, and the seed's program timed before and after.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Analyzer } from '../../src/engine/analyzer';
import { loadPythonEngine } from '../../src/engine/python/index';
import { parseSyntax } from '../../src/engine/python/lowering';
import { pythonRefactors } from '../../src/engine/python/refactors/index';
import type { PythonVersion } from '../../src/engine/pythonVersion';
import { Workspace } from '../../src/engine/workspace/index';
import { applyEdits } from '../../src/engine/text';
import { cpythonCompileErrors, pythonExecutable } from '../helpers/python';
import { withSelection } from '../helpers/selection';
import { listPythonFixtures, pythonFixtureRoot, unparsableFixtures } from './fixture-marks';

const lines = (...l: string[]) => l.join('\n') + '\n';
const PY311: PythonVersion = [3, 11];
const PY38: PythonVersion = [3, 8];

interface Valid {
  name: string;
  /** The project's oldest Python; undefined when nothing says. */
  version?: PythonVersion;
  /** `‸` marks the cursor, `⦗...⦘` the selection. */
  before: string;
  after: string;
  title: string;
}

const SAY_AFTER = ['import asyncio', '', 'async def say_after(delay, what):', '    await asyncio.sleep(delay)', '    print(what)', ''];
const LOAD = ['import asyncio', '', 'async def load(n) -> int:', '    return n', ''];
const TG = '“asyncio.TaskGroup”';
const GATHER = '“asyncio.gather”';
const NOTE = (n?: number) => `(${n === undefined ? 'the calls' : `the ${n} calls`} will overlap in time; whatever they share must allow that)`;

const valid: Valid[] = [
  {
    name: 'the seed on Python 3.11+: a TaskGroup, one task per call',
    version: PY311,
    before: lines(...SAY_AFTER, 'async def main():', '    ‸await say_after(1, "hello")', '    await say_after(2, "world")'),
    after: lines(
      ...SAY_AFTER,
      'async def main():',
      '    async with asyncio.TaskGroup() as tg:',
      '        tg.create_task(say_after(1, "hello"))',
      '        tg.create_task(say_after(2, "world"))',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'the seed on Python 3.8: gather',
    version: PY38,
    before: lines(...SAY_AFTER, 'async def main():', '    await say_after(1, "hello")', '    await say_‸after(2, "world")'),
    after: lines(...SAY_AFTER, 'async def main():', '    await asyncio.gather(say_after(1, "hello"), say_after(2, "world"))'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'no version known: gather, which runs on every version',
    before: lines(...SAY_AFTER, 'async def main():', '    ‸await say_after(1, "hello")', '    await say_after(2, "world")'),
    after: lines(...SAY_AFTER, 'async def main():', '    await asyncio.gather(say_after(1, "hello"), say_after(2, "world"))'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'results are read from the tasks after the group, in the original order',
    version: PY311,
    before: lines(...LOAD, 'async def main():', '    user = await load(1)‸', '    feed: int = await load(2)', '    return user, feed'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    async with asyncio.TaskGroup() as tg:',
      '        t1 = tg.create_task(load(1))',
      '        t2 = tg.create_task(load(2))',
      '    user = t1.result()',
      '    feed: int = t2.result()',
      '    return user, feed',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'gather assigns the results at once; annotations become declarations; a dropped result goes to _',
    version: PY38,
    before: lines(...LOAD, 'async def main():', '    user: int = await load(1)', '    ‸await load(2)', '    feed = await load(3)', '    return user, feed'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    user: int',
      '    user, _, feed = await asyncio.gather(load(1), load(2), load(3))',
      '    return user, feed',
    ),
    title: `Run concurrently with ${GATHER} ${NOTE(3)}`,
  },
  {
    name: 'calls may share plain data (a number, a string)',
    version: PY38,
    before: lines(...LOAD, 'LIMIT = 10', '', 'async def main(user_id: int):', '    ‸user = await load(user_id + LIMIT)', '    orders = await load(user_id)', '    return user, orders'),
    after: lines(...LOAD, 'LIMIT = 10', '', 'async def main(user_id: int):', '    user, orders = await asyncio.gather(load(user_id + LIMIT), load(user_id))', '    return user, orders'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'a tuple target stays one element of the gathered results',
    version: PY38,
    before: lines('import asyncio', 'async def pair(): return 1, 2', 'async def one(): return 3', 'async def main():', '    a, b = await pair()‸', '    c = await one()'),
    after: lines('import asyncio', 'async def pair(): return 1, 2', 'async def one(): return 3', 'async def main():', '    (a, b), c = await asyncio.gather(pair(), one())'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'a selected statement between the calls stays between the results (TaskGroup)',
    version: PY311,
    before: lines(...LOAD, 'async def main(log):', '    ⦗user = await load(1)', '    log.append("loaded the user")', '    feed = await load(2)⦘', '    return user, feed'),
    after: lines(
      ...LOAD,
      'async def main(log):',
      '    async with asyncio.TaskGroup() as tg:',
      '        t1 = tg.create_task(load(1))',
      '        t2 = tg.create_task(load(2))',
      '    user = t1.result()',
      '    log.append("loaded the user")',
      '    feed = t2.result()',
      '    return user, feed',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'a selected statement between the calls moves after them (gather)',
    version: PY38,
    before: lines(...LOAD, 'async def main(log):', '    ⦗user = await load(1)', '    log.append(user)', '    feed = await load(2)⦘'),
    after: lines(...LOAD, 'async def main(log):', '    user, feed = await asyncio.gather(load(1), load(2))', '    log.append(user)'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'comments stay with their calls (TaskGroup)',
    version: PY311,
    before: lines(...LOAD, 'async def main():', '    ‸user = await load(1)  # the user', '    # then the feed', '    feed = await load(2)  # the feed', '    return user, feed'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    async with asyncio.TaskGroup() as tg:',
      '        t1 = tg.create_task(load(1))  # the user',
      '        # then the feed',
      '        t2 = tg.create_task(load(2))  # the feed',
      '    user = t1.result()',
      '    feed = t2.result()',
      '    return user, feed',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'comments stay with their calls, one call per line (gather)',
    version: PY38,
    before: lines(...LOAD, 'async def main():', '    ‸user = await load(1)  # the user', '    # then the feed', '    feed = await load(2)', '    return user, feed'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    user, feed = await asyncio.gather(',
      '        load(1),  # the user',
      '        # then the feed',
      '        load(2),',
      '    )',
      '    return user, feed',
    ),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'a long line of calls is split, one per line',
    version: PY38,
    before: lines(
      ...LOAD,
      'async def main(first_identifier: int, second_identifier: int):',
      '    ‸await load(first_identifier + second_identifier + 1000)',
      '    await load(second_identifier + first_identifier + 2000)',
    ),
    after: lines(
      ...LOAD,
      'async def main(first_identifier: int, second_identifier: int):',
      '    await asyncio.gather(',
      '        load(first_identifier + second_identifier + 1000),',
      '        load(second_identifier + first_identifier + 2000),',
      '    )',
    ),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'a call over several lines moves one level deeper as a whole',
    version: PY311,
    before: lines(...LOAD, 'async def main():', '    ‸await load(', '        1,', '    )', '    await load(2)'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    async with asyncio.TaskGroup() as tg:',
      '        tg.create_task(load(',
      '            1,',
      '        ))',
      '        tg.create_task(load(2))',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'the cursor takes the longest run of independent calls around it, stopping at a dependent one',
    version: PY311,
    before: lines(...LOAD, 'async def main():', '    a = await load(1)', '    b = await load(a)', '    c = await‸ load(3)', '    d = await load(4)', '    return b, c, d'),
    after: lines(
      ...LOAD,
      'async def main():',
      '    a = await load(1)',
      '    async with asyncio.TaskGroup() as tg:',
      '        t1 = tg.create_task(load(a))',
      '        t2 = tg.create_task(load(3))',
      '        t3 = tg.create_task(load(4))',
      '    b = t1.result()',
      '    c = t2.result()',
      '    d = t3.result()',
      '    return b, c, d',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(3)}`,
  },
  {
    name: 'import asyncio is added when the file has none',
    version: PY311,
    before: lines('"""Greetings."""', 'import time', '', 'async def hi(): ...', '', 'async def main():', '    ‸await hi()', '    await hi()'),
    after: lines(
      '"""Greetings."""',
      'import time',
      'import asyncio',
      '',
      'async def hi(): ...',
      '',
      'async def main():',
      '    async with asyncio.TaskGroup() as tg:',
      '        tg.create_task(hi())',
      '        tg.create_task(hi())',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'asyncio imported under another name is used by that name; taken names get fresh ones',
    version: PY311,
    before: lines('import asyncio as aio', '', 'async def hi(tg): ...', '', 'async def main(tg, t1):', '    ‸x = await hi(tg)', '    await hi(t1)', '    return x'),
    after: lines(
      'import asyncio as aio',
      '',
      'async def hi(tg): ...',
      '',
      'async def main(tg, t1):',
      '    async with aio.TaskGroup() as tg_2:',
      '        t1_2 = tg_2.create_task(hi(tg))',
      '        tg_2.create_task(hi(t1))',
      '    x = t1_2.result()',
      '    return x',
    ),
    title: `Run concurrently in an “aio.TaskGroup” ${NOTE(2)}`,
  },
  {
    name: 'awaitables that may not be coroutines go to gather even on 3.11 (create_task takes only coroutines)',
    version: PY311,
    before: lines('import asyncio', '', 'async def main(get_user, get_feed):', '    ‸user = await get_user(1)', '    feed = await get_feed(1)', '    return user, feed'),
    after: lines('import asyncio', '', 'async def main(get_user, get_feed):', '    user, feed = await asyncio.gather(get_user(1), get_feed(1))', '    return user, feed'),
    title: `Run concurrently with ${GATHER} ${NOTE(2)}`,
  },
  {
    name: 'inside async with: the TaskGroup ends before the context manager exits',
    version: PY311,
    before: lines(...LOAD, 'async def main(lock):', '    async with lock:', '        ‸await load(1)', '        await load(2)'),
    after: lines(
      ...LOAD,
      'async def main(lock):',
      '    async with lock:',
      '        async with asyncio.TaskGroup() as tg:',
      '            tg.create_task(load(1))',
      '            tg.create_task(load(2))',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'inside try/finally: the TaskGroup ends before finally runs',
    version: PY311,
    before: lines(...LOAD, 'async def main(conn):', '    try:', '        ‸await load(1)', '        await load(2)', '    finally:', '        conn.close()'),
    after: lines(
      ...LOAD,
      'async def main(conn):',
      '    try:',
      '        async with asyncio.TaskGroup() as tg:',
      '            tg.create_task(load(1))',
      '            tg.create_task(load(2))',
      '    finally:',
      '        conn.close()',
    ),
    title: `Run concurrently in an ${TG} ${NOTE(2)}`,
  },
  {
    name: 'a loop awaiting one call per item: one task per item (3.11+)',
    version: PY311,
    before: lines(...LOAD, 'async def main(urls):', '    ‸for u in urls:  # every url', '        await load(u)', '    return u'),
    after: lines(
      ...LOAD,
      'async def main(urls):',
      '    async with asyncio.TaskGroup() as tg:',
      '        for u in urls:  # every url',
      '            tg.create_task(load(u))',
      '    return u',
    ),
    title: `Run concurrently: one task per item in an ${TG} ${NOTE()}`,
  },
  {
    name: 'a loop calling a method of each item',
    version: PY38,
    before: lines('import asyncio', '', 'async def main(sites):', '    ‸for site in sites:', '        await site.stop()'),
    after: lines('import asyncio', '', 'async def main(sites):', '    await asyncio.gather(*(site.stop() for site in sites))'),
    title: `Run concurrently: one call per item with ${GATHER} ${NOTE()}`,
  },
  {
    name: 'a loop, cursor on its call: gather over a generator (3.8)',
    version: PY38,
    before: lines(...LOAD, 'async def main(urls):', '    for u in urls:', '        await ‸load(u)'),
    after: lines(...LOAD, 'async def main(urls):', '    await asyncio.gather(*(load(u) for u in urls))'),
    title: `Run concurrently: one call per item with ${GATHER} ${NOTE()}`,
  },
  {
    name: 'a loop over pairs from a conditional: the iterable is parenthesised in the generator',
    version: PY38,
    before: lines(...LOAD, 'async def main(pairs, more):', '    ‸for a, b in pairs if more else []:', '        await load(a + b)'),
    after: lines(...LOAD, 'async def main(pairs, more):', '    await asyncio.gather(*(load(a + b) for a, b in (pairs if more else [])))'),
    title: `Run concurrently: one call per item with ${GATHER} ${NOTE()}`,
  },
];

interface Invalid {
  name: string;
  version?: PythonVersion;
  code: string;
}

const invalid: Invalid[] = [
  { name: 'a single await', version: PY311, code: lines(...LOAD, 'async def main():', '    ‸await load(1)', '    print("done")') },
  { name: 'the second call uses the first one’s result', version: PY311, code: lines(...LOAD, 'async def main():', '    ‸user = await load(1)', '    await load(user)') },
  {
    name: 'the second call reads an attribute of what the first was given (read before it finishes)',
    version: PY311,
    code: lines(...LOAD, 'async def main(order):', '    ‸await load(order)', '    await load(order.total)'),
  },
  {
    name: 'a method reached through an attribute of what the first call was given',
    version: PY311,
    code: lines('async def main(self):', '    ‸await self.reconnect()', '    await self.client.get("/")'),
  },
  {
    name: 'two calls on one object: a stream written twice keeps its order',
    version: PY311,
    code: lines('async def main(writer, head, body):', '    ‸await writer.write(head)', '    await writer.write(body)'),
  },
  {
    name: 'a request and its response on one connection',
    version: PY311,
    code: lines('async def main(self):', '    ‸await self.send_command("PING")', '    reply = await self.read_response()', '    return reply'),
  },
  {
    name: 'one call’s object given to the other',
    version: PY311,
    code: lines(...LOAD, 'async def main(conn):', '    ‸await conn.open()', '    await load(conn)'),
  },
  {
    name: 'two calls given the same object: one may change what the other reads',
    version: PY311,
    code: lines('async def bump(options): ...', 'async def pack(options): ...', 'async def main(options):', '    ‸await bump(options)', '    await pack(options)'),
  },
  { name: 'a sleep is there to wait before what follows', version: PY311, code: lines(...LOAD, 'async def main():', '    ‸await asyncio.sleep(0.25)', '    await load(1)') },
  { name: 'waiting for an event first', version: PY311, code: lines(...LOAD, 'async def main(ready):', '    ‸await ready.wait()', '    await load(1)') },
  { name: 'an argument calls a function (it would run earlier)', version: PY311, code: lines(...LOAD, 'def make(): return 1', 'async def main():', '    ‸await load(1)', '    await load(make())') },
  { name: 'an await inside a call', version: PY311, code: lines(...LOAD, 'async def main():', '    ‸await load(1)', '    await load(await load(2))') },
  { name: 'a walrus inside a call', version: PY311, code: lines(...LOAD, 'async def main():', '    ‸await load(1)', '    await load(x := 2)', '    return x') },
  {
    name: 'a selected statement between the calls changes what a call receives',
    version: PY311,
    code: lines(...LOAD, 'async def main(n):', '    ⦗await load(n)', '    n += 1', '    await load(n)⦘'),
  },
  {
    name: 'a selected statement between the calls reads what a call receives',
    version: PY311,
    code: lines(...LOAD, 'async def main(items):', '    ⦗await load(items)', '    print(items)', '    await load(2)⦘'),
  },
  {
    name: 'a selected statement between the calls has control flow',
    version: PY311,
    code: lines(...LOAD, 'async def main(x):', '    ⦗await load(1)', '    if x:', '        return', '    await load(2)⦘'),
  },
  {
    name: 'a selection that does not end on an awaited call',
    version: PY311,
    code: lines(...LOAD, 'async def main(log):', '    ⦗await load(1)', '    await load(2)', '    log.append(1)⦘'),
  },
  {
    name: 'inside try with except: a handler would see an ExceptionGroup, or run while the other call still does',
    version: PY311,
    code: lines(...LOAD, 'async def main():', '    try:', '        ‸await load(1)', '        await load(2)', '    except ValueError:', '        pass'),
  },
  {
    name: 'inside async with before 3.11: gather could let the block exit while a call still runs',
    version: PY38,
    code: lines(...LOAD, 'async def main(lock):', '    async with lock:', '        ‸await load(1)', '        await load(2)'),
  },
  { name: 'not in an async function', version: PY311, code: lines(...LOAD, 'def main():', '    ‸await load(1)', '    await load(2)') },
  {
    name: 'an earlier result a closure reads',
    version: PY311,
    code: lines(...LOAD, 'async def main(run):', '    ‸user = await load(1)', '    await run(lambda: user)'),
  },
  {
    name: 'an earlier result that is a global',
    version: PY311,
    code: lines(...LOAD, 'user = None', 'async def main():', '    global user', '    ‸user = await load(1)', '    await load(2)'),
  },
  { name: 'a loop with an else clause', version: PY311, code: lines(...LOAD, 'async def main(urls):', '    ‸for u in urls:', '        await load(u)', '    else:', '        pass') },
  { name: 'async for', version: PY311, code: lines(...LOAD, 'async def main(urls):', '    ‸async for u in urls:', '        await load(u)') },
  { name: 'a loop body doing more than one call', version: PY311, code: lines(...LOAD, 'async def main(urls):', '    ‸for u in urls:', '        await load(u)', '        print(u)') },
  { name: 'a loop keeping each result', version: PY311, code: lines(...LOAD, 'async def main(urls):', '    ‸for u in urls:', '        x = await load(u)') },
  {
    name: 'a loop whose variable is read after it, on 3.8 (a generator would not set it)',
    version: PY38,
    code: lines(...LOAD, 'async def main(urls):', '    ‸for u in urls:', '        await load(u)', '    return u'),
  },
  {
    name: 'a loop whose calls read state an earlier item’s call may change',
    version: PY311,
    code: lines(...LOAD, 'async def main(self, urls):', '    ‸for u in urls:', '        await self.fetch(self.base + u)'),
  },
  { name: 'a loop writing every chunk to one stream', version: PY311, code: lines('async def main(writer, chunks):', '    ‸for chunk in chunks:', '        await writer.write(chunk)') },
  {
    name: 'a loop giving every item’s call one object',
    version: PY311,
    code: lines(...LOAD, 'async def main(session, urls):', '    ‸for u in urls:', '        await load(session, u)'),
  },
  { name: 'a loop that sleeps', version: PY311, code: lines('import asyncio', 'async def main(delays):', '    ‸for d in delays:', '        await asyncio.sleep(d)') },
  {
    name: 'asyncio is a local name and not the module',
    version: PY311,
    code: lines('async def hi(): ...', 'async def main(asyncio):', '    ‸await hi()', '    await hi()'),
  },
];

before(() => loadPythonEngine());

function refactorsAt(marked: string, version?: PythonVersion) {
  const { text, range } = withSelection(marked);
  return { text, refactors: pythonRefactors(text, range, { version }) };
}

describe('Run concurrently (Python): the text after the refactoring', () => {
  for (const c of valid) {
    test(c.name, () => {
      const { text, refactors } = refactorsAt(c.before, c.version);
      assert.deepEqual(refactors.map((r) => r.kind), ['run-concurrently'], 'exactly one refactoring is offered');
      assert.equal(refactors[0].title, c.title);
      assert.equal(applyEdits(text, refactors[0].edits), c.after);
    });
  }

  test('every rewritten text compiles under CPython (await and async with only where allowed)', () => {
    const afters = valid.map((c) => c.after);
    const errors = cpythonCompileErrors(afters);
    assert.deepEqual(
      errors.map((e, i) => (e ? `${valid[i].name}: ${e}` : undefined)).filter(Boolean),
      [],
    );
  });

  test('CRLF line ends stay CRLF', () => {
    const marked = lines(...SAY_AFTER, 'async def main():', '    ‸await say_after(1, "hello")', '    await say_after(2, "world")').replace(/\n/g, '\r\n');
    const { text, refactors } = refactorsAt(marked, PY311);
    const out = applyEdits(text, refactors[0].edits);
    assert.ok(out.includes('    async with asyncio.TaskGroup() as tg:\r\n        tg.create_task(say_after(1, "hello"))\r\n'), out);
    assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
  });
});

describe('Run concurrently (Python): where it is not offered', () => {
  for (const c of invalid) {
    test(c.name, () => {
      const { refactors } = refactorsAt(c.code, c.version);
      assert.deepEqual(refactors, []);
    });
  }
});

test('Run concurrently (Python): at the start of every line of every fixture it never throws, and every rewrite compiles', () => {
  const rewrites: Array<{ where: string; text: string }> = [];
  for (const file of listPythonFixtures()) {
    const text = readFileSync(join(pythonFixtureRoot, file), 'utf8');
    const tree = parseSyntax(text);
    text.split('\n').forEach((lineText, line) => {
      const at = { line, character: Math.max(0, lineText.search(/\S/)) };
      for (const version of [PY311, PY38]) {
        for (const r of pythonRefactors(text, { start: at, end: at }, { version, tree })) {
          // a file CPython refuses is still refused after a rewrite elsewhere in it
          if (!unparsableFixtures.has(file)) rewrites.push({ where: `${file}:${line + 1} (${version.join('.')})`, text: applyEdits(text, r.edits) });
        }
      }
    });
  }
  assert.ok(rewrites.length > 0, `the fixtures give it something to rewrite: ${rewrites.length}`);
  const errors = cpythonCompileErrors(rewrites.map((r) => r.text));
  assert.deepEqual(errors.flatMap((e, i) => (e ? [`${rewrites[i].where}: ${e}`] : [])), []);
});

describe('Run concurrently (Python): the seed’s program runs in the longer delay, printing the same', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-concurrently-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const run = promisify(execFile);
  const program = (main: string) =>
    lines(
      'import asyncio',
      'import sys',
      'import time',
      '',
      'async def say_after(delay, what):',
      '    await asyncio.sleep(delay)',
      '    print(what)',
      '',
      main,
      '',
      'started = time.perf_counter()',
      'asyncio.run(main())',
      'print(f"{time.perf_counter() - started:.3f}", file=sys.stderr)',
    );
  const seedMain = ['async def main():', '    ‸await say_after(0.2, "hello")', '    await say_after(0.4, "world")'].join('\n');

  async function timed(text: string): Promise<{ stdout: string; seconds: number }> {
    const file = join(scratch, `p${Math.random().toString(36).slice(2)}.py`);
    writeFileSync(file, text);
    const { stdout, stderr } = await run(pythonExecutable(), ['-B', file], { timeout: 30_000 });
    return { stdout, seconds: Number(stderr.trim()) };
  }

  for (const version of [PY311, PY38]) {
    test(`rewritten for Python ${version.join('.')}`, async () => {
      const { text, refactors } = refactorsAt(program(seedMain), version);
      assert.equal(refactors.length, 1);
      const rewritten = applyEdits(text, refactors[0].edits);
      const serial = await timed(text);
      const concurrent = await timed(rewritten);
      assert.equal(serial.stdout, 'hello\nworld\n');
      assert.equal(concurrent.stdout, serial.stdout, 'the same words in the same order');
      // the sleeps make these floors exact; the ceiling leaves the loaded machine 0.15 s
      assert.ok(serial.seconds >= 0.6, `serially the delays add up: ${serial.seconds} s`);
      assert.ok(concurrent.seconds >= 0.4 && concurrent.seconds < 0.55, `concurrently the longer delay: ${concurrent.seconds} s`);
    });
  }
});

describe('Run concurrently on the example project (it requires Python 3.11)', () => {
  const examples = join(__dirname, '..', '..', '..', 'examples');
  const analyzer = new Analyzer();
  before(() => analyzer.init());
  const cursorOn = (text: string, needle: string) => {
    const line = text.split('\n').findIndex((l) => l.includes(needle));
    const character = text.split('\n')[line].indexOf(needle);
    return { start: { line, character }, end: { line, character } };
  };

  test('say_after.py: the two awaits become a TaskGroup', () => {
    const path = join(examples, 'say_after.py');
    const text = readFileSync(path, 'utf8');
    // the target comes from the file's settings: examples/pyproject.toml requires Python 3.11
    const rules = new Workspace().settingsFor(path)?.rules;
    const [refactor, ...more] = analyzer.refactors({ path, text, range: cursorOn(text, 'await say_after(1'), rules });
    assert.equal(more.length, 0);
    assert.equal(refactor.title, `Run concurrently in an ${TG} ${NOTE(2)}`);
    const rewritten = applyEdits(text, refactor.edits);
    assert.ok(
      rewritten.includes(
        [
          '    print(f"started at {time.strftime(\'%X\')}")',
          '    async with asyncio.TaskGroup() as tg:',
          '        tg.create_task(say_after(1, "hello"))',
          '        tg.create_task(say_after(2, "world"))',
          '    print(f"finished at {time.strftime(\'%X\')}")',
        ].join('\n'),
      ),
      rewritten,
    );
  });

  test('web/profile.ts: the two declarations become one Promise.all', () => {
    const path = join(examples, 'web', 'profile.ts');
    const text = readFileSync(path, 'utf8');
    const [refactor] = analyzer.refactors({ path, text, range: cursorOn(text, 'const feed') });
    assert.ok(
      applyEdits(text, refactor.edits).includes('  const [user, feed] = await Promise.all([load(1), load(2)]);\n  render(user, feed);\n'),
    );
  });
});
