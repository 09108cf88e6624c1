// The lowered syntax tree of one file: tree-sitter's tree written once (lowering.ts) into typed
// arrays that every pass reads. A node is a number — its position in a pre-order walk, from 1 —
// so that reading a type, a range, a parent or a field costs an array access, and no JS object is
// made per node. 0 is no node: every accessor takes it and answers "nothing" ('' , 0, []).
//
// Children are the nodes between a node and the end of its subtree (`after`): a node's first child
// is the next number, and a child's next sibling is the end of the child's subtree.
import { lineAt } from '../text';
import { FIELD_IDS, NODE_TYPES, type FieldName, type NodeType } from './grammar';

/** A node of a SyntaxTree (0: none). Branded so that an offset is never taken for a node. */
export type Node = number & { readonly __node: unique symbol };

export const NO_NODE = 0 as Node;

export interface Point {
  row: number;
  column: number;
}

export const NAMED = 1;
export const MISSING = 2;
/** The node is an ERROR or MISSING node, or holds one (tree-sitter's `hasError`). */
export const HAS_ERROR = 4;

/** The arrays a SyntaxTree is made of; index 0 is the "no node" slot and stays zero. */
export interface TreeArrays {
  /** Position in NODE_TYPES. */
  kind: Uint16Array;
  /** Offsets in UTF-16 code units, as tree-sitter (and JS strings) count them. */
  start: Uint32Array;
  end: Uint32Array;
  parent: Uint32Array;
  /** The first node after this node's subtree. */
  after: Uint32Array;
  /** Position in FIELD_NAMES of the field this node is in its parent (0: none). */
  field: Uint8Array;
  flags: Uint8Array;
}

export class SyntaxTree {
  private starts: number[] | undefined;

  /**
   * @param text the text as parsed
   * @param count how many nodes there are (ids 1..count)
   */
  constructor(
    readonly text: string,
    readonly count: number,
    readonly arrays: TreeArrays,
  ) {}

  get root(): Node {
    return 1 as Node;
  }

  type(n: Node): NodeType {
    return NODE_TYPES[this.arrays.kind[n]];
  }

  isNamed(n: Node): boolean {
    return (this.arrays.flags[n] & NAMED) !== 0;
  }

  isMissing(n: Node): boolean {
    return (this.arrays.flags[n] & MISSING) !== 0;
  }

  hasError(n: Node): boolean {
    return (this.arrays.flags[n] & HAS_ERROR) !== 0;
  }

  startIndex(n: Node): number {
    return this.arrays.start[n];
  }

  endIndex(n: Node): number {
    return this.arrays.end[n];
  }

  /** The node's text ('' for no node). */
  textOf(n: Node): string {
    return n ? this.text.slice(this.arrays.start[n], this.arrays.end[n]) : '';
  }

  parent(n: Node): Node {
    return this.arrays.parent[n] as Node;
  }

  // ----- children, named or not -----

  firstChild(n: Node): Node {
    return n && n + 1 < this.arrays.after[n] ? ((n + 1) as Node) : NO_NODE;
  }

  nextSibling(n: Node): Node {
    const { after, parent } = this.arrays;
    const next = after[n];
    return n && next < after[parent[n]] ? (next as Node) : NO_NODE;
  }

  childCount(n: Node): number {
    let count = 0;
    for (let c = this.firstChild(n); c; c = this.nextSibling(c)) count++;
    return count;
  }

  child(n: Node, index: number): Node {
    let i = 0;
    for (let c = this.firstChild(n); c; c = this.nextSibling(c)) if (i++ === index) return c;
    return NO_NODE;
  }

  children(n: Node): Node[] {
    const out: Node[] = [];
    for (let c = this.firstChild(n); c; c = this.nextSibling(c)) out.push(c);
    return out;
  }

  // ----- named children -----

  firstNamedChild(n: Node): Node {
    let c = this.firstChild(n);
    while (c && !(this.arrays.flags[c] & NAMED)) c = this.nextSibling(c);
    return c;
  }

  nextNamedSibling(n: Node): Node {
    let c = this.nextSibling(n);
    while (c && !(this.arrays.flags[c] & NAMED)) c = this.nextSibling(c);
    return c;
  }

  namedChildCount(n: Node): number {
    let count = 0;
    for (let c = this.firstNamedChild(n); c; c = this.nextNamedSibling(c)) count++;
    return count;
  }

  namedChild(n: Node, index: number): Node {
    let i = 0;
    for (let c = this.firstNamedChild(n); c; c = this.nextNamedSibling(c)) if (i++ === index) return c;
    return NO_NODE;
  }

