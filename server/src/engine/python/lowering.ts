// The lowering walk: one tree-cursor pass over tree-sitter's tree that writes every visible node
// into the typed arrays of a SyntaxTree (tree.ts). Nothing after it calls into WebAssembly.
//
// The cursor's functions are called straight on the WebAssembly exports: web-tree-sitter's own
// TreeCursor copies the cursor through JS around every call, which made a walk cost more than the
// parse. A cursor lives in tree-sitter's transfer buffer between the calls; nothing else runs
// while the walk does.
import type { Language } from 'web-tree-sitter';
import { FIELD_NAMES, KIND_OF } from './grammar';
import { loadedBinding, parsePython, type ParsedNode, type Tree, type WasmExports } from './parser';
import { HAS_ERROR, MISSING, NAMED, SyntaxTree, type Node, type TreeArrays } from './tree';

/** tree-sitter's symbol for ERROR nodes. */
const ERROR_SYMBOL = 65535;

interface Tables {
  /** Per grammar symbol: our kind (the position in NODE_TYPES). */
  kindOf: Uint16Array;
  /** Per grammar symbol: NAMED or 0. */
  namedOf: Uint8Array;
  /** Per grammar field id: ours (the position in FIELD_NAMES). */
  fieldOf: Uint8Array;
}

let tables: { language: Language; tables: Tables } | undefined;

function tablesFor(language: Language): Tables {
  if (tables?.language === language) return tables.tables;
  const kindOf = new Uint16Array(ERROR_SYMBOL + 1);
  const namedOf = new Uint8Array(ERROR_SYMBOL + 1);
  for (let symbol = 0; symbol < language.types.length; symbol++) {
    const name = language.types[symbol];
    if (name === undefined || !language.nodeTypeIsVisible(symbol)) continue;
    const kind = KIND_OF.get(name);
    if (kind === undefined) throw new Error(`tree-sitter-python has a node type grammar.ts does not list: ${JSON.stringify(name)}`);
    kindOf[symbol] = kind;
    namedOf[symbol] = language.nodeTypeIsNamed(symbol) ? NAMED : 0;
  }
  kindOf[ERROR_SYMBOL] = KIND_OF.get('ERROR')!;
  namedOf[ERROR_SYMBOL] = NAMED;
  const fieldOf = new Uint8Array(language.fields.length);
  language.fields.forEach((name, id) => {
    if (name === null) return;
    const ours = (FIELD_NAMES as readonly string[]).indexOf(name);
    if (ours < 0) throw new Error(`tree-sitter-python has a field grammar.ts does not list: ${JSON.stringify(name)}`);
    fieldOf[id] = ours;
  });
  const built = { kindOf, namedOf, fieldOf };
  tables = { language, tables: built };
  return built;
}

/** What the walk asks of a cursor: one implementation on the WebAssembly exports, one on web-tree-sitter's TreeCursor. */
interface Cursor {
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  symbol(): number;
  field(): number;
  start(): number;
  end(): number;
  missing(): boolean;
  hasError(): boolean;
  dispose(): void;
}

class ExportsCursor implements Cursor {
  constructor(
    private readonly x: WasmExports,
    /** The tree's address in WebAssembly memory. */
    private readonly tree: number,
    /** Where tree-sitter's transfer buffer is, in 32-bit words. */
    private readonly buffer: number,
  ) {}

