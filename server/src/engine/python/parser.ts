// Loads tree-sitter's Python grammar (WebAssembly) once and parses source text.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** The wasm files sit next to the bundle (server/out) or in node_modules when run from source. */
function locate(file: string, pkg: string): string {
  const bundled = join(__dirname, file);
  if (existsSync(bundled)) return bundled;
  return require.resolve(`${pkg}/${file}`);
}

export function loadParser(): Promise<void> {
  loading ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    const language = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
}

export function parsePython(text: string, previous?: Tree): Tree {
  if (!parser) throw new Error('the Python parser is not loaded: await loadPythonEngine() first');
  const tree = parser.parse(text, previous);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
