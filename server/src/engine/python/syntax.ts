// Small facts about the syntax tree that several passes share.
import { NO_NODE, type Node, type SyntaxTree } from './tree';

/** The last statement of a block; a trailing comment is not one. */
export function lastStatement(tree: SyntaxTree, body: Node): Node {
  const children = tree.namedChildren(body);
  for (let i = children.length - 1; i >= 0; i--) if (tree.type(children[i]) !== 'comment') return children[i];
  return NO_NODE;
}

/** True when no function, lambda or class lies between `node` and `container`. */
export function ownedBy(tree: SyntaxTree, node: Node, container: Node): boolean {
  for (let n = tree.parent(node); n; n = tree.parent(n)) {
    if (n === container) return true;
    const type = tree.type(n);
    if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') return false;
  }
  return false;
}

/** The name of a function's first parameter (`self`), when it is a plain or annotated name. */
export function firstParameterName(tree: SyntaxTree, def: Node): string | undefined {
  const first = tree.namedChild(tree.field(def, 'parameters'), 0);
  const type = tree.type(first);
  if (type === 'identifier') return tree.textOf(first);
  if (type === 'typed_parameter' || type === 'default_parameter' || type === 'typed_default_parameter') {
    const name = tree.field(first, 'name') || tree.namedChildren(first).find((c) => tree.type(c) === 'identifier') || NO_NODE;
    return tree.type(name) === 'identifier' ? tree.textOf(name) : undefined;
  }
  return undefined;
}

/** The `return` statements of a function's own body (not of functions nested in it). */
export function ownReturns(tree: SyntaxTree, def: Node, body: Node): Node[] {
  return tree.descendantsOfType(body, 'return_statement').filter((r) => ownedBy(tree, r, def));
}

const STAR_IMPORT_BLOCKS = new Set(['if_statement', 'try_statement', 'with_statement', 'block', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause']);

/** `from m import *` statements run at module level (inside `if`, `try` and `with` blocks too). */
export function starImportStatements(tree: SyntaxTree, root: Node): Node[] {
  const found: Node[] = [];
  const visit = (block: Node) => {
    for (let stmt = tree.firstNamedChild(block); stmt; stmt = tree.nextNamedSibling(stmt)) {
      const type = tree.type(stmt);
      if (type === 'import_from_statement' && tree.namedChildren(stmt).some((c) => tree.type(c) === 'wildcard_import')) found.push(stmt);
      else if (STAR_IMPORT_BLOCKS.has(type)) visit(stmt);
    }
  };
  visit(root);
  return found;
}

/** The expression inside any parentheses around it. */
export function unparenthesized(tree: SyntaxTree, node: Node): Node {
  let n = node;
  while (tree.type(n) === 'parenthesized_expression' && tree.namedChild(n, 0)) n = tree.namedChild(n, 0);
  return n;
}
