// Every counterexample the fuzzing found, as a named case: the same properties as the fuzz targets
// (every fix applies, is not re-raised and compiles under CPython; fix-all with and without unsafe
// fixes reaches its fixed point in one run, a second run changes nothing, line endings are kept).
// A new counterexample (`npm run fuzz` prints its seed and input) is added here, shrunk, with what
// was wrong; the fix keeps it passing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { fixAll } from '../../src/engine/workspace/fixAll';
import { cpythonCompileErrors } from './cpython';
import { checkFixes } from './fix-check';
import { diagnosticsAddedByFixes } from './ts-targets';

interface Regression {
  name: string;
  /** Where it was found and what went wrong. */
  found: string;
  input: string;
  /** What the safe fix-all leaves, when it is worth pinning exactly. */
  fixed?: string;
}

const PYTHON: Regression[] = [
  {
    name: 'lone CR line endings with dangling tasks',
    found: 'the Python fix target on a clean CI run with a random seed: fix-all did not reach a fixed point with lone-CR line ends',
    input: 'import asyncio\rasync def nested():\r    pass\rasync def main():\r    asyncio.create_task(nested())\r    asyncio.create_task(nested())  # a comment\rimport os\rasync def other():\r    asyncio.create_task(nested())\r',
    fixed:
      'import asyncio\r\rbackground_tasks: set[asyncio.Task[object]] = set()\rasync def nested():\r    pass\rasync def main():\r' +
      '    task: asyncio.Task[object] = asyncio.create_task(nested())\r    background_tasks.add(task)\r    task.add_done_callback(background_tasks.discard)\r' +
      '    task_1: asyncio.Task[object] = asyncio.create_task(nested())  # a comment\r    background_tasks.add(task_1)\r    task_1.add_done_callback(background_tasks.discard)\r' +
      'import os\rasync def other():\r' +
      '    task: asyncio.Task[object] = asyncio.create_task(nested())\r    background_tasks.add(task)\r    task.add_done_callback(background_tasks.discard)\r',
  },
  {
    name: 'keep-task in a function that declares `global background_tasks` after the call',
    found: 'the Python fix target: keep-task wrote the name before its global declaration (SyntaxError: name used prior to global declaration)',
    input: 'import asyncio\n\nasync def nested():\n    pass\n\nasync def main():\n    asyncio.create_task(nested())\n    global background_tasks\n',
  },
  {
    name: 'keep-task reusing a module-level set that the function declares global after the call',
    found: 'the Python fix target, seeds 29 and 106 of the earlier engine: the module already had `background_tasks = set()` and the reuse wrote it before the global declaration',
    input: 'background_tasks = set()\r\nfrom asyncio import create_task as spawn\r\nasync def nested():\r\n\tspawn(nested())\r\n\tprint(1); global background_tasks\r\n',
  },
];

describe('fuzz regressions: Python', () => {
  const analyzer = new Analyzer();
  const analyze = (text: string) => analyzer.analyze({ path: 'fuzz.py', text });
  before(() => analyzer.init());

  for (const c of PYTHON) {
    it(c.name, async () => {
      const check = await checkFixes(c.input, analyze(c.input), analyze);
      assert.deepEqual(check.problems, [], c.found);
      const [inputError, ...errors] = cpythonCompileErrors([c.input, ...check.fixed.map((f) => f.text)]);
      if (inputError === undefined) assert.deepEqual(errors, check.fixed.map(() => undefined), check.fixed.map((f) => f.what).join(', '));
      if (c.fixed !== undefined) assert.equal((await fixAll(c.input, analyze, { unsafe: false })).text, c.fixed);
    });
  }
});

const TYPESCRIPT: Regression[] = [
  {
    name: 'add-await on a spread promise of a primitive',
    found: 'the TypeScript fix target: `{ ...await p }` of a Promise<number> (TS2698)',
    input: 'export {};\nasync function fetchData(): Promise<number> { return 1; }\nasync function f() {\n  const copy = { ...fetchData() };\n}\n',
  },
  {
    name: 'add-await on a Promise<void> tested for truth',
    found: 'the TypeScript fix target: `await p ? a : b` of a Promise<void> (TS1345)',
    input: 'export {};\nlet flag = true;\nasync function f() {\n  flag = new Promise<void>((r) => r()) ? true : false;\n}\n',
  },
];

describe('fuzz regressions: TypeScript (every fix type-checks as well as its input)', () => {
  for (const c of TYPESCRIPT) {
    it(c.name, async () => {
      const fixes = await diagnosticsAddedByFixes(c.input);
      assert.ok(fixes.length > 0, 'a fix is offered');
      assert.deepEqual(fixes.filter((f) => f.added.length), [], c.found);
    });
  }
});
