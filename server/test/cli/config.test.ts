// [tool.asyncguard] in pyproject.toml: parsing, merging with editor settings, excludes, and what the
// CLI does with it (including a broken file).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { excludeMatcher, loadProjectConfig, mergeRuleSettings, parsePyproject, type ConfigResult } from '../../src/engine/project/config';
import { defaultRuleSettings } from '../../src/engine/rules';
import { makeTree, runInProcess } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
const TASK = 'import asyncio\nasync def job():\n    pass\nasync def main():\n    job()\n    asyncio.create_task(job())\n';

function errorOf(result: ConfigResult): string {
  assert.equal(result.ok, false);
  return result.ok ? '' : result.error.message;
}

describe('parsePyproject', () => {
  it('reads select, ignore, severity, exclude and extend-exclude', () => {
    const r = parsePyproject(
      [
        '[project]',
        'name = "demo"',
        '[tool.asyncguard]',
        'select = ["unawaited-coroutine", "dangling-task"]',
        'ignore = ["dangling-task"]',
        'exclude = ["build"]',
        'extend-exclude = ["gen/**", "*_pb2.py"]',
        '[tool.asyncguard.severity]',
        '"unawaited-coroutine" = "error"',
        '"floating-future" = "off"',
      ].join('\n'),
      '/p/pyproject.toml',
    );
    assert.deepEqual(r, {
      ok: true,
      config: {
        file: '/p/pyproject.toml',
        root: '/p',
        select: ['unawaited-coroutine', 'dangling-task'],
        ignore: ['dangling-task'],
        exclude: ['build'],
        extendExclude: ['gen/**', '*_pb2.py'],
        severity: { 'unawaited-coroutine': 'error', 'floating-future': 'off' },
      },
    });
  });

  it('a pyproject.toml without the table is the default configuration', () => {
    const r = parsePyproject('[tool.ruff]\nline-length = 100\n', '/p/pyproject.toml');
    assert.ok(r.ok);
    assert.equal(r.config.file, undefined);
    assert.ok(r.config.exclude.includes('.venv') && r.config.exclude.includes('node_modules'));
  });

  it('explains what is wrong, with the line and column of a TOML syntax error', () => {
    assert.equal(errorOf(parsePyproject('[tool.asyncguard]\nselect = ["dangling-task"\n', 'f')), '3:1: invalid TOML: expected comma or end of structure');
    assert.equal(errorOf(parsePyproject('[tool.asyncguard]\nselect = "dangling-task"\n', 'f')), '"select" in [tool.asyncguard] must be an array of strings');
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard]\nignore = ["dangling-tasks"]\n', 'f')),
      'unknown rule "dangling-tasks" in "ignore" (known rules: unawaited-coroutine, dangling-task, floating-future, floating-promise, misused-promise)',
    );
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard.severity]\n"dangling-task" = "fatal"\n', 'f')),
      'severity of "dangling-task" must be one of "error", "warning", "information", "hint", "off"',
    );
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard]\nselekt = []\n', 'f')),
      'unknown option "selekt" in [tool.asyncguard] (known: select, ignore, exclude, extend-exclude, severity)',
    );
    assert.equal(errorOf(parsePyproject('[tool]\nasyncguard = 3\n', 'f')), '[tool.asyncguard] must be a table');
  });
});

describe('mergeRuleSettings', () => {
  const defaults = defaultRuleSettings();

  it('select runs only the named rules; ignore and "off" turn rules off; levels set severity', () => {
    const s = mergeRuleSettings([{ select: ['unawaited-coroutine', 'dangling-task', 'floating-future'], ignore: ['floating-future'], severity: { 'dangling-task': 'error' } }]);
    assert.deepEqual(s.enabled, {
      'unawaited-coroutine': true,
      'dangling-task': true,
      'floating-future': false,
      'floating-promise': false,
      'misused-promise': false,
    });
    assert.equal(s.severity['dangling-task'], 'error');
    assert.equal(s.severity['unawaited-coroutine'], defaults.severity['unawaited-coroutine']);
  });

  it('pyproject.toml (the later layer) wins over editor settings where both set a rule', () => {
    const editor = { severity: { 'dangling-task': 'hint' as const, 'floating-future': 'off' as const, 'unawaited-coroutine': 'error' as const } };
    const pyproject = { severity: { 'dangling-task': 'error' as const, 'floating-future': 'warning' as const } };
    const s = mergeRuleSettings([editor, pyproject]);
    assert.equal(s.severity['dangling-task'], 'error');
    assert.equal(s.enabled['floating-future'], true, 'a level in pyproject turns back on what the editor turned off');
    assert.equal(s.severity['unawaited-coroutine'], 'error', 'what only the editor sets stays');
    assert.deepEqual(mergeRuleSettings([{ ignore: ['misused-promise'] }, { select: ['misused-promise'] }]).enabled['misused-promise'], true);
    assert.deepEqual(mergeRuleSettings([{ severity: { 'misused-promise': 'error' } }, { ignore: ['misused-promise'] }]).enabled['misused-promise'], false);
  });

  it('within one layer, select and ignore decide over a level', () => {
    const s = mergeRuleSettings([{ select: ['dangling-task'], severity: { 'floating-future': 'error' } }]);
    assert.equal(s.enabled['floating-future'], false);
    assert.equal(s.severity['floating-future'], 'error');
  });

  it('no layers: the defaults', () => {
    assert.deepEqual(mergeRuleSettings([undefined]), defaults);
  });
});

