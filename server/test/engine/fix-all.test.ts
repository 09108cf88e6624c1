// Fix-all, the one loop behind `check --fix` and the language server's fix-all: which fix it picks,
// what it never applies, and that one run reaches the fixed point on real analyses — for every
// line-ending style and placement of imports — with the set declared once and nothing else moved.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { applyOnePass, chooseFix, fixAll } from '../../src/engine/workspace/fixAll';
import type { AnalysisResult, Finding, Fix } from '../../src/engine/types';
import { cpythonSyntaxErrors } from '../helpers/python';

const at = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });
const finding = (fixes: Fix[], line = 0): Finding => ({ rule: 'unawaited-coroutine', severity: 'warning', message: 'm', range: at(line, 0, 3), fixes });
const fix = (kind: Fix['kind'], safe: boolean, preferred: boolean, edits: Fix['edits'] = [{ range: at(0, 0, 0), newText: 'x' }], binds?: string[]): Fix => ({
  kind,
  title: kind,
  safe,
  preferred,
  edits,
  ...(binds ? { binds } : {}),
});

describe('fix-all: which fix of a finding it applies', () => {
  const suppress = fix('suppress', false, true);
  const unsafe = fix('make-async', false, false);
  const safe = fix('add-await', true, false);

  const preferredUnsafe = fix('add-await', false, true);
  const cases: Array<{ name: string; fixes: Fix[]; unsafe: boolean; expected: Fix | undefined }> = [
    { name: 'the safe one, not the preferred suppression', fixes: [suppress, unsafe, safe], unsafe: false, expected: safe },
    { name: 'with unsafe fixes allowed and none of them preferred, the first allowed', fixes: [suppress, unsafe, safe], unsafe: true, expected: unsafe },
    { name: 'the preferred one among the allowed', fixes: [unsafe, preferredUnsafe], unsafe: true, expected: preferredUnsafe },
    { name: 'never a suppression, even with unsafe fixes allowed', fixes: [suppress], unsafe: true, expected: undefined },
    { name: 'nothing when every fix is unsafe and unsafe fixes are not allowed', fixes: [unsafe, preferredUnsafe], unsafe: false, expected: undefined },
    { name: 'never a fix without edits', fixes: [fix('add-await', true, true, [])], unsafe: false, expected: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(chooseFix(finding(c.fixes), c.unsafe), c.expected));
});

describe('fix-all: one pass', () => {
  it('skips a fix whose own edits overlap, and one that touches a fix already taken', () => {
    const bad = finding([fix('add-await', true, true, [{ range: at(0, 0, 2), newText: 'x' }, { range: at(0, 1, 3), newText: 'y' }])]);
    const first = finding([fix('add-await', true, true, [{ range: at(0, 0, 0), newText: 'await ' }])]);
    const second = finding([fix('add-await', true, true, [{ range: at(0, 0, 0), newText: 'await ' }])]);
    assert.deepEqual(applyOnePass('abc\n', [bad, first, second], false), { text: 'await abc\n', applied: 1 });
  });

  it('applies one of two fixes that bind the same name, the other waits', () => {
    const a = finding([fix('keep-task', true, true, [{ range: at(0, 0, 0), newText: 'A' }], ['task in f'])], 0);
    const b = finding([fix('keep-task', true, true, [{ range: at(1, 0, 0), newText: 'B' }], ['task in f'])], 1);
    const c = finding([fix('keep-task', true, true, [{ range: at(2, 0, 0), newText: 'C' }], ['task in g'])], 2);
    assert.deepEqual(applyOnePass('a\nb\nc\n', [a, b, c], false), { text: 'Aa\nb\nCc\n', applied: 2 });
  });

  it('writes the lines a fix adds with the file\'s line ending', () => {
    const add = finding([fix('keep-task', true, true, [{ range: at(0, 1, 1), newText: '\nx\r\ny' }])]);
    for (const eol of ['\n', '\r\n', '\r']) {
      assert.deepEqual(applyOnePass(`a${eol}b${eol}`, [add], false), { text: `a${eol}x${eol}y${eol}b${eol}`, applied: 1 });
    }
  });
});

describe('fix-all: the loop', () => {
  it('stops after a bounded number of passes when fixes never settle, and says so', async () => {
    const endless = (): AnalysisResult => ({ findings: [finding([fix('add-await', true, true, [{ range: at(0, 0, 0), newText: '#' }])])], notes: [] });
    const outcome = await fixAll('x\n', endless, { unsafe: false, maxPasses: 4 });
    assert.equal(outcome.text, '####x\n');
    assert.deepEqual([outcome.applied, outcome.passes, outcome.converged], [4, 4, false]);
  });

  it('takes an analysis that answers later (the language server\'s)', async () => {
    const once = async (text: string): Promise<AnalysisResult> => ({
      findings: text.startsWith('await') ? [] : [finding([fix('add-await', true, true, [{ range: at(0, 0, 0), newText: 'await ' }])])],
      notes: [],
    });
    const outcome = await fixAll('f()\n', once, { unsafe: false });
    assert.deepEqual([outcome.text, outcome.applied, outcome.passes, outcome.converged], ['await f()\n', 1, 1, true]);
    assert.deepEqual(outcome.result.findings, []);
  });
});

describe('fix-all on the real engine: one run settles', () => {
  const analyzer = new Analyzer();
  const analyze = (text: string) => analyzer.analyze({ path: '/virtual/fix_all.py', text });
  before(() => analyzer.init());

  const SET = 'background_tasks: set[asyncio.Task[object]] = set()';
  const dangling = (name: string) => [`async def ${name}():`, '    asyncio.create_task(job())  # keep me here', '    asyncio.create_task(job())', '    job()'];
  const layouts: Record<string, string[]> = {
    'imports on top': ['import asyncio', '', 'async def job():', '    pass', '', ...dangling('first'), '', ...dangling('second')],
    'an import halfway down': ['import asyncio', '', 'async def job():', '    pass', '', ...dangling('first'), '', 'import os', '', ...dangling('second')],
    'a docstring, then imports after code': ['"""Module."""', 'x = 1', 'import asyncio', 'async def job():', '    pass', ...dangling('first'), 'import os', ...dangling('second')],
    'only a from-import of asyncio': ['from asyncio import create_task', 'async def job():', '    pass', ...dangling('first').map((l) => l.replace('asyncio.create_task', 'create_task'))],
  };
  const endings: Record<string, (lines: string[]) => string> = {
    LF: (l) => l.join('\n') + '\n',
    CRLF: (l) => l.join('\r\n') + '\r\n',
    'lone CR': (l) => l.join('\r') + '\r',
    mixed: (l) => l.map((line, i) => line + ['\n', '\r\n', '\r'][i % 3]).join(''),
  };

  for (const [layout, lines] of Object.entries(layouts)) {
    for (const [ending, join] of Object.entries(endings)) {
      it(`${layout}, ${ending}`, async () => {
        const text = join(lines);
        const first = await fixAll(text, analyze, { unsafe: false });
        assert.ok(first.converged, 'one run reaches the fixed point');
        const second = await fixAll(first.text, analyze, { unsafe: false });
        assert.equal(second.text, first.text, 'a second run changes nothing');
        assert.equal(second.applied, 0);
        // every dangling task is kept and every coroutine awaited: nothing is left that a safe fix removes
        assert.deepEqual(first.result.findings.filter((f) => chooseFix(f, false)).map((f) => f.rule), []);
        assert.equal(first.result.findings.length, 0);
        const declarations = first.text.split(/\r\n|\r|\n/).filter((l) => /^background_tasks\b.*= set\(\)$/.test(l));
        assert.equal(declarations.length, 1, first.text);
        assert.match(declarations[0], /^background_tasks: ("?)set\[(asyncio\.)?Task\[object\]\]\1 = set\(\)$/);
        assert.equal((first.text.match(/# keep me here/g) ?? []).length, (text.match(/# keep me here/g) ?? []).length);
        for (const line of first.text.split(/\r\n|\r|\n/).filter((l) => l.includes('# keep me here'))) {
          assert.match(line, /^ {4}task: asyncio\.Task\[object\] = (asyncio\.)?create_task\(job\(\)\) {2}# keep me here$/, 'the comment stays on the line of the call');
        }
        if (ending !== 'mixed') {
          const eol = ending === 'LF' ? '\n' : ending === 'CRLF' ? '\r\n' : '\r';
          assert.deepEqual(new Set(first.text.match(/\r\n|\r|\n/g)), new Set([eol]), 'the file keeps its line endings');
        }
        // one `task` per function, the second dropped task of a function `task_1`
        assert.equal((first.text.match(/^ {4}task: /gm) ?? []).length, (first.text.match(/^async def (first|second)/gm) ?? []).length);
        assert.deepEqual(cpythonSyntaxErrors([first.text]), [undefined]);
      });
    }
  }

  /** What `dangling(name)` becomes: one `task` per function, the second task of the function `task_1`. */
  const fixed = (name: string) => [
    `async def ${name}():`,
    ...['task', 'task_1'].flatMap((task, i) => [
      `    ${task}: asyncio.Task[object] = asyncio.create_task(job())${i === 0 ? '  # keep me here' : ''}`,
      `    background_tasks.add(${task})`,
      `    ${task}.add_done_callback(background_tasks.discard)`,
    ]),
    '    await job()',
  ];

  it('the module with an import halfway down, as LF, comes out exactly so', async () => {
    const { text } = await fixAll(endings.LF(layouts['an import halfway down']), analyze, { unsafe: false });
    assert.equal(
      text,
      [
        'import asyncio',
        '',
        SET,
        '',
        'async def job():',
        '    pass',
        '',
        ...fixed('first'),
        '',
        'import os',
        '',
        ...fixed('second'),
        '',
      ].join('\n'),
    );
  });
});
