// Which statements a selection (or a cursor) stands for: the innermost statement at a cursor, or
// the statements of one block that a selection spans.
import { trimSelection, type Selection } from '../../refactors/runs';
import type { Node, SyntaxTree } from '../tree';
import { statementsOf } from './awaited-statements';

/** The statement at a cursor (`single`), or the statements of one block a selection spans. */
export function statementsAt(tree: SyntaxTree, selection: Selection): { single?: Node; statements: Node[] } | undefined {
  const { start, end } = trimSelection(tree.text, selection);
  if (start === end) {
    const statement = statementAt(tree, start);
    return statement ? { single: statement, statements: [statement] } : undefined;
  }
  let first = statementAt(tree, start);
  let last = statementAt(tree, end - 1);
  if (!first || !last) return undefined;
  // both in the innermost block holding them
  const chainOf = (s: Node) => {
    const chain: Node[] = [];
    for (let n = s; n; n = enclosingStatement(tree, n)) chain.push(n);
    return chain;
  };
  const firstChain = chainOf(first);
  const lastChain = chainOf(last);
  const common = firstChain.find((a) => lastChain.some((b) => tree.parent(b) === tree.parent(a)));
  if (!common) return undefined;
  first = common;
  last = lastChain.find((b) => tree.parent(b) === tree.parent(common))!;
  if (first === last) return { single: first, statements: [first] };
  const block = tree.parent(first);
  const all = statementsOf(tree, block);
  const from = all.indexOf(first);
  const to = all.indexOf(last);
  if (from < 0 || to < from) return undefined;
  return { statements: all.slice(from, to + 1) };
}

/** The innermost statement of a block (not the module: top-level await is not Python) holding the offset. */
function statementAt(tree: SyntaxTree, offset: number): Node | undefined {
  for (let n = tree.descendantForIndex(offset, offset); n; n = tree.parent(n)) {
    if (tree.type(tree.parent(n)) === 'block') return n;
  }
  return undefined;
}

function enclosingStatement(tree: SyntaxTree, statement: Node): Node {
  for (let n = tree.parent(statement); n; n = tree.parent(n)) if (tree.type(tree.parent(n)) === 'block') return n;
  return 0 as Node;
}
