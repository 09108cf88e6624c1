// Random TypeScript modules built from what the promise rules care about: promise-returning calls
// as statements, awaited, returned, voided, chained with then/catch/finally, used as conditions,
// spread, passed as async callbacks where void ones are expected; async and plain functions,
// arrows, methods; suppression comments. Layout varies: CRLF, a BOM, tabs, non-ASCII text.
import fc from 'fast-check';

const INDENT = '\u0001';
type Lines = string[];
const indent = (lines: Lines): Lines => lines.map((l) => INDENT + l);

/** Declarations every module starts with, so that calls have types. */
const PRELUDE = [
  'export {};',
  'async function fetchData(): Promise<number> { return 1; }',
  'function later(): Promise<void> { return Promise.resolve(); }',
  'declare function isReady(): Promise<boolean>;',
  'declare const items: number[];',
  'declare const maybe: Promise<string> | undefined;',
  'class Service { async load(): Promise<string> { return "é"; } run(): void {} }',
  'const svc = new Service();',
  'let flag = true;',
];

const promiseCall = fc.constantFrom('fetchData()', 'later()', 'svc.load()', 'isReady()', 'Promise.resolve(1)', 'Promise.all([fetchData(), later()])', 'new Promise<void>((r) => r())', 'maybe');
const plainCall = fc.constantFrom('svc.run()', 'console.log(flag)', 'items.push(1)', 'Math.max(1, 2)');

const statement: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: promiseCall.map((c) => `${c};`) },
  { weight: 2, arbitrary: promiseCall.map((c) => `await ${c};`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `void ${c};`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `return ${c};`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `const v${'é'} = ${c};`) },
  { weight: 1, arbitrary: fc.tuple(promiseCall, fc.constantFrom('.then(() => {})', '.catch(() => {})', '.finally(() => {})', '.then((x) => x)', '.then(() => {}, () => {})')).map(([c, t]) => `${c}${t};`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `if (${c}) { flag = !flag; }`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `flag = ${c} ? true : false;`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `${c} || later();`) },
  { weight: 1, arbitrary: promiseCall.map((c) => `flag && ${c};`) },
  { weight: 1, arbitrary: fc.constantFrom('items.forEach(async (i) => { await later(); });', 'items.map(async (i) => i);', 'setTimeout(async () => { await later(); }, 1);', 'const copy = { ...Promise.resolve({ a: 1 }) };', '[...items].forEach(() => later());') },
  { weight: 1, arbitrary: fc.constantFrom('(async () => { await later(); })();', 'svc.load().then(console.log);', 'x: for (;;) { break x; }', 'label: { }') },
  { weight: 3, arbitrary: plainCall.map((c) => `${c};`) },
);

const suppression = fc.constantFrom(
  '// asyncguard-ignore-next-line floating-promise',
  '// asyncguard-ignore-next-line misused-promise',
  '// eslint-disable-next-line @typescript-eslint/no-floating-promises',
  '// eslint-disable-next-line @typescript-eslint/no-misused-promises',
  '// a comment',
);

const prefix = fc.oneof({ weight: 10, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('console.log("é😀"); ', 'flag = "中文" !== ""; ') });

const simple: fc.Arbitrary<Lines> = fc
  .tuple(fc.option(suppression, { freq: 8 }), prefix, statement)
  .map(([comment, p, s]) => [...(comment ? [comment] : []), p + s]);

function block(depth: number): fc.Arbitrary<Lines> {
  return fc.array(stmt(depth), { minLength: 1, maxLength: 3 }).map((ss) => indent(ss.flat()));
}

function stmt(depth: number): fc.Arbitrary<Lines> {
  if (depth >= 2) return simple;
  const inner = () => block(depth + 1);
  return fc.oneof(
    { weight: 6, arbitrary: simple },
    { weight: 1, arbitrary: inner().map((b) => ['if (flag) {', ...b, '}']) },
    { weight: 1, arbitrary: inner().map((b) => ['for (const i of items) {', ...b, '}']) },
    { weight: 1, arbitrary: fc.tuple(inner(), inner()).map(([a, b]) => ['try {', ...a, '} catch {', ...b, '}']) },
    { weight: 1, arbitrary: fc.tuple(fc.boolean(), inner()).map(([a, b]) => [`const cb = ${a ? 'async ' : ''}() => {`, ...b, '};']) },
  );
}

const fnDecl: fc.Arbitrary<Lines> = fc
  .tuple(fc.constantFrom('async function', 'function', 'export async function'), fc.nat({ max: 99 }), block(0))
  .map(([kw, n, body]) => [`${kw} f${n}() {`, ...body, '}']);

const classDecl: fc.Arbitrary<Lines> = fc
  .tuple(fc.boolean(), block(1))
  .map(([isAsync, body]) => ['class C {', `${INDENT}${isAsync ? 'async ' : ''}m() {`, ...indent(body), `${INDENT}}`, '}']);

const item = fc.oneof({ weight: 4, arbitrary: fnDecl }, { weight: 1, arbitrary: classDecl }, { weight: 1, arbitrary: simple });

export const tsModule: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(item, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('\n', '\n', '\r\n'),
    fc.constantFrom('  ', '    ', '\t'),
    fc.boolean(),
  )
  .map(([items, eol, unit, bom]) => (bom ? '\ufeff' : '') + [...PRELUDE, ...items.flat()].map((l) => l.replaceAll(INDENT, unit)).join(eol) + eol);
