// Every fix offered on the TS/JS fixtures, applied: the file type-checks as well as before (by the
// compiler) and the findings it fixes are gone (by the engine). A sweep over every fixture, left out
// of `npm run test:unit` as the Python one (fix-typecheck.test.ts under python/) is.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyEdits } from '../../src/engine/text';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import type { Finding, TextEdit } from '../../src/engine/types';
import { FixtureCompiler, newDiagnostics } from './compile';
import { listTsFixtures, tsFixtureRoot } from './fixture-marks';

const engine = new TypeScriptEngine();
after(() => engine.dispose());

// One pass per fix kind: every finding's fix of that kind applied together (those whose edits do
// not touch another's), then one compile and one re-analysis. Much cheaper than one per fix.
describe('every fix offered on the fixtures compiles and removes its findings', () => {
  const configs = new Map<string, FixtureCompiler>();
  for (const rel of listTsFixtures()) {
    test(rel, () => {
      const path = join(tsFixtureRoot, rel);
      const config = join(dirname(path), 'tsconfig.json');
      if (!configs.has(config)) configs.set(config, new FixtureCompiler(config));
      const compiler = configs.get(config)!;
      const text = readFileSync(path, 'utf8');
      let version = 1;
      const findings = engine.analyze(path, text, version).findings;
      const baseline = compiler.diagnostics(path, text);
      const problems: string[] = [];
      for (const finding of findings) {
        if (finding.fixes.filter((f) => f.preferred).length !== 1) {
          problems.push(`${finding.rule} at ${finding.range.start.line + 1}: not exactly one preferred fix`);
        }
      }
      const kinds = [...new Set(findings.flatMap((f) => f.fixes.map((x) => x.kind)))];
      for (const kind of kinds) {
        const taken: { start: number; end: number }[] = [];
        const applied: Finding[] = [];
        const edits: TextEdit[] = [];
        for (const finding of findings) {
          const fix = finding.fixes.find((f) => f.kind === kind);
          if (!fix) continue;
          const spans = fix.edits.map((e) => ({ start: e.range.start.line * 1e6 + e.range.start.character, end: e.range.end.line * 1e6 + e.range.end.character }));
          if (spans.some((a) => taken.some((b) => a.start <= b.end && b.start <= a.end))) continue;
          taken.push(...spans);
          applied.push(finding);
          edits.push(...fix.edits);
        }
        const after = applyEdits(text, edits);
        const introduced = newDiagnostics(baseline, compiler.diagnostics(path, after));
        if (introduced.length) problems.push(`${kind}: ${introduced.join('; ')}`);
        const remaining = engine.analyze(path, after, ++version).findings;
        for (const rule of ['floating-promise', 'misused-promise'] as const) {
          const fixedHere = applied.filter((f) => f.rule === rule);
          if (fixedHere.length === 0) continue;
          if (kind === 'make-async') {
            // Callers of the now-async function may float its promise instead: check the lines fixed.
            const lines = new Set(fixedHere.map((f) => f.range.start.line));
            const left = remaining.filter((f) => f.rule === rule && lines.has(f.range.start.line));
            if (left.length) problems.push(`${kind}: ${rule} still on lines ${left.map((f) => f.range.start.line + 1).join(', ')}`);
          } else {
            const before = findings.filter((f) => f.rule === rule).length;
            const now = remaining.filter((f) => f.rule === rule).length;
            if (now !== before - fixedHere.length) problems.push(`${kind}: ${rule} ${before} -> ${now} after fixing ${fixedHere.length}`);
          }
        }
      }
      engine.analyze(path, text, ++version);
      assert.deepEqual(problems, []);
    });
  }
});
