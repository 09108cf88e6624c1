// Fuzzing the Python engine through the Analyzer (targets in python-targets.ts, spread over the
// machine's cores): generated modules and mutated real files must be answered without a throw, in
// bounded time, with ranges inside the document; every fix must apply, compile under CPython
// when its input did, not bring its finding back, and fix-all must reach a fixed point.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runs } from './budget';
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
    assert.ok(tally.inputs >= runs(42_000), `every input ran: ${tally.summary()}`);
    assert.ok(tally.findings > 0, `the windows of real files hold findings: ${tally.summary()}`);
  });

  it('mutated whole files, nesting far beyond CPython\'s limit, huge lines: no throw, bounded time, ranges inside', async (t) => {
    const files = await fuzzInParallel(TARGETS, 'whole-files', runs(100));
    const extremes = await fuzzInParallel(TARGETS, 'extremes', runs(150));
    t.diagnostic(`whole files: ${files.summary()}`);
    t.diagnostic(`extremes: ${extremes.summary()}`);
    assert.ok(files.inputs >= runs(100) && extremes.inputs >= runs(150), `every input ran: ${files.summary()}; ${extremes.summary()}`);
  });

  it('every fix of generated modules compiles, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated-fixes', runs(4_500));
    t.diagnostic(tally.summary());
    assert.ok(tally.fixedTextsChecked > runs(4_500) / 10, `fixed texts were compiled: ${tally.summary()}`);
  });

  it('every fix of mutated real files compiles, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'window-fixes', runs(2_500));
    t.diagnostic(tally.summary());
    assert.ok(tally.fixesApplied > 0, `fixes of real files were applied: ${tally.summary()}`);
  });
});
