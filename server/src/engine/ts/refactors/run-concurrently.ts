// "Run concurrently" for TypeScript/JavaScript: consecutive independent awaits become one
// `await Promise.all([...])` — `const user = await load(1); const feed = await load(2);` becomes
// `const [user, feed] = await Promise.all([load(1), load(2)]);`, keeping `const`/`let`, names and
// types — and `for (const u of urls) await fetch(u);` becomes
// `await Promise.all(urls.map((u) => fetch(u)));`. A refactoring the user asks for, never a fix:
// the calls then overlap in time, and the title says so. Offered only where the calls are
// independent as far as the code shows (independence.ts: no earlier result used, no two calls on
// one object or given one, none there to wait), and never inside a `try` block: its `catch` or
// `finally` would run while the other calls still do.
import * as ts from 'typescript';
import { lineStarts, positionAt } from '../../text';
import type { Refactor, TextEdit } from '../../types';
import { awaitedCallOf, awaitedLoopOf, boundRefs, readRefs, simpleStatementEffects, suspendsOrWrites, type AwaitedLoop, type Ref } from './awaited-statements';
import { earlyEvaluationProblem, givenRefs, hasGlobal, independence, insideTryOrUsing, isPlainData, receiverOf, waits, type Context, type Item } from './independence';
import { callsOf, runAround, runBetween, runConcurrentlyTitle, type Selection } from '../../refactors/runs';
import { listOf, statementsAt } from './selection';
import { needsParensForMember } from '../fixes';
import { commentsAmong, commentsInside, deeper, layoutOf, needsAsiGuard, resultsHead, trailingText } from './writing';

const LONG_LINE = 100;

