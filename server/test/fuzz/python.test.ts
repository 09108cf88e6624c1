// Fuzzing the Python engine through the Analyzer (targets in python-targets.ts, spread over the
// machine's cores): generated modules and mutated real files must be answered without a throw, in
// bounded time, with ranges inside the document; every fix must apply, compile under CPython
// when its input did, not bring its finding back, and fix-all must reach a fixed point.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { applyEdits } from '../../src/engine/text';
import { runs } from './budget';
import { cpythonCompileErrors } from './cpython';
import { fuzzInParallel } from './parallel';

const TARGETS = 'python-targets';

describe('fuzz: Python engine', { timeout: 30 * 60_000 }, () => {
  it('generated modules: no throw, bounded time, ranges inside the document', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated', runs(52_000));
    t.diagnostic(tally.summary());
    assert.ok(tally.findings > tally.inputs / 10, `the grammar produces findings: ${tally.summary()}`);
  });

  it('mutated windows of real files: no throw, bounded time, ranges inside the document', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'windows', runs(42_000));
    t.diagnostic(tally.summary());
  });

  it('mutated whole files, nesting far beyond CPython\'s limit, huge lines: no throw, bounded time, ranges inside', async (t) => {
    const files = await fuzzInParallel(TARGETS, 'whole-files', runs(100));
    const extremes = await fuzzInParallel(TARGETS, 'extremes', runs(150));
    t.diagnostic(`whole files: ${files.summary()}`);
    t.diagnostic(`extremes: ${extremes.summary()}`);
  });

  it('every fix of generated modules compiles, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated-fixes', runs(4_500));
    t.diagnostic(tally.summary());
    assert.ok(tally.fixedTextsChecked > runs(4_500) / 10, `fixed texts were compiled: ${tally.summary()}`);
  });

  it('every fix of mutated real files compiles, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'window-fixes', runs(2_500));
    t.diagnostic(tally.summary());
  });

  describe('keep-task in a function that declares `global background_tasks` after the call', () => {
    const analyzer = new Analyzer();
    before(() => analyzer.init());
    it('compiles (it once wrote the name before its global declaration)', () => {
      const text = 'import asyncio\n\nasync def nested():\n    pass\n\nasync def main():\n    asyncio.create_task(nested())\n    global background_tasks\n';
      const [finding] = analyzer.analyze({ path: 'fuzz.py', text }).findings;
      const fixed = finding.fixes.filter((f) => f.kind === 'keep-task').map((f) => applyEdits(text, f.edits));
      assert.equal(fixed.length, 1);
      assert.deepEqual(cpythonCompileErrors(fixed), [undefined]);
    });
  });
});