  firstChild(): boolean {
    return this.x._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }
  nextSibling(): boolean {
    return this.x._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }
  parent(): boolean {
    return this.x._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }
  symbol(): number {
    return this.x._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }
  field(): number {
    return this.x._ts_tree_cursor_current_field_id_wasm(this.tree);
  }
  start(): number {
    return this.x._ts_tree_cursor_start_index_wasm(this.tree);
  }
  end(): number {
    return this.x._ts_tree_cursor_end_index_wasm(this.tree);
  }
  missing(): boolean {
    return this.x._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1;
  }
  /** The current node's `hasError`: the node is copied into the buffer the cursor lives in, so the cursor is set aside. */
  hasError(): boolean {
    const b = this.buffer;
    let heap = this.x.HEAP32;
    const w0 = heap[b];
    const w1 = heap[b + 1];
    const w2 = heap[b + 2];
    const w3 = heap[b + 3];
    this.x._ts_tree_cursor_current_node_wasm(this.tree);
    const result = this.x._ts_node_has_error_wasm(this.tree) === 1;
    heap = this.x.HEAP32;
    heap[b] = w0;
    heap[b + 1] = w1;
    heap[b + 2] = w2;
    heap[b + 3] = w3;
    return result;
  }
  dispose(): void {
    this.x._ts_tree_cursor_delete_wasm(this.tree);
  }
}

type TreeCursor = ReturnType<ParsedNode['walk']>;

class PublicCursor implements Cursor {
  constructor(private readonly c: TreeCursor) {}
  firstChild(): boolean {
    return this.c.gotoFirstChild();
  }
  nextSibling(): boolean {
    return this.c.gotoNextSibling();
  }
  parent(): boolean {
    return this.c.gotoParent();
  }
  symbol(): number {
    return this.c.nodeTypeId;
  }
  field(): number {
    return this.c.currentFieldId;
  }
  start(): number {
    return this.c.startIndex;
  }
  end(): number {
    return this.c.endIndex;
  }
  missing(): boolean {
    return this.c.nodeIsMissing;
  }
  hasError(): boolean {
    return this.c.currentNode.hasError;
  }
  dispose(): void {
    this.c.delete();
  }
}

/** Lower through web-tree-sitter's TreeCursor even when the exports are at hand (for a test comparing the two). */
let publicCursorOnly = false;
export function usePublicCursorOnly(on: boolean): void {
  publicCursorOnly = on;
}

let transferBuffer: number | undefined;

function cursorAt(node: ParsedNode): Cursor {
  const { exports } = loadedBinding();
  // (asking for the buffer's address writes into it: never while a cursor is there)
  if (exports) transferBuffer ??= exports._ts_init() >> 2;
  const cursor = node.walk();
  // `walk()` has just left the new cursor in the transfer buffer, where the exports find it; the
  // cursor's own JS copy goes stale as it moves (its stack is reallocated) and is never used again
  if (exports && !publicCursorOnly) return new ExportsCursor(exports, (node.tree as unknown as { 0: number })[0], transferBuffer!);
  return new PublicCursor(cursor);
}

function allocate(count: number): TreeArrays {
  const size = count + 1;
  return {
    kind: new Uint16Array(size),
    start: new Uint32Array(size),
    end: new Uint32Array(size),
    parent: new Uint32Array(size),
    after: new Uint32Array(size),
    field: new Uint8Array(size),
    flags: new Uint8Array(size),
  };
}

/** Walks the subtree of `node` into arrays numbered from 1 (the node itself, whose parent and field are left 0). */
function walk(node: ParsedNode): { arrays: TreeArrays; count: number } {
  const count = node.descendantCount;
  const withErrors = node.hasError;
  const { kindOf, namedOf, fieldOf } = tablesFor(loadedBinding().language);
  const a = allocate(count);
  const { kind, start, end, parent, after, field, flags } = a;
  const cursor = cursorAt(node);
  const parents: number[] = [];
  let id = 0;
  try {
    for (;;) {
      id++;
      if (id > count) throw new Error('the lowering walk met more nodes than tree-sitter counted');
      const symbol = cursor.symbol();
      kind[id] = kindOf[symbol];
      const s = cursor.start();
      const e = cursor.end();
      start[id] = s;
      end[id] = e;
      let f = namedOf[symbol];
      if (parents.length) {
        parent[id] = parents[parents.length - 1];
        field[id] = fieldOf[cursor.field()];
      }
      // without an error in the subtree, no node is missing or holds an error
      if (withErrors) {
        if (s === e && cursor.missing()) f |= MISSING;
        if (cursor.hasError()) f |= HAS_ERROR;
      }
      flags[id] = f;
      if (cursor.firstChild()) {
        parents.push(id);
        continue;
      }
      after[id] = id + 1;
      for (;;) {
        if (cursor.nextSibling()) break;
        if (!parents.length || !cursor.parent()) {
          if (id !== count) throw new Error(`the lowering walk met ${id} nodes where tree-sitter counted ${count}`);
          return { arrays: a, count };
        }
        after[parents.pop()!] = id + 1;
      }
    }
  } finally {
    cursor.dispose();
  }
}

