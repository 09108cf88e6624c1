// "Run concurrently": consecutive independent awaits, or a loop awaiting one call per item,
// rewritten so that the calls overlap in time —
//     async with asyncio.TaskGroup() as tg:          (Python 3.11+, every call a coroutine)
//         t1 = tg.create_task(load(1))
//         t2 = tg.create_task(load(2))
//     user = t1.result()
//     feed = t2.result()
// or `user, feed = await asyncio.gather(load(1), load(2))` for older targets or other awaitables.
// It is a refactoring the user asks for, never a fix: overlapping calls change timing, and the
// title says so. It is offered only where the calls are independent as far as the code shows
// (independence.ts): no call's arguments use an earlier call's result or an attribute of what an
// earlier call was given (serially they would be read after that call), no argument runs code of
// its own, no two calls work on one object or are given one (plain data aside), none is there to
// wait (`asyncio.sleep`), and no statement between the calls reads or writes what they receive.
import { positionAt } from '../../text';
import type { Refactor, TextEdit } from '../../types';
import { atLeast, type PythonVersion } from '../../pythonVersion';
import type { PreparedFile } from '../index';
import type { Node } from '../parser';
import type { Scope } from '../scopes';
import { awaitedCallOf, awaitedLoopOf, readNames, simpleStatementEffects, statementsOf, suspendsOrBinds, targetNames, unparen, type AwaitedLoop } from './awaited-statements';
import { earlyEvaluationProblem, enclosure, givenNames, independence, isPlainData, receiverOf, visibleElsewhere, waits, type Item } from './independence';
import { callsOf, runAround, runBetween, runConcurrentlyTitle, type Selection } from '../../refactors/runs';
import { statementsAt } from './selection';
import { commentsAmong, deeper, hasMultilineString, layoutOf, namesFor, trailingText, type Comments, type Layout, type Names } from './writing';

export interface RunConcurrentlyOptions {
  /** The oldest Python the code must run on; TaskGroup needs 3.11. Unknown: `gather`, which runs everywhere. */
  version?: PythonVersion;
}

const TASK_GROUP_SINCE: PythonVersion = [3, 11];

const LONG_LINE = 88;

/**
 * The refactorings at the selection. `prepare` builds the semantic model, only once the selection
 * is known to be on an awaited call or a loop (a code action is asked for at every cursor move).
 */
export function runConcurrently(text: string, root: Node, prepare: () => PreparedFile, selection: Selection, options: RunConcurrentlyOptions = {}): Refactor[] {
  const found = statementsAt(text, root, selection);
  const first = found?.single ?? found?.statements[0];
  if (!found || !first || (!awaitedCallOf(first) && !loopAt(first))) return [];
  const file = prepare();
  const out: Refactor[] = [];
  const loop = found.single ? loopAt(found.single) : undefined;
  if (loop) {
    const refactor = rewriteLoop(file, loop, options);
    if (refactor) out.push(refactor);
  }
  const items = found.single ? runAroundStatement(file, found.single) : runBetween(found.statements, awaitedCallOf, simpleStatementEffects);
  if (items) {
    const refactor = rewriteRun(file, items, options);
    if (refactor) out.push(refactor);
  }
  return out;
}

// ---------------------------------------------------------------------------- which statements

/** A loop under the cursor: on its `for` line, or on the one awaited call that is its body. */
function loopAt(statement: Node): AwaitedLoop | undefined {
  const direct = awaitedLoopOf(statement);
  if (direct) return direct;
  const owner = statement.parent?.parent;
  return owner ? awaitedLoopOf(owner) : undefined;
}

/** At a cursor: the longest run of adjacent, independent awaited calls around the statement. */
function runAroundStatement(file: PreparedFile, statement: Node): Item[] | undefined {
  const scope = asyncScope(file, statement);
  if (!scope || !statement.parent) return undefined;
  const all = statementsOf(statement.parent);
  const at = all.findIndex((s) => s.id === statement.id);
  return runAround(all, at, awaitedCallOf, (items: Item[]) => independence(items, scope) === undefined);
}

function asyncScope(file: PreparedFile, statement: Node): Scope | undefined {
  const scope = file.model.scopeAt(statement);
  return scope.kind === 'function' && scope.isAsyncFunction ? scope : undefined;
}

function isCoroutineCall(file: PreparedFile, call: Node, scope: Scope): boolean {
  try {
    return file.inference.answerCall(call, scope).kind === 'coroutine';
  } catch {
    return false;
  }
}