export function runConcurrently(sf: ts.SourceFile, program: ts.Program, selection: Selection): Refactor[] {
  const text = sf.text;
  if (!text.includes('await')) return [];
  const ctx: Context = { sf, checker: program.getTypeChecker(), program, text, starts: lineStarts(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const found = statementsAt(ctx, selection);
  if (!found) return [];
  const out: Refactor[] = [];
  const loop = found.single ? loopAt(found.single) : undefined;
  if (loop) {
    const refactor = rewriteLoop(ctx, loop);
    if (refactor) out.push(refactor);
  }
  const items = found.single ? runAroundStatement(ctx, found.single) : runBetween(found.statements, awaitedCallOf, (s) => simpleStatementEffects(ctx.checker, s));
  if (items) {
    const refactor = rewriteRun(ctx, items);
    if (refactor) out.push(refactor);
  }
  return out;
}

function loopAt(statement: ts.Statement): AwaitedLoop | undefined {
  const direct = awaitedLoopOf(statement);
  if (direct) return direct;
  for (let n: ts.Node | undefined = statement.parent; n; n = n.parent) {
    if (ts.isForOfStatement(n)) return awaitedLoopOf(n)?.callStatement === statement ? awaitedLoopOf(n) : undefined;
    if (!ts.isBlock(n)) return undefined;
  }
  return undefined;
}

/** At a cursor: the longest run of adjacent, independent awaited calls around the statement. */
function runAroundStatement(ctx: Context, statement: ts.Statement): Item[] | undefined {
  const list = listOf(statement);
  if (!list) return undefined;
  return runAround(list.statements, list.statements.indexOf(statement), awaitedCallOf, (items: Item[]) => independence(ctx, items) === undefined);
}

function rewriteRun(ctx: Context, items: Item[]): Refactor | undefined {
  const first = items[0].kind === 'call' ? items[0].awaited.statement : undefined;
  if (!first || independence(ctx, items) !== undefined || insideTryOrUsing(first)) return undefined;
  if (!hasGlobal(ctx, first, 'Promise', 'all')) return undefined;
  const calls = callsOf(items);
  const head = resultsHead(ctx, calls, needsAsiGuard(ctx, first));
  const layout = layoutOf(ctx, first);
  if (head === undefined || !layout) return undefined;
  const { indent, unit } = layout;
  const eol = ctx.eol;
  const statements = items.map((i) => (i.kind === 'call' ? i.awaited.statement : i.statement));
  const comments = commentsAmong(ctx, statements);
  const commented = calls.some((c) => comments.leading.has(c.statement) || comments.trailing.has(c.statement));
  const semicolon = calls.every((c) => c.statement.getLastToken(ctx.sf)?.kind !== ts.SyntaxKind.SemicolonToken) ? '' : ';';
  const oneLine = `${head}await Promise.all([${calls.map((c) => c.call.getText(ctx.sf)).join(', ')}])${semicolon}`;
  let all: string;
  if (!commented && !oneLine.includes('\n') && indent.length + oneLine.length <= LONG_LINE) all = oneLine;
  else {
    const lines = [`${head}await Promise.all([`];
    for (const c of calls) {
      lines.push(...(comments.leading.get(c.statement) ?? []).map((k) => indent + unit + k));
      lines.push(`${indent}${unit}${deeper(ctx, c.call, unit)},${trailingText(comments, c.statement)}`);
    }
    lines.push(`${indent}])${semicolon}`);
    all = lines.join(eol);
  }
  const after: string[] = [];
  for (const item of items) {
    if (item.kind !== 'between') continue;
    after.push(...(comments.leading.get(item.statement) ?? []).map((k) => indent + k));
    after.push(indent + item.statement.getText(ctx.sf) + trailingText(comments, item.statement));
  }
  const range = { start: positionAt(ctx.starts, first.getStart(ctx.sf)), end: positionAt(ctx.starts, comments.end) };
  const edits: TextEdit[] = [{ range, newText: [all, ...after].join(eol) }];
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(' with “Promise.all”', calls.length), edits };
}

function rewriteLoop(ctx: Context, loop: AwaitedLoop): Refactor | undefined {
  const { call, statement } = loop;
  if (insideTryOrUsing(statement) || !hasGlobal(ctx, statement, 'Promise', 'all')) return undefined;
  if (suspendsOrWrites(call.expression) || call.arguments.some((a) => suspendsOrWrites(a))) return undefined;
  // Every item's arguments are evaluated before the earlier items' calls finish.
  const own = new Set<Ref>(boundRefs(ctx.checker, loop.name));
  const received = new Set([...readRefs(ctx.checker, call)].filter((r) => !own.has(r as ts.Symbol)));
  if (earlyEvaluationProblem(ctx, call, received)) return undefined;
  // every item's call on one object (`for (const c of chunks) await writer.write(c)`) or one that waits keeps its order
  const receiver = receiverOf(ctx, call);
  if (waits(call) || (receiver !== undefined && (receiver === 'this' || !own.has(receiver)))) return undefined;
  // ... and so does every item's call given one object (`for (const u of urls) await get(session, u)`)
  if ([...givenRefs(ctx, call)].some((r) => !own.has(r as ts.Symbol) && !isPlainData(ctx, r, call))) return undefined;
  const layout = layoutOf(ctx, statement);
  if (!layout) return undefined;
  const type = ctx.checker.getTypeAtLocation(loop.iterable);
  const isArray = !type.isUnion() && (ctx.checker.isArrayType(type) || ctx.checker.isTupleType(type));
  if (!isArray && !hasGlobal(ctx, statement, 'Array', 'from')) return undefined;
  const param = loop.name.getText(ctx.sf);
  const callback = `(${param}) => ${deeper(ctx, call, layout.unit)}`;
  const iterable = loop.iterable.getText(ctx.sf);
  const mapped = isArray ? `${needsParensForMember(loop.iterable) ? `(${iterable})` : iterable}.map(${callback})` : `Array.from(${iterable}, ${callback})`;
  const semicolon = loop.callStatement.getLastToken(ctx.sf)?.kind === ts.SyntaxKind.SemicolonToken ? ';' : '';
  const comments = commentsInside(ctx, statement, loop.callStatement);
  const trailing = ts.getTrailingCommentRanges(ctx.text, statement.end) ?? [];
  const text = [...comments, `await Promise.all(${mapped})${semicolon}${trailing.map((r) => ` ${ctx.text.slice(r.pos, r.end)}`).join('')}`].join(ctx.eol + layout.indent);
  const end = trailing.length ? trailing[trailing.length - 1].end : statement.end;
  const range = { start: positionAt(ctx.starts, statement.getStart(ctx.sf)), end: positionAt(ctx.starts, end) };
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(': one call per item with “Promise.all”'), edits: [{ range, newText: text }] };
}
