// Fixes for a dropped `asyncio.run_coroutine_threadsafe(...)`, whose concurrent Future is the only place
// the coroutine's exception would ever show:
//   report-failure (safe): keep the future and give it a done callback that re-raises the exception,
//     which concurrent.futures logs with its traceback ("exception calling callback for <Future ...>"):
//         future = asyncio.run_coroutine_threadsafe(coro, loop)
//         future.add_done_callback(lambda done: done.cancelled() or done.result())
//     Nothing waits and nothing runs earlier or later; the callback runs once the coroutine has
//     finished and only brings out the exception it already raised. (Of `_ = ...` it is unsafe: `_`
//     is no longer assigned.)
//   wait-result (unsafe): `.result()` on it, outside async functions: this thread now waits for the
//     coroutine and gets its exception, which changes timing and error flow (and deadlocks when run on
//     the event loop's own thread).
import type { Fix } from '../../types';
import type { Node } from '../tree';
import { awaitAllowedIn, insertAt, linesAfter, ownLineIndent, pointOf, rangeOf, type FixSite } from './context';
import { freshLocalName } from './names';
import { unparenthesized } from '../syntax';

const CALLBACK = 'lambda done: done.cancelled() or done.result()';

export function reportFailureFix(site: FixSite, statement: Node): Fix | undefined {
  const { ctx, call, scope } = site;
  const tree = ctx.tree;
  const indent = ownLineIndent(ctx, statement);
  const expr = tree.namedChild(statement, 0);
  // `_ = run_coroutine_threadsafe(...)` keeps `_` as it was afterwards: unsafe, should anything read `_`
  const discarded = tree.type(expr) === 'assignment' && tree.fieldText(expr, 'left') === '_';
  if (!expr || (!discarded && unparenthesized(tree, expr) !== call)) return undefined;
  const name = freshLocalName(ctx, scope, 'future');
  if (!name) return undefined;
  return {
    kind: 'report-failure',
    title: 'Keep the future and log the exception the coroutine raises',
    safe: !discarded,
    preferred: false,
    // the statement's trailing comment stays on its line; the callback goes on a line of its own
    edits: [{ range: rangeOf(tree, expr), newText: `${name} = ${tree.textOf(call)}` }, linesAfter(ctx, statement, indent, [`${name}.add_done_callback(${CALLBACK})`])],
  };
}

export function waitResultFix(site: FixSite, statement: Node): Fix | undefined {
  const tree = site.ctx.tree;
  const expr = tree.namedChild(statement, 0);
  if (awaitAllowedIn(site.scope, site.ctx.topLevelAwait) || !expr || unparenthesized(tree, expr) !== site.call) return undefined;
  return {
    kind: 'wait-result',
    title: 'Wait for the coroutine here with “.result()” (blocks this thread until it finishes)',
    safe: false,
    preferred: false,
    edits: [insertAt(pointOf(tree, site.call, true), '.result()')],
  };
}
