// Fuzzing the TypeScript/JavaScript engine through the Analyzer (targets in ts-targets.ts, spread
// over the machine's cores). Fewer inputs than for Python: each one is type-checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runs } from './budget';
import { fuzzInParallel } from './parallel';
import { diagnosticsAddedByFixes } from './ts-targets';

const TARGETS = 'ts-targets';

describe('fuzz: TypeScript engine', { timeout: 30 * 60_000 }, () => {
  it('generated modules: no throw, bounded time, ranges inside the document', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated', runs(300));
    t.diagnostic(tally.summary());
    assert.ok(tally.findings > tally.inputs, `the grammar produces findings: ${tally.summary()}`);
  });

  it('mutated windows of real TS files: no throw, bounded time, ranges inside the document', async (t) => {
    t.diagnostic((await fuzzInParallel(TARGETS, 'windows', runs(300))).summary());
  });

  it('every fix type-checks as well as its input, is not re-raised, and fix-all is stable', async (t) => {
    const tally = await fuzzInParallel(TARGETS, 'generated-fixes', runs(40));
    t.diagnostic(tally.summary('the TypeScript compiler'));
    assert.ok(tally.fixedTextsChecked > 0, tally.summary('the TypeScript compiler'));
  });

  // Found by this fuzzing (docs/RELIABILITY.md, fixed): add-await gave `{ ...await p }` of a
  // Promise<number> (TS2698) and `await p ? a : b` of a Promise<void> (TS1345).
  it('the fixes of a spread promise and of a void promise tested for truth type-check', async () => {
    const texts = [
      'export {};\nasync function fetchData(): Promise<number> { return 1; }\nasync function f() {\n  const copy = { ...fetchData() };\n}\n',
      'export {};\nlet flag = true;\nasync function f() {\n  flag = new Promise<void>((r) => r()) ? true : false;\n}\n',
    ];
    for (const text of texts) {
      const fixes = await diagnosticsAddedByFixes(text);
      assert.ok(fixes.length > 0, 'a fix is offered');
      assert.deepEqual(fixes.filter((f) => f.added.length), [], text);
    }
  });
});