function rewriteRun(file: PreparedFile, items: Item[], options: RunConcurrentlyOptions): Refactor | undefined {
  const { ctx } = file;
  const first = items[0].kind === 'call' ? items[0].awaited.statement : undefined;
  if (!first || items.some((i) => (i.kind === 'call' ? i.awaited.statement : i.statement).hasError)) return undefined;
  const scope = asyncScope(file, first);
  if (!scope || independence(items, scope) !== undefined) return undefined;
  const where = enclosure(first, scope);
  if (where === 'none') return undefined;
  const calls = callsOf(items);
  const taskGroup = atLeast(options.version, TASK_GROUP_SINCE) && calls.every((c) => isCoroutineCall(file, c.call, scope));
  if (!taskGroup && where === 'task-group-only') return undefined;
  const layout = layoutOf(ctx, first);
  const names = namesFor(file, scope, first);
  if (!layout || !names) return undefined;
  const statements = items.map((i) => (i.kind === 'call' ? i.awaited.statement : i.statement));
  const comments = commentsAmong(first.parent!, statements);
  const text = taskGroup ? taskGroupText(items, layout, names, comments) : gatherText(items, layout, names, comments, scope, file);
  const range = { start: positionAt(ctx.lineStarts, first.startIndex), end: positionAt(ctx.lineStarts, comments.end) };
  const edits: TextEdit[] = [{ range, newText: text }];
  if (names.importEdit) edits.unshift(names.importEdit);
  const how = taskGroup ? ` in an “${names.asyncio}.TaskGroup”` : ` with “${names.asyncio}.gather”`;
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(how, calls.length), edits };
}

function taskGroupText(items: Item[], layout: Layout, names: Names, comments: Comments): string {
  const { indent, unit, eol } = layout;
  const group = names.fresh('tg');
  const inner: string[] = [`async with ${names.asyncio}.TaskGroup() as ${group}:`];
  const after: string[] = [];
  let n = 0;
  for (const item of items) {
    const statement = item.kind === 'call' ? item.awaited.statement : item.statement;
    const leading = (comments.leading.get(statement.id) ?? []).map((c) => c.text);
    if (item.kind === 'between') {
      after.push(...leading.map((c) => indent + c), indent + statement.text + trailingText(comments, statement));
      continue;
    }
    n++;
    const { call, target, annotation } = item.awaited;
    const task = target ? names.fresh(`t${n}`) : undefined;
    inner.push(...leading.map((c) => indent + unit + c));
    inner.push(`${indent}${unit}${task ? `${task} = ` : ''}${group}.create_task(${deeper(call, unit)})${trailingText(comments, statement)}`);
    if (target && task) after.push(`${indent}${target.text}${annotation ? `: ${annotation.text}` : ''} = ${task}.result()`);
  }
  return [...inner, ...after].join(eol);
}

function gatherText(items: Item[], layout: Layout, names: Names, comments: Comments, scope: Scope, file: PreparedFile): string {
  const { indent, unit, eol } = layout;
  const calls = callsOf(items);
  const declarations = calls.filter((c) => c.target && c.annotation).map((c) => `${c.target!.text}: ${c.annotation!.text}`);
  const used = calls.some((c) => c.target);
  const dropped = used && calls.some((c) => !c.target) ? freshDropName(file, scope) : undefined;
  const targets = calls.map((c) => (c.target ? targetText(c.target) : dropped!));
  const commented = calls.some((c) => comments.leading.has(c.statement.id) || comments.trailing.has(c.statement.id));
  const head = `${used ? `${targets.join(', ')} = ` : ''}await ${names.asyncio}.gather(`;
  const oneLine = `${head}${calls.map((c) => c.call.text).join(', ')})`;
  let gather: string;
  if (!commented && !oneLine.includes('\n') && indent.length + oneLine.length <= LONG_LINE) gather = oneLine;
  else {
    const lines = [head];
    for (const c of calls) {
      lines.push(...(comments.leading.get(c.statement.id) ?? []).map((k) => indent + unit + k.text));
      lines.push(`${indent}${unit}${deeper(c.call, unit)},${trailingText(comments, c.statement)}`);
    }
    lines.push(`${indent})`);
    gather = lines.join(eol);
  }
  const after: string[] = [];
  for (const item of items) {
    if (item.kind !== 'between') continue;
    const leading = (comments.leading.get(item.statement.id) ?? []).map((c) => indent + c.text);
    after.push(...leading, indent + item.statement.text + trailingText(comments, item.statement));
  }
  return [...declarations.map((d, i) => (i === 0 ? d : indent + d)), (declarations.length ? indent : '') + gather, ...after].join(eol);
}

/** `(a, b)` for a bare tuple target, so it stays one element of the gathered tuple. */
function targetText(target: Node): string {
  return target.type === 'pattern_list' ? `(${target.text})` : target.text;
}

/** A name for results nobody reads: `_` unless the file uses it (gettext does). */
function freshDropName(file: PreparedFile, scope: Scope): string {
  const used = file.ctx.facts.usedNames();
  for (const name of ['_', '_result', '_unused']) if (!used.has(name) && scope.resolve(name) === undefined) return name;
  for (let i = 2; ; i++) if (!used.has(`_unused_${i}`)) return `_unused_${i}`;
}

// ---------------------------------------------------------------------------- loops

