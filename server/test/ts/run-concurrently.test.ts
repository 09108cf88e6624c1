// "Run concurrently" in TypeScript/JavaScript: the exact text after the refactoring for every
// shape (Promise.all with and without destructuring, assignments, loops), tables of where it is
// and is not offered, every rewritten file type-checked by the compiler as well as before, and the
// TS twin of the seed timed before and after.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { applyEdits } from '../../src/engine/text';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import { withSelection } from '../helpers/selection';
import { FixtureCompiler, newDiagnostics } from './compile';
import { listTsFixtures, tsFixtureRoot } from './fixture-marks';

const engine = new TypeScriptEngine();
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-ts-concurrently-'));
after(() => {
  engine.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const project = join(scratch, 'project');
mkdirSync(project);
writeFileSync(
  join(project, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, lib: ['ES2022', 'DOM'], allowJs: true, checkJs: true, noEmit: true, types: [] }, include: ['.'] }),
);
writeFileSync(
  join(project, 'prelude.d.ts'),
  [
    'interface User { id: number }',
    'interface Feed { items: string[] }',
    'declare function load(id: number): Promise<User>;',
    'declare function loadFeed(id: number): Promise<Feed>;',
    'declare function save(id: number): Promise<void>;',
    'declare function log(...args: unknown[]): void;',
    'declare function make(): number;',
    '',
  ].join('\n'),
);
writeFileSync(join(project, 'api.ts'), 'export async function get(path: string): Promise<string> {\n  return path;\n}\n');
const compiler = new FixtureCompiler(join(project, 'tsconfig.json'));

const lines = (...l: string[]) => l.join('\n') + '\n';
const NOTE = (n?: number) => `(${n === undefined ? 'the calls' : `the ${n} calls`} will overlap in time; whatever they share must allow that)`;
const ALL = '“Promise.all”';

interface Valid {
  name: string;
  file?: string;
  /** `‸` marks the cursor, `⦗...⦘` the selection. */
  before: string;
  after: string;
  title: string;
}

const fn = (...body: string[]) => ['export async function show(): Promise<void> {', ...body, '}'];

