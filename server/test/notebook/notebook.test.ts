// Notebooks (.ipynb): reading one, its code cells as one module with IPython's top-level await,
// findings relative to their cells (held to the `# expect:` marks in the fixture notebooks' cells),
// and fix-all writing back only the changed cells' source, every other byte of the file kept.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { fixNotebook } from '../../src/engine/notebook/index';
import { cellSources, notebookModule } from '../../src/engine/notebook/module';
import { parseNotebook, withCellSources, type Notebook } from '../../src/engine/notebook/notebook';
import { cpythonCompileErrors, pythonExecutable } from '../helpers/python';
import { applyEdits } from '../../src/engine/text';
import { expectMarks } from '../python/fixture-marks';
import { BASICS, BASICS_FIXED, code, ipynb, markdown, type Cell } from './basics';

const fixtures = join(__dirname, '..', 'fixtures', 'notebooks');
const analyzer = new Analyzer();
before(() => analyzer.init());

const parsed = (text: string): Notebook => {
  const result = parseNotebook(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.notebook;
};
const analyze = (text: string, path = '/nb/basics.ipynb') => analyzer.analyze({ path, text });

describe('reading a notebook', () => {
  const invalid: Array<{ name: string; text: string; error: RegExp }> = [
    { name: 'not JSON', text: '{"cells": [', error: /^not a valid notebook: the file is not JSON \(/ },
    { name: 'JSON with a comment', text: '{"cells": [] // none\n}', error: /^not a valid notebook: the file is not JSON/ },
    { name: 'not an object', text: '[1, 2]', error: /^not a valid notebook: the file is not a JSON object$/ },
    { name: 'no cells', text: '{"metadata": {}, "nbformat": 4}', error: /^not a valid notebook: it has no "cells" list$/ },
    { name: 'nbformat 3', text: '{"worksheets": [], "nbformat": 3}', error: /^not a supported notebook: nbformat 3 \(only nbformat 4 is read\)$/ },
    { name: 'a cell without cell_type', text: '{"cells": [{"source": "x"}]}', error: /^not a valid notebook: cell 1 has no "cell_type"$/ },
    { name: 'a source that is a number', text: '{"cells": [{"cell_type": "code", "source": "x"}, {"cell_type": "code", "source": 3}]}', error: /^not a valid notebook: the "source" of cell 2 is neither/ },
    { name: 'a source list holding a number', text: '{"cells": [{"cell_type": "code", "source": ["x", 1]}]}', error: /^not a valid notebook: the "source" of cell 1 is neither/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name} with a clear error`, () => {
      const result = parseNotebook(c.text);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.error, c.error);
      assert.deepEqual(analyze(c.text).findings, []);
      assert.match(analyze(c.text).error ?? '', c.error);
    });
  }

  it('reads each cell’s kind and source, written as one string or as a list of lines', () => {
    const nb = parsed(ipynb([code('a = 1\nb = 2'), markdown(['# Title\n', 'text']), { cell_type: 'raw', metadata: {}, source: [] }, code(['c()\n'])]));
    assert.deepEqual(
      nb.cells.map((c) => [c.index, c.kind, c.source, c.span.form]),
      [
        [0, 'code', 'a = 1\nb = 2', 'string'],
        [1, 'markdown', '# Title\ntext', 'lines'],
        [2, 'raw', '', 'lines'],
        [3, 'code', 'c()\n', 'lines'],
      ],
    );
    assert.equal(nb.language, 'python');
  });

  it('does not analyse a notebook whose kernel is another language', () => {
    const text = JSON.stringify({ cells: [code('nested()')], metadata: { kernelspec: { language: 'R', name: 'ir' } }, nbformat: 4, nbformat_minor: 5 });
    assert.deepEqual(analyze(text), { findings: [], notes: ["not analysed: the notebook's language is R, not Python"] });
  });
});

describe('writing cells back', () => {
  it('rewrites only the changed source, every other byte kept (outputs, metadata, key order, escapes, final newline)', () => {
    const original = JSON.stringify(
      { metadata: { zeta: 1, alpha: 'é' }, nbformat_minor: 5, cells: [code(['x = "\\u00e9"\n', 'nested()\n', 'y = 2']), code('z()', { outputs: [{ output_type: 'stream', name: 'stdout', text: 'ok' }] })], nbformat: 4 },
      null,
      2,
    ).replace('"é"', '"\\u00e9"');
    const nb = parsed(original);
    const changed = withCellSources(nb, new Map([[0, 'x = "\\u00e9"\nawait nested()\ny = 2']]));
    assert.equal(changed, original.replace('"nested()\\n"', '"await nested()\\n"'));
  });

  it('keeps a list source a list laid out as before, and a string source a string', () => {
    const original = ipynb([code(['a()\n', 'b()']), code('c()\nd()')]);
    const nb = parsed(original);
    const changed = withCellSources(nb, new Map([[0, 'a()\nawait b()\nextra()\n'], [1, 'await c()\nd()']]));
    const expected = original
      .replace('"b()"', '"await b()\\n",\n    "extra()\\n"')
      .replace('"c()\\nd()"', '"await c()\\nd()"');
    assert.equal(changed, expected);
    assert.deepEqual(JSON.parse(changed).cells.map((c: Cell) => c.source), [['a()\n', 'await b()\n', 'extra()\n'], 'await c()\nd()']);
  });

  it('leaves the file as it was when no source changed', () => {
    assert.equal(withCellSources(parsed(BASICS), new Map([[1, 'nested()']])), BASICS);
  });
});

describe('the cells as one module', () => {
  it('splits an edited module back into the cells, with magics and cells without a final newline as they were', () => {
    const nb = parsed(ipynb([code(['%matplotlib inline\n', 'import asyncio']), markdown('prose'), code(['!pip list\n', 'f()\n']), code('%%bash\necho hi'), code('g()')]));
    const module = notebookModule(nb.cells);
    assert.deepEqual(module.cells.map((c) => [c.cell, c.line, c.lines]), [[0, 0, 2], [2, 3, 2], [4, 6, 1]]);
    const edited = module.text.replace('f()', 'await f()').replace('g()', 'await g()');
    assert.deepEqual([...cellSources(module, edited)!], [[0, '%matplotlib inline\nimport asyncio'], [2, '!pip list\nawait f()\n'], [4, 'await g()']]);
  });

  it('refuses to split a module whose cell boundary an edit removed', () => {
    const module = notebookModule(parsed(ipynb([code('a()'), code('b()')])).cells);
    assert.equal(cellSources(module, module.text.replace(/\n# %%[^\n]*\n/, '\n')), undefined);
  });
});

describe('findings in notebooks', () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith('.ipynb'));
  it('has fixture notebooks', () => assert.ok(files.length >= 2));
  for (const file of files) {
    it(`${file}: exactly the findings its cells' “# expect:” marks name`, () => {
      const text = readFileSync(join(fixtures, file), 'utf8');
      const expected = parsed(text).cells.flatMap((c) => (c.kind === 'code' ? expectMarks(c.source).map((m) => `cell ${c.index + 1} line ${m.line + 1} ${m.rule}`) : []));
      const actual = analyze(text, join(fixtures, file)).findings.map((f) => `cell ${f.cell! + 1} line ${f.range.start.line + 1} ${f.rule}`);
      assert.deepEqual(actual.sort(), expected.sort());
    });
  }

  it('the basics notebook: cell 2 line 1 unawaited-coroutine and cell 5 line 1 run-in-running-loop, nothing else', () => {
    const { findings } = analyze(BASICS);
    assert.deepEqual(
      findings.map((f) => [f.cell, f.range, f.rule]),
      [
        [1, { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } }, 'unawaited-coroutine'],
        [4, { start: { line: 0, character: 0 }, end: { line: 0, character: 21 } }, 'run-in-running-loop'],
      ],
    );
    // add-await is legal at a cell's top level, and safe on a bare statement; await-instead is unsafe
    assert.deepEqual(findings[0].fixes.map((f) => [f.kind, f.safe, f.preferred, f.edits]), [
      ['add-await', true, true, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'await ', cell: 1 }]],
      ['suppress', false, false, [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, newText: '  # asyncguard: ignore[unawaited-coroutine]', cell: 1 }]],
    ]);
    assert.deepEqual(findings[1].fixes.map((f) => [f.kind, f.safe, f.preferred, f.edits.map((e) => e.newText)]), [
      ['await-instead', false, true, ['await nested()']],
      ['suppress', false, false, ['  # asyncguard: ignore[run-in-running-loop]']],
    ]);
  });

  it('the same calls in a .py file: no add-await at the top level, and asyncio.run there is how a script starts', () => {
    const py = 'import asyncio\n\nasync def nested():\n    return 42\n\nnested()\nasyncio.run(nested())\n';
    const { findings } = analyzer.analyze({ path: '/nb/basics.py', text: py });
    assert.deepEqual(findings.map((f) => [f.range.start.line, f.rule, f.fixes.map((x) => x.kind)]), [[5, 'unawaited-coroutine', ['suppress']]]);
  });
});

