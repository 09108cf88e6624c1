// Cross-module inference on real installed libraries: aiohttp, httpx and websockets as Debian packages
// them, found through the Debian interpreter's sys.path. Installs the packages with apt-get when they
// are missing (CI runs as root on a fresh machine); skips, saying why, where that is impossible.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { Analyzer } from '../../src/engine/analyzer';
import { PythonProject } from '../../src/engine/project/pythonProject';
import { expectMarks, splitLines } from '../python/fixture-marks';
import { projectFixtureRoot } from './fixture-projects';

const PACKAGES = ['python3-aiohttp', 'python3-httpx', 'python3-websockets'];
const DEBIAN_PYTHON = '/usr/bin/python3';

function installed(pkg: string): boolean {
  return spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout?.includes('install ok installed') ?? false;
}

/** Undefined when the packages are there (installing them if needed), else why the test cannot run. */
function ensurePackages(): string | undefined {
  if (spawnSync('dpkg-query', ['--version']).status !== 0) return 'not a Debian system (no dpkg-query)';
  const missing = PACKAGES.filter((p) => !installed(p));
  if (!missing.length) return undefined;
  if (spawnSync('apt-get', ['--version']).status !== 0) return `apt-get is unavailable to install ${missing.join(', ')}`;
  if (process.getuid?.() !== 0) return `${missing.join(', ')} missing and installing needs root`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) return `apt-get install ${missing.join(' ')} failed`;
  return undefined;
}

const skip = ensurePackages() ?? (existsSync(DEBIAN_PYTHON) ? undefined : `${DEBIAN_PYTHON} is missing`);
if (skip) console.log(`# skipping the Debian library tests: ${skip}`);

const root = join(projectFixtureRoot, 'debian');
const analyzer = new Analyzer({ python: new PythonProject({ roots: [root], trusted: true, interpreter: DEBIAN_PYTHON }) });
before(() => analyzer.init());

test('aiohttp, httpx and websockets: findings exactly on the expect marks', { skip }, () => {
  const path = join(root, 'use_libraries.py');
  const text = readFileSync(path, 'utf8');
  const lines = splitLines(text);
  const show = (line: number, rule: string) => `${line + 1}: ${rule}: ${lines[line].trim()}`;
  const expected = expectMarks(text).map((m) => show(m.line, m.rule));
  const actual = analyzer.analyze({ path, text }).findings.map((f) => show(f.range.start.line, f.rule));
  assert.deepEqual(actual.sort(), expected.sort());
});