describe('excludeMatcher', () => {
  const config = (exclude: string[], extendExclude: string[] = []) => ({ root: '/p', exclude, extendExclude });

  it('matches names anywhere and slash-globs from the root', () => {
    const m = excludeMatcher(config(['.venv', '*_pb2.py'], ['src/generated/**', 'docs/']));
    assert.equal(m('/p/.venv'), true);
    assert.equal(m('/p/sub/.venv'), true);
    assert.equal(m('/p/api/x_pb2.py'), true);
    assert.equal(m('/p/src/generated/a.py'), true);
    assert.equal(m('/p/src/generated'), true, 'dir/** also matches the folder, so it is not even walked');
    assert.equal(m('/p/docs'), true);
    assert.equal(m('/p/src/other/a.py'), false);
    assert.equal(m('/p/other/src/generated/a.py'), false, 'a slash-glob is anchored at the root');
  });
});

describe('loadProjectConfig', () => {
  it('finds the nearest pyproject.toml with [tool.asyncguard], passing over those without', () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nignore = ["dangling-task"]\n',
      'pkg/pyproject.toml': '[project]\nname = "inner"\n',
      'pkg/sub/a.py': '',
    });
    const r = loadProjectConfig(join(dir, 'pkg', 'sub', 'a.py'));
    assert.ok(r.ok);
    assert.equal(r.config.file, join(dir, 'pyproject.toml'));
    assert.equal(r.config.root, dir);
    assert.deepEqual(r.config.ignore, ['dangling-task']);
  });
});

describe('asyncguard check with a pyproject.toml', () => {
  it('select, ignore and severity change what is reported and how', async () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nignore = ["unawaited-coroutine"]\n\n[tool.asyncguard.severity]\n"dangling-task" = "error"\n',
      'src/a.py': TASK,
    });
    const r = await runInProcess(['check', '--format', 'json', 'src'], dir);
    const findings = JSON.parse(r.stdout).findings;
    assert.deepEqual(
      findings.map((f: { rule: string; severity: string; line: number }) => [f.rule, f.severity, f.line]),
      [['dangling-task', 'error', 6]],
    );
  });

  it('"off" in the severity table turns a rule off', async () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard.severity]\n"dangling-task" = "off"\n', 'a.py': TASK });
    const r = await runInProcess(['check'], dir);
    assert.equal(r.stdout, "a.py:5:5: unawaited-coroutine Coroutine 'job()' is never awaited\nFound 1 problem (1 fixable with --fix).\n");
  });

  it('--select and --ignore on the command line win over the file', async () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard]\nselect = ["dangling-task"]\n', 'a.py': TASK });
    const selected = await runInProcess(['check', '--select', 'unawaited-coroutine'], dir);
    assert.match(selected.stdout, /^a\.py:5:5: unawaited-coroutine .*\nFound 1 problem/);
    const both = await runInProcess(['check', '--select', 'unawaited-coroutine,dangling-task', '--ignore', 'dangling-task'], dir);
    assert.match(both.stdout, /^a\.py:5:5: unawaited-coroutine .*\nFound 1 problem/);
    const fromFile = await runInProcess(['check'], dir);
    assert.match(fromFile.stdout, /^a\.py:6:5: dangling-task .*\nFound 1 problem/);
    const isolated = await runInProcess(['check', '--isolated'], dir);
    assert.match(isolated.stdout, /Found 2 problems/);
  });

  it('exclude globs skip files while walking, but a file named on the command line is checked', async () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nextend-exclude = ["generated", "legacy/*.py"]\n',
      'generated/g.py': SEED,
      'legacy/old.py': SEED,
      'legacy/deep/kept.py': SEED,
      'app.py': SEED,
    });
    const r = await runInProcess(['check'], dir);
    assert.deepEqual(
      r.stdout.split('\n').map((l) => l.split(':')[0]),
      ['app.py', 'legacy/deep/kept.py', 'Found 2 problems (2 fixable with --fix).', ''],
    );
    const named = await runInProcess(['check', 'generated/g.py'], dir);
    assert.match(named.stdout, /^generated\/g\.py:5:5: /);
  });

  it('exclude replaces the default excludes; extend-exclude keeps them', async () => {
    const files = { 'venv/lib.py': SEED, 'node_modules/m/x.py': SEED, 'app.py': 'x = 1\n' };
    const extended = makeTree({ ...files, 'pyproject.toml': '[tool.asyncguard]\nextend-exclude = ["nothing"]\n' });
    assert.equal((await runInProcess(['check'], extended)).stdout, 'All checks passed!\n');
    const replaced = makeTree({ ...files, 'pyproject.toml': '[tool.asyncguard]\nexclude = ["node_modules"]\n' });
    assert.match((await runInProcess(['check'], replaced)).stdout, /^venv\/lib\.py:5:5: .*\nFound 1 problem/);
  });

  it('a broken pyproject.toml stops the run with exit 2, naming the file and the reason', async () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard]\nselect = ["dangling-task"\n', 'src/a.py': SEED });
    const r = await runInProcess(['check', 'src'], dir);
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'asyncguard: error: pyproject.toml: 3:1: invalid TOML: expected comma or end of structure\n' });
  });

  it('--config names the file to use; a missing one is a usage error', async () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nignore = ["unawaited-coroutine"]\n',
      'ci/strict.toml': '[tool.asyncguard]\nignore = ["dangling-task"]\n',
      'a.py': TASK,
    });
    const r = await runInProcess(['check', '--config', 'ci/strict.toml'], dir);
    assert.match(r.stdout, /^a\.py:5:5: unawaited-coroutine .*\nFound 1 problem/);
    const missing = await runInProcess(['check', '--config', 'ci/nope.toml'], dir);
    assert.deepEqual(missing, { code: 2, stdout: '', stderr: 'asyncguard: error: ci/nope.toml: no such configuration file\n' });
  });
});