describe('fixing a notebook', () => {
  it('--fix changes only cell 2, to “await nested()”, and leaves the other cells, outputs and metadata identical', async () => {
    const outcome = await fixNotebook(BASICS, (t) => analyze(t), { unsafe: false });
    assert.equal(outcome.text, BASICS_FIXED);
    assert.deepEqual(outcome.changedCells, [1]);
    assert.equal(outcome.applied, 1);
    assert.deepEqual(outcome.result.findings.map((f) => [f.cell, f.rule]), [[4, 'run-in-running-loop']]);
  });

  it('with unsafe fixes, asyncio.run becomes an await too, and every changed cell compiles as IPython compiles a cell', async () => {
    const text = readFileSync(join(fixtures, 'top-level-await.ipynb'), 'utf8');
    const outcome = await fixNotebook(text, (t) => analyze(t), { unsafe: true });
    const after = parsed(outcome.text);
    assert.equal(after.cells[4].source, 'await nested()  # expect: run-in-running-loop');
    assert.deepEqual(outcome.result.findings, []);
    const before = parsed(text);
    assert.deepEqual(outcome.changedCells, [0, 1, 4, 5, 6, 9, 10]);
    for (const cell of before.cells) if (!outcome.changedCells.includes(cell.index)) assert.equal(after.cells[cell.index].source, cell.source);
    // the task is kept in a set declared once, after the imports of the first cell
    assert.match(after.cells[0].source, /^import asyncio\nimport contextlib\n\nbackground_tasks: set\[asyncio\.Task\[object\]\] = set\(\)\n/);
    const changed = outcome.changedCells.map((i) => after.cells[i].source.replace(/^[ \t]*[%!].*$/gm, ''));
    const compile = 'import ast, json, sys\nfor s in json.load(sys.stdin): compile(s, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)\nprint("ok")';
    assert.equal(execFileSync(pythonExecutable(), ['-c', compile], { input: JSON.stringify(changed), encoding: 'utf8' }), 'ok\n');
  });

  it('returns an invalid notebook unchanged, with its error', async () => {
    const outcome = await fixNotebook('{"cells": 3}', (t) => analyze(t), { unsafe: true });
    assert.equal(outcome.text, '{"cells": 3}');
    assert.match(outcome.initial.error ?? '', /no "cells" list/);
  });
});

