// Editing one statement of a function: which statements an edit inside a unit (units.ts) can change.
// Used by the engine (index.ts) to re-check only the edited statements after a keystroke, on the
// updated program, instead of the whole function: with a fresh type checker for every program, the
// types every other statement of the function touches would otherwise be computed again.
//
// An edit reaches no other statement when the statements it changes, before and after it, are
// isolated expression statements: nothing in them (nested functions included) assigns, increments
// or deletes anything, so no other statement's narrowing or closure analysis changes (TypeScript
// narrows a captured variable only past its last assignment anywhere in the function), they declare
// nothing, and a call as the whole statement is not an assertion (`asserts x`) nor returns `never`
// (the only calls the type checker's control flow looks into). Their findings then depend only on
// the statements before them, which the edit left alone, and the findings elsewhere on nothing the
// edit changed. Outside those statements, two things still read them: an expression statement right
// after them, checked again too (its “.catch” fix adds a leading “;” depending on how the statement
// before it ends), and the suppression fix of a finding on the line where the edited statements
// end, which reads that line's text up to the finding: it is required to be what it was.
//
// The statements are found in the innermost block that holds the edit without a function between it
// and the unit's body: the body itself, a nested block, the blocks of `if`/`else`, `try`/`catch`/
// `finally`, loops and labels. Positions are compared the way units.ts compares the outline: the
// statements before the edit keep theirs, those after it move by the edit's length, and the
// blocks on the way keep their start and move their end.
import * as ts from 'typescript';
import type { Unit } from './units';
import { isAssignmentOperator, unparen } from './syntax';

interface Extent {
  start: number;
  end: number;
  kind: ts.SyntaxKind;
}

/** One step down from a statement list: the statement at `index`, then its `slot`-th block. */
interface Step {
  index: number;
  slot: number;
}

/** What the old tree says about the edited statements, read before the incremental parse reuses its nodes. */
export interface StatementEdit {
  path: Step[];
  /** The blocks on the path, outermost first. */
  blocks: Extent[];
  /** Every statement of the innermost block. */
  statements: Extent[];
  /** The statements the edit touches: [first, last]; none when last < first. */
  first: number;
  last: number;
  /** The edited range of the old text. */
  start: number;
  oldEnd: number;
}

/** The statements to check again in the new tree, and the old range whose findings they replace. */
export interface StatementCheck {
  nodes: ts.Statement[];
  /** Findings of the old text that start in [start, end) are replaced. */
  replacedStart: number;
  replacedEnd: number;
}

function extent(sf: ts.SourceFile, n: ts.Node): Extent {
  return { start: n.getStart(sf), end: n.end, kind: n.kind };
}

/** The block body of the unit's function, if it has one. */
function bodyOf(node: ts.Node): ts.Block | undefined {
  let fn: ts.Node | undefined = node;
  if (ts.isVariableStatement(node)) fn = node.declarationList.declarations[0]?.initializer;
  else if (ts.isPropertyDeclaration(node)) fn = node.initializer;
  const body = fn && (ts.isFunctionLike(fn) ? (fn as ts.FunctionLikeDeclaration).body : undefined);
  return body && ts.isBlock(body) ? body : undefined;
}

/** The blocks directly inside a statement, in a fixed order (the `slot` of a Step). */
function blocksOf(s: ts.Statement): (ts.Block | undefined)[] {
  const block = (n: ts.Node | undefined) => (n && ts.isBlock(n) ? n : undefined);
  if (ts.isBlock(s)) return [s];
  if (ts.isIfStatement(s)) return [block(s.thenStatement), block(s.elseStatement)];
  if (ts.isTryStatement(s)) return [s.tryBlock, s.catchClause?.block, s.finallyBlock];
  if (ts.isIterationStatement(s, false) || ts.isLabeledStatement(s)) return [block(s.statement)];
  return [];
}

