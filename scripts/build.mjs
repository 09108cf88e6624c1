// Bundles the CLI, the language server and the extension with esbuild, and copies the
// WebAssembly the engine loads at run time next to the bundles.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { root } from './ensure-installed.mjs';

const require = createRequire(join(root, 'server', 'package.json'));
const serverOut = join(root, 'server', 'out');
mkdirSync(serverOut, { recursive: true });

const entries = [
  { in: 'server/src/cli/main.ts', out: 'server/out/cli.js', external: [] },
  { in: 'server/src/lsp/main.ts', out: 'server/out/server.js', external: [] },
  { in: 'server/src/lsp/analysisWorker.ts', out: 'server/out/lsp-worker.js', external: [] },
  { in: 'server/src/cli/parallel-worker.ts', out: 'server/out/analyze-worker.js', external: [] },
  // loaded by the others on their first TypeScript or JavaScript file (engine/analyzer.ts)
  { in: 'server/src/engine/ts/index.ts', out: 'server/out/ts-engine.js', external: [] },
  { in: 'client/src/extension.ts', out: 'client/out/extension.js', external: ['vscode'] },
];

for (const e of entries) {
  if (!existsSync(join(root, e.in))) continue;
  await build({
    entryPoints: [join(root, e.in)],
    outfile: join(root, e.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: e.external,
    // ESM dependencies (web-tree-sitter) read import.meta.url, which a CommonJS bundle lacks.
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
    // jsonc-parser's UMD build requires its parts at run time; its ES modules bundle whole
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    logLevel: 'warning',
  });
}

// The extension-host test suite is transpiled file by file (not bundled): mocha loads the files
// at run time from client/out/test, the extensionTestsPath VS Code is given.
const clientTests = join(root, 'client', 'src', 'test');
if (existsSync(clientTests)) {
  await build({
    entryPoints: [join(clientTests, '**', '*.ts')],
    outdir: join(root, 'client', 'out', 'test'),
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
}

for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(require.resolve(wasm), join(serverOut, wasm.split('/')[1]));
}
// TypeScript's lib.*.d.ts: the bundled compiler looks for them beside the bundle that runs it.
const tsLib = dirname(require.resolve('typescript/lib/lib.es5.d.ts'));
for (const name of readdirSync(tsLib)) {
  if (/^lib\..*\.d\.ts$/.test(name)) copyFileSync(join(tsLib, name), join(serverOut, name));
}
// The standard library's summaries, read at run time next to the bundle.
copyFileSync(join(root, 'server', 'src', 'engine', 'python', 'stdlib', 'stdlib.tsv'), join(serverOut, 'stdlib.tsv'));
