// run-in-running-loop: `asyncio.run(...)` or `loop.run_until_complete(...)` where an event loop is
// certainly running in this thread, so the call raises RuntimeError before the coroutine starts: at
// a notebook cell's top level (IPython runs cells in its loop), and directly in an `async def` body.
import type { Fix } from '../../types';
import { awaitAllowedIn, rangeOf, type FixContext } from '../fixes/context';
import { suppressFix } from '../fixes/suppress';
import type { Scope } from '../scopes';
import type { Node, SyntaxTree } from '../tree';
import { calleeText, type CallSite, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'run-in-running-loop';

const ASYNCIO_RUN = /^asyncio\.(?:runners\.)?run$/;
const RUN_UNTIL_COMPLETE = /^(?:asyncio|uvloop)\.[\w.]*\.run_until_complete$/;

/**
 * Libraries that make a running loop re-entrant (nest_asyncio patches asyncio.run and
 * run_until_complete for exactly this), or that run async code without an asyncio loop (trio).
 */
const LOOP_CHANGERS = /^[ \t]*(?:import|from)[ \t]+(?:nest_asyncio|trio)\b/m;

/** Why a loop certainly runs where the call is: undefined when it may not. */
function runningLoop(scope: Scope, ctx: FixContext): { where: string } | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.kind === 'comprehension') {
      if (s.nodeType === 'generator_expression') return undefined; // runs wherever it is consumed
      continue;
    }
    if (s.kind === 'function') {
      if (!s.isAsyncFunction) return undefined;
      const name = ctx.tree.fieldText(s.node, 'name');
      return { where: `inside ${quoted(`async def ${name}`)}, which runs in the event loop` };
    }
    if (s.kind === 'module' && ctx.topLevelAwait) return { where: 'at the top level of a notebook cell, where the kernel’s event loop is running' };
    return undefined;
  }
  return undefined;
}

function methodName(tree: SyntaxTree, call: Node): string | undefined {
  const fn = tree.field(call, 'function');
  if (tree.type(fn) === 'identifier') return tree.textOf(fn);
  if (tree.type(fn) === 'attribute') return tree.fieldText(fn, 'attribute');
  return undefined;
}

/** The one positional argument of the call, when it has nothing else (a keyword changes what `await` would do). */
function soleArgument(tree: SyntaxTree, call: Node): Node | undefined {
  const args = tree.field(call, 'arguments');
  if (tree.type(args) !== 'argument_list' || tree.namedChildCount(args) !== 1) return undefined;
  const arg = tree.namedChild(args, 0);
  const type = tree.type(arg);
  if (!arg || type === 'keyword_argument' || type === 'list_splat' || type === 'dictionary_splat') return undefined;
  // a comment inside the parentheses would be lost
  return !tree.textOf(args).includes('#') ? arg : undefined;
}

/** Expressions `await` takes as they are: everything that binds at least as tightly as `await`. */
const PRIMARY = new Set(['identifier', 'call', 'attribute', 'subscript', 'parenthesized_expression', 'list', 'tuple', 'dictionary', 'set', 'string', 'integer', 'float']);

/**
 * `await main()` in place of `asyncio.run(main())`. Unsafe (docs/concepts/fix-safety.md): the call
 * raised before the coroutine started, and now the coroutine runs — in the running loop and the
 * current task's context rather than a fresh loop — and the tasks it leaves behind are no longer
 * cancelled when it returns.
 */
function awaitInsteadFix(site: CallSite): Fix | undefined {
  if (!awaitAllowedIn(site.scope, site.ctx.topLevelAwait)) return undefined;
  const tree = site.ctx.tree;
  const arg = soleArgument(tree, site.call);
  if (!arg) return undefined;
  const operand = PRIMARY.has(tree.type(arg)) ? tree.textOf(arg) : `(${tree.textOf(arg)})`;
  // in `asyncio.run(x).attr` the call was a primary itself: the await needs parentheses there
  const parent = tree.parent(site.call);
  const tight = parent !== 0 && ['attribute', 'subscript', 'call'].includes(tree.type(parent)) && tree.child(parent, 0) === site.call;
  const text = tight ? `(await ${operand})` : `await ${operand}`;
  return {
    kind: 'await-instead',
    title: `Replace with ${quoted(text)} (runs in the loop that is already running)`,
    safe: false,
    preferred: false,
    edits: [{ range: rangeOf(tree, site.call), newText: text }],
  };
}

export const runInRunningLoop: PythonRule = {
  id: ID,
  checksUsedCalls: true,
  check(site): Draft | undefined {
    const name = methodName(site.ctx.tree, site.call);
    if (name !== 'run' && name !== 'run_until_complete') return undefined;
    const loop = runningLoop(site.scope, site.ctx);
    if (!loop || LOOP_CHANGERS.test(site.ctx.text)) return undefined;
    const qualname = site.answer().callee ?? '';
    let raises: string;
    if (name === 'run' && ASYNCIO_RUN.test(qualname)) raises = '“RuntimeError: asyncio.run() cannot be called from a running event loop”';
    else if (name === 'run_until_complete' && RUN_UNTIL_COMPLETE.test(qualname)) raises = '“RuntimeError: This event loop is already running”';
    else return undefined;
    const callee = calleeText(site.ctx.tree, site.call);
    const fixes = [awaitInsteadFix(site), suppressFix(site, ID)].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return {
      rule: ID,
      message: `${quoted(`${callee}()`)} is called ${loop.where}: it raises ${raises} instead of running what it was given`,
      range: rangeOf(site.ctx.tree, site.call),
      fixes,
      callee: qualname,
    };
  },
};
