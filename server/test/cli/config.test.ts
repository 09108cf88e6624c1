// [tool.asyncguard] in pyproject.toml: parsing, merging with editor settings, excludes, and what the
// CLI does with it (including a broken file).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  excludeMatcher,
  loadJsonConfig,
  loadPyprojectConfig,
  mergeRuleSettings,
  parseJsonConfig,
  parsePyproject,
  type ConfigResult,
} from '../../src/engine/workspace/configuration';
import { Analyzer } from '../../src/engine/analyzer';
import { defaultRuleSettings } from '../../src/engine/rules';
import { makeTree, runInProcess } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
const TASK = 'import asyncio\nasync def job():\n    pass\nasync def main():\n    job()\n    asyncio.create_task(job())\n';
/** The fake engine's floating-promise: `load();` on line 2. */
const FLOATING = 'async function load() {}\nload();\n';

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
      'unknown rule "dangling-tasks" in "ignore" (known rules: unawaited-coroutine, dangling-task, floating-future, run-in-running-loop, floating-promise, misused-promise)',
    );
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard.severity]\n"dangling-task" = "fatal"\n', 'f')),
      'severity of "dangling-task" must be one of "error", "warning", "information", "hint", "off"',
    );
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard]\nselekt = []\n', 'f')),
      'unknown option "selekt" in [tool.asyncguard] (known: select, ignore, exclude, extend-exclude, severity, target-version)',
    );
    assert.equal(errorOf(parsePyproject('[tool]\nasyncguard = 3\n', 'f')), '[tool.asyncguard] must be a table');
  });
});

