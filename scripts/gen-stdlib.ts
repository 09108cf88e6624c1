// Generates server/src/engine/python/stdlib/stdlib.json: summaries of the standard library's
// typeshed stubs (shipped inside the `pyright` npm package), so that what asyncio's API returns
// (coroutines, tasks, futures, event loops, streams...) is derived, not hand-written.
// Run: npm run gen:stdlib
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadParser, parsePython } from '../server/src/engine/python/parser';
import { summarizeModule, type ModuleSummary, type Sym } from '../server/src/engine/python/summary';

const root = join(__dirname, '..');
const typeshed = join(dirname(require.resolve('pyright/package.json', { paths: [root] })), 'dist', 'typeshed-fallback', 'stdlib');
const out = join(root, 'server', 'src', 'engine', 'python', 'stdlib', 'stdlib.json');

function* stubs(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* stubs(p);
    else if (name.endsWith('.pyi')) yield p;
  }
}

/** Untyped module-level variables tell the engine nothing; drop them to keep the table small. */
function prune(table: Record<string, Sym[]>): Record<string, Sym[]> {
  const kept: Record<string, Sym[]> = {};
  for (const [name, syms] of Object.entries(table)) {
    const useful = syms
      .filter((s) => !(s.k === 'var' && !s.t && !s.v))
      .map((s) => (s.k === 'class' ? { ...s, members: prune(s.members) } : s));
    if (useful.length) kept[name] = useful;
  }
  return kept;
}

async function main(): Promise<void> {
  await loadParser();
  const modules: Record<string, ModuleSummary> = {};
  for (const file of stubs(typeshed)) {
    const rel = relative(typeshed, file).replace(/\\/g, '/').replace(/\.pyi$/, '');
    const isPackage = rel.endsWith('/__init__') || rel === '__init__';
    const name = rel.replace(/\/__init__$/, '').split('/').join('.');
    const tree = parsePython(readFileSync(file, 'utf8'));
    const summary = summarizeModule(tree.rootNode, { moduleName: name, isPackage });
    tree.delete();
    summary.symbols = prune(summary.symbols);
    modules[name] = summary;
  }
  const version = JSON.parse(readFileSync(require.resolve('pyright/package.json', { paths: [root] }), 'utf8')).version;
  writeFileSync(out, JSON.stringify({ source: `typeshed stdlib stubs from pyright ${version}`, modules }) + '\n');
  console.log(`wrote ${relative(root, out)}: ${Object.keys(modules).length} modules`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
