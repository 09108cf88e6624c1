// `npm test`: installs what is missing, builds, type-checks, then runs every test file with node's
// test runner (unit, protocol, extension host, browser, Neovim). Node prints its summary; ours
// follows, counting skipped tests (whole skipped suites too) and saying why each was skipped.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstalled, root } from './ensure-installed.mjs';
import { summary } from './test-events.mjs';

ensureInstalled();
execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
execSync('npx tsc -p server', { cwd: root, stdio: 'inherit' });

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'artifacts') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = (only.length ? only : [...findTests(join(root, 'server', 'test')), ...findTests(join(root, 'test'))])
  .map((f) => relative(root, f))
  .sort();
const events = join(mkdtempSync(join(tmpdir(), 'asyncguard-test-')), 'events.jsonl');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx', '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(join(root, 'scripts', 'test-events.mjs')).href}`, `--test-reporter-destination=${events}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
console.log(summary(existsSync(events) ? readFileSync(events, 'utf8') : '', root));
process.exit(result.status ?? 1);
