// `npm run package`: builds, then packs the extension into asyncguard-VERSION.vsix with
// @vscode/vsce. Everything runs from the bundles (no node_modules, no download at run time); the
// language server's WebAssembly travels next to it. Prints the package's size.
//
// The package's README is the repository's, cut to what a user of the installed extension needs
// (packagedReadme): VS Code's extension page opens only web links, and the project has no web home,
// so it holds no links and no pictures.
import { execSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  'LICENSE',
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

/** The README sections that describe the extension itself (the others are about this repository). */
const README_SECTIONS = ['What it catches', 'In VS Code', 'Configuration files'];

/** The repository's README cut to README_SECTIONS, with pictures dropped and links reduced to their text. */
export function packagedReadme(markdown) {
  const [intro, ...sections] = markdown.split(/^(?=## )/m);
  const kept = sections.filter((s) => README_SECTIONS.includes(/^## (.*)/.exec(s)[1].trim()));
  const text = [intro, ...kept, '## License\n\nMIT: see the LICENSE file that comes with the extension.\n'].join('');
  return text
    .replace(/^[ \t]*!\[[^\]]*\]\([^)]*\)\n\n?/gm, '')
    .replace(/(?<!!)\[((?:[^\]\\]|\\.)*)\]\([^)]*\)/g, '$1')
    .replace(/\n{3,}/g, '\n\n');
}

/** Where the package is assembled: vsce walks every file under its folder, and .tools/ holds hundreds of thousands. */
export const stageDir = join(root, 'out', 'package');
/** What may go into the package (.vscodeignore then picks the files), copied to the stage. */
const STAGED = [
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'LICENSE',
  '.vscodeignore',
  'l10n',
  'client/out',
  'client/media',
  'server/out',
  'docs/rules',
  'docs/concepts',
  'syntaxes',
];

function stage() {
  rmSync(stageDir, { recursive: true, force: true });
  for (const entry of STAGED) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stageDir, entry), { recursive: true });
  }
  writeFileSync(join(stageDir, 'README.md'), packagedReadme(readFileSync(join(root, 'README.md'), 'utf8')));
}

const options = {
  cwd: stageDir,
  dependencies: false,
  allowMissingRepository: true,
  rewriteRelativeLinks: false,
};

/** The files the package will hold, relative to the repository (forward slashes); README.md is the packaged one. */
export async function packagedFiles() {
  stage();
  return (await vsce.listFiles({ ...options, packageManager: vsce.PackageManager.None })).map((f) => f.replace(/\\/g, '/'));
}

/** How many entries a zip file holds (its end-of-central-directory record says so). */
export function zipEntryCount(bytes) {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) return bytes.readUInt16LE(i + 10);
  }
  throw new Error('not a zip file');
}

/** Runs `fn` with console output dropped (vsce prints the file tree and its own summary). */
async function silently(fn) {
  const saved = { log: console.log, info: console.info, warn: console.warn };
  console.log = console.info = console.warn = () => {};
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

export async function packageExtension({ build = true, log = console.log, quiet = false } = {}) {
  // the rule settings must be the rule registry's (npm run rules:sync writes them)
  execSync('node --import tsx scripts/sync-rule-settings.ts --check', { cwd: root, stdio: quiet ? 'pipe' : 'inherit' });
  if (build) execSync('node scripts/build.mjs', { cwd: root, stdio: quiet ? 'pipe' : 'inherit' });
  const files = await packagedFiles();
  const missing = REQUIRED.filter((f) => !files.includes(f));
  const ruleDocs = files.filter((f) => f.startsWith('docs/rules/') && f.endsWith('.md'));
  if (missing.length) throw new Error(`the package would miss ${missing.join(', ')}`);
  if (ruleDocs.length === 0) log('warning: no docs/rules/*.md pages to package; explanations will not open');

  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packagePath = join(root, `asyncguard-${version}.vsix`);
  const pack = () => vsce.createVSIX({ ...options, packagePath });
  await (quiet ? silently(pack) : pack());
  const bytes = statSync(packagePath).size;
  const entries = zipEntryCount(readFileSync(packagePath));
  log(`${packagePath}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${entries} files (${ruleDocs.length} rule pages)`);
  return { packagePath, bytes, files, entries };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureInstalled();
  packageExtension().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
