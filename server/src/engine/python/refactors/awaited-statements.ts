// The statements "Run concurrently" rewrites, read off the syntax tree: `await call(...)` and
// `target = await call(...)` statements, the simple statements allowed between them, and
// `for x in xs: await call(x)` loops; with the names each one reads and writes.
import { NO_NODE, type Node, type SyntaxTree } from '../tree';

/** `await call(...)` as a statement, or assigned: `x = await call(...)`, `x: T = await call(...)`. */
export interface AwaitedCall {
  statement: Node;
  call: Node;
  target?: Node;
  annotation?: Node;
}

/** `for target in iterable: await call(...)`: one awaited call per item, its result dropped. */
export interface AwaitedLoop {
  statement: Node;
  left: Node;
  right: Node;
  body: Node;
  call: Node;
}

export function unparen(tree: SyntaxTree, node: Node): Node {
  let n = node;
  while (tree.type(n) === 'parenthesized_expression' && tree.namedChildCount(n) === 1) n = tree.namedChild(n, 0);
  return n;
}

/** The call under `await`, when the expression is exactly `await call(...)` (parentheses allowed). */
function awaitedCallIn(tree: SyntaxTree, expr: Node): Node | undefined {
  if (!expr) return undefined;
  const e = unparen(tree, expr);
  if (tree.type(e) !== 'await') return undefined;
  const operand = tree.namedChild(e, 0);
  const call = operand ? unparen(tree, operand) : NO_NODE;
  return tree.type(call) === 'call' ? call : undefined;
}

export function awaitedCallOf(tree: SyntaxTree, statement: Node): AwaitedCall | undefined {
  if (tree.type(statement) !== 'expression_statement' || tree.namedChildCount(statement) !== 1) return undefined;
  const expr = tree.namedChild(statement, 0);
  if (tree.type(expr) === 'assignment') {
    const right = tree.field(expr, 'right');
    const left = tree.field(expr, 'left');
    const call = awaitedCallIn(tree, right);
    if (!call || !left || !isSimpleTarget(tree, left)) return undefined;
    return { statement, call, target: left, annotation: tree.field(expr, 'type') || undefined };
  }
  const call = awaitedCallIn(tree, expr);
  return call ? { statement, call } : undefined;
}

export function awaitedLoopOf(tree: SyntaxTree, statement: Node): AwaitedLoop | undefined {
  if (tree.type(statement) !== 'for_statement' || tree.type(tree.firstChild(statement)) === 'async') return undefined;
  if (tree.field(statement, 'alternative')) return undefined;
  const left = tree.field(statement, 'left');
  const right = tree.field(statement, 'right');
  const body = tree.field(statement, 'body');
  if (!left || !right || !body || !isLoopTarget(tree, left)) return undefined;
  const inner = statementsOf(tree, body);
  if (inner.length !== 1) return undefined;
  const awaited = awaitedCallOf(tree, inner[0]);
  if (!awaited || awaited.target) return undefined;
  return { statement, left, right, body, call: awaited.call };
}

/** The statements of a block, comments left out. */
export function statementsOf(tree: SyntaxTree, block: Node): Node[] {
  return tree.namedChildren(block).filter((c) => tree.type(c) !== 'comment');
}

/** Names, `a.b.c` chains and `a[k]` with a plain key: targets whose evaluation runs no code of note. */
function isSimpleTarget(tree: SyntaxTree, node: Node): boolean {
  switch (tree.type(node)) {
    case 'identifier':
      return true;
    case 'attribute':
      return isReference(tree, tree.field(node, 'object'));
    case 'subscript': {
      const index = tree.field(node, 'subscript');
      return isReference(tree, tree.field(node, 'value')) && !!index && (tree.type(index) === 'identifier' || isLiteral(tree, index));
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
      return tree.namedChildren(node).every((c) => isSimpleTarget(tree, c));
    case 'list_splat_pattern':
      return tree.type(tree.namedChild(node, 0)) === 'identifier';
    default:
      return false;
  }
}

function isLoopTarget(tree: SyntaxTree, node: Node): boolean {
  const type = tree.type(node);
  if (type === 'identifier') return true;
  if (type === 'pattern_list' || type === 'tuple_pattern' || type === 'list_pattern') {
    return tree.namedChildren(node).every((c) => isLoopTarget(tree, c));
  }
  return false;
}

function isReference(tree: SyntaxTree, node: Node): boolean {
  const type = tree.type(node);
  if (type === 'identifier') return true;
  return type === 'attribute' && isReference(tree, tree.field(node, 'object'));
}

function isLiteral(tree: SyntaxTree, node: Node): boolean {
  const type = tree.type(node);
  return type === 'integer' || type === 'string' || type === 'true' || type === 'false' || type === 'none';
}

/** The name a target or a reference starts from: `self` for `self.a.b`, `d` for `d[k]`. */
export function rootName(tree: SyntaxTree, node: Node): string | undefined {
  let n = node;
  while (tree.type(n) === 'attribute' || tree.type(n) === 'subscript') n = tree.field(n, tree.type(n) === 'attribute' ? 'object' : 'value');
  return tree.type(n) === 'identifier' ? tree.textOf(n) : undefined;
}

/** What a target binds: names it binds, and the roots of the attributes and items it sets. */
export function targetNames(tree: SyntaxTree, target: Node): { bound: string[]; mutated: string[] } {
  const bound: string[] = [];
  const mutated: string[] = [];
  const visit = (n: Node) => {
    const type = tree.type(n);
    if (type === 'identifier') bound.push(tree.textOf(n));
    else if (type === 'attribute' || type === 'subscript') {
      const root = rootName(tree, n);
      if (root) mutated.push(root);
    } else for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) visit(c);
  };
  visit(target);
  return { bound, mutated };
}

