// Random Python modules built from the constructs the rules care about: coroutine functions and
// their calls, task creators and event loops, futures, classes and `self`, aliased imports,
// conditions, lambdas, comprehensions, decorators and suppression comments. Layout varies too:
// CRLF or lone-CR line ends, a BOM, tabs, non-ASCII text before a call on the same line.
import fc from 'fast-check';

/** Marks one level of indentation until the module is rendered. */
const INDENT = '\u0001';

type Lines = string[];

const indent = (lines: Lines): Lines => lines.map((l) => INDENT + l);

const coroutineNames = ['nested', 'fetch', 'données', 'worker'] as const;

/** Imports bind the names the calls below use (sometimes not, so unknown names occur too). */
const importLine = fc.constantFrom(
  'import asyncio',
  'import asyncio as aio',
  'from asyncio import create_task as spawn, gather, sleep',
  'from asyncio import ensure_future',
  'from asyncio import *',
  'import functools',
  'import concurrent.futures',
  'from . import sibling',
  'background_tasks = set()',
  'loop = asyncio.get_event_loop()',
);

const coroutineCall = fc.constantFrom(
  'nested()',
  'nested(1, key=2)',
  'fetch()',
  'données()',
  'worker(\n' + INDENT + '1,\n)',
  'self.fetch()',
  'self.run()',
  'obj.fetch()',
  'Helper().run()',
  'asyncio.sleep(0)',
  'aio.sleep(1)',
  'sleep(0)',
  'sibling.go()',
  'asyncio.wait_for(nested(), 1)',
  'functools.partial(nested)()',
);

const taskCall = fc.constantFrom(
  'asyncio.create_task(nested())',
  'aio.create_task(fetch(), name="t")',
  'spawn(nested())',
  'loop.create_task(nested())',
  'asyncio.get_running_loop().create_task(worker(1))',
  'asyncio.ensure_future(nested())',
  'ensure_future(fut)',
  'asyncio.Task(nested())',
  'tg.create_task(nested())',
  'self._loop.create_task(self.run())',
);

const futureCall = fc.constantFrom(
  'asyncio.gather(nested(), fetch())',
  'gather(*coros)',
  'asyncio.shield(fut)',
  'loop.run_in_executor(None, work)',
  'asyncio.get_running_loop().run_in_executor(pool, work, 1)',
);

const plainCall = fc.constantFrom('work()', 'print(x)', 'obj.close()', 'len(xs)', 'sync_helper(nested)', 'cb(fut)');

const anyCall = fc.oneof({ weight: 4, arbitrary: coroutineCall }, { weight: 3, arbitrary: taskCall }, { weight: 2, arbitrary: futureCall }, { weight: 2, arbitrary: plainCall });

/** An expression that may hold a call somewhere inside. */
const expression = fc.oneof(
  { weight: 5, arbitrary: anyCall },
  { weight: 1, arbitrary: anyCall.map((c) => `(${c})`) },
  { weight: 1, arbitrary: anyCall.map((c) => `await ${c}`) },
  { weight: 1, arbitrary: fc.tuple(anyCall, anyCall).map(([a, b]) => `${a} and ${b}`) },
  { weight: 1, arbitrary: anyCall.map((c) => `not ${c}`) },
  { weight: 1, arbitrary: anyCall.map((c) => `lambda: ${c}`) },
  { weight: 1, arbitrary: anyCall.map((c) => `[${c} for _ in range(3)]`) },
  { weight: 1, arbitrary: anyCall.map((c) => `{k: ${c} for k in ks}`) },
  { weight: 1, arbitrary: anyCall.map((c) => `x if ${c} else y`) },
  { weight: 1, arbitrary: anyCall.map((c) => `${c}.add_done_callback(cb)`) },
  { weight: 1, arbitrary: fc.constantFrom('x', 'None', '42', '"s # not a comment"', 'f"{x!r}"', 't', 'coro', 'fut') },
);

const suppression = fc.constantFrom(
  '  # asyncguard: ignore',
  '  # asyncguard: ignore[unawaited-coroutine]',
  '  # asyncguard: ignore[dangling-task, floating-future]',
  '  # noqa: RUF006',
  '  # type: ignore',
  '  # pyright: ignore[reportUnusedCoroutine]',
  '  # a comment',
);

/** What may precede a call on its line: nothing, or text whose UTF-16 length differs from its bytes. */
const linePrefix = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('print("é😀"); ', 'x = "中文"; ', 'y = 1; ') });

const simpleStatement: fc.Arbitrary<string> = fc
  .tuple(
    linePrefix,
    fc.oneof(
      { weight: 6, arbitrary: anyCall },
      { weight: 2, arbitrary: anyCall.map((c) => `await ${c}`) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('x', 't', 'task', 'coro', 'fut', '_', 'self.t', 'data[0]'), expression).map(([n, e]) => `${n} = ${e}`) },
      { weight: 1, arbitrary: expression.map((e) => `return ${e}`) },
      { weight: 1, arbitrary: fc.constantFrom('await t', 'await coro', 'print(t)', 'background_tasks.add(task)', 'tasks.append(t)', 'del t', 'pass', 'return', 'global background_tasks', 'yield', 'nonlocal x') },
      { weight: 1, arbitrary: fc.tuple(anyCall, anyCall).map(([a, b]) => `${a}; ${b}`) },
      { weight: 1, arbitrary: expression },
    ),
    fc.option(suppression, { freq: 8 }),
  )
  .map(([prefix, stmt, comment]) => prefix + stmt + (comment ?? ''));

