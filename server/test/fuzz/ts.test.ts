// Fuzzing the TypeScript/JavaScript engine through the Analyzer (targets in ts-targets.ts, spread
// over the machine's cores). Fewer inputs than for Python: each one is type-checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runs } from './budget';
import { fuzzInParallel } from './parallel';

const TARGETS = 'ts-targets';

describe('fuzz: TypeScript engine', { timeout: 30 * 60_000 }, () => {
  it('generated modules: no throw, bounded time, ranges inside the document', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated', runs(300));
    t.diagnostic(tally.summary());
    assert.ok(tally.findings > tally.inputs, `the grammar produces findings: ${tally.summary()}`);
  });

  it('mutated windows of real TS files: no throw, bounded time, ranges inside the document', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'windows', runs(300));
    t.diagnostic(tally.summary());
    assert.ok(tally.inputs >= runs(300), `every input ran: ${tally.summary()}`);
  });

  it('every fix type-checks as well as its input, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated-fixes', runs(40));
    t.diagnostic(tally.summary('the TypeScript compiler'));
    assert.ok(tally.fixedTextsChecked > 0, tally.summary('the TypeScript compiler'));
  });
});
