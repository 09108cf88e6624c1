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
import type { Scope } from '../scopes';
import { NO_NODE, type Node, type SyntaxTree } from '../tree';
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
export function runConcurrently(tree: SyntaxTree, prepare: () => PreparedFile, selection: Selection, options: RunConcurrentlyOptions = {}): Refactor[] {
  const found = statementsAt(tree, selection);
  const first = found?.single ?? found?.statements[0];
  if (!found || !first || (!awaitedCallOf(tree, first) && !loopAt(tree, first))) return [];
  const file = prepare();
  const out: Refactor[] = [];
  const loop = found.single ? loopAt(tree, found.single) : undefined;
  if (loop) {
    const refactor = rewriteLoop(file, loop, options);
    if (refactor) out.push(refactor);
  }
  const items = found.single
    ? runAroundStatement(file, found.single)
    : runBetween(
        found.statements,
        (s) => awaitedCallOf(tree, s),
        (s) => simpleStatementEffects(tree, s),
      );
  if (items) {
    const refactor = rewriteRun(file, items, options);
    if (refactor) out.push(refactor);
  }
  return out;
}

// ---------------------------------------------------------------------------- which statements

/** A loop under the cursor: on its `for` line, or on the one awaited call that is its body. */
function loopAt(tree: SyntaxTree, statement: Node): AwaitedLoop | undefined {
  const direct = awaitedLoopOf(tree, statement);
  if (direct) return direct;
  const owner = tree.parent(tree.parent(statement));
  return owner ? awaitedLoopOf(tree, owner) : undefined;
}

/** At a cursor: the longest run of adjacent, independent awaited calls around the statement. */
function runAroundStatement(file: PreparedFile, statement: Node): Item[] | undefined {
  const tree = file.ctx.tree;
  const scope = asyncScope(file, statement);
  const parent = tree.parent(statement);
  if (!scope || !parent) return undefined;
  const all = statementsOf(tree, parent);
  const at = all.indexOf(statement);
  return runAround(
    all,
    at,
    (s) => awaitedCallOf(tree, s),
    (items: Item[]) => independence(tree, items, scope) === undefined,
  );
}

function asyncScope(file: PreparedFile, statement: Node): Scope | undefined {
  const scope = file.model.scopeAt(statement);
  return scope.kind === 'function' && scope.isAsyncFunction ? scope : undefined;
}

function isCoroutineCall(file: PreparedFile, call: Node, scope: Scope): boolean {
  try {
    return file.inference.describeCall(call, scope).kind === 'coroutine';
  } catch {
    return false;
  }
}

function rewriteRun(file: PreparedFile, items: Item[], options: RunConcurrentlyOptions): Refactor | undefined {
  const { ctx } = file;
  const tree = ctx.tree;
  const first = items[0].kind === 'call' ? items[0].awaited.statement : undefined;
  if (!first || items.some((i) => tree.hasError(i.kind === 'call' ? i.awaited.statement : i.statement))) return undefined;
  const scope = asyncScope(file, first);
  if (!scope || independence(tree, items, scope) !== undefined) return undefined;
  const where = enclosure(tree, first, scope);
  if (where === 'none') return undefined;
  const calls = callsOf(items);
  const taskGroup = atLeast(options.version, TASK_GROUP_SINCE) && calls.every((c) => isCoroutineCall(file, c.call, scope));
  if (!taskGroup && where === 'task-group-only') return undefined;
  const layout = layoutOf(ctx, first);
  const names = namesFor(file, scope, first);
  if (!layout || !names) return undefined;
  const statements = items.map((i) => (i.kind === 'call' ? i.awaited.statement : i.statement));
  const comments = commentsAmong(tree, tree.parent(first), statements);
  const text = taskGroup ? taskGroupText(tree, items, layout, names, comments) : gatherText(tree, items, layout, names, comments, scope, file);
  const range = { start: positionAt(ctx.lineStarts, tree.startIndex(first)), end: positionAt(ctx.lineStarts, comments.end) };
  const edits: TextEdit[] = [{ range, newText: text }];
  if (names.importEdit) edits.unshift(names.importEdit);
  const how = taskGroup ? ` in an “${names.asyncio}.TaskGroup”` : ` with “${names.asyncio}.gather”`;
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(how, calls.length), edits };
}

