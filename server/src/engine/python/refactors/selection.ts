// Which statements a selection (or a cursor) stands for: the innermost statement at a cursor, or
// the statements of one block that a selection spans.
import { trimSelection, type Selection } from '../../refactors/runs';
import type { Node } from '../parser';
import { statementsOf } from './awaited-statements';

/** The statement at a cursor (`single`), or the statements of one block a selection spans. */
export function statementsAt(text: string, root: Node, selection: Selection): { single?: Node; statements: Node[] } | undefined {
  const { start, end } = trimSelection(text, selection);
  if (start === end) {
    const statement = statementAt(root, start);
    return statement ? { single: statement, statements: [statement] } : undefined;
  }
  let first = statementAt(root, start);
  let last = statementAt(root, end - 1);
  if (!first || !last) return undefined;
  // both in the innermost block holding them
  const chainOf = (s: Node) => {
    const chain: Node[] = [];
    for (let n: Node | null = s; n; n = enclosingStatement(n)) chain.push(n);
    return chain;
  };
  const firstChain = chainOf(first);
  const lastChain = chainOf(last);
  const common = firstChain.find((a) => lastChain.some((b) => b.parent?.id === a.parent?.id));
  if (!common) return undefined;
  first = common;
  last = lastChain.find((b) => b.parent?.id === common.parent?.id)!;
  if (first.id === last.id) return { single: first, statements: [first] };
  const block = first.parent!;
  const all = statementsOf(block);
  const from = all.findIndex((s) => s.id === first!.id);
  const to = all.findIndex((s) => s.id === last!.id);
  if (from < 0 || to < from) return undefined;
  return { statements: all.slice(from, to + 1) };
}

/** The innermost statement of a block (not the module: top-level await is not Python) holding the offset. */
function statementAt(root: Node, offset: number): Node | undefined {
  for (let n: Node | null = root.descendantForIndex(offset, offset); n; n = n.parent) {
    if (n.parent?.type === 'block') return n;
  }
  return undefined;
}

function enclosingStatement(statement: Node): Node | null {
  for (let n = statement.parent; n; n = n.parent) if (n.parent?.type === 'block') return n;
  return null;
}