const valid: Valid[] = [
  {
    name: 'the TS twin of the seed: const declarations become one destructuring',
    before: lines(...fn('  ‸const user = await load(1);', '  const feed = await load(2);', '  log(user, feed);')),
    after: lines(...fn('  const [user, feed] = await Promise.all([load(1), load(2)]);', '  log(user, feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'calls may share plain data (a number, a string)',
    before: lines('export async function show(id: number): Promise<void> {', '  ‸const user = await load(id);', '  const feed = await loadFeed(id);', '  log(user, feed);', '}'),
    after: lines('export async function show(id: number): Promise<void> {', '  const [user, feed] = await Promise.all([load(id), loadFeed(id)]);', '  log(user, feed);', '}'),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'dropped results: no destructuring',
    before: lines(...fn('  await save(1);', '  await save(2);‸')),
    after: lines(...fn('  await Promise.all([save(1), save(2)]);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'declared types are kept as a tuple type',
    before: lines(...fn('  ‸let user: User = await load(1);', '  let feed: Feed = await loadFeed(2);', '  log(user, feed);')),
    after: lines(...fn('  let [user, feed]: [User, Feed] = await Promise.all([load(1), loadFeed(2)]);', '  log(user, feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'a dropped result before kept ones is a hole; one after them is left out',
    before: lines(...fn('  ‸await save(1);', '  const feed = await loadFeed(2);', '  await save(3);', '  log(feed);')),
    after: lines(...fn('  const [, feed] = await Promise.all([save(1), loadFeed(2), save(3)]);', '  log(feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(3)}`,
  },
  {
    name: 'a dropped result among typed ones is typed unknown',
    before: lines(...fn('  ‸const user: User = await load(1);', '  await save(2);', '  const feed: Feed = await loadFeed(3);', '  log(user, feed);')),
    after: lines(...fn('  const [user, , feed]: [User, unknown, Feed] = await Promise.all([load(1), save(2), loadFeed(3)]);', '  log(user, feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(3)}`,
  },
  {
    name: 'assignments become a destructuring assignment',
    before: lines('class Page {', '  user?: User;', '  feed?: Feed;', '  async show(): Promise<void> {', '    ‸this.user = await load(1);', '    this.feed = await loadFeed(2);', '  }', '}'),
    after: lines('class Page {', '  user?: User;', '  feed?: Feed;', '  async show(): Promise<void> {', '    [this.user, this.feed] = await Promise.all([load(1), loadFeed(2)]);', '  }', '}'),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'without semicolons, a statement starting with [ is guarded by one',
    before: lines('export async function show(): Promise<void> {', '  let user: User, feed: Feed', '  log("start")', '  ‸user = await load(1)', '  feed = await loadFeed(2)', '  log(user, feed)', '}'),
    after: lines('export async function show(): Promise<void> {', '  let user: User, feed: Feed', '  log("start")', '  ;[user, feed] = await Promise.all([load(1), loadFeed(2)])', '  log(user, feed)', '}'),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'a selected statement between the calls moves after them',
    before: lines(...fn('  ⦗const user = await load(1);', '  log("loaded", user);', '  const feed = await loadFeed(2);⦘', '  log(feed);')),
    after: lines(...fn('  const [user, feed] = await Promise.all([load(1), loadFeed(2)]);', '  log("loaded", user);', '  log(feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'comments stay with their calls, one call per line',
    before: lines(...fn('  ‸const user = await load(1); // the user', '  // then the feed', '  const feed = await loadFeed(2);', '  log(user, feed);')),
    after: lines(...fn('  const [user, feed] = await Promise.all([', '    load(1), // the user', '    // then the feed', '    loadFeed(2),', '  ]);', '  log(user, feed);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'a loop over an array: map',
    before: lines('export async function show(ids: number[]): Promise<void> {', '  ‸for (const id of ids) await save(id);', '}'),
    after: lines('export async function show(ids: number[]): Promise<void> {', '  await Promise.all(ids.map((id) => save(id)));', '}'),
    title: `Run concurrently: one call per item with ${ALL} ${NOTE()}`,
  },
  {
    name: 'a loop over any other iterable, cursor on its call in a block: Array.from',
    before: lines('export async function show(ids: Map<number, string>): Promise<void> {', '  for (const [id, name] of ids) {', '    // each one', '    await save(id‸);', '  }', '}'),
    after: lines('export async function show(ids: Map<number, string>): Promise<void> {', '  // each one', '  await Promise.all(Array.from(ids, ([id, name]) => save(id)));', '}'),
    title: `Run concurrently: one call per item with ${ALL} ${NOTE()}`,
  },
  {
    name: 'calls on an imported namespace are not calls on one object',
    before: lines("import * as api from './api';", ...fn("  ‸const a = await api.get('/a');", "  const b = await api.get('/b');", '  log(a, b);')),
    after: lines("import * as api from './api';", ...fn("  const [a, b] = await Promise.all([api.get('/a'), api.get('/b')]);", '  log(a, b);')),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'a loop calling a method of each item',
    before: lines('export async function stop(sites: { stop(): Promise<void> }[]): Promise<void> {', '  ‸for (const site of sites) {', '    await site.stop();', '  }', '}'),
    after: lines('export async function stop(sites: { stop(): Promise<void> }[]): Promise<void> {', '  await Promise.all(sites.map((site) => site.stop()));', '}'),
    title: `Run concurrently: one call per item with ${ALL} ${NOTE()}`,
  },
  {
    name: 'JavaScript: the same, without types',
    file: 'show.js',
    before: lines('/** @param {number} id */', 'async function get(id) { return id; }', 'export async function show() {', '  ‸const a = await get(1);', '  const b = await get(2);', '  return a + b;', '}'),
    after: lines('/** @param {number} id */', 'async function get(id) { return id; }', 'export async function show() {', '  const [a, b] = await Promise.all([get(1), get(2)]);', '  return a + b;', '}'),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
  {
    name: 'top-level await in a module',
    file: 'main.ts',
    before: lines('‸const user = await load(1);', 'const feed = await loadFeed(2);', 'log(user, feed);', 'export {};'),
    after: lines('const [user, feed] = await Promise.all([load(1), loadFeed(2)]);', 'log(user, feed);', 'export {};'),
    title: `Run concurrently with ${ALL} ${NOTE(2)}`,
  },
];

interface Invalid {
  name: string;
  code: string;
}

const invalid: Invalid[] = [
  { name: 'a single await', code: lines(...fn('  ‸await save(1);', '  log(1);')) },
  { name: 'the second call uses the first one’s result', code: lines(...fn('  ‸const user = await load(1);', '  const feed = await loadFeed(user.id);', '  log(feed);')) },
  {
    name: 'the second call reads a property of what the first was given',
    code: lines('export async function show(page: { id: number }): Promise<void> {', '  ‸await log(page);', '  await save(page.id);', '}'),
  },
  {
    name: 'two calls on one object: a stream written twice keeps its order',
    code: lines('export async function send(writer: { write(b: string): Promise<void> }): Promise<void> {', '  ‸await writer.write("head");', '  await writer.write("body");', '}'),
  },
  {
    name: 'two methods of this',
    code: lines('class Conn {', '  async send(): Promise<void> {}', '  async receive(): Promise<string> { return ""; }', '  async ping(): Promise<void> {', '    ‸await this.send();', '    const reply = await this.receive();', '    log(reply);', '  }', '}'),
  },
  {
    name: 'two calls given the same object: one may change what the other reads',
    code: lines('declare function bump(o: { version: string }): Promise<void>;', 'declare function pack(o: { version: string }): Promise<void>;', 'export async function release(options: { version: string }): Promise<void> {', '  ‸await bump(options);', '  await pack(options);', '}'),
  },
  {
    name: 'a loop giving every item’s call one object',
    code: lines('declare function get(s: object, u: string): Promise<void>;', 'export async function all(session: object, urls: string[]): Promise<void> {', '  ‸for (const u of urls) await get(session, u);', '}'),
  },
  {
    name: 'a loop calling a method of super',
    code: lines('class Base { async handle(n: number): Promise<void> {} }', 'class Derived extends Base {', '  async handleAll(ns: number[]): Promise<void> {', '    ‸for (const n of ns) await super.handle(n);', '  }', '}'),
  },
  {
    name: 'a sleep is there to wait before what follows',
    code: lines('declare function sleep(ms: number): Promise<void>;', ...fn('  ‸await sleep(100);', '  await save(1);')),
  },
  {
    name: 'a loop writing every chunk to one stream',
    code: lines('export async function send(writer: { write(b: string): Promise<void> }, chunks: string[]): Promise<void> {', '  ‸for (const c of chunks) await writer.write(c);', '}'),
  },
  { name: 'an argument calls a function (it would run earlier)', code: lines(...fn('  ‸await save(1);', '  await save(make());')) },
  { name: 'an assignment inside a call', code: lines('export async function show(n: number): Promise<void> {', '  ‸await save(n);', '  await save(n = 2);', '}') },
  { name: 'inside a try block: catch or finally would run while the other call still does', code: lines(...fn('  try {', '    ‸await save(1);', '    await save(2);', '  } finally {', '    log("done");', '  }')) },
  { name: 'const and let mixed', code: lines(...fn('  ‸const user = await load(1);', '  let feed = await loadFeed(2);', '  log(user, feed);')) },
  { name: 'types on some declarations only', code: lines(...fn('  ‸const user: User = await load(1);', '  const feed = await loadFeed(2);', '  log(user, feed);')) },
  {
    name: 'an earlier result a closure reads',
    code: lines('export async function show(run: (f: () => unknown) => Promise<void>): Promise<void> {', '  let user: User | undefined;', '  ‸user = await load(1);', '  await run(() => user);', '}'),
  },
  {
    name: 'a selected statement between the calls changes what a call receives',
    code: lines('export async function show(n: number): Promise<void> {', '  ⦗await save(n);', '  n++;', '  await save(n);⦘', '}'),
  },
  { name: 'Promise is not the global one', code: lines('const Promise = { all: (x: unknown) => x };', ...fn('  ‸await save(1);', '  await save(2);')) },
  { name: 'for await', code: lines('export async function show(ids: AsyncIterable<number>): Promise<void> {', '  ‸for await (const id of ids) await save(id);', '}') },
  { name: 'a loop body doing more than one call', code: lines('export async function show(ids: number[]): Promise<void> {', '  ‸for (const id of ids) {', '    await save(id);', '    log(id);', '  }', '}') },
  { name: 'a var loop variable (read after the loop)', code: lines('export async function show(ids: number[]): Promise<void> {', '  ‸for (var id of ids) await save(id);', '  log(id);', '}') },
  {
    name: 'an await using declaration before the calls would be disposed too early',
    code: lines(
      'declare function open(): Promise<AsyncDisposable>;',
      ...fn('  await using handle = await open();', '  ‸await save(1);', '  await save(2);', '  log(handle);'),
    ),
  },
];

let fileCount = 0;
function refactorsAt(marked: string, file = 'show.ts') {
  const { text, range } = withSelection(marked);
  const path = join(project, `${++fileCount}-${file}`);
  writeFileSync(path, text);
  return { path, text, refactors: engine.refactors(path, text, range) };
}

describe('Run concurrently (TypeScript): the text after the refactoring', () => {
  for (const c of valid) {
    test(c.name, () => {
      const { path, text, refactors } = refactorsAt(c.before, c.file);
      assert.deepEqual(refactors.map((r) => r.kind), ['run-concurrently'], 'exactly one refactoring is offered');
      assert.equal(refactors[0].title, c.title);
      const rewritten = applyEdits(text, refactors[0].edits);
      assert.equal(rewritten, c.after);
      assert.deepEqual(newDiagnostics(compiler.diagnostics(path, text), compiler.diagnostics(path, rewritten)), [], 'it type-checks as well as before');
    });
  }
});

describe('Run concurrently (TypeScript): where it is not offered', () => {
  for (const c of invalid) {
    test(c.name, () => {
      assert.deepEqual(refactorsAt(c.code).refactors, []);
    });
  }
});

test('Run concurrently (TypeScript): at the start of every line of every fixture it never throws, and what it offers parses', () => {
  for (const file of listTsFixtures()) {
    const path = join(tsFixtureRoot, file);
    const text = readFileSync(path, 'utf8');
    const syntaxErrors = (t: string) => (ts.createSourceFile(path, t, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : undefined) as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
    const before = syntaxErrors(text);
    text.split('\n').forEach((lineText, line) => {
      const at = { line, character: Math.max(0, lineText.search(/\S/)) };
      for (const r of engine.refactors(path, text, { start: at, end: at })) {
        assert.equal(syntaxErrors(applyEdits(text, r.edits)), before, `${file}:${line + 1}`);
      }
    });
  }
});

test('Run concurrently (TypeScript): the twin of the seed runs in the longer delay, printing the same', async () => {
  const program = (body: string) =>
    [
      'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
      'async function load(id: number, ms: number): Promise<string> { await sleep(ms); console.log(`loaded ${id}`); return `item ${id}`; }',
      'async function main(): Promise<void> {',
      body,
      '  console.log(user, feed);',
      '}',
      'const started = performance.now();',
      'main().then(() => console.error(((performance.now() - started) / 1000).toFixed(3)));',
      'export {};',
      '',
    ].join('\n');
  const { text, refactors } = refactorsAt(program('  ‸const user = await load(1, 200);\n  const feed = await load(2, 400);'), 'twin.ts');
  assert.equal(refactors.length, 1);
  const run = async (source: string) => {
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = join(scratch, `twin-${Math.random().toString(36).slice(2)}.cjs`);
    writeFileSync(file, js);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { timeout: 30_000 });
    return { stdout, seconds: Number(stderr.trim()) };
  };
  const serial = await run(text);
  const concurrent = await run(applyEdits(text, refactors[0].edits));
  assert.equal(serial.stdout, 'loaded 1\nloaded 2\nitem 1 item 2\n');
  assert.equal(concurrent.stdout, serial.stdout);
  assert.ok(serial.seconds >= 0.6, `serially the delays add up: ${serial.seconds} s`);
  assert.ok(concurrent.seconds >= 0.39 && concurrent.seconds < 0.55, `concurrently the longer delay: ${concurrent.seconds} s`);
});
