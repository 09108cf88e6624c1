// The fixture tables: every `// expect:` mark is reported on its line, and nothing else is.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import { expectMarks, listTsFixtures, tsFixtureRoot, validCaseCount } from './fixture-marks';

const engine = new TypeScriptEngine();
after(() => engine.dispose());

const fixtures = listTsFixtures();

describe('TS/JS fixtures', () => {
  for (const rel of fixtures) {
    test(rel, () => {
      const path = join(tsFixtureRoot, rel);
      const text = readFileSync(path, 'utf8');
      const result = engine.analyze(path, text, 1);
      const got = result.findings.map((f) => `${f.range.start.line + 1}: ${f.rule}`).sort();
      const want = expectMarks(text)
        .map((m) => `${m.line + 1}: ${m.rule}`)
        .sort();
      assert.deepEqual(got, want);
      assert.deepEqual(result.notes, []);
    });
  }
});

describe('fixture tables are large enough', () => {
  const count = (rule: string, kind: 'valid' | 'invalid') =>
    fixtures
      .filter((rel) => rel.split('/').pop()!.startsWith(`${rule}.${kind}.`))
      .map((rel) => readFileSync(join(tsFixtureRoot, rel), 'utf8'))
      .reduce((n, text) => n + (kind === 'valid' ? validCaseCount(text) : expectMarks(text).length), 0);
  for (const rule of ['floating-promise', 'misused-promise']) {
    test(`${rule}: at least 50 invalid and 50 valid cases`, () => {
      assert.ok(count(rule, 'invalid') >= 50, `${rule} invalid: ${count(rule, 'invalid')}`);
      assert.ok(count(rule, 'valid') >= 50, `${rule} valid: ${count(rule, 'valid')}`);
    });
  }
});
