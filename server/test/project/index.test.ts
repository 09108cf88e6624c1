// A Python project's module index on its own: module names, where a name resolves (and in which order), incremental
// updates, the persistent cache and the interpreter. Fixture projects are copied to a temporary
// folder when a test edits them.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { chooseInterpreter, parseProbe } from '../../src/engine/project/interpreter';
import { PythonProject } from '../../src/engine/project/pythonProject';
import { PythonProjects } from '../../src/engine/project/projects';
import { PersistentSummaryCache } from '../../src/engine/project/summaryCache';
import { loadPythonEngine } from '../../src/engine/python/index';
import { stdlibProvider } from '../../src/engine/python/modules';
import { fixtureProjects, openFixture, projectFixtureRoot, sitePackages } from './fixture-projects';

const temps: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'asyncguard-project-'));
  temps.push(d);
  return d;
}
function copyFixture(name: string): string {
  const d = join(tempDir(), name);
  cpSync(join(projectFixtureRoot, name), d, { recursive: true });
  return d;
}
function fixture(name: string) {
  return fixtureProjects.find((f) => f.name === name)!;
}
/** `line: code` of each finding, as a user reads them. */
function findingsOf(project: PythonProject, path: string, text = readFileSync(path, 'utf8')): string[] {
  const lines = text.split('\n');
  const analyzer = new Analyzer({ python: project });
  return analyzer.analyze({ path, text }).findings.map((f) => `${f.range.start.line + 1}: ${lines[f.range.start.line].trim()}`);
}

before(() => loadPythonEngine());
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('module names', () => {
  test('from the import roots: packages, src/ layout, namespace packages, scripts beside tests', () => {
    const packages = openFixture(fixture('packages'));
    const root = fixture('packages').root;
    assert.deepEqual(packages.moduleNameOf(join(root, 'shop', '__init__.py')), { moduleName: 'shop', isPackage: true });
    assert.deepEqual(packages.moduleNameOf(join(root, 'shop', 'orders', 'handlers', 'refund.py')), {
      moduleName: 'shop.orders.handlers.refund',
      isPackage: false,
    });
    assert.deepEqual(packages.moduleNameOf(join(root, 'main.py')), { moduleName: 'main', isPackage: false });

    const src = openFixture(fixture('srclayout'));
    const srcRoot = fixture('srclayout').root;
    assert.deepEqual(src.importRoots.map((r) => relative(srcRoot, r)), ['src', '']);
    assert.equal(src.moduleNameOf(join(srcRoot, 'src', 'acme', 'jobs', 'runner.py')).moduleName, 'acme.jobs.runner');
    assert.equal(src.moduleNameOf(join(srcRoot, 'tests', 'test_runner.py')).moduleName, 'tests.test_runner');

    const ns = openFixture(fixture('namespace'));
    assert.equal(ns.moduleNameOf(join(fixture('namespace').root, 'company', 'billing', 'invoices.py')).moduleName, 'company.billing.invoices');
  });

  test('a file outside every workspace folder gets a project rooted at its marker', () => {
    const projects = new PythonProjects({ trusted: false });
    const file = join(fixture('srclayout').root, 'src', 'acme', 'cli.py');
    assert.equal(projects.projectFor(file).roots[0], fixture('srclayout').root);
    assert.equal(projects.contextFor(file).moduleName, 'acme.cli');
  });
});

