// What `npm start` decides before the long part: which system packages to install (or the one
// command to ask for), and the demo folder, a scratch copy of examples/ that git ignores.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { demoFolder, prepareDemo } from '../../scripts/start.mjs';
import { BUILD_TOOLS, installPlan, missingPackages } from '../../scripts/system-packages.mjs';
import { hintFor, skipNativeBuilds } from '../../scripts/code-server.mjs';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-start-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm start: system packages', () => {
  const cases: { name: string; has: string[]; machine: { root: boolean; sudo: boolean; apt: boolean }; plan: object }[] = [
    { name: 'everything there: nothing to do', has: ['g++', 'make', 'python3'], machine: { root: false, sudo: false, apt: true }, plan: { kind: 'ready' } },
    {
      name: 'root installs what is missing with apt-get',
      has: ['python3'],
      machine: { root: true, sudo: false, apt: true },
      plan: {
        kind: 'install',
        packages: ['g++', 'make'],
        commands: [
          ['apt-get', 'update', '-qq'],
          ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', 'g++', 'make'],
        ],
      },
    },
    {
      name: 'passwordless sudo installs through sudo',
      has: ['g++', 'make'],
      machine: { root: false, sudo: true, apt: true },
      plan: {
        kind: 'install',
        packages: ['python3'],
        commands: [
          ['sudo', '-n', 'apt-get', 'update', '-qq'],
          ['sudo', '-n', 'apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', 'python3'],
        ],
      },
    },
    {
      name: 'without root: stop, naming the one command',
      has: [],
      machine: { root: false, sudo: false, apt: true },
      plan: { kind: 'stop', packages: ['g++', 'make', 'python3'], command: 'sudo apt-get install -y g++ make python3' },
    },
    {
      name: 'no apt-get: stop without a command to give',
      has: ['make'],
      machine: { root: true, sudo: false, apt: false },
      plan: { kind: 'stop', packages: ['g++', 'python3'], command: undefined },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const missing = missingPackages(BUILD_TOOLS, (command) => c.has.includes(command));
      assert.deepEqual(installPlan(missing, c.machine), c.plan);
    });
  }

  it('libkrb5-dev is not among them: the Kerberos module is not built', () => {
    assert.deepEqual(BUILD_TOOLS.map((t) => t.package), ['g++', 'make', 'python3']);
    const manifest = join(scratch, 'vscode-package.json');
    writeFileSync(manifest, JSON.stringify({ name: 'code-oss', allowScripts: { 'kerberos@2.1.1': true, 'node-pty@1.2.0-beta.15': true, ssh2: false } }));
    skipNativeBuilds(manifest, ['kerberos']);
    assert.deepEqual(JSON.parse(readFileSync(manifest, 'utf8')).allowScripts, { 'node-pty@1.2.0-beta.15': true, ssh2: false, kerberos: false });
  });

  it('a failed native build says what to install', () => {
    assert.equal(hintFor("gyp ERR! find Python \ngyp ERR! configure error"), 'node-gyp found no Python 3: install python3 (sudo apt-get install -y python3).');
    assert.equal(hintFor('make: g++: No such file or directory'), 'There is no C++ compiler: install g++ (sudo apt-get install -y g++).');
    assert.match(hintFor('npm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND')!, /^npm could not reach the registry/);
    assert.equal(hintFor('something else entirely'), undefined);
  });

  it('as a user who cannot install, npm start stops at once with the command, before any long step', () => {
    // A PATH with node and npm but no C++ compiler: the first install of code-server could not build.
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    const fresh = join(scratch, 'clone');
    cpSync(join(root, 'scripts'), join(fresh, 'scripts'), { recursive: true });
    writeFileSync(join(fresh, 'package.json'), readFileSync(join(root, 'package.json')));
    for (const tool of ['node', 'npm', 'sh', 'make', 'python3', 'apt-get']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } }).stdout.trim();
      if (found) spawnSync('ln', ['-sf', found, join(bin, tool)]);
    }
    // As root, the test runs it as the unprivileged user "nobody".
    const asUser = process.getuid?.() === 0 ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    spawnSync('chmod', ['-R', 'a+rwX', scratch]);
    const [command, ...args] = [...asUser, process.execPath, join(fresh, 'scripts', 'start.mjs')];
    const run = spawnSync(command, args, {
      cwd: fresh,
      encoding: 'utf8',
      env: { PATH: bin, HOME: scratch },
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, 'Starting AsyncGuard in VS Code (code-server). Every step below is reused on the next run.\n');
    assert.equal(
      run.stderr,
      "\ncode-server's first install builds native modules and needs g++, which is not installed. Install it (this needs root), then run npm start again:\n\n    sudo apt-get install -y g++\n\n",
    );
    assert.equal(existsSync(join(fresh, 'node_modules')), false, 'nothing was installed');
  });
});

describe('npm start: the demo folder', () => {
  const from = join(scratch, 'examples');
  const to = join(scratch, 'demo', 'examples');
  mkdirSync(join(from, 'orders', '__pycache__'), { recursive: true });
  writeFileSync(join(from, 'orders', 'service.py'), 'original\n');
  writeFileSync(join(from, 'orders', '__pycache__', 'service.cpython-311.pyc'), 'bytes');

  it('is a copy of examples/ without caches', () => {
    assert.equal(prepareDemo({ from, to }), 'copied');
    assert.equal(readFileSync(join(to, 'orders', 'service.py'), 'utf8'), 'original\n');
    assert.equal(existsSync(join(to, 'orders', '__pycache__')), false);
  });

  it('is refreshed on the next start: edits made in the demo are dropped, files added there removed', () => {
    writeFileSync(join(to, 'orders', 'service.py'), 'edited by a quick fix\n');
    writeFileSync(join(to, 'notes.txt'), 'mine\n');
    assert.equal(prepareDemo({ from, to }), 'refreshed');
    assert.equal(readFileSync(join(to, 'orders', 'service.py'), 'utf8'), 'original\n');
    assert.equal(existsSync(join(to, 'notes.txt')), false);
  });

  it('is kept as the user left it with --keep', () => {
    writeFileSync(join(to, 'orders', 'service.py'), 'edited by a quick fix\n');
    assert.equal(prepareDemo({ from, to, keep: true }), 'kept');
    assert.equal(readFileSync(join(to, 'orders', 'service.py'), 'utf8'), 'edited by a quick fix\n');
  });

  it('lives in a folder git ignores, outside examples/, so no change there shows in git status', () => {
    const rel = relative(root, join(demoFolder, 'orders', 'service.py'));
    assert.equal(rel, '.tools/demo/examples/orders/service.py');
    const ignored = spawnSync('git', ['check-ignore', '--no-index', '-q', rel], { cwd: root });
    assert.equal(ignored.status, 0, `${rel} is ignored by git`);
  });
});