function taskGroupText(tree: SyntaxTree, items: Item[], layout: Layout, names: Names, comments: Comments): string {
  const { indent, unit, eol } = layout;
  const group = names.fresh('tg');
  const inner: string[] = [`async with ${names.asyncio}.TaskGroup() as ${group}:`];
  const after: string[] = [];
  let n = 0;
  for (const item of items) {
    const statement = item.kind === 'call' ? item.awaited.statement : item.statement;
    const leading = (comments.leading.get(statement) ?? []).map((c) => tree.textOf(c));
    if (item.kind === 'between') {
      after.push(...leading.map((c) => indent + c), indent + tree.textOf(statement) + trailingText(tree, comments, statement));
      continue;
    }
    n++;
    const { call, target, annotation } = item.awaited;
    const task = target ? names.fresh(`t${n}`) : undefined;
    inner.push(...leading.map((c) => indent + unit + c));
    inner.push(`${indent}${unit}${task ? `${task} = ` : ''}${group}.create_task(${deeper(tree, call, unit)})${trailingText(tree, comments, statement)}`);
    if (target && task) after.push(`${indent}${tree.textOf(target)}${annotation ? `: ${tree.textOf(annotation)}` : ''} = ${task}.result()`);
  }
  return [...inner, ...after].join(eol);
}

function gatherText(tree: SyntaxTree, items: Item[], layout: Layout, names: Names, comments: Comments, scope: Scope, file: PreparedFile): string {
  const { indent, unit, eol } = layout;
  const calls = callsOf(items);
  const declarations = calls.filter((c) => c.target && c.annotation).map((c) => `${tree.textOf(c.target!)}: ${tree.textOf(c.annotation!)}`);
  const used = calls.some((c) => c.target);
  const dropped = used && calls.some((c) => !c.target) ? freshDropName(file, scope) : undefined;
  const targets = calls.map((c) => (c.target ? targetText(tree, c.target) : dropped!));
  const commented = calls.some((c) => comments.leading.has(c.statement) || comments.trailing.has(c.statement));
  const head = `${used ? `${targets.join(', ')} = ` : ''}await ${names.asyncio}.gather(`;
  const oneLine = `${head}${calls.map((c) => tree.textOf(c.call)).join(', ')})`;
  let gather: string;
  if (!commented && !oneLine.includes('\n') && indent.length + oneLine.length <= LONG_LINE) gather = oneLine;
  else {
    const lines = [head];
    for (const c of calls) {
      lines.push(...(comments.leading.get(c.statement) ?? []).map((k) => indent + unit + tree.textOf(k)));
      lines.push(`${indent}${unit}${deeper(tree, c.call, unit)},${trailingText(tree, comments, c.statement)}`);
    }
    lines.push(`${indent})`);
    gather = lines.join(eol);
  }
  const after: string[] = [];
  for (const item of items) {
    if (item.kind !== 'between') continue;
    const leading = (comments.leading.get(item.statement) ?? []).map((c) => indent + tree.textOf(c));
    after.push(...leading, indent + tree.textOf(item.statement) + trailingText(tree, comments, item.statement));
  }
  return [...declarations.map((d, i) => (i === 0 ? d : indent + d)), (declarations.length ? indent : '') + gather, ...after].join(eol);
}

