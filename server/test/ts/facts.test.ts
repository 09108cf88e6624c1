// What the interprocedural facts change beyond the fixture marks: the severity and wording of a
// call that can only reject if its catch block throws, and the wording of a timer finding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultRuleSettings } from '../../src/engine/rules';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import { tsFixtureRoot } from './fixture-marks';

const engine = new TypeScriptEngine();
after(() => engine.dispose());

function findingsOf(name: string, rules = defaultRuleSettings()) {
  const path = join(tsFixtureRoot, 'strict', name);
  const text = readFileSync(path, 'utf8');
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
  return { findings: engine.analyze(path, text, 1, rules).findings, lineOf };
}

describe('interprocedural facts', () => {
  it('a call that can reject only if its catch block throws is information, and says why', () => {
    const { findings, lineOf } = findingsOf('floating-promise.invalid.cannot-reject.ts');
    const at = (needle: string) => findings.find((f) => f.range.start.line === lineOf(needle))!;
    assert.equal(at('  logsThroughLogger();').severity, 'information');
    assert.equal(
      at('  logsThroughLogger();').message,
      '“logsThroughLogger” catches every error of its body, so its promise rejects only if its catch block throws; it is still neither awaited nor handled here.',
    );
    assert.equal(at('  readsTheError();').severity, 'information');
    // a function that rethrows is an ordinary finding
    assert.equal(at('  rethrows();').severity, 'warning');
    assert.match(at('  rethrows();').message, /neither awaited, returned, caught nor voided/);
  });

  it('the information cap never raises a severity the settings lowered', () => {
    const rules = defaultRuleSettings();
    rules.severity['floating-promise'] = 'hint';
    const { findings, lineOf } = findingsOf('floating-promise.invalid.cannot-reject.ts', rules);
    assert.equal(findings.find((f) => f.range.start.line === lineOf('  logsThroughLogger();'))!.severity, 'hint');
    rules.severity['floating-promise'] = 'error';
    const raised = findingsOf('floating-promise.invalid.cannot-reject.ts', rules);
    assert.equal(raised.findings.find((f) => f.range.start.line === raised.lineOf('  logsThroughLogger();'))!.severity, 'information');
    assert.equal(raised.findings.find((f) => f.range.start.line === raised.lineOf('  rethrows();'))!.severity, 'error');
  });

  it('an async callback that can reject only if its catch block throws is information', () => {
    const { findings, lineOf } = findingsOf('misused-promise.invalid.handled-callback.ts');
    const timer = findings.find((f) => f.range.start.line === lineOf('  setTimeout(async () => { // expect'))!;
    assert.equal(timer.severity, 'information');
    assert.equal(timer.message, 'This async callback catches every error of its body, so its promise rejects only if its catch block throws; the caller still drops the promise.');
    const rethrowing = findings.find((f) => f.range.start.line === lineOf('  ids.forEach(async (id) => { // expect'))!;
    assert.equal(rethrowing.severity, 'warning');
  });

  it('a timer finding names the timer', () => {
    const { findings, lineOf } = findingsOf('misused-promise.invalid.timers.ts');
    const interval = findings.find((f) => f.range.start.line === lineOf('setInterval(async () => {}, 1000)'))!;
    assert.equal(interval.message, '“setInterval” ignores what its callback returns: the callback’s promise is dropped, and its rejection goes unhandled.');
    assert.equal(interval.severity, 'warning');
  });
});
