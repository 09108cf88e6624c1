// `asyncguard check` on Jupyter notebooks, run as the built executable: folders include .ipynb files
// (excludes apply), findings name their cell, every format points at the notebook, `--fix` rewrites
// only the changed cells, and a notebook that is not valid is an error and never written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BASICS, BASICS_FIXED, code, ipynb } from '../notebook/basics';
import { ensureBuilt, makeTree, runBuilt } from './helpers';

const UNAWAITED = '“nested()” creates a coroutine that is never awaited, so “nested” never runs';
const RUN =
  '“asyncio.run()” is called at the top level of a notebook cell, where the kernel’s event loop is running: it raises “RuntimeError: asyncio.run() cannot be called from a running event loop” instead of running what it was given';

/** The 1-based line of `text` holding `needle`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('asyncguard check on notebooks', () => {
  before(ensureBuilt);

  it('reports cell 2 line 1 unawaited-coroutine and cell 5 line 1 run-in-running-loop, and nothing else', () => {
    const dir = makeTree({ 'basics.ipynb': BASICS });
    assert.deepEqual(runBuilt(['check', '--no-cache', 'basics.ipynb'], dir), {
      code: 1,
      stdout: `basics.ipynb:cell 2:1:1: unawaited-coroutine ${UNAWAITED}\nbasics.ipynb:cell 5:1:1: run-in-running-loop ${RUN}\nFound 2 problems (1 fixable with --fix, 1 more fixable with --fix --unsafe-fixes).\n`,
      stderr: '',
    });
    const json = JSON.parse(runBuilt(['check', '--no-cache', '--format', 'json'], dir).stdout);
    type Row = { file: string; cell: number; line: number; column: number; endLine: number; endColumn: number; rule: string; severity: string; fixes: { kind: string; edits: object[] }[] };
    assert.deepEqual(
      json.findings.map((f: Row) => [f.file, f.cell, f.line, f.column, f.endLine, f.endColumn, f.rule, f.severity]),
      [
        ['basics.ipynb', 2, 1, 1, 1, 9, 'unawaited-coroutine', 'warning'],
        ['basics.ipynb', 5, 1, 1, 1, 22, 'run-in-running-loop', 'error'],
      ],
    );
    assert.deepEqual(json.findings[0].fixes[0], {
      kind: 'add-await',
      title: 'Add “await”',
      safe: true,
      preferred: true,
      edits: [{ cell: 2, line: 1, column: 1, endLine: 1, endColumn: 1, newText: 'await ' }],
    });
    assert.deepEqual(
      json.findings[1].fixes.map((f: Row['fixes'][number]) => f.kind),
      ['await-instead', 'suppress'],
    );
  });

  it('--fix changes only cell 2, to “await nested()”; the other cells, outputs and metadata stay byte for byte', () => {
    const dir = makeTree({ 'basics.ipynb': BASICS });
    assert.deepEqual(runBuilt(['check', '--no-cache', '--fix'], dir), {
      code: 1,
      stdout: `basics.ipynb:cell 5:1:1: run-in-running-loop ${RUN}\nFound 2 problems (1 fixed, 1 remaining).\n`,
      stderr: '',
    });
    assert.equal(readFileSync(join(dir, 'basics.ipynb'), 'utf8'), BASICS_FIXED);
    // --unsafe-fixes applies the unsafe await-instead too
    assert.deepEqual(runBuilt(['check', '--no-cache', '--fix', '--unsafe-fixes'], dir), { code: 0, stdout: 'Found 1 problem (1 fixed, 0 remaining).\n', stderr: '' });
    assert.equal(readFileSync(join(dir, 'basics.ipynb'), 'utf8'), BASICS_FIXED.replace('"asyncio.run(nested())"', '"await nested()"'));
  });

  it('walks folders into notebooks, skipping .ipynb_checkpoints and the configured excludes', () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nextend-exclude = ["drafts"]\n',
      'lessons/basics.ipynb': BASICS,
      'lessons/.ipynb_checkpoints/basics-checkpoint.ipynb': BASICS,
      'drafts/old.ipynb': BASICS,
      'app.py': 'import asyncio\n\nasync def main():\n    asyncio.run(main())\n',
    });
    const json = JSON.parse(runBuilt(['check', '--no-cache', '--format', 'json'], dir).stdout);
    assert.deepEqual(
      json.findings.map((f: { file: string; cell?: number; line: number; rule: string }) => [f.file, f.cell, f.line, f.rule]),
      [
        ['app.py', undefined, 4, 'run-in-running-loop'],
        ['lessons/basics.ipynb', 2, 1, 'unawaited-coroutine'],
        ['lessons/basics.ipynb', 5, 1, 'run-in-running-loop'],
      ],
    );
  });

  it('a notebook that is not valid is an error, and --fix never writes it', () => {
    const broken = '{\n "cells": [\n  {"cell_type": "code", "source": ["nested()"]}\n';
    const dir = makeTree({ 'broken.ipynb': broken, 'basics.ipynb': BASICS });
    const result = runBuilt(['check', '--no-cache', '--fix'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^asyncguard: error: broken\.ipynb: cannot be checked: not a valid notebook: the file is not JSON \(.+\)\n$/);
    assert.equal(readFileSync(join(dir, 'broken.ipynb'), 'utf8'), broken);
    assert.equal(readFileSync(join(dir, 'basics.ipynb'), 'utf8'), BASICS_FIXED);
  });

  it('SARIF and GitHub annotations point at the notebook, on the file line holding the cell’s line', () => {
    const dir = makeTree({ 'basics.ipynb': BASICS });
    const sarif = JSON.parse(runBuilt(['check', '--no-cache', '--format', 'sarif'], dir).stdout);
    const results = sarif.runs[0].results;
    assert.deepEqual(
      results.map((r: { ruleId: string; message: { text: string }; locations: { physicalLocation: object }[]; properties: object }) => [
        r.ruleId,
        r.message.text,
        r.locations[0].physicalLocation,
        r.properties,
      ]),
      [
        [
          'unawaited-coroutine',
          `cell 2, line 1: ${UNAWAITED}`,
          { artifactLocation: { uri: 'basics.ipynb', uriBaseId: '%SRCROOT%' }, region: { startLine: lineOf(BASICS, '"nested()"') } },
          { cell: 2, cellLine: 1, cellColumn: 1, cellEndLine: 1, cellEndColumn: 9 },
        ],
        [
          'run-in-running-loop',
          `cell 5, line 1: ${RUN}`,
          { artifactLocation: { uri: 'basics.ipynb', uriBaseId: '%SRCROOT%' }, region: { startLine: lineOf(BASICS, '"asyncio.run(nested())"') } },
          { cell: 5, cellLine: 1, cellColumn: 1, cellEndLine: 1, cellEndColumn: 22 },
        ],
      ],
    );
    assert.equal(
      runBuilt(['check', '--no-cache', '--format', 'github'], dir).stdout,
      `::warning file=basics.ipynb,line=${lineOf(BASICS, '"nested()"')},title=unawaited-coroutine (cell 2%2C line 1%2C column 1)::cell 2, line 1, column 1: ${UNAWAITED}\n` +
        `::error file=basics.ipynb,line=${lineOf(BASICS, '"asyncio.run(nested())"')},title=run-in-running-loop (cell 5%2C line 1%2C column 1)::cell 5, line 1, column 1: ${RUN}\n`,
    );
  });

  it('a line further down a cell written as one string points at the line where the string starts', () => {
    const text = ipynb([code('import asyncio\n\nasync def nested():\n    return 42\n\nnested()')], 2);
    const dir = makeTree({ 'one.ipynb': text });
    assert.equal(
      runBuilt(['check', '--no-cache', '--format', 'github'], dir).stdout,
      `::warning file=one.ipynb,line=${lineOf(text, '"source"')},title=unawaited-coroutine (cell 1%2C line 6%2C column 1)::cell 1, line 6, column 1: ${UNAWAITED}\n`,
    );
  });
});