/** `(a, b)` for a bare tuple target, so it stays one element of the gathered tuple. */
function targetText(tree: SyntaxTree, target: Node): string {
  return tree.type(target) === 'pattern_list' ? `(${tree.textOf(target)})` : tree.textOf(target);
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
  const tree = ctx.tree;
  if (tree.hasError(loop.statement)) return undefined;
  const scope = asyncScope(file, loop.statement);
  if (!scope) return undefined;
  const where = enclosure(tree, loop.statement, scope);
  if (where === 'none' || suspendsOrBinds(tree, loop.call)) return undefined;
  // Every item's arguments are evaluated before the earlier items' calls finish.
  const loopNames = new Set(targetNames(tree, loop.left).bound);
  const received = new Set([...readNames(tree, loop.call)].filter((n) => !loopNames.has(n)));
  if (earlyEvaluationProblem(tree, loop.call, scope, received)) return undefined;
  // every item's call on one object (`for c in chunks: await writer.write(c)`) or one that waits keeps its order
  const receiver = receiverOf(tree, loop.call, scope);
  if (waits(tree, loop.call) || (receiver !== undefined && !loopNames.has(receiver))) return undefined;
  // ... and so does every item's call given one object (`for u in urls: await fetch(session, u)`)
  if ([...givenNames(tree, loop.call)].some((n) => !loopNames.has(n) && !isPlainData(tree, n, scope))) return undefined;
  const taskGroup = atLeast(options.version, TASK_GROUP_SINCE) && isCoroutineCall(file, loop.call, scope);
  if (!taskGroup && where === 'task-group-only') return undefined;
  // A generator expression binds the loop's names in a scope of its own: nothing after the loop may read them.
  if (!taskGroup && [...loopNames].some((n) => visibleElsewhere(n, scope) || readOutside(tree, scope, n, loop.statement))) return undefined;
  const layout = layoutOf(ctx, loop.statement);
  const names = namesFor(file, scope, loop.statement);
  if (!layout || !names) return undefined;
  const { indent, unit, eol } = layout;
  const bodyStart = tree.startIndex(loop.body);
  const colon = tree.children(loop.statement).find((c) => tree.type(c) === ':' && tree.startIndex(c) < bodyStart) ?? NO_NODE;
  const comments = loopComments(tree, loop, colon);
  const textOf = (n: Node) => tree.textOf(n);
  let text: string;
  if (taskGroup) {
    const group = names.fresh('tg');
    const header = ctx.text.slice(tree.startIndex(loop.statement), colon ? tree.endIndex(colon) : bodyStart);
    text = [
      `async with ${names.asyncio}.TaskGroup() as ${group}:`,
      `${indent}${unit}${hasMultilineString(tree, loop.right) ? header : header.replace(/\n(?=[^\r\n])/g, `\n${unit}`)}${comments.header.map((c) => `  ${textOf(c)}`).join('')}`,
      ...comments.body.map((c) => `${indent}${unit}${unit}${textOf(c)}`),
      `${indent}${unit}${unit}${group}.create_task(${deeper(tree, loop.call, unit + unit)})${comments.after.map((c) => `  ${textOf(c)}`).join('')}`,
    ].join(eol);
  } else {
    const right = unparen(tree, loop.right);
    const iterable = NEEDS_PARENS_IN_COMPREHENSION.has(tree.type(right)) ? `(${textOf(right)})` : textOf(loop.right);
    const own = [...comments.header, ...comments.body, ...comments.after].map(textOf);
    text = [...own, `await ${names.asyncio}.gather(*(${textOf(loop.call)} for ${textOf(loop.left)} in ${iterable}))`].join(eol + indent);
  }
  const range = { start: positionAt(ctx.lineStarts, tree.startIndex(loop.statement)), end: positionAt(ctx.lineStarts, tree.endIndex(loop.statement)) };
  const edits: TextEdit[] = [{ range, newText: text }];
  if (names.importEdit) edits.unshift(names.importEdit);
  const how = taskGroup ? `: one task per item in an “${names.asyncio}.TaskGroup”` : `: one call per item with “${names.asyncio}.gather”`;
  return { kind: 'run-concurrently', title: runConcurrentlyTitle(how), edits };
}

/** Iterables a comprehension's `for ... in` cannot take without parentheses. */
const NEEDS_PARENS_IN_COMPREHENSION = new Set(['conditional_expression', 'lambda', 'expression_list', 'named_expression', 'yield']);

function readOutside(tree: SyntaxTree, scope: Scope, name: string, statement: Node): boolean {
  return (scope.reads.get(name) ?? []).some((r) => tree.startIndex(r) < tree.startIndex(statement) || tree.endIndex(r) > tree.endIndex(statement));
}

/** The loop's comments: after its `:` (header), on lines of their own before the call, after the call. */
function loopComments(tree: SyntaxTree, loop: AwaitedLoop, colon: Node): { header: Node[]; body: Node[]; after: Node[] } {
  const header: Node[] = [];
  const body: Node[] = [];
  const after: Node[] = [];
  const callStatement = statementsOf(tree, loop.body)[0];
  const headerRow = colon ? tree.endRow(colon) : tree.startRow(loop.statement);
  const comments = [...tree.namedChildren(loop.statement), ...tree.namedChildren(loop.body)].filter((c) => tree.type(c) === 'comment');
  for (const c of comments) {
    if (tree.startIndex(c) >= tree.endIndex(callStatement)) after.push(c);
    else if (tree.startRow(c) === headerRow) header.push(c);
    else body.push(c);
  }
  return { header, body, after };
}