describe('resolution order', () => {
  const venv = fixture('venvlib');
  const project = openFixture(venv);
  const where = (name: string) => {
    const found = project.locate(name);
    return found?.kind === 'file' ? relative(projectFixtureRoot, found.path).split('\\').join('/') : found?.kind;
  };

  test('.pyi before .py, stub-only packages before the package, partial stubs fall back', () => {
    assert.equal(where('dual'), 'venvlib/env/lib/python3.11/site-packages/dual.pyi');
    assert.equal(where('typedlib'), 'venvlib/env/lib/python3.11/site-packages/typedlib-stubs/__init__.pyi');
    assert.equal(where('partiallib.io'), 'venvlib/env/lib/python3.11/site-packages/partiallib-stubs/io.pyi');
    assert.equal(where('partiallib.extra'), 'venvlib/env/lib/python3.11/site-packages/partiallib/extra.py');
    assert.equal(where('fakehttp.client'), 'venvlib/env/lib/python3.11/site-packages/fakehttp/client.py');
  });

  test('the workspace before the library, the standard library from its typeshed summaries', () => {
    assert.equal(where('shadowed'), 'venvlib/app/shadowed.py');
    assert.equal(where('nonexistent_module'), undefined);
    assert.ok(project.getModule('asyncio.tasks')?.symbols.create_task, 'asyncio.tasks from the stdlib summaries');
  });

  test('a workspace that is the standard library itself is read through the typeshed summaries', () => {
    const lib = tempDir();
    mkdirSync(join(lib, 'asyncio'));
    writeFileSync(join(lib, 'asyncio', '__init__.py'), 'def sleep(delay):\n    return delay\n');
    writeFileSync(join(lib, 'asyncio', 'base_events.py'), '');
    writeFileSync(join(lib, 'mymod.py'), 'async def mine():\n    return 1\n');
    const project = new PythonProject({ roots: [lib], trusted: false, environment: null });
    assert.equal(project.getModule('asyncio'), stdlibProvider.getModule('asyncio'));
    assert.ok(project.getModule('mymod')?.symbols.mine, 'its other modules come from the workspace');
  });

  test('without an environment, library modules are unknown', () => {
    const bare = openFixture({ ...venv, environment: null });
    assert.equal(bare.getModule('fakehttp'), undefined);
    assert.deepEqual(findingsOf(bare, join(venv.root, 'service.py')), []);
  });

  test('.gitignore and configured excludes hide workspace modules', () => {
    const root = tempDir();
    writeFileSync(join(root, 'pyproject.toml'), '[tool.asyncguard]\nextend-exclude = ["vendored"]\n');
    writeFileSync(join(root, '.gitignore'), 'generated/\n');
    for (const dir of ['generated', 'vendored', 'kept']) {
      mkdirSync(join(root, dir));
      writeFileSync(join(root, dir, 'mod.py'), 'async def run():\n    return 1\n');
    }
    const main = join(root, 'main.py');
    const text = 'from generated.mod import run as a\nfrom vendored.mod import run as b\nfrom kept.mod import run as c\n\n\nasync def main():\n    a()\n    b()\n    c()\n';
    writeFileSync(main, text);
    const project = new PythonProject({ roots: [root], trusted: false, environment: null });
    assert.deepEqual(findingsOf(project, main), ['9: c()']);
  });
});

describe('incremental updates', () => {
  test('a body-only edit changes no exports; an export change names the module and the files it reaches', () => {
    const root = copyFixture('packages');
    const project = new PythonProject({ roots: [root], trusted: false, environment: null });
    const main = join(root, 'main.py');
    const repo = join(root, 'shop', 'repo.py');
    const util = join(root, 'shop', 'util.py');
    // opening a module nothing has used yet invalidates nothing
    assert.deepEqual(project.updateFile(repo, readFileSync(repo, 'utf8')), []);
    const before = findingsOf(project, main);
    assert.ok(!before.some((f) => f.includes('audit(')));

    const original = readFileSync(util, 'utf8');
    assert.deepEqual(project.updateFile(util, original.replace('return message\n\n\nasync def not', 'print(message)\n    return message\n\n\nasync def not')), []);

    const asyncAudit = original.replace('def audit(message)', 'async def audit(message)');
    assert.deepEqual(project.updateFile(util, asyncAudit), ['shop.util']);
    assert.deepEqual(project.affectedBy(['shop.util'], [main, repo, join(root, 'shop', 'api.py')]), [main, join(root, 'shop', 'api.py')]);
    assert.deepEqual(
      findingsOf(project, main).filter((f) => !before.includes(f)),
      ['20: audit("sync")'],
    );

    // closing the editor without saving: the file on disk answers again
    assert.deepEqual(project.updateFile(util), ['shop.util']);
    assert.deepEqual(findingsOf(project, main), before);
  });

  test('deleting a module and creating one that exists only in the editor', () => {
    const root = copyFixture('packages');
    const project = new PythonProject({ roots: [root], trusted: false, environment: null });
    const main = join(root, 'main.py');
    const shipping = join(root, 'shop', 'orders', 'shipping.py');
    const refund = join(root, 'shop', 'orders', 'handlers', 'refund.py');
    assert.ok(findingsOf(project, refund).includes('12: ship(order_id)  # expect: unawaited-coroutine'));
    rmSync(shipping);
    assert.deepEqual(project.removeFile(shipping), ['shop.orders.shipping']);
    assert.ok(!findingsOf(project, refund).some((f) => f.includes('ship(')));

    const fresh = join(root, 'shop', 'fresh.py');
    const text = 'from shop.fresh import brand_new\n\n\nasync def main():\n    brand_new()\n';
    assert.deepEqual(findingsOf(project, main, text), []);
    assert.deepEqual(project.updateFile(fresh, 'async def brand_new():\n    return 1\n'), ['shop.fresh']);
    assert.deepEqual(findingsOf(project, main, text), ['5: brand_new()']);
  });
});

