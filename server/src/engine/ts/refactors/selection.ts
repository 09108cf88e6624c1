// Which statements a selection (or a cursor) stands for: the innermost statement of a block at a
// cursor, or the statements of one block (or of the file) that a selection spans.
import * as ts from 'typescript';
import { trimSelection, type Selection } from '../../refactors/runs';
import type { Context } from './independence';

type StatementList = ts.Block | ts.SourceFile;

export function listOf(statement: ts.Node): StatementList | undefined {
  const p = statement.parent;
  return p && (ts.isBlock(p) || ts.isSourceFile(p)) ? p : undefined;
}

/** The innermost statement of a block (or of the file) that holds the offset. */
function statementAt(sf: ts.SourceFile, offset: number): ts.Statement | undefined {
  let found: ts.Statement | undefined;
  const visit = (n: ts.Node): void => {
    if (offset < n.getStart(sf) || offset >= n.end) return;
    if (listOf(n)) found = n as ts.Statement;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}

export function statementsAt(ctx: Context, selection: Selection): { single?: ts.Statement; statements: ts.Statement[] } | undefined {
  const { start, end } = trimSelection(ctx.text, selection);
  if (start === end) {
    const statement = statementAt(ctx.sf, start);
    return statement ? { single: statement, statements: [statement] } : undefined;
  }
  const first = statementAt(ctx.sf, start);
  const last = statementAt(ctx.sf, end - 1);
  if (!first || !last) return undefined;
  const chainOf = (s: ts.Node) => {
    const chain: ts.Statement[] = [];
    for (let n: ts.Node | undefined = s; n; n = n.parent) if (listOf(n)) chain.push(n as ts.Statement);
    return chain;
  };
  const lastChain = chainOf(last);
  const from = chainOf(first).find((a) => lastChain.some((b) => b.parent === a.parent));
  const to = from && lastChain.find((b) => b.parent === from.parent);
  if (!from || !to) return undefined;
  if (from === to) return { single: from, statements: [from] };
  const all = listOf(from)!.statements;
  const i = all.indexOf(from);
  const j = all.indexOf(to);
  return i >= 0 && j > i ? { statements: all.slice(i, j + 1) } : undefined;
}