describe('run-in-running-loop: the await written in place of the call', () => {
  const DEFS = 'import asyncio\n\n\nasync def main():\n    return 1\n\n\nloop = asyncio.get_event_loop()\njob = asyncio.ensure_future(main())\n';
  const cases: Array<{ cell: string; fixed: string | undefined }> = [
    { cell: 'asyncio.run(main())', fixed: 'await main()' },
    { cell: 'result = asyncio.run(main())', fixed: 'result = await main()' },
    { cell: 'print(asyncio.run(main()).real)', fixed: 'print((await main()).real)' },
    { cell: 'asyncio.run(main() if True else main())', fixed: 'await (main() if True else main())' },
    { cell: 'loop.run_until_complete(job)', fixed: 'await job' },
    { cell: 'values = [asyncio.run(main()) for _ in range(2)]', fixed: 'values = [await main() for _ in range(2)]' },
    // a keyword argument await cannot keep, a comment inside the parentheses: only the suppression
    { cell: 'asyncio.run(main(), debug=True)', fixed: undefined },
    { cell: 'asyncio.run(  # the entry point\n    main())', fixed: undefined },
  ];
  const fixedCells: string[] = [];
  for (const c of cases) {
    it(`${c.cell.split('\n')[0]} -> ${c.fixed ?? 'no await fix'}`, () => {
      const { findings } = analyze(ipynb([code(DEFS), code(c.cell)]));
      const finding = findings.find((f) => f.rule === 'run-in-running-loop');
      assert.ok(finding, JSON.stringify(findings.map((f) => f.rule)));
      assert.equal(finding.cell, 1);
      const fix = finding.fixes.find((f) => f.kind === 'await-instead');
      assert.deepEqual(finding.fixes.map((f) => f.kind), c.fixed === undefined ? ['suppress'] : ['await-instead', 'suppress']);
      if (c.fixed === undefined) return;
      assert.equal(fix!.safe, false);
      const fixed = applyEdits(c.cell, fix!.edits);
      assert.equal(fixed, c.fixed);
      fixedCells.push(fixed);
    });
  }
  it('every fixed cell compiles as IPython compiles a cell (top-level await allowed)', () => {
    assert.equal(fixedCells.length, 6);
    const compile = 'import ast, json, sys\nfor s in json.load(sys.stdin): compile(s, "<cell>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)\nprint("ok")';
    assert.equal(execFileSync(pythonExecutable(), ['-c', compile], { input: JSON.stringify(fixedCells), encoding: 'utf8' }), 'ok\n');
  });
  it('in an async def of a .py file the same fix is offered, and the module still compiles', () => {
    const py = 'import asyncio\n\n\nasync def main():\n    return 1\n\n\nasync def handler():\n    return asyncio.run(main())\n';
    const [finding] = analyzer.analyze({ path: '/nb/app.py', text: py }).findings;
    assert.equal(finding.rule, 'run-in-running-loop');
    const fixed = applyEdits(py, finding.fixes[0].edits);
    assert.equal(fixed, py.replace('return asyncio.run(main())', 'return await main()'));
    assert.deepEqual(cpythonCompileErrors([fixed]), [undefined]);
  });
});
