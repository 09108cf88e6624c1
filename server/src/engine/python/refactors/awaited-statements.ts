// The statements "Run concurrently" rewrites, read off the syntax tree: `await call(...)` and
// `target = await call(...)` statements, the simple statements allowed between them, and
// `for x in xs: await call(x)` loops; with the names each one reads and writes.
import type { Node } from '../parser';

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

export function unparen(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  return n;
}

/** The call under `await`, when the expression is exactly `await call(...)` (parentheses allowed). */
function awaitedCallIn(expr: Node | null): Node | undefined {
  if (!expr) return undefined;
  const e = unparen(expr);
  if (e.type !== 'await') return undefined;
  const operand = e.namedChild(0);
  const call = operand ? unparen(operand) : undefined;
  return call?.type === 'call' ? call : undefined;
}

export function awaitedCallOf(statement: Node): AwaitedCall | undefined {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return undefined;
  const expr = statement.namedChild(0)!;
  if (expr.type === 'assignment') {
    const right = expr.childForFieldName('right');
    const left = expr.childForFieldName('left');
    const call = awaitedCallIn(right);
    if (!call || !left || !isSimpleTarget(left)) return undefined;
    return { statement, call, target: left, annotation: expr.childForFieldName('type') ?? undefined };
  }
  const call = awaitedCallIn(expr);
  return call ? { statement, call } : undefined;
}

export function awaitedLoopOf(statement: Node): AwaitedLoop | undefined {
  if (statement.type !== 'for_statement' || statement.child(0)?.type === 'async') return undefined;
  if (statement.childForFieldName('alternative')) return undefined;
  const left = statement.childForFieldName('left');
  const right = statement.childForFieldName('right');
  const body = statement.childForFieldName('body');
  if (!left || !right || !body || !isLoopTarget(left)) return undefined;
  const inner = statementsOf(body);
  if (inner.length !== 1) return undefined;
  const awaited = awaitedCallOf(inner[0]);
  if (!awaited || awaited.target) return undefined;
  return { statement, left, right, body, call: awaited.call };
}

/** The statements of a block, comments left out. */
export function statementsOf(block: Node): Node[] {
  return block.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** Names, `a.b.c` chains and `a[k]` with a plain key: targets whose evaluation runs no code of note. */
function isSimpleTarget(node: Node): boolean {
  switch (node.type) {
    case 'identifier':
      return true;
    case 'attribute':
      return isReference(node.childForFieldName('object'));
    case 'subscript': {
      const index = node.childForFieldName('subscript');
      return isReference(node.childForFieldName('value')) && !!index && (index.type === 'identifier' || isLiteral(index));
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
      return node.namedChildren.every((c) => c !== null && isSimpleTarget(c));
    case 'list_splat_pattern':
      return node.namedChild(0)?.type === 'identifier';
    default:
      return false;
  }
}

function isLoopTarget(node: Node): boolean {
  if (node.type === 'identifier') return true;
  if (node.type === 'pattern_list' || node.type === 'tuple_pattern' || node.type === 'list_pattern') {
    return node.namedChildren.every((c) => c !== null && isLoopTarget(c));
  }
  return false;
}

function isReference(node: Node | null): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return true;
  return node.type === 'attribute' && isReference(node.childForFieldName('object'));
}

function isLiteral(node: Node): boolean {
  return node.type === 'integer' || node.type === 'string' || node.type === 'true' || node.type === 'false' || node.type === 'none';
}

/** The name a target or a reference starts from: `self` for `self.a.b`, `d` for `d[k]`. */
export function rootName(node: Node): string | undefined {
  let n: Node | null = node;
  while (n && (n.type === 'attribute' || n.type === 'subscript')) n = n.childForFieldName(n.type === 'attribute' ? 'object' : 'value');
  return n?.type === 'identifier' ? n.text : undefined;
}

/** What a target binds: names it binds, and the roots of the attributes and items it sets. */
export function targetNames(target: Node): { bound: string[]; mutated: string[] } {
  const bound: string[] = [];
  const mutated: string[] = [];
  const visit = (n: Node) => {
    if (n.type === 'identifier') bound.push(n.text);
    else if (n.type === 'attribute' || n.type === 'subscript') {
      const root = rootName(n);
      if (root) mutated.push(root);
    } else for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(target);
  return { bound, mutated };
}

/** Nodes that make an expression more than a plain evaluation: they suspend or bind. */
const SUSPENDS_OR_BINDS = new Set(['await', 'yield', 'named_expression']);

export function suspendsOrBinds(node: Node): boolean {
  if (SUSPENDS_OR_BINDS.has(node.type)) return true;
  return node.namedChildren.some((c) => c !== null && suspendsOrBinds(c));
}

/**
 * Identifiers an expression reads (attribute names and keyword names are not reads). Names bound
 * inside it (lambda parameters, comprehension targets) count too: over-counting only makes the
 * refactoring offered less often.
 */
export function readNames(node: Node, out: Set<string> = new Set()): Set<string> {
  switch (node.type) {
    case 'identifier':
      out.add(node.text);
      return out;
    case 'attribute': {
      const object = node.childForFieldName('object');
      if (object) readNames(object, out);
      return out;
    }
    case 'keyword_argument': {
      const value = node.childForFieldName('value');
      if (value) readNames(value, out);
      return out;
    }
    default:
      for (const c of node.namedChildren) if (c) readNames(c, out);
      return out;
  }
}

/** The calls inside an expression (not the expression itself), in any nesting. */
export function innerCalls(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'call') out.push(c);
      visit(c);
    }
  };
  visit(node);
  return out;
}

/** `attribute` and `subscript` nodes inside an expression (outermost of each chain). */
export function memberReads(node: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    if (n.type === 'attribute' || n.type === 'subscript') {
      out.push(n);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
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
export function simpleStatementEffects(statement: Node): Effects | undefined {
  if (statement.type === 'pass_statement') return { reads: new Set(), writes: new Set() };
  if (statement.type !== 'expression_statement') return undefined;
  const reads = new Set<string>();
  const writes = new Set<string>();
  const visit = (n: Node): boolean => {
    switch (n.type) {
      case 'await':
      case 'yield':
        return false;
      case 'named_expression': {
        const name = n.childForFieldName('name');
        if (name) writes.add(name.text);
        const value = n.childForFieldName('value');
        return !value || visit(value);
      }
      case 'assignment':
      case 'augmented_assignment': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left) {
          const { bound, mutated } = targetNames(left);
          bound.forEach((b) => writes.add(b));
          mutated.forEach((m) => writes.add(m));
          // an attribute or item target reads its object and key; `x += 1` reads x
          if (n.type === 'augmented_assignment' || left.type !== 'identifier') readNames(left, reads);
        }
        return !right || visit(right);
      }
      default:
        if (n.type === 'identifier') reads.add(n.text);
        else if (n.type === 'attribute') {
          const object = n.childForFieldName('object');
          return !object || visit(object);
        } else if (n.type === 'keyword_argument') {
          const value = n.childForFieldName('value');
          return !value || visit(value);
        }
        return n.namedChildren.every((c) => c === null || visit(c));
    }
  };
  for (const c of statement.namedChildren) if (c && !visit(c)) return undefined;
  return { reads, writes };
}
