// The floor no analysis can beat: read and parse every file with web-tree-sitter's Python grammar
// (the same WebAssembly the engine loads), and nothing else. Run as its own process so its wall
// time and peak RSS compare with the CLI's.
//
//   node bench/parse-files.mjs LIST_FILE [--threads N]
// LIST_FILE holds one path per line. Prints {"files", "bytes", "errors", "ms"} as JSON.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

async function makeParser() {
  await Parser.init();
  const parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')));
  return parser;
}

function parseFiles(parser, paths) {
  let bytes = 0;
  let errors = 0;
  for (const path of paths) {
    const buf = readFileSync(path);
    bytes += buf.length;
    const tree = parser.parse(buf.toString('utf8'));
    if (tree.rootNode.hasError) errors++;
    tree.delete();
  }
  return { files: paths.length, bytes, errors };
}

if (isMainThread) {
  const listFile = process.argv[2];
  const threadsArg = process.argv.indexOf('--threads');
  const threads = threadsArg > 0 ? Number(process.argv[threadsArg + 1]) : 1;
  const paths = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const start = performance.now();
  let total;
  if (threads <= 1) {
    total = parseFiles(await makeParser(), paths);
  } else {
    // Deal the files round-robin so each thread gets a similar mix of sizes.
    const shares = Array.from({ length: threads }, (_, t) => paths.filter((_, i) => i % threads === t));
    const parts = await Promise.all(
      shares.map(
        (share) =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: share });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    total = parts.reduce((a, p) => ({ files: a.files + p.files, bytes: a.bytes + p.bytes, errors: a.errors + p.errors }), { files: 0, bytes: 0, errors: 0 });
  }
  process.stdout.write(JSON.stringify({ ...total, ms: performance.now() - start }) + '\n');
} else {
  parentPort.postMessage(parseFiles(await makeParser(), workerData));
}