const condition = fc.oneof(expression, fc.constantFrom('x', 'True', 'not done', 'a or b'));

const parameters = fc.constantFrom('', 'self', 'self, x', 'x, *args, **kwargs', 'loop: asyncio.AbstractEventLoop', 'tg');

const decorator = fc.constantFrom('@staticmethod', '@property', '@functools.wraps(f)', '@functools.lru_cache', '@app.route("/")', '@contextlib.asynccontextmanager');

function block(depth: number): fc.Arbitrary<Lines> {
  return fc.array(statement(depth), { minLength: 1, maxLength: 3 }).map((stmts) => indent(stmts.flat()));
}

function statement(depth: number): fc.Arbitrary<Lines> {
  const simple = simpleStatement.map((s) => [s]);
  if (depth >= 2) return simple;
  const inner = () => block(depth + 1);
  return fc.oneof(
    { weight: 8, arbitrary: simple },
    { weight: 2, arbitrary: fc.tuple(condition, inner(), fc.option(inner())).map(([c, b, e]) => [`if ${c}:`, ...b, ...(e ? ['else:', ...e] : [])]) },
    { weight: 1, arbitrary: fc.tuple(condition, simpleStatement).map(([c, s]) => [`if ${c}: ${s}`]) },
    { weight: 1, arbitrary: fc.tuple(condition, inner()).map(([c, b]) => [`while ${c}:`, ...b]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('for', 'async for'), inner()).map(([f, b]) => [`${f} i in items:`, ...b]) },
    { weight: 1, arbitrary: fc.tuple(inner(), inner()).map(([a, b]) => ['try:', ...a, 'except Exception:', ...b]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('async with asyncio.TaskGroup() as tg:', 'with open(p) as f:', 'async with lock:'), inner()).map(([w, b]) => [w, ...b]) },
    { weight: 2, arbitrary: functionDef(depth + 1) },
  );
}

function functionDef(depth: number): fc.Arbitrary<Lines> {
  return fc
    .tuple(fc.option(decorator, { freq: 4 }), fc.boolean(), fc.constantFrom(...coroutineNames, 'main', 'handler', 'run', '__aenter__', 'work'), parameters, block(depth))
    .map(([dec, isAsync, name, params, body]) => [...(dec ? [dec] : []), `${isAsync ? 'async ' : ''}def ${name}(${params}):`, ...body]);
}

function classDef(): fc.Arbitrary<Lines> {
  return fc
    .tuple(fc.constantFrom('Helper', 'Service', 'Client(Base)'), fc.array(functionDef(1), { minLength: 1, maxLength: 2 }))
    .map(([name, methods]) => [`class ${name}:`, ...indent(methods.flat())]);
}

/** Definitions that give the calls above an answer (most are coroutine functions). */
const definitions: Lines[] = [
  ['async def nested():', `${INDENT}return 1`],
  ['async def fetch(*args, **kwargs):', `${INDENT}return 2`],
  ['async def données():', `${INDENT}pass`],
  ['async def worker(n):', `${INDENT}await asyncio.sleep(n)`],
  ['def work():', `${INDENT}return 0`],
  ['class Helper:', `${INDENT}async def run(self):`, `${INDENT}${INDENT}pass`, `${INDENT}async def fetch(self):`, `${INDENT}${INDENT}return 3`],
];

const topLevelItem: fc.Arbitrary<Lines> = fc.oneof(
  { weight: 4, arbitrary: functionDef(0) },
  { weight: 1, arbitrary: classDef() },
  { weight: 2, arbitrary: simpleStatement.map((s) => [s]) },
  { weight: 1, arbitrary: statement(1) },
);

export interface Layout {
  eol: '\n' | '\r\n' | '\r';
  indentUnit: string;
  bom: boolean;
  trailingNewline: boolean;
}

const layoutWith = (eols: Layout['eol'][]): fc.Arbitrary<Layout> =>
  fc.record({
    eol: fc.constantFrom(...eols),
    indentUnit: fc.constantFrom('    ', '    ', '  ', '\t'),
    bom: fc.boolean(),
    trailingNewline: fc.boolean(),
  });

export function render(lines: Lines, l: Layout): string {
  const body = lines.map((line) => line.replaceAll(INDENT, l.indentUnit).replace(/\n/g, l.eol)).join(l.eol);
  return (l.bom ? '\ufeff' : '') + body + (l.trailingNewline ? l.eol : '');
}

/** A whole module with the given line ends: a few imports, then definitions and statements. */
export function pythonModuleWith(eols: Layout['eol'][]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(importLine, { maxLength: 3 }),
      fc.subarray(definitions),
      fc.array(topLevelItem, { minLength: 1, maxLength: 3 }),
      layoutWith(eols),
    )
    .map(([imports, defs, items, l]) => render([...imports, ...defs.flat(), ...items.flat()], l));
}

/** Modules with `\n`, `\r\n` or lone `\r` line ends (Python accepts all three). */
export const pythonModule = pythonModuleWith(['\n', '\n', '\n', '\r\n', '\r']);