/** Nodes that make an expression more than a plain evaluation: they suspend or bind. */
const SUSPENDS_OR_BINDS = new Set(['await', 'yield', 'named_expression']);

export function suspendsOrBinds(tree: SyntaxTree, node: Node): boolean {
  if (SUSPENDS_OR_BINDS.has(tree.type(node))) return true;
  return tree.namedChildren(node).some((c) => suspendsOrBinds(tree, c));
}

/**
 * Identifiers an expression reads (attribute names and keyword names are not reads). Names bound
 * inside it (lambda parameters, comprehension targets) count too: over-counting only makes the
 * refactoring offered less often.
 */
export function readNames(tree: SyntaxTree, node: Node, out: Set<string> = new Set()): Set<string> {
  switch (tree.type(node)) {
    case 'identifier':
      out.add(tree.textOf(node));
      return out;
    case 'attribute': {
      const object = tree.field(node, 'object');
      if (object) readNames(tree, object, out);
      return out;
    }
    case 'keyword_argument': {
      const value = tree.field(node, 'value');
      if (value) readNames(tree, value, out);
      return out;
    }
    default:
      for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) readNames(tree, c, out);
      return out;
  }
}

/** The calls inside an expression (not the expression itself), in any nesting. */
export function innerCalls(tree: SyntaxTree, node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) {
      if (tree.type(c) === 'call') out.push(c);
      visit(c);
    }
  };
  visit(node);
  return out;
}

/** `attribute` and `subscript` nodes inside an expression (outermost of each chain). */
export function memberReads(tree: SyntaxTree, node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    const type = tree.type(n);
    if (type === 'attribute' || type === 'subscript') {
      out.push(n);
      return;
    }
    for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) visit(c);
  };
  visit(node);
  return out;
}

/** What a statement allowed between the awaited calls reads and writes. */
export interface Effects {
  reads: Set<string>;
  writes: Set<string>;
}

/**
 * A statement that may sit between the awaited calls and move after them: an expression or an
 * assignment that does not suspend (no await, no yield), or `pass`. Anything with control flow
 * (return, raise, if, loops, with, try, def) does not.
 */
export function simpleStatementEffects(tree: SyntaxTree, statement: Node): Effects | undefined {
  if (tree.type(statement) === 'pass_statement') return { reads: new Set(), writes: new Set() };
  if (tree.type(statement) !== 'expression_statement') return undefined;
  const reads = new Set<string>();
  const writes = new Set<string>();
  const visit = (n: Node): boolean => {
    const type = tree.type(n);
    switch (type) {
      case 'await':
      case 'yield':
        return false;
      case 'named_expression': {
        const name = tree.field(n, 'name');
        if (name) writes.add(tree.textOf(name));
        const value = tree.field(n, 'value');
        return !value || visit(value);
      }
      case 'assignment':
      case 'augmented_assignment': {
        const left = tree.field(n, 'left');
        const right = tree.field(n, 'right');
        if (left) {
          const { bound, mutated } = targetNames(tree, left);
          bound.forEach((b) => writes.add(b));
          mutated.forEach((m) => writes.add(m));
          // an attribute or item target reads its object and key; `x += 1` reads x
          if (type === 'augmented_assignment' || tree.type(left) !== 'identifier') readNames(tree, left, reads);
        }
        return !right || visit(right);
      }
      default:
        if (type === 'identifier') reads.add(tree.textOf(n));
        else if (type === 'attribute') {
          const object = tree.field(n, 'object');
          return !object || visit(object);
        } else if (type === 'keyword_argument') {
          const value = tree.field(n, 'value');
          return !value || visit(value);
        }
        return tree.namedChildren(n).every((c) => visit(c));
    }
  };
  for (let c = tree.firstNamedChild(statement); c; c = tree.nextNamedSibling(c)) if (!visit(c)) return undefined;
  return { reads, writes };
}
