// The same extension-host suite on a desktop VS Code, for developers who have one:
//   npm install --no-save @vscode/test-electron && node test/vscode/run-electron.mjs
// VSCODE_PATH=/path/to/code uses an installed VS Code instead of downloading one.
// (`npm test` runs the suite in code-server instead: test/vscode/extension-host.test.ts.)
import { execSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch {
  console.error('This runner needs @vscode/test-electron: npm install --no-save @vscode/test-electron');
  process.exit(2);
}

execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
const workspace = join(mkdtempSync(join(tmpdir(), 'asyncguard-electron-')), 'examples');
cpSync(join(root, 'examples'), workspace, { recursive: true });

try {
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_PATH || undefined,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'client', 'out', 'test', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`Extension tests failed: ${error}`);
  process.exit(1);
}
