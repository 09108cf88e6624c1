// Small facts about the syntax tree that several passes share.
import type { Node } from './parser';

/** The last statement of a block; a trailing comment is not one. */
export function lastStatement(body: Node): Node | null {
  const children = body.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) if (children[i] && children[i]!.type !== 'comment') return children[i];
  return null;
}

/** True when no function, lambda or class lies between `node` and `container`. */
export function ownedBy(node: Node, container: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.id === container.id) return true;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
  }
  return false;
}

/** The name of a function's first parameter (`self`), when it is a plain or annotated name. */
export function firstParameterName(def: Node): string | undefined {
  const first = def.childForFieldName('parameters')?.namedChild(0);
  if (first?.type === 'identifier') return first.text;
  if (first?.type === 'typed_parameter' || first?.type === 'default_parameter' || first?.type === 'typed_default_parameter') {
    const name = first.childForFieldName('name') ?? first.namedChildren.find((c) => c!.type === 'identifier');
    return name?.type === 'identifier' ? name.text : undefined;
  }
  return undefined;
}

/** The `return` statements of a function's own body (not of functions nested in it). */
export function ownReturns(def: Node, body: Node): Node[] {
  return body.descendantsOfType('return_statement').filter((r): r is Node => r !== null && ownedBy(r, def));
}

/** `from m import *` statements run at module level (inside `if`, `try` and `with` blocks too). */
export function starImportStatements(root: Node): Node[] {
  const found: Node[] = [];
  const visit = (block: Node) => {
    for (const stmt of block.namedChildren) {
      if (!stmt) continue;
      if (stmt.type === 'import_from_statement' && stmt.namedChildren.some((c) => c!.type === 'wildcard_import')) found.push(stmt);
      else if (['if_statement', 'try_statement', 'with_statement', 'block', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause'].includes(stmt.type)) visit(stmt);
    }
  };
  visit(root);
  return found;
}

/** The expression inside any parentheses around it. */
export function unparenthesized(node: Node | null): Node | null {
  let n = node;
  while (n?.type === 'parenthesized_expression' && n.namedChild(0)) n = n.namedChild(0);
  return n;
}
