// `npm run package`: builds, then packs the extension into asyncguard-VERSION.vsix with
// @vscode/vsce. Everything runs from the bundles (no node_modules, no download at run time); the
// language server's WebAssembly travels next to it. Prints the package's size.
import { execSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, root } from './ensure-installed.mjs';

const require = createRequire(import.meta.url);
const vsce = require('@vscode/vsce');

/** Files the installed extension cannot work without. */
const REQUIRED = [
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'l10n/bundle.l10n.zh-cn.json',
  'client/out/extension.js',
  'server/out/server.js',
  'server/out/lsp-worker.js',
  'server/out/ts-engine.js',
  'server/out/stdlib.tsv',
  'server/out/tree-sitter.wasm',
  'server/out/tree-sitter-python.wasm',
  'syntaxes/asyncguard-suppression.tmLanguage.json',
];

// The README's relative links and images point at the public repository.
const REPOSITORY_CONTENT = 'https://github.com/asyncguard/asyncguard/blob/HEAD/';
const REPOSITORY_IMAGES = 'https://github.com/asyncguard/asyncguard/raw/HEAD/';

const options = {
  cwd: root,
  dependencies: false,
  allowMissingRepository: true,
  skipLicense: true,
  baseContentUrl: REPOSITORY_CONTENT,
  baseImagesUrl: REPOSITORY_IMAGES,
};

/** The files the package will hold, relative to the repository (forward slashes). */
export async function packagedFiles() {
  return (await vsce.listFiles({ ...options, packageManager: vsce.PackageManager.None })).map((f) => f.replace(/\\/g, '/'));
}

export async function packageExtension({ build = true, log = console.log } = {}) {
  if (build) execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
  const files = await packagedFiles();
  const missing = REQUIRED.filter((f) => !files.includes(f));
  const ruleDocs = files.filter((f) => f.startsWith('docs/rules/') && f.endsWith('.md'));
  if (missing.length) throw new Error(`the package would miss ${missing.join(', ')}`);
  if (ruleDocs.length === 0) log('warning: no docs/rules/*.md pages to package; explanations will not open');

  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packagePath = join(root, `asyncguard-${version}.vsix`);
  await vsce.createVSIX({ ...options, packagePath });
  const bytes = statSync(packagePath).size;
  log(`${packagePath}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${files.length} files (${ruleDocs.length} rule pages)`);
  return { packagePath, bytes, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureInstalled();
  packageExtension().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
