// `npm start` and `npm test` work on a fresh clone: install the npm dependencies when they are missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function needsInstall() {
  return !existsSync(join(root, 'node_modules', '.package-lock.json')) || !existsSync(join(root, 'node_modules', 'web-tree-sitter'));
}

/** With `quiet`, npm's output is kept and shown only when it fails (as the error's stderr). */
export function ensureInstalled({ quiet = false } = {}) {
  if (!needsInstall()) return;
  if (!quiet) console.log('Installing npm dependencies (first run)...');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: quiet ? 'pipe' : 'inherit' });
}
