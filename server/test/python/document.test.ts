// Open documents analysed edit by edit (engine/python/document.ts): an edit inside one function
// re-analyses that function alone, and the result must always be exactly what a fresh analysis of
// the whole new text gives.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { PythonDocument } from '../../src/engine/python/document';
import { analyzePython, loadPythonEngine, normalizeLineEnds } from '../../src/engine/python/index';
import { parseSyntax } from '../../src/engine/python/lowering';

const BASE = `import asyncio


async def fetch():
    return 1


def helper():
    return 2


class Service:
    async def load(self):
        pass

    def start(self):
        pass
`;

/** Replaces the first `find` of the text after `after` with `replace`. */
function edit(text: string, find: string, replace: string, after = ''): string {
  const from = text.indexOf(after);
  const at = text.indexOf(find, from);
  assert.ok(from >= 0 && at >= 0, `${find} in the text`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

function summary(result: { findings: { rule: string; range: { start: { line: number; character: number } } }[] }): string[] {
  return result.findings.map((f) => `${f.rule} ${f.range.start.line + 1}:${f.range.start.character + 1}`);
}

describe('open Python documents, edit by edit', () => {
  before(() => loadPythonEngine());

  const cases: Array<{ name: string; change: (t: string) => string; incremental: boolean; findings: string[] }> = [
    {
      name: 'a call typed in a method is analysed alone',
      change: (t) => edit(t, '        pass', '        fetch()', 'async def load'),
      incremental: true,
      findings: ['unawaited-coroutine 14:9'],
    },
    {
      name: 'a call typed in a module-level function',
      change: (t) => edit(t, '    return 2', '    asyncio.sleep(1)\n    return 2'),
      incremental: true,
      findings: ['unawaited-coroutine 9:5'],
    },
    {
      name: 'making a function async changes its callers elsewhere: the whole file',
      change: (t) => edit(edit(t, '        pass', '        helper()', 'def start'), 'def helper', 'async def helper'),
      incremental: false,
      findings: ['unawaited-coroutine 17:9'],
    },
    {
      name: 'a changed return changes what callers get: the whole file',
      change: (t) => edit(t, '    return 2', '    return fetch()'),
      incremental: false,
      findings: [],
    },
    {
      name: 'module-level code: the whole file',
      change: (t) => `${t}\nasyncio.sleep(2)\n`,
      incremental: false,
      findings: ['unawaited-coroutine 19:1'],
    },
    {
      name: 'a new function: the whole file',
      change: (t) => edit(t, 'class Service', 'def added():\n    fetch()\n\n\nclass Service'),
      incremental: false,
      findings: ['unawaited-coroutine 13:5'],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const doc = new PythonDocument();
      const options = { path: '/w/svc.py' };
      assert.deepEqual(doc.update(BASE, options).findings, []);
      const text = c.change(BASE);
      const result = doc.update(text, options);
      assert.equal(result.incremental, c.incremental);
      assert.deepEqual(summary(result), c.findings);
      assert.deepEqual(result, { ...analyzePython(text, options), incremental: c.incremental, partial: false });
      doc.dispose();
    });
  }

  it('an edit that changes what others see may be answered for the edited function first (partial)', () => {
    const doc = new PythonDocument();
    const options = { path: '/w/svc.py' };
    const start = edit(BASE, '        pass', '        helper()', 'def start');
    assert.deepEqual(doc.update(start, options).findings, []);
    // `helper` becomes async: its caller in Service.start now drops a coroutine
    const text = edit(start, 'def helper():\n    return 2', 'async def helper():\n    asyncio.sleep(1)\n    return 2');
    const first = doc.update(text, options, { allowPartial: true });
    assert.deepEqual([first.incremental, first.partial], [true, true]);
    assert.deepEqual(summary(first), ['unawaited-coroutine 9:5']);
    // the same text again is the whole analysis
    const whole = doc.update(text, options, { allowPartial: true });
    assert.deepEqual(whole, { ...analyzePython(text, options), incremental: false, partial: false });
    assert.deepEqual(summary(whole), ['unawaited-coroutine 9:5', 'unawaited-coroutine 18:9']);
    doc.dispose();
  });

  it('keystrokes in two functions, each re-parsed alone, then edits that need the whole parse: always a fresh analysis', () => {
    const doc = new PythonDocument();
    const options = { path: '/w/svc.py' };
    let text = BASE;
    doc.update(text, options);
    const steps: Array<[string, (t: string) => string, boolean]> = [
      // typed in a method, then in a module-level function: each function parsed alone
      ['a call typed in a method', (t) => edit(t, '        pass', '        fetch()', 'async def load'), true],
      ['a call typed in a module-level function', (t) => edit(t, '    return 1', '    asyncio.sleep(1)\n    return 1'), true],
      ['the method again', (t) => edit(t, '        fetch()', '        await fetch()', 'async def load'), true],
      // a comment indented deeper than the method it follows, then a keystroke in that method
      ['a comment after a method', (t) => edit(t, '        await fetch()', '        await fetch()\n            # deeper', 'async def load'), false],
      ['typed before the comment', (t) => edit(t, '        await fetch()', '        await fetch()\n        fetch()', 'async def load'), true],
      ['an open bracket: the whole text', (t) => edit(t, '        await fetch()', '        await fetch(', 'async def load'), false],
      ['closed again', (t) => edit(t, '        await fetch(', '        await fetch()', 'async def load'), false],
    ];
    for (const [name, change, incremental] of steps) {
      text = change(text);
      const result = doc.update(text, options);
      assert.deepEqual(result, { ...analyzePython(text, options), incremental, partial: false }, name);
      const source = normalizeLineEnds(text);
      const whole = parseSyntax(source);
      if (!whole.hasError(whole.root)) assert.deepEqual(doc.treeOf(source)!.arrays, whole.arrays, name);
    }
    doc.dispose();
  });

  it('a syntax error typed in a function: that function at once (partial), the whole file when the same text comes again', () => {
    const doc = new PythonDocument();
    const options = { path: '/w/svc.py' };
    doc.update(BASE, options);
    const text = edit(BASE, '        pass', '        fetch()\n        as', 'async def load');
    const first = doc.update(text, options, { allowPartial: true });
    assert.deepEqual([first.incremental, first.partial, summary(first)], [true, true, ['unawaited-coroutine 14:9']]);
    assert.deepEqual(doc.update(text, options, { allowPartial: true }), { ...analyzePython(text, options), incremental: false, partial: false });
    doc.dispose();
  });

  it('findings after the edited function move with the text, fixes included', () => {
    const doc = new PythonDocument();
    const options = { path: '/w/svc.py' };
    const start = edit(BASE, '        pass', '        self.load()', 'def start');
    assert.deepEqual(summary(doc.update(start, options)), ['unawaited-coroutine 17:9']);
    const text = edit(start, '    return 1', '    x = 1\n    y = 2\n    return 1');
    const result = doc.update(text, options);
    assert.equal(result.incremental, true);
    assert.deepEqual(result, { ...analyzePython(text, options), incremental: true, partial: false });
    assert.deepEqual(summary(result), ['unawaited-coroutine 19:9']);
    doc.dispose();
  });

  it('evidence that an untyped value is an event loop, edited in another method, is analysed again', () => {
    const doc = new PythonDocument();
    const options = { path: '/w/listener.py' };
    const start = [
      'class Listener:',
      '    def __init__(self, loop):',
      '        self._loop = loop',
      '',
      '    def later(self, cb):',
      '        self._loop.call_soon(cb)',
      '',
      '    def start(self, cb):',
      '        self._loop.create_task(cb())',
      '',
    ].join('\n');
    assert.deepEqual(summary(doc.update(start, options)), ['dangling-task 9:9']);
    // without the call_soon nothing shows that `self._loop` is an event loop
    const text = edit(start, 'self._loop.call_soon(cb)', 'cb()');
    const result = doc.update(text, options);
    assert.deepEqual([result.incremental, summary(result)], [false, []]);
    assert.deepEqual(result, { ...analyzePython(text, options), incremental: false, partial: false });
    doc.dispose();
  });

  it('random edits of the fixtures equal a fresh analysis after every edit', (t) => {
    const root = join(__dirname, '..', 'fixtures', 'python');
    const files = listPython(root).map((f) => readFileSync(f, 'utf8'));
    const snippets = ['asyncio.sleep(1)', 'fetch()', 'await ', 'x = ', '\n', '\n    ', '(', ')', ':', 'async ', 'return ', '#', 'asyncio.create_task(work())', 'self.', 'del x\n', '"""'];
    let incremental = 0;
    let steps = 0;
    let partials = 0;
    let treesCompared = 0;
    // Edits as typing makes them (a new statement on an indented line, characters at the end of
    // one) and anywhere at all.
    const editArb = fc.record({
      kind: fc.constantFrom('statement', 'type', 'anywhere'),
      where: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      removed: fc.integer({ min: 0, max: 8 }),
      inserted: fc.oneof(fc.constantFrom(...snippets), fc.string({ maxLength: 3 })),
    });
    type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;
    const apply = (text: string, e: Edit): string => {
      if (e.kind === 'anywhere') {
        const at = Math.floor(e.where * text.length);
        return text.slice(0, at) + e.inserted + text.slice(Math.min(text.length, at + e.removed));
      }
      const lines = text.split('\n');
      const indented = lines.map((l, i) => (/^\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
      if (!indented.length) return text;
      const i = indented[Math.floor(e.where * indented.length)];
      const indent = /^\s*/.exec(lines[i])![0];
      if (e.kind === 'statement') lines.splice(i, 0, indent + e.inserted);
      else lines[i] += e.inserted;
      return lines.join('\n');
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: files.length - 1 }), fc.array(fc.tuple(editArb, fc.boolean()), { minLength: 1, maxLength: 12 }), (fileIndex, edits) => {
        // one document that must always equal a fresh analysis, one that may answer partially
        const strict = new PythonDocument();
        const lenient = new PythonDocument();
        const options = { path: '/w/mod.py' };
        let text = files[fileIndex];
        strict.update(text, options);
        lenient.update(text, options);
        for (const [e, settle] of edits) {
          text = apply(text, e);
          const fresh = analyzePython(text, options);
          const got = strict.update(text, options);
          steps++;
          if (got.incremental) incremental++;
          const { incremental: _, partial, ...result } = got;
          assert.equal(partial, false);
          assert.deepEqual(result, fresh);
          // the tree lowered again only where the edit was is the tree of the new text; compared
          // only where the text has no syntax error, since tree-sitter's re-parse after an edit may
          // recover from an error differently from a fresh parse (an ERROR node ending elsewhere)
          const source = normalizeLineEnds(text);
          const kept = strict.treeOf(source);
          const whole = parseSyntax(source);
          if (kept && !whole.hasError(whole.root)) {
            assert.deepEqual(kept.arrays, whole.arrays);
            treesCompared++;
          }
          const quick = lenient.update(text, options, { allowPartial: true });
          if (quick.partial) {
            partials++;
            // the partial answer and then the same text again: the whole file, exactly
            if (settle) assert.deepEqual(lenient.update(text, options, { allowPartial: true }), { ...fresh, incremental: false, partial: false });
          } else assert.deepEqual(quick, { ...fresh, incremental: quick.incremental, partial: false });
        }
        strict.dispose();
        lenient.dispose();
      }),
      { numRuns: 300, seed: 20261126 },
    );
    // Many random edits break the file beyond one function (an open bracket, a quote); the typing-like
    // ones land inside functions often enough that the incremental path is really exercised.
    t.diagnostic(`${incremental} of ${steps} edits were analysed incrementally; ${partials} partial answers; ${treesCompared} lowered trees compared`);
    assert.ok(incremental > steps / 20, `${incremental} of ${steps} edits were analysed incrementally`);
  });
});

function listPython(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listPython(p);
    return name.endsWith('.py') ? [p] : [];
  });
}
