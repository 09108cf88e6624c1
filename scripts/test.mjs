// `npm test`: installs what is missing, builds, type-checks, then runs every test file with node's
// test runner (unit, protocol, extension host, browser, Neovim). Node prints the summary CI reads.
import { execSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureInstalled, root } from './ensure-installed.mjs';

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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
