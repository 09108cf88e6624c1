// Open TS documents analysed edit by edit (TypeScriptEngine.analyzeOpen): an edit inside one
// function checks only that function again, and the answer must always be exactly what a fresh
// analysis of the whole new text gives (or, when marked partial, what the same text gives next).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { TypeScriptEngine, type CheckedScope } from '../../src/engine/ts/index';
import { listTsFixtures, tsFixtureRoot } from './fixture-marks';

const PATH = join(tsFixtureRoot, 'strict', 'edited-document.ts');

const BASE = `export {};

async function save(): Promise<void> {}

function helper() {
  return 1;
}

export class Service {
  async load(): Promise<void> {
    await save();
  }

  start(): void {
    this.load().catch(() => {});
  }
}
`;

/** Replaces the first `find` after `after` with `replace`. */
function edit(text: string, find: string, replace: string, after = ''): string {
  const from = text.indexOf(after);
  const at = text.indexOf(find, from);
  assert.ok(from >= 0 && at >= 0, `${find} in the text`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

function summary(result: { findings: { rule: string; range: { start: { line: number; character: number } } }[] }): string[] {
  return result.findings.map((f) => `${f.rule} ${f.range.start.line + 1}:${f.range.start.character + 1}`);
}

describe('open TypeScript documents, edit by edit', () => {
  const engines: TypeScriptEngine[] = [];
  const engine = () => {
    const e = new TypeScriptEngine();
    engines.push(e);
    return e;
  };
  after(() => engines.forEach((e) => e.dispose()));

  const cases: Array<{ name: string; change: (t: string) => string; incremental: boolean; findings: string[] }> = [
    {
      name: 'a call typed in a method is checked alone',
      change: (t) => edit(t, '    await save();', '    await save();\n    save();', 'async load'),
      incremental: true,
      findings: ['floating-promise 12:5'],
    },
    {
      name: 'a call typed in a top-level function',
      change: (t) => edit(t, '  return 1;', '  save();\n  return 1;'),
      incremental: true,
      findings: ['floating-promise 6:3'],
    },
    {
      name: 'a changed return type changes what callers get: the whole file',
      change: (t) => edit(edit(t, '  return 1;', '  return save();'), 'this.load().catch(() => {});', 'helper();'),
      incremental: false,
      findings: ['floating-promise 15:5'],
    },
    {
      name: 'a new member: the whole file',
      change: (t) => edit(edit(t, 'this.load().catch(() => {});', 'this.stop();'), '\n}\n', '\n  stop(): void {}\n}\n'),
      incremental: false,
      findings: [],
    },
    {
      name: 'module-level code: the whole file',
      change: (t) => `${t}\nsave();\n`,
      incremental: false,
      findings: ['floating-promise 19:1'],
    },
    {
      name: 'a suppression comment typed inside a function: the whole file',
      change: (t) => edit(t, '    await save();', '    // asyncguard-ignore-next-line floating-promise\n    save();', 'async load'),
      incremental: false,
      findings: [],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const open = engine();
      const fresh = engine();
      assert.deepEqual(open.analyzeOpen(PATH, BASE).findings, []);
      const text = c.change(BASE);
      const result = open.analyzeOpen(PATH, text);
      assert.equal(result.incremental, c.incremental);
      assert.equal(result.partial, false);
      assert.deepEqual(summary(result), c.findings);
      assert.deepEqual(result, { ...fresh.analyze(PATH, text), incremental: c.incremental, partial: false });
    });
  }

  it('an edit that changes what others see may be answered for the edited function first (partial)', () => {
    const open = engine();
    const start = edit(BASE, 'this.load().catch(() => {});', 'helper();');
    assert.deepEqual(open.analyzeOpen(PATH, start).findings, []);
    // helper() now returns a promise: its caller in Service.start drops it
    const text = edit(start, '  return 1;', '  save();\n  return save();');
    const first = open.analyzeOpen(PATH, text, undefined, { allowPartial: true });
    assert.deepEqual([first.incremental, first.partial], [true, true]);
    assert.deepEqual(summary(first), ['floating-promise 6:3']);
    const whole = open.analyzeOpen(PATH, text, undefined, { allowPartial: true });
    assert.deepEqual([whole.incremental, whole.partial], [false, false]);
    assert.deepEqual(summary(whole), ['floating-promise 6:3', 'floating-promise 16:5']);
  });

  it('findings after the edited function move with the text, fixes included', () => {
    const open = engine();
    const fresh = engine();
    const start = edit(BASE, 'this.load().catch(() => {});', 'this.load();');
    assert.deepEqual(summary(open.analyzeOpen(PATH, start)), ['floating-promise 15:5']);
    const text = edit(start, '  return 1;', '  const a = 1;\n  const b = 2;\n  return a + b;');
    const result = open.analyzeOpen(PATH, text);
    assert.equal(result.incremental, true);
    assert.deepEqual(summary(result), ['floating-promise 17:5']);
    assert.deepEqual(result, { ...fresh.analyze(PATH, text), incremental: true, partial: false });
  });

  // Inside one function, only the edited statements are checked when nothing else can depend on them
  // (statements.ts); an assertion, a never-returning call, an assignment or a declaration reaches the
  // statements after it, and the whole function is checked.
  const FLOW = `export {};

declare function assertPromise(value: unknown): asserts value is Promise<void>;
declare function fail(message: string): never;

async function save(): Promise<void> {}

export async function run(input: unknown, later: Promise<void>): Promise<void> {
  await save();
  input;
  if (input) {
    await save();
  }
  later.then(() => {});
}
`;

  const statementCases: Array<{ name: string; change: (t: string) => string; scope: CheckedScope; findings: string[] }> = [
    {
      name: 'a call typed as a new statement: that statement alone',
      change: (t) => edit(t, '  await save();\n  input;', '  await save();\n  save();\n  input;'),
      scope: 'statements',
      findings: ['floating-promise 10:3', 'floating-promise 16:3'],
    },
    {
      name: 'a call typed in a nested block: that statement alone',
      change: (t) => edit(t, '    await save();\n  }', '    await save();\n    save();\n  }'),
      scope: 'statements',
      findings: ['floating-promise 13:5', 'floating-promise 16:3'],
    },
    {
      name: 'a new line after a statement: nothing to check, the findings move',
      change: (t) => edit(t, '  input;\n', '  input;\n\n'),
      scope: 'statements',
      findings: ['floating-promise 16:3'],
    },
    {
      name: 'an assertion call changes the type of what follows: the whole function',
      change: (t) => edit(t, '  input;', '  assertPromise(input);\n  input;'),
      scope: 'function',
      findings: ['floating-promise 11:3', 'misused-promise 12:7', 'floating-promise 16:3'],
    },
    {
      name: 'a call that never returns makes what follows unreachable: the whole function',
      change: (t) => edit(t, '  later.then', "  fail('stop');\n  later.then"),
      scope: 'function',
      findings: ['floating-promise 16:3'],
    },
    {
      name: 'an assignment reaches the statements after it: the whole function',
      change: (t) => edit(t, '  input;', '  input = later;\n  input;'),
      scope: 'function',
      findings: ['floating-promise 16:3'],
    },
    {
      name: 'a declaration reaches the statements after it: the whole function',
      change: (t) => edit(edit(t, '  input;', '  const input2 = later;\n  input;'), '  later.then', '  input2;\n  later.then'),
      scope: 'function',
      findings: ['floating-promise 16:3', 'floating-promise 17:3'],
    },
  ];

  for (const c of statementCases) {
    it(c.name, () => {
      const open = engine();
      const fresh = engine();
      open.analyzeOpen(PATH, FLOW);
      // a first edit in the function makes the program hold its statements (units.ts: skeletons)
      const typed = edit(FLOW, '  later.then', '  void 0;\n  later.then');
      open.analyzeOpen(PATH, typed);
      const text = c.change(typed);
      const result = open.analyzeOpen(PATH, text);
      assert.equal(open.lastScope, c.scope);
      assert.deepEqual(summary(result), c.findings);
      assert.deepEqual(result, { ...fresh.analyze(PATH, text), incremental: true, partial: false });
    });
  }

  it('typing statements character by character inside functions equals a fresh analysis after every keystroke', (t) => {
    // the fixtures of the folder PATH is in: their declarations are its project's
    const inStrict = (rel: string) => rel.startsWith('strict/') && /\.tsx?$/.test(rel) && !rel.endsWith('.d.ts');
    const files = [FLOW, ...listTsFixtures().filter(inStrict).map((rel) => readFileSync(join(tsFixtureRoot, rel), 'utf8'))];
    const snippets = ['save();', 'Promise.resolve(0);', 'assertPromise(input);', "fail('x');", 'input = later;', 'const y = save();', 'this.load();', 'void save();', '(async () => {})();', 'later.then(() => {});', 'if (later) {}', 'x.'];
    const strict = engine();
    const lenient = engine();
    const fresh = engine();
    let keystrokes = 0;
    let byStatement = 0;
    let partials = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: files.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.constantFrom(...snippets), (fileIndex, where, snippet) => {
        let text = files[fileIndex];
        // the end of an indented line ending a statement or opening a block: inside a function body, mostly
        const lines = text.split('\n');
        const sites = lines.map((l, i) => (/^\s+\S.*[;{]\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
        if (!sites.length) return;
        const line = sites[Math.floor(where * sites.length)];
        const indent = /^\s*/.exec(lines[line])![0] + (lines[line].trimEnd().endsWith('{') ? '  ' : '');
        let offset = lines.slice(0, line + 1).join('\n').length;
        strict.close(PATH);
        lenient.close(PATH);
        strict.analyzeOpen(PATH, text);
        lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
        let last: ReturnType<TypeScriptEngine['analyzeOpen']> | undefined;
        for (const stroke of ['\n' + indent, ...snippet]) {
          text = text.slice(0, offset) + stroke + text.slice(offset);
          offset += stroke.length;
          const expected = fresh.analyze(PATH, text);
          const got = strict.analyzeOpen(PATH, text);
          keystrokes++;
          if (strict.lastScope === 'statements') byStatement++;
          assert.deepEqual(got, { ...expected, incremental: got.incremental, partial: false });
          last = lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
          if (last.partial) partials++;
          else assert.deepEqual(last, { ...expected, incremental: last.incremental, partial: false });
        }
        // a partial answer is completed by analysing the same text again (the server does it when typing pauses)
        if (last?.partial) {
          const settled = lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
          assert.deepEqual(settled, { ...fresh.analyze(PATH, text), incremental: settled.incremental, partial: false });
        }
      }),
      { numRuns: 16, seed: 20261203 },
    );
    t.diagnostic(`${byStatement} of ${keystrokes} keystrokes were checked statement by statement; ${partials} partial answers`);
    assert.ok(byStatement > keystrokes / 3, `${byStatement} of ${keystrokes} keystrokes were checked statement by statement`);
  });

  it('random edits of the fixtures equal a fresh analysis after every edit', (t) => {
    const files = listTsFixtures()
      .filter((rel) => rel.endsWith('.ts'))
      .map((rel) => readFileSync(join(tsFixtureRoot, rel), 'utf8'));
    const snippets = ['fetchUser(1);', 'api.save()', 'await ', 'const x = ', '\n', '\n  ', '(', ')', '{', '}', 'async ', 'return ', '//', 'void ', 'this.', 'Promise.resolve(1);', ': Promise<void>', '`'];
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
    const strict = engine();
    const lenient = engine();
    const fresh = engine();
    let steps = 0;
    let incremental = 0;
    let partials = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: files.length - 1 }), fc.array(fc.tuple(editArb, fc.boolean()), { minLength: 1, maxLength: 6 }), (fileIndex, edits) => {
        let text = files[fileIndex];
        strict.close(PATH);
        lenient.close(PATH);
        strict.analyzeOpen(PATH, text);
        lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
        for (const [e, settle] of edits) {
          text = apply(text, e);
          const expected = fresh.analyze(PATH, text);
          const got = strict.analyzeOpen(PATH, text);
          steps++;
          if (got.incremental) incremental++;
          const { incremental: _, partial, ...result } = got;
          assert.equal(partial, false);
          assert.deepEqual(result, expected);
          const quick = lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
          if (quick.partial) {
            partials++;
            if (settle) {
              // the edited function checked whole again (incremental), or the whole file
              const settled = lenient.analyzeOpen(PATH, text, undefined, { allowPartial: true });
              assert.deepEqual(settled, { ...expected, incremental: settled.incremental, partial: false });
            }
          } else assert.deepEqual(quick, { ...expected, incremental: quick.incremental, partial: false });
        }
      }),
      { numRuns: 60, seed: 20261203 },
    );
    t.diagnostic(`${incremental} of ${steps} edits were checked incrementally; ${partials} partial answers`);
    assert.ok(incremental > steps / 10, `${incremental} of ${steps} edits were checked incrementally`);
  });
});