function rewriteLoop(file: PreparedFile, loop: AwaitedLoop, options: RunConcurrentlyOptions): Refactor | undefined {
  const { ctx } = file;
  if (loop.statement.hasError) return undefined;
  const scope = asyncScope(file, loop.statement);
  if (!scope) return undefined;
  const where = enclosure(loop.statement, scope);
  if (where === 'none' || suspendsOrBinds(loop.call)) return undefined;
  // Every item's arguments are evaluated before the earlier items' calls finish.
  const loopNames = new Set(targetNames(loop.left).bound);
  const received = new Set([...readNames(loop.call)].filter((n) => !loopNames.has(n)));
  if (earlyEvaluationProblem(loop.call, scope, received)) return undefined;
  // every item's call on one object (`for c in chunks: await writer.write(c)`) or one that waits keeps its order
  const receiver = receiverOf(loop.call, scope);
  if (waits(loop.call) || (receiver !== undefined && !loopNames.has(receiver))) return undefined;
  // ... and so does every item's call given one object (`for u in urls: await fetch(session, u)`)
  if ([...givenNames(loop.call)].some((n) => !loopNames.has(n) && !isPlainData(n, scope))) return undefined;
  const taskGroup = atLeast(options.version, TASK_GROUP_SINCE) && isCoroutineCall(file, loop.call, scope);
  if (!taskGroup && where === 'task-group-only') return undefined;
  // A generator expression binds the loop's names in a scope of its own: nothing after the loop may read them.
  if (!taskGroup && [...loopNames].some((n) => visibleElsewhere(n, scope) || readOutside(scope, n, loop.statement))) return undefined;
  const layout = layoutOf(ctx, loop.statement);
  const names = namesFor(file, scope, loop.statement);
  if (!layout || !names) return undefined;
  const { indent, unit, eol } = layout;
  const colon = loop.statement.children.find((c) => c?.type === ':' && c.startIndex < loop.body.startIndex) ?? null;
  const comments = loopComments(loop, colon);
  let text: string;
  if (taskGroup) {
    const group = names.fresh('tg');
    const header = ctx.text.slice(loop.statement.startIndex, colon?.endIndex ?? loop.body.startIndex);
    text = [
      `async with ${names.asyncio}.TaskGroup() as ${group}:`,
      `${indent}${unit}${hasMultilineString(loop.right) ? header : header.replace(/\n(?=[^\r\n])/g, `\n${unit}`)}${comments.header.map((c) => `  ${c.text}`).join('')}`,
      ...comments.body.map((c) => `${indent}${unit}${unit}${c.text}`),
      `${indent}${unit}${unit}${group}.create_task(${deeper(loop.call, unit + unit)})${comments.after.map((c) => `  ${c.text}`).join('')}`,
    ].join(eol);
  } else {
    const right = unparen(loop.right);
    const iterable = NEEDS_PARENS_IN_COMPREHENSION.has(right.type) ? `(${right.text})` : loop.right.text;
    const own = [...comments.header, ...comments.body, ...comments.after].map((c) => c.text);
    text = [...own, `await ${names.asyncio}.gather(*(${loop.call.text} for ${loop.left.text} in ${iterable}))`].join(eol + indent);
  }
  const range = { start: positionAt(ctx.lineStarts, loop.statement.startIndex), end: positionAt(ctx.lineStarts, loop.statement.endIndex) };
  const edits: TextEdit[] = [{ range, newText: text }];
  if (names.importEdit) edits.unshift(names.importEdit);
  const how = taskGroup ? `: one task per item in an “${names.asyncio}.TaskGroup”` : `: one call per item with “${names.asyncio}.gather”`;
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(how), edits };
}

/** Iterables a comprehension's `for ... in` cannot take without parentheses. */
const NEEDS_PARENS_IN_COMPREHENSION = new Set(['conditional_expression', 'lambda', 'expression_list', 'named_expression', 'yield']);

function readOutside(scope: Scope, name: string, statement: Node): boolean {
  return (scope.reads.get(name) ?? []).some((r) => r.startIndex < statement.startIndex || r.endIndex > statement.endIndex);
}

/** The loop's comments: after its `:` (header), on lines of their own before the call, after the call. */
function loopComments(loop: AwaitedLoop, colon: Node | null): { header: Node[]; body: Node[]; after: Node[] } {
  const header: Node[] = [];
  const body: Node[] = [];
  const after: Node[] = [];
  const callStatement = statementsOf(loop.body)[0];
  const headerRow = colon?.endPosition.row ?? loop.statement.startPosition.row;
  const comments = [...loop.statement.namedChildren, ...loop.body.namedChildren].filter((c): c is Node => c?.type === 'comment');
  for (const c of comments) {
    if (c.startIndex >= callStatement.endIndex) after.push(c);
    else if (c.startPosition.row === headerRow) header.push(c);
    else body.push(c);
  }
  return { header, body, after };
}