/** The innermost block holding [start, end) (see the header), the way down to it, and the statements the range touches. */
function locate(sf: ts.SourceFile, unit: Unit, start: number, end: number): { block: ts.Block; path: Step[]; blocks: ts.Block[]; first: number; last: number } | undefined {
  let block = bodyOf(unit.node);
  if (!block || !(block.getStart(sf) < start && end < block.end)) return undefined;
  const path: Step[] = [];
  const blocks: ts.Block[] = [block];
  for (;;) {
    const list: ts.NodeArray<ts.Statement> = block.statements;
    let first = 0;
    while (first < list.length && list[first].end < start) first++;
    let last = first - 1;
    while (last + 1 < list.length && list[last + 1].getStart(sf) <= end) last++;
    if (first === last) {
      const inner = blocksOf(list[first]).findIndex((b) => !!b && b.getStart(sf) < start && end < b.end);
      if (inner >= 0) {
        path.push({ index: first, slot: inner });
        block = blocksOf(list[first])[inner]!;
        blocks.push(block);
        continue;
      }
    }
    return { block, path, blocks, first, last };
  }
}

/** The statements of the old unit an edit of [start, oldEnd) touches (see the header), or undefined. */
export function statementEditAt(sf: ts.SourceFile, unit: Unit, start: number, oldEnd: number): StatementEdit | undefined {
  const at = locate(sf, unit, start, oldEnd);
  if (!at) return undefined;
  const { block, path, blocks, first, last } = at;
  return { path, blocks: blocks.map((b) => extent(sf, b)), statements: block.statements.map((s) => extent(sf, s)), first, last, start, oldEnd };
}

/**
 * The statements of the new unit that overlap the edited text [start, end) of the new text, for an
 * answer that checks only them (marked partial: what they change elsewhere follows later), and the
 * range of the old text whose findings they replace.
 */
export function statementsAtEdit(sf: ts.SourceFile, unit: Unit, start: number, end: number, delta: number): StatementCheck | undefined {
  const at = locate(sf, unit, start, end);
  if (!at) return undefined;
  const nodes = at.block.statements.slice(at.first, at.last + 1);
  const oldEnd = end - delta;
  if (!nodes.length) return { nodes, replacedStart: start, replacedEnd: oldEnd };
  return {
    nodes,
    replacedStart: Math.min(start, nodes[0].getStart(sf)),
    replacedEnd: Math.max(oldEnd, nodes[nodes.length - 1].end - delta),
  };
}

/**
 * Whether an edit only changes the layout between statements: it removes and inserts white space
 * right after a block's `{` or a statement's `;` (where no line break can change how the next token
 * is read), and the next token stays on a line of its own with the same text before it (a finding
 * there keeps its line, which its suppression fix reads). Nothing needs checking then; the findings
 * move with the text. `text` is the new text, where the edit inserted `newLength` characters at `start`.
 */
export function isLayoutEdit(
  sf: ts.SourceFile,
  unit: Unit,
  start: number,
  oldEnd: number,
  text: string,
  newLength: number,
  sameLineBefore: (offset: number) => boolean,
): boolean {
  const old = sf.text;
  const blank = /^[ \t\r\n]*$/;
  if (!blank.test(text.slice(start, start + newLength)) || !blank.test(old.slice(start, oldEnd))) return false;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  let p = start - 1;
  while (p >= 0 && space(old[p])) p--;
  let q = oldEnd;
  while (q < old.length && space(old[q])) q++;
  if (!/[\r\n]/.test(old.slice(p + 1, q)) || !sameLineBefore(q + newLength - (oldEnd - start))) return false;
  const at = locate(sf, unit, start, oldEnd);
  if (!at) return false;
  if (old[p] === '{') return at.block.getStart(sf) === p;
  return old[p] === ';' && at.block.statements.some((s) => s.end === p + 1);
}

/** The old edited statements are isolated (checked on the old program's checker, before the update). */
export function touchedAreIsolated(checker: ts.TypeChecker, unit: Unit, edit: StatementEdit): boolean {
  const list = blockAt(unit, edit.path)?.statements;
  if (!list) return false;
  for (let i = edit.first; i <= edit.last; i++) if (!isIsolated(checker, list[i])) return false;
  return true;
}