describe('the default index of the Analyzer', () => {
  test('sees files changed and created on disk without being told, and runs no interpreter', async () => {
    const root = copyFixture('packages');
    const analyzer = new Analyzer();
    await analyzer.init();
    const main = join(root, 'main.py');
    const text = readFileSync(main, 'utf8') + '\n\nasync def later():\n    from shop.late import arrive\n\n    arrive()\n';
    const lines = () => analyzer.analyze({ path: main, text }).findings.map((f) => f.range.start.line + 1);
    const before = lines();
    assert.ok(before.includes(11) && !before.includes(20) && !before.includes(43), `${before}`);

    const util = join(root, 'shop', 'util.py');
    writeFileSync(util, readFileSync(util, 'utf8').replace('def audit(message)', 'async def audit(message)'));
    utimesSync(util, new Date(), new Date(Date.now() + 5000));
    writeFileSync(join(root, 'shop', 'late.py'), 'async def arrive():\n    return 1\n');
    assert.deepEqual(lines(), [...before, 20, 43].sort((a, b) => a - b));
    assert.equal((analyzer.python as PythonProjects).projectFor(main).environment(), undefined);
  });
});

describe('persistent cache', () => {
  test('a warm start reads summaries from the cache; stale and corrupt entries are ignored', () => {
    const root = copyFixture('packages');
    const cacheDir = join(root, '.asyncguard_cache');
    const cold = new PythonProject({ roots: [root], trusted: false, environment: null, cacheDir });
    assert.ok(cold.getModule('shop.util')?.symbols.notify);
    cold.saveCache();
    const cacheFile = join(cacheDir, 'python-summaries.json');
    assert.equal(readFileSync(join(cacheDir, '.gitignore'), 'utf8'), '*\n');

    // Tamper with the cached summary: a warm project must answer from the cache, not the file.
    const data = JSON.parse(readFileSync(cacheFile, 'utf8'));
    const key = Object.keys(data.entries).find((k) => k.endsWith('\0shop.util'))!;
    data.entries[key].summary.symbols = { from_cache: [{ k: 'def', async: 1 }] };
    writeFileSync(cacheFile, JSON.stringify(data));
    const warm = new PythonProject({ roots: [root], trusted: false, environment: null, cacheDir });
    assert.deepEqual(Object.keys(warm.getModule('shop.util')!.symbols), ['from_cache']);

    // The file changed since (mtime): the entry is stale and the file is read again.
    const util = join(root, 'shop', 'util.py');
    utimesSync(util, new Date(), new Date(Date.now() + 5000));
    const stale = new PythonProject({ roots: [root], trusted: false, environment: null, cacheDir });
    assert.ok(stale.getModule('shop.util')?.symbols.notify);

    writeFileSync(cacheFile, '{"version": "asyncguard-summ');
    const corrupt = new PythonProject({ roots: [root], trusted: false, environment: null, cacheDir });
    assert.ok(corrupt.getModule('shop.util')?.symbols.notify);
    corrupt.saveCache();
    assert.ok(JSON.parse(readFileSync(cacheFile, 'utf8')).entries, 'rewritten whole');
  });

  test("two runs saving at once keep each other's entries", () => {
    const dir = join(tempDir(), 'cache');
    const summary = (name: string) => ({ size: 1, mtimeMs: 1, summary: { name, symbols: {} }, imports: [] });
    const a = new PersistentSummaryCache(dir);
    const b = new PersistentSummaryCache(dir);
    a.get('/x/a.py', 'a', 1, 1);
    b.get('/x/b.py', 'b', 1, 1);
    a.set('/x/a.py', 'a', summary('a'));
    b.set('/x/b.py', 'b', summary('b'));
    a.save();
    b.save();
    const fresh = new PersistentSummaryCache(dir);
    assert.equal(fresh.get('/x/a.py', 'a', 1, 1)?.summary.name, 'a');
    assert.equal(fresh.get('/x/b.py', 'b', 1, 1)?.summary.name, 'b');
    assert.equal(fresh.get('/x/b.py', 'b', 2, 1), undefined, 'another size is another file');
  });
});

