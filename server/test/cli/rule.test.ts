// `asyncguard rule`: the documentation page of a rule, found from wherever the CLI runs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ruleDoc, rulesDocsDir } from '../../src/cli/docs';
import { runRule } from '../../src/cli/rule';
import { makeTree } from './helpers';

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
}

describe('asyncguard rule', () => {
  it('prints the page of the rule as it is written', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': '# dangling-task\n\nKeep a reference.\n' });
    const { out, io } = capture();
    assert.equal(runRule('dangling-task', false, io, () => join(dir, 'docs', 'rules')), 0);
    assert.deepEqual(out, { stdout: '# dangling-task\n\nKeep a reference.\n', stderr: '' });
  });

  it('says which page is missing, exit 2', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': '# x\n' });
    const { out, io } = capture();
    assert.equal(runRule('floating-future', false, io, () => join(dir, 'docs', 'rules')), 2);
    assert.equal(out.stderr, `asyncguard: error: the documentation of floating-future is not installed (no floating-future.md in ${join(dir, 'docs', 'rules')})\n`);
    const none = capture();
    assert.equal(runRule('floating-future', false, none.io, () => undefined), 2);
    assert.equal(none.out.stderr, 'asyncguard: error: the documentation of floating-future is not installed (no docs/rules folder found)\n');
  });

  it('an unknown rule id lists the known ones, exit 2', () => {
    const { out, io } = capture();
    assert.equal(runRule('dangling', false, io), 2);
    assert.equal(
      out.stderr,
      "asyncguard: error: unknown rule 'dangling' (known rules: unawaited-coroutine, dangling-task, floating-future, floating-promise, misused-promise)\n",
    );
  });

  it('--all lists id, language, default severity and summary in aligned columns', () => {
    const { out, io } = capture();
    assert.equal(runRule(undefined, true, io), 0);
    const lines = out.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.equal(
      lines[0],
      'unawaited-coroutine  python      warning  A coroutine is created and never awaited, so its body never runs.',
    );
    assert.ok(lines[3].startsWith('floating-promise     typescript  warning  '));
  });

  it('prints a concept page from docs/concepts beside docs/rules', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': 'x\n', 'docs/concepts/concurrency.md': '# Running awaits concurrently\n' });
    const { out, io } = capture();
    assert.equal(runRule('concurrency', false, io, () => join(dir, 'docs', 'rules')), 0);
    assert.deepEqual(out, { stdout: '# Running awaits concurrently\n', stderr: '' });
    const missing = capture();
    assert.equal(runRule('concurrency', false, missing.io, () => join(dir, 'nowhere', 'rules')), 2);
    assert.match(missing.out.stderr, /the page concurrency is not installed/);
  });

  it('finds docs/rules at or above the folder it starts from (source tree, bundle, installed extension)', () => {
    const dir = makeTree({ 'ext/docs/rules/dangling-task.md': 'page\n', 'ext/server/out/cli.js': '' });
    assert.equal(rulesDocsDir(join(dir, 'ext', 'server', 'out')), join(dir, 'ext', 'docs', 'rules'));
    assert.equal(ruleDoc('dangling-task', rulesDocsDir(join(dir, 'ext', 'server', 'out'))), 'page\n');
    assert.equal(rulesDocsDir(join(dir, 'elsewhere')), undefined);
  });
});
