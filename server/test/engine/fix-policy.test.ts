// The fix-safety policy (docs/concepts/fix-safety.md) as the engines apply it: for every row of the page's
// table, a finding whose fix of that kind has the page's `safe` flag and the expected `preferred`
// flag; the Chinese page classifies the same rows alike; every rule page links to the policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { RULES } from '../../src/engine/rules';
import type { FixKind, RuleId } from '../../src/engine/types';

const docs = join(__dirname, '..', '..', '..', 'docs');

interface Row {
  rule: string;
  fix: string;
  safe: boolean;
}

/** The rows of the "Every fix, classified" table: rule (or "every rule"), the fix as written, safe. */
function policyRows(file: string): Row[] {
  const text = readFileSync(join(docs, file), 'utf8');
  const table = text.slice(text.search(/^## (Every fix, classified|逐条分类)$/m));
  return [...table.matchAll(/^\| (.+?) \| (.+?) \| (yes|no|是|否) \|/gm)].map((m) => ({
    rule: /`([\w-]+)`/.exec(m[1])?.[1] ?? m[1],
    fix: m[2],
    safe: m[3] === 'yes' || m[3] === '是',
  }));
}

interface Case {
  /** The row's rule and its fix column, exactly as docs/concepts/fix-safety.md writes them. */
  rule: RuleId;
  row: string;
  kind: FixKind;
  path: string;
  code: string;
  preferred: boolean;
}

const PY = (...lines: string[]) => ['import asyncio', 'async def nested():', '    return 1', ...lines].join('\n') + '\n';
const TS = (...lines: string[]) => ['export {};', 'declare function save(): Promise<void>;', 'declare function isReady(): Promise<boolean>;', ...lines].join('\n') + '\n';

const CASES: Case[] = [
  { rule: 'unawaited-coroutine', row: 'add `await` to a call used as a statement (`nested()`)', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    nested()'), preferred: true },
  { rule: 'unawaited-coroutine', row: 'add `await` in a condition (`if ready():`)', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    if nested():', '        pass'), preferred: true },
  { rule: 'unawaited-coroutine', row: 'add `await` where the coroutine is stored (`x = nested()`, `_ = nested()`)', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    x = nested()'), preferred: true },
  { rule: 'unawaited-coroutine', row: 'add `await` where the coroutine is stored (`x = nested()`, `_ = nested()`)', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    _ = nested()'), preferred: true },
  { rule: 'unawaited-coroutine', row: 'make the enclosing function `async` and await the call', kind: 'make-async', path: 'a.py', code: PY('def f():', '    nested()'), preferred: true },
  { rule: 'unawaited-coroutine', row: 'make the enclosing function `async` and await the call', kind: 'make-async', path: 'a.py', code: PY('class C:', '    def f(self):', '        nested()'), preferred: true },
  { rule: 'dangling-task', row: 'keep the task in a module-level set', kind: 'keep-task', path: 'a.py', code: PY('async def f():', '    asyncio.create_task(nested())'), preferred: true },
  { rule: 'dangling-task', row: 'keep the task in a module-level set, where the event loop is known only from how the code uses it (`self._loop = loop`, no annotation)', kind: 'keep-task', path: 'a.py', code: PY('class Listener:', '    def __init__(self, loop):', '        self._loop = loop', '    def on(self):', '        self._loop.create_task(nested())', '    def stop(self):', '        self._loop.call_soon(print)'), preferred: true },
  { rule: 'dangling-task', row: 'add `await`', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    asyncio.create_task(nested())'), preferred: false },
  { rule: 'unawaited-coroutine', row: 'add `await` to what a callable declared `Callable[..., Awaitable[T]]` returns (`callback()`)', kind: 'add-await', path: 'a.py', code: PY('from typing import Awaitable, Callable', 'async def f(callback: Callable[[], Awaitable[None]]):', '    callback()'), preferred: true },
  { rule: 'floating-future', row: 'add `await`', kind: 'add-await', path: 'a.py', code: PY('async def f():', '    asyncio.gather(nested())'), preferred: true },
  { rule: 'floating-future', row: 'keep the future of `run_coroutine_threadsafe(...)` and log its exception (`future.add_done_callback(...)`)', kind: 'report-failure', path: 'a.py', code: PY('def f(loop):', '    asyncio.run_coroutine_threadsafe(nested(), loop)'), preferred: true },
  { rule: 'floating-future', row: 'keep the future of `run_coroutine_threadsafe(...)` and log its exception (`future.add_done_callback(...)`)', kind: 'report-failure', path: 'a.py', code: PY('async def f(loop):', '    asyncio.run_coroutine_threadsafe(nested(), loop)'), preferred: true },
  { rule: 'floating-future', row: 'the same where the future is assigned to `_` (`_ = run_coroutine_threadsafe(...)`)', kind: 'report-failure', path: 'a.py', code: PY('def f(loop):', '    _ = asyncio.run_coroutine_threadsafe(nested(), loop)'), preferred: true },
  { rule: 'floating-future', row: 'wait with `.result()` (`run_coroutine_threadsafe(...)` in a plain `def`)', kind: 'wait-result', path: 'a.py', code: PY('def f(loop):', '    asyncio.run_coroutine_threadsafe(nested(), loop)'), preferred: false },
  { rule: 'floating-promise', row: 'add `await` (where it compiles)', kind: 'add-await', path: '/virtual/policy/a.ts', code: TS('export async function f(urls: string[]) {', '  for (const u of urls) { save(); }', '}'), preferred: true },
  { rule: 'floating-promise', row: 'add `.catch(...)`', kind: 'add-catch', path: '/virtual/policy/a.ts', code: TS('export function f() {', '  save();', '}'), preferred: true },
  { rule: 'floating-promise', row: 'add `.catch(...)`', kind: 'add-catch', path: '/virtual/policy/a.ts', code: TS('export async function f() {', '  save();', '}'), preferred: false },
  { rule: 'floating-promise', row: 'add `void`', kind: 'add-void', path: '/virtual/policy/a.ts', code: TS('export async function f() {', '  save();', '}'), preferred: false },
  { rule: 'floating-promise', row: 'make the enclosing function `async` and await', kind: 'make-async', path: '/virtual/policy/a.ts', code: TS('export function f() {', '  save();', '}'), preferred: false },
  { rule: 'misused-promise', row: 'add `await` (condition or spread)', kind: 'add-await', path: '/virtual/policy/a.ts', code: TS('export async function f() {', '  if (isReady()) return 1;', '  return 0;', '}'), preferred: true },
];

const SUPPRESS_ROW = 'suppress on this line';

describe('fix safety: the policy page and the engines agree', () => {
  const analyzer = new Analyzer();
  before(() => analyzer.init());
  const rows = policyRows('concepts/fix-safety.md');

  it('the page classifies fixes of every rule, and only real rules', () => {
    const ids = RULES.map((r) => r.id as string);
    assert.deepEqual([...new Set(rows.map((r) => r.rule).filter((r) => r !== 'every rule'))].sort(), [...ids].sort());
    assert.ok(rows.some((r) => r.rule === 'every rule' && r.fix === SUPPRESS_ROW && !r.safe));
  });

  it('every row of the page is exercised here', () => {
    const covered = new Set(CASES.map((c) => `${c.rule} ${c.row}`));
    assert.deepEqual(rows.filter((r) => r.rule !== 'every rule' && !covered.has(`${r.rule} ${r.fix}`)), []);
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.row} — ${c.code.split('\n').slice(-3).join(' ').trim()}`, () => {
      const row = rows.find((r) => r.rule === c.rule && r.fix === c.row);
      assert.ok(row, `docs/concepts/fix-safety.md has a row for ${c.rule} / ${c.row}`);
      const findings = analyzer.analyze({ path: c.path, text: c.code }).findings.filter((f) => f.rule === c.rule);
      assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
      const fix = findings[0].fixes.find((f) => f.kind === c.kind);
      assert.ok(fix, `offers ${c.kind}: ${findings[0].fixes.map((f) => f.kind).join(', ')}`);
      assert.equal(fix.safe, row.safe, 'safe as the page says');
      assert.equal(fix.preferred, c.preferred, 'preferred');
      const suppress = findings[0].fixes.find((f) => f.kind === 'suppress');
      assert.ok(suppress && !suppress.safe, 'the suppression is offered and never safe');
    });
  }

  it('an async generator that is never iterated gets the suppression only, as the page says', () => {
    const text = readFileSync(join(docs, 'concepts', 'fix-safety.md'), 'utf8');
    assert.match(text, /An async generator that is never iterated \(`unawaited-coroutine`\) gets no fix but the suppression/);
    const code = ['async def ticks():', '    yield 1', 'async def f():', '    ticks()'].join('\n') + '\n';
    const findings = analyzer.analyze({ path: 'a.py', text: code }).findings;
    assert.deepEqual(
      findings.map((f) => [f.rule, f.fixes.map((x) => [x.kind, x.safe, x.preferred])]),
      [['unawaited-coroutine', [['suppress', false, true]]]],
    );
  });

  it('the Chinese page classifies the same fixes alike', () => {
    const zh = policyRows('concepts/fix-safety.zh-CN.md').map((r) => [r.rule === '所有规则' ? 'every rule' : r.rule, r.safe]);
    assert.deepEqual(zh, rows.map((r) => [r.rule, r.safe]));
  });

  for (const rule of RULES) {
    for (const page of [`${rule.id}.md`, `${rule.id}.zh-CN.md`]) {
      it(`docs/rules/${page} links to the policy and states each fix's safety`, () => {
        const text = readFileSync(join(docs, 'rules', page), 'utf8');
        const policy = page.endsWith('.zh-CN.md') ? '../concepts/fix-safety.zh-CN.md' : '../concepts/fix-safety.md';
        assert.ok(text.includes(`](${policy})`), `links to ${policy}`);
        const fixes = text.slice(text.search(/^## (Fixes|修复)$/m), text.search(/^## (How to suppress|如何抑制)$/m));
        const items = fixes.split('\n').filter((l) => l.startsWith('- **'));
        assert.ok(items.length > 0);
        const stated = page.endsWith('.zh-CN.md') ? /\*\*（[^）]*安全/ : /\*\* \((safe|unsafe)\b/;
        for (const item of items) assert.match(item, stated, item);
      });
    }
  }
});