  namedChildren(n: Node): Node[] {
    const out: Node[] = [];
    for (let c = this.firstNamedChild(n); c; c = this.nextNamedSibling(c)) out.push(c);
    return out;
  }

  /** The last named child that is not a comment (a block's last statement). */
  lastNamedChild(n: Node): Node {
    let last = NO_NODE;
    for (let c = this.firstNamedChild(n); c; c = this.nextNamedSibling(c)) last = c;
    return last;
  }

  // ----- fields -----

  /** The first child in the field (tree-sitter's `childForFieldName`). */
  field(n: Node, name: FieldName): Node {
    const id = FIELD_IDS[name];
    const field = this.arrays.field;
    for (let c = this.firstChild(n); c; c = this.nextSibling(c)) if (field[c] === id) return c;
    return NO_NODE;
  }

  /** The text of the first child in the field, undefined when there is none (`childForFieldName(name)?.text`). */
  fieldText(n: Node, name: FieldName): string | undefined {
    const c = this.field(n, name);
    return c ? this.text.slice(this.arrays.start[c], this.arrays.end[c]) : undefined;
  }

  /** Every child in the field (tree-sitter's `childrenForFieldName`). */
  fieldChildren(n: Node, name: FieldName): Node[] {
    const id = FIELD_IDS[name];
    const field = this.arrays.field;
    const out: Node[] = [];
    for (let c = this.firstChild(n); c; c = this.nextSibling(c)) if (field[c] === id) out.push(c);
    return out;
  }

  // ----- searches -----

  /** The node and its descendants of the given types, in source order (tree-sitter's `descendantsOfType`). */
  descendantsOfType(n: Node, types: NodeType | readonly NodeType[]): Node[] {
    const out: Node[] = [];
    if (!n) return out;
    const { kind, after } = this.arrays;
    const wanted = typeof types === 'string' ? [types] : types;
    const kinds = new Set<number>();
    for (const t of wanted) kinds.add(NODE_TYPES.indexOf(t));
    const end = after[n];
    if (kinds.size === 1) {
      const k = kinds.values().next().value!;
      for (let i = n as number; i < end; i++) if (kind[i] === k) out.push(i as Node);
    } else for (let i = n as number; i < end; i++) if (kinds.has(kind[i])) out.push(i as Node);
    return out;
  }

  /** Whether any node of the type is in the subtree (the node included). */
  containsType(n: Node, type: NodeType): boolean {
    if (!n) return false;
    const { kind, after } = this.arrays;
    const k = NODE_TYPES.indexOf(type);
    const end = after[n];
    for (let i = n as number; i < end; i++) if (kind[i] === k) return true;
    return false;
  }

  /** Whether `n` is `ancestor` or lies inside it. */
  isWithin(n: Node, ancestor: Node): boolean {
    return n >= ancestor && n < this.arrays.after[ancestor];
  }

  /**
   * The smallest node, named or not, that spans the range, as tree-sitter's `descendantForIndex`
   * finds it from the root.
   */
  descendantForIndex(start: number, end: number = start): Node {
    if (start > end || this.count === 0) return NO_NODE;
    const a = this.arrays;
    let node = this.root;
    for (let descended = true; descended; ) {
      descended = false;
      for (let c = this.firstChild(node); c; c = this.nextSibling(c)) {
        const childEnd = a.end[c];
        // the child must reach the end of the range, and pass its start (or, when empty, touch it)
        if (childEnd < end) continue;
        if (a.start[c] === childEnd ? childEnd < start : childEnd <= start) continue;
        // ...and begin at or before the start of the range
        if (start < a.start[c]) break;
        node = c;
        descended = true;
        break;
      }
    }
    return node;
  }

  // ----- positions (rows and columns counted as tree-sitter counts them) -----

  /** Offsets of the start of each line (a line ends at `\n`; the text's lone `\r` were made `\n`). */
  get lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  rowAt(offset: number): number {
    return lineAt(this.lineStarts, offset);
  }

  pointAt(offset: number): Point {
    const row = this.rowAt(offset);
    return { row, column: offset - this.lineStarts[row] };
  }

  startPosition(n: Node): Point {
    return this.pointAt(this.arrays.start[n]);
  }

  endPosition(n: Node): Point {
    return this.pointAt(this.arrays.end[n]);
  }

  startRow(n: Node): number {
    return this.rowAt(this.arrays.start[n]);
  }

  endRow(n: Node): number {
    return this.rowAt(this.arrays.end[n]);
  }
}