/** The lowered tree of a parsed text. */
export function lowerTree(tree: Tree, text: string): SyntaxTree {
  const { arrays, count } = walk(tree.rootNode);
  return new SyntaxTree(text, count, arrays);
}

/** Parses and lowers a text; tree-sitter's tree is freed at once. */
export function parseSyntax(text: string): SyntaxTree {
  const tree = parsePython(text);
  try {
    return lowerTree(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * The lowered tree after an edit inside `unit` (a node of `old`): `parsedUnit`, the same node in the
 * re-parsed tree, is lowered alone, and the nodes after it are moved by `delta` characters. The
 * caller has made sure the edit changed nothing outside the unit (tree-sitter's changed ranges).
 */
export function relowerUnit(old: SyntaxTree, unit: Node, parsedUnit: ParsedNode, text: string, delta: number): SyntaxTree {
  const part = walk(parsedUnit);
  const o = old.arrays;
  const u = unit as number;
  const oldAfter = o.after[u];
  const shift = part.count - (oldAfter - u);
  const count = old.count + shift;
  const a = allocate(count);
  // before the unit: unchanged
  for (const key of ['kind', 'start', 'end', 'parent', 'after', 'field', 'flags'] as const) (a[key] as Uint32Array).set((o[key] as Uint32Array).subarray(0, u));
  // the unit, renumbered from u
  const p = part.arrays;
  const base = u - 1;
  a.kind.set(p.kind.subarray(1), u);
  a.start.set(p.start.subarray(1), u);
  a.end.set(p.end.subarray(1), u);
  a.field.set(p.field.subarray(1), u);
  a.flags.set(p.flags.subarray(1), u);
  for (let i = 1; i <= part.count; i++) {
    a.parent[base + i] = p.parent[i] ? p.parent[i] + base : o.parent[u];
    a.after[base + i] = p.after[i] + base;
  }
  a.field[u] = o.field[u];
  // after the unit: renumbered and moved
  const to = u + part.count;
  a.kind.set(o.kind.subarray(oldAfter), to);
  a.field.set(o.field.subarray(oldAfter), to);
  a.flags.set(o.flags.subarray(oldAfter), to);
  for (let i = oldAfter, j = to; i <= old.count; i++, j++) {
    a.start[j] = o.start[i] + delta;
    a.end[j] = o.end[i] + delta;
    const parent = o.parent[i];
    a.parent[j] = parent >= oldAfter ? parent + shift : parent;
    a.after[j] = o.after[i] + shift;
  }
  // the ancestors hold the unit: their ends move, and whether they hold an error is tree-sitter's answer
  // (a unit parsed alone has no ancestors in its tree: above its root, they hold an error when it does)
  let parsed = parsedUnit.parent;
  for (let n = o.parent[u]; n; n = o.parent[n]) {
    a.after[n] = o.after[n] + shift;
    a.end[n] = o.end[n] + delta;
    if (parsed ? parsed.hasError : parsedUnit.hasError) a.flags[n] |= HAS_ERROR;
    else a.flags[n] &= ~HAS_ERROR;
    parsed = parsed?.parent ?? null;
  }
  return new SyntaxTree(text, count, a);
}