describe('interpreter', () => {
  test('chosen from the setting, else a workspace venv, else python3 — never when untrusted', () => {
    const root = tempDir();
    assert.equal(chooseInterpreter({ roots: [root], trusted: false, setting: '/usr/bin/python3' }), undefined);
    assert.equal(chooseInterpreter({ roots: [root], trusted: true, setting: 'tools/py' }), join(root, 'tools', 'py'));
    assert.equal(chooseInterpreter({ roots: [root], trusted: true }), process.platform === 'win32' ? 'python' : 'python3');
    mkdirSync(join(root, '.venv', 'bin'), { recursive: true });
    writeFileSync(join(root, '.venv', 'bin', 'python'), '');
    if (process.platform !== 'win32') assert.equal(chooseInterpreter({ roots: [root], trusted: true }), join(root, '.venv', 'bin', 'python'));
  });

  test('sys.path is split into library and standard-library folders', () => {
    const env = parseProbe(
      'py',
      JSON.stringify({
        path: ['/usr/lib/python311.zip', '/usr/lib/python3.11', '/usr/lib/python3.11/lib-dynload', '/home/u/.local/lib/python3.11/site-packages', '/usr/lib/python3/dist-packages', '/opt/venv/lib/python3.11/site-packages'],
        stdlib: ['/usr/lib/python3.11', '/usr/lib/python3.11'],
        version: [3, 11],
      }),
    );
    assert.deepEqual(env.stdlibPaths, ['/usr/lib/python3.11', '/usr/lib/python3.11/lib-dynload']);
    assert.deepEqual(env.sitePaths, ['/home/u/.local/lib/python3.11/site-packages', '/usr/lib/python3/dist-packages', '/opt/venv/lib/python3.11/site-packages']);
  });

  test('a workspace interpreter runs only in a trusted workspace', { skip: process.platform === 'win32' && 'needs a POSIX shell script' }, () => {
    const root = tempDir();
    const marker = join(root, 'ran');
    mkdirSync(join(root, '.venv', 'bin'), { recursive: true });
    const exe = join(root, '.venv', 'bin', 'python');
    writeFileSync(exe, `#!/bin/sh\ntouch '${marker}'\necho '{"path": ["${root}/lib"], "stdlib": [], "version": [3, 12]}'\n`);
    chmodSync(exe, 0o755);
    const untrusted = new PythonProject({ roots: [root], trusted: false });
    assert.equal(untrusted.environment(), undefined);
    assert.equal(existsSync(marker), false);
    const trusted = new PythonProject({ roots: [root], trusted: true });
    assert.deepEqual(trusted.environment()?.sitePaths, [`${root}/lib`]);
    assert.equal(existsSync(marker), true);
  });
});

test('the venv-like fixture resolves through an environment given as sys.path folders', () => {
  assert.ok(existsSync(join(sitePackages, 'fakehttp', 'client.py')));
});
