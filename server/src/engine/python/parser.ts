// Loads tree-sitter's Python grammar (WebAssembly) once and parses source text.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Node as ParsedNode, type Range, type Tree } from 'web-tree-sitter';

export type { ParsedNode, Tree };

/**
 * The tree-sitter functions the lowering walk calls directly (lowering.ts). web-tree-sitter makes
 * the options object given to `Parser.init` its Emscripten module, which holds the WebAssembly
 * exports; its own TreeCursor wraps each of these calls in a copy of the cursor through JS.
 */
export interface WasmExports {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_node_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_node_has_error_wasm(tree: number): number;
  HEAP32: Int32Array;
}

let parser: Parser | undefined;
let language: Language | undefined;
let exports: WasmExports | undefined;
let loading: Promise<void> | undefined;

/** The wasm files sit next to the bundle (server/out) or in node_modules when run from source. */
function locate(file: string, pkg: string): string {
  const bundled = join(__dirname, file);
  if (existsSync(bundled)) return bundled;
  return require.resolve(`${pkg}/${file}`);
}

const EXPORTED: ReadonlyArray<keyof WasmExports> = [
  '_ts_init', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm', '_ts_tree_cursor_current_node_is_missing_wasm', '_ts_tree_cursor_current_node_wasm',
  '_ts_tree_cursor_delete_wasm', '_ts_node_has_error_wasm', 'HEAP32',
];

export function loadParser(): Promise<void> {
  loading ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter');
    const module: Record<string, unknown> = { locateFile: () => runtime };
    await Parser.init(module);
    const lang = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python'));
    const p = new Parser();
    p.setLanguage(lang);
    parser = p;
    language = lang;
    // Another copy of web-tree-sitter initialised first, or a build without these exports: the
    // lowering walk then goes through web-tree-sitter's TreeCursor (same result, slower).
    exports = EXPORTED.every((name) => name in module) ? (module as unknown as WasmExports) : undefined;
  })();
  return loading;
}

export function parsePython(text: string, previous?: Tree): Tree {
  if (!parser) throw new Error('the Python parser is not loaded: await loadPythonEngine() first');
  const tree = parser.parse(text, previous);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Parses only `range` of the text (positions stay the whole text's): one function, re-parsed alone after an edit inside it. */
export function parsePythonRange(text: string, range: Range): Tree {
  if (!parser) throw new Error('the Python parser is not loaded: await loadPythonEngine() first');
  const tree = parser.parse(text, null, { includedRanges: [range] });
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** The loaded grammar and, when available, the WebAssembly exports the lowering walk calls. */
export function loadedBinding(): { language: Language; exports: WasmExports | undefined } {
  if (!language) throw new Error('the Python parser is not loaded: await loadPythonEngine() first');
  return { language, exports };
}