describe('the Python target (what keep-task writes for)', () => {
  const targetOf = (text: string) => {
    const r = loadPyprojectConfig(join(makeTree({ 'pyproject.toml': text, 'pkg/a.py': '' }), 'pkg', 'a.py'));
    assert.ok(r.ok);
    return r.config.pythonTarget;
  };
  const cases: Array<[string, string, readonly [number, number] | undefined]> = [
    ['target-version in ruff\'s spelling', '[tool.asyncguard]\ntarget-version = "py38"\n', [3, 8]],
    ['target-version as a version', '[tool.asyncguard]\ntarget-version = "3.12"\n', [3, 12]],
    ['target-version wins over requires-python', '[project]\nrequires-python = ">=3.7"\n[tool.asyncguard]\ntarget-version = "py310"\n', [3, 10]],
    ['requires-python without the table', '[project]\nrequires-python = ">=3.8"\n', [3, 8]],
    ['requires-python with an upper bound', '[project]\nrequires-python = ">= 3.9, <4"\n[tool.asyncguard]\nselect = []\n', [3, 9]],
    ['requires-python: the highest lower bound of the set', '[project]\nrequires-python = ">=3, >=3.10"\n', [3, 10]],
    ['requires-python ~= and ==', '[project]\nrequires-python = "~=3.11"\n', [3, 11]],
    ['requires-python with no lower bound', '[project]\nrequires-python = "<3.13"\n', undefined],
    ['Poetry\'s python dependency', '[tool.poetry.dependencies]\npython = "^3.10"\n', [3, 10]],
    ['requires-python wins over Poetry\'s', '[project]\nrequires-python = ">=3.9"\n[tool.poetry.dependencies]\npython = "^3.10"\n', [3, 9]],
    ['nothing says', '[project]\nname = "x"\n', undefined],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(targetOf(text), expected));

  it('rejects a target-version that is not a version', () => {
    assert.equal(
      errorOf(parsePyproject('[tool.asyncguard]\ntarget-version = "newest"\n', 'f')),
      '"target-version" in [tool.asyncguard] must be a Python version such as "py39" or "3.9"',
    );
  });

  it('the nearest requires-python applies under a [tool.asyncguard] table further up that sets no target', () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nignore = ["floating-future"]\n',
      'pkg/pyproject.toml': '[project]\nname = "pkg"\nrequires-python = ">=3.8"\n',
      'pkg/mod.py': 'x = 1\n',
    });
    const r = loadPyprojectConfig(join(dir, 'pkg', 'mod.py'));
    assert.ok(r.ok);
    assert.equal(r.config.file, join(dir, 'pyproject.toml'));
    assert.deepEqual(r.config.pythonTarget, [3, 8]);
    assert.deepEqual(mergeRuleSettings([{}, r.config]).pythonTarget, [3, 8]);
  });

  it('check --fix writes the set for the project\'s target', async () => {
    const dir = makeTree({ 'pyproject.toml': '[project]\nrequires-python = ">=3.8"\n', 'app.py': 'import asyncio\nasync def job():\n    pass\nasync def main():\n    asyncio.create_task(job())\n' });
    const r = await runInProcess(['check', '--fix', '--no-cache'], dir, { engine: new Analyzer() });
    assert.equal(r.stdout, 'Found 1 problem (1 fixed, 0 remaining).\n');
    assert.match(readFileSync(join(dir, 'app.py'), 'utf8'), /^background_tasks: "Set\[asyncio\.Task\[object\]\]" = set\(\)$/m);
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
      'run-in-running-loop': false,
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

describe('loadPyprojectConfig', () => {
  it('finds the nearest pyproject.toml with [tool.asyncguard], passing over those without', () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard]\nignore = ["dangling-task"]\n',
      'pkg/pyproject.toml': '[project]\nname = "inner"\n',
      'pkg/sub/a.py': '',
    });
    const r = loadPyprojectConfig(join(dir, 'pkg', 'sub', 'a.py'));
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

describe('parseJsonConfig (asyncguard.json, package.json "asyncguard")', () => {
  it('reads the same keys as pyproject.toml, and rules shaped as in the editor settings', () => {
    const pkg = parseJsonConfig(
      JSON.stringify({
        name: 'web',
        asyncguard: {
          ignore: ['misused-promise'],
          'extend-exclude': ['dist'],
          severity: { 'floating-promise': 'hint' },
          rules: { 'misused-promise': 'error', 'floating-promise': { severity: 'error' } },
        },
      }),
      '/p/package.json',
    );
    assert.deepEqual(pkg, {
      ok: true,
      config: {
        file: '/p/package.json',
        root: '/p',
        ignore: ['misused-promise'],
        exclude: pkg.ok ? pkg.config.exclude : [],
        extendExclude: ['dist'],
        severity: { 'floating-promise': 'error', 'misused-promise': 'error' },
      },
    });
    const own = parseJsonConfig('{ "select": ["floating-promise"] }', '/p/asyncguard.json');
    assert.ok(own.ok);
    assert.equal(own.config.file, '/p/asyncguard.json');
    assert.deepEqual(own.config.select, ['floating-promise']);
  });

  it('a package.json without the key is passed over; a BOM is allowed', () => {
    const r = parseJsonConfig('\uFEFF{ "name": "web", "version": "1.0.0" }', '/p/package.json');
    assert.ok(r.ok);
    assert.equal(r.config.file, undefined);
  });

  it('explains what is wrong, with the line and column of a JSON syntax error', () => {
    assert.equal(errorOf(parseJsonConfig('{\n  "asyncguard": {\n    "rules": {},\n  }\n}\n', '/p/package.json')), 'invalid JSON: 4:3: Expected double-quoted property name');
    assert.equal(
      errorOf(parseJsonConfig('{ "asyncguard": { "rulez": {} } }', '/p/package.json')),
      'unknown option "rulez" in "asyncguard" in package.json (known: select, ignore, exclude, extend-exclude, severity, rules)',
    );
    assert.equal(
      errorOf(parseJsonConfig('{ "rules": { "floating-promise": "fatal" } }', '/p/asyncguard.json')),
      'severity of "floating-promise" must be one of "error", "warning", "information", "hint", "off"',
    );
    assert.equal(
      errorOf(parseJsonConfig('{ "asyncguard": { "rules": { "floating-promises": "error" } } }', '/p/package.json')),
      'unknown rule "floating-promises" in "asyncguard.rules" in package.json (known rules: unawaited-coroutine, dangling-task, floating-future, run-in-running-loop, floating-promise, misused-promise)',
    );
    assert.equal(errorOf(parseJsonConfig('{ "asyncguard": true }', '/p/package.json')), '"asyncguard" in package.json must be an object');
    assert.equal(errorOf(parseJsonConfig('[]', '/p/asyncguard.json')), 'asyncguard.json must be an object');
  });
});

describe('loadJsonConfig', () => {
  it('takes the nearest folder with one; asyncguard.json wins over package.json in the same folder', () => {
    const dir = makeTree({
      'package.json': '{ "asyncguard": { "ignore": ["misused-promise"] } }',
      'web/package.json': '{ "name": "web" }',
      'web/src/a.ts': '',
      'api/package.json': '{ "asyncguard": { "ignore": ["floating-promise"] } }',
      'api/asyncguard.json': '{ "ignore": ["misused-promise"] }',
      'api/b.ts': '',
    });
    const web = loadJsonConfig(join(dir, 'web', 'src', 'a.ts'));
    assert.ok(web?.ok);
    assert.equal(web.config.file, join(dir, 'package.json'), 'a package.json without the key is passed over');
    const api = loadJsonConfig(join(dir, 'api', 'b.ts'));
    assert.ok(api?.ok);
    assert.equal(api.config.file, join(dir, 'api', 'asyncguard.json'));
  });

  it('undefined when there is none (then pyproject.toml applies)', () => {
    const dir = makeTree({ 'pyproject.toml': '[tool.asyncguard]\nignore = ["floating-promise"]\n', 'a.ts': '' });
    assert.equal(loadJsonConfig(join(dir, 'a.ts')), undefined);
  });
});

describe('asyncguard check with asyncguard.json or package.json', () => {
  const summary = (stdout: string) =>
    JSON.parse(stdout).findings.map((f: { file: string; rule: string; severity: string; line: number }) => [f.file, f.rule, f.severity, f.line]);

  it('the asyncguard key of package.json sets severity and rules for TS/JS files only', async () => {
    const dir = makeTree({
      'pyproject.toml': '[tool.asyncguard.severity]\n"unawaited-coroutine" = "hint"\n"floating-promise" = "information"\n',
      'web/package.json': JSON.stringify({ name: 'web', asyncguard: { rules: { 'floating-promise': 'error' } } }),
      'web/src/a.ts': FLOATING,
      'web/b.py': SEED,
      'other/c.ts': FLOATING,
    });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    assert.deepEqual(summary(r.stdout), [
      ['other/c.ts', 'floating-promise', 'information', 2],
      ['web/b.py', 'unawaited-coroutine', 'hint', 5],
      ['web/src/a.ts', 'floating-promise', 'error', 2],
    ]);
  });

  it('asyncguard.json beside the tsconfig wins over package.json; "off" and ignore turn rules off', async () => {
    const dir = makeTree({
      'web/package.json': JSON.stringify({ asyncguard: { rules: { 'floating-promise': 'error' } } }),
      'web/asyncguard.json': JSON.stringify({ severity: { 'floating-promise': 'hint' } }),
      'web/tsconfig.json': '{}',
      'web/a.ts': FLOATING,
      'off/package.json': JSON.stringify({ asyncguard: { rules: { 'floating-promise': { severity: 'off' } } } }),
      'off/a.ts': FLOATING,
      'ignored/asyncguard.json': JSON.stringify({ ignore: ['floating-promise'] }),
      'ignored/a.ts': FLOATING,
    });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    assert.deepEqual(summary(r.stdout), [['web/a.ts', 'floating-promise', 'hint', 2]]);
  });

  it('extend-exclude skips TS/JS files while walking; a file named on the command line is checked', async () => {
    const dir = makeTree({
      'web/package.json': JSON.stringify({ asyncguard: { 'extend-exclude': ['dist', 'gen/*.ts'] } }),
      'web/dist/bundle.js': FLOATING,
      'web/gen/api.ts': FLOATING,
      'web/src/a.ts': FLOATING,
    });
    assert.deepEqual(summary((await runInProcess(['check', '--format', 'json'], dir)).stdout), [['web/src/a.ts', 'floating-promise', 'warning', 2]]);
    assert.deepEqual(summary((await runInProcess(['check', '--format', 'json', 'web/gen/api.ts'], dir)).stdout), [
      ['web/gen/api.ts', 'floating-promise', 'warning', 2],
    ]);
  });

  it('--select on the command line wins; --isolated and --config bypass the JSON files', async () => {
    const dir = makeTree({
      'package.json': JSON.stringify({ asyncguard: { rules: { 'floating-promise': 'error' } } }),
      'ci/asyncguard.json': JSON.stringify({ rules: { 'floating-promise': 'hint' } }),
      'a.ts': FLOATING,
    });
    assert.deepEqual(summary((await runInProcess(['check', '--format', 'json', '--select', 'misused-promise'], dir)).stdout), []);
    assert.deepEqual(summary((await runInProcess(['check', '--format', 'json', '--isolated'], dir)).stdout), [['a.ts', 'floating-promise', 'warning', 2]]);
    assert.deepEqual(summary((await runInProcess(['check', '--format', 'json', '--config', 'ci/asyncguard.json'], dir)).stdout), [
      ['a.ts', 'floating-promise', 'hint', 2],
    ]);
  });

  it('a broken JSON file is reported once, and its files are checked with the defaults', async () => {
    const dir = makeTree({
      'web/package.json': '{ "asyncguard": { "rules": { "floating-promise": "error" }, } }',
      'web/a.ts': FLOATING,
      'web/b.ts': FLOATING,
    });
    const r = await runInProcess(['check', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'asyncguard: warning: web/package.json: invalid JSON: 1:61: Expected double-quoted property name; using the default configuration\n');
    assert.deepEqual(summary(r.stdout), [
      ['web/a.ts', 'floating-promise', 'warning', 2],
      ['web/b.ts', 'floating-promise', 'warning', 2],
    ]);
  });

  it('with the real TypeScript engine: the severity from package.json reaches the JSON output', async () => {
    const dir = makeTree({
      'package.json': JSON.stringify({ name: 'web', asyncguard: { rules: { 'floating-promise': 'error', 'misused-promise': 'off' } } }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', strict: true, lib: ['ES2022'], types: [] } }),
      'a.ts': 'async function save(): Promise<void> {}\nexport function f(ids: number[]) {\n  save();\n  ids.forEach(async () => save());\n}\n',
    });
    const r = await runInProcess(['check', '--format', 'json', 'a.ts'], dir, { engine: new Analyzer() });
    assert.deepEqual(summary(r.stdout), [['a.ts', 'floating-promise', 'error', 3]]);
  });
});