function blockAt(unit: Unit, path: readonly Step[]): ts.Block | undefined {
  let block = bodyOf(unit.node);
  for (const step of path) {
    const s = block?.statements[step.index];
    block = s && blocksOf(s)[step.slot];
  }
  return block;
}

/**
 * The statements to check in the new unit, when the edit kept the blocks on its path and every
 * statement around the edited ones, and the statements it left there are isolated.
 */
export function statementsAfterEdit(
  checker: ts.TypeChecker,
  sf: ts.SourceFile,
  unit: Unit,
  edit: StatementEdit,
  delta: number,
  sameLineBefore: (offset: number) => boolean,
): StatementCheck | undefined {
  let block = bodyOf(unit.node);
  const sameBlock = (b: ts.Block | undefined, old: Extent) => !!b && b.getStart(sf) === old.start && b.end === old.end + delta;
  if (!sameBlock(block, edit.blocks[0])) return undefined;
  for (let i = 0; i < edit.path.length; i++) {
    const step = edit.path[i];
    const s = block!.statements[step.index];
    block = s && blocksOf(s)[step.slot];
    if (!sameBlock(block, edit.blocks[i + 1])) return undefined;
  }
  const list = block!.statements;
  const old = edit.statements;
  const kept = old.length - (edit.last + 1); // statements after the edited ones
  const newLast = list.length - kept - 1;
  if (newLast < edit.first - 1) return undefined;
  for (let i = 0; i < edit.first; i++) {
    const s = list[i];
    if (s.kind !== old[i].kind || s.getStart(sf) !== old[i].start || s.end !== old[i].end) return undefined;
  }
  for (let i = 0; i < kept; i++) {
    const s = list[newLast + 1 + i];
    const o = old[edit.last + 1 + i];
    if (s.kind !== o.kind || s.getStart(sf) !== o.start + delta || s.end !== o.end + delta) return undefined;
  }
  const nodes: ts.Statement[] = [];
  for (let i = edit.first; i <= newLast; i++) {
    if (!isIsolated(checker, list[i])) return undefined;
    nodes.push(list[i]);
  }
  // What is kept after the edit keeps the text of its line before it (a suppression fix reads it).
  const next = list[newLast + 1];
  const after = next ? next.getStart(sf) : block!.end - 1;
  if (!sameLineBefore(after)) return undefined;
  let replacedEnd = edit.oldEnd;
  if (edit.last >= edit.first) replacedEnd = Math.max(replacedEnd, old[edit.last].end);
  if (next && ts.isExpressionStatement(next)) {
    nodes.push(next);
    replacedEnd = old[edit.last + 1].end;
  }
  const replacedStart = Math.min(edit.start, edit.last >= edit.first ? old[edit.first].start : edit.start);
  return { nodes, replacedStart, replacedEnd };
}

/** See the header: an expression statement that changes nothing another statement's types or flow depend on. */
function isIsolated(checker: ts.TypeChecker, s: ts.Statement): boolean {
  if (!ts.isExpressionStatement(s)) return false;
  let quiet = true;
  const visit = (n: ts.Node): void => {
    if (!quiet) return;
    if (
      (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) ||
      ts.isDeleteExpression(n) ||
      ts.isYieldExpression(n)
    ) {
      quiet = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(s.expression);
  if (!quiet) return false;
  const call = unparen(s.expression);
  if (!ts.isCallExpression(call)) return true;
  const calleeType = checker.getApparentType(checker.getTypeAtLocation(call.expression));
  const signatures = [...calleeType.getCallSignatures(), checker.getResolvedSignature(call)];
  return signatures.every((sig) => !sig || (!checker.getTypePredicateOfSignature(sig) && !(sig.getReturnType().flags & ts.TypeFlags.Never)));
}
