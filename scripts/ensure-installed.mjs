// `npm start` and `npm test` work on a fresh clone: install the npm dependencies when they are missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || !existsSync(join(root, 'node_modules', 'web-tree-sitter'))) {
    console.log('Installing npm dependencies (first run)...');
    execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  }
}
