// unawaited-coroutine: a coroutine is created and never awaited, so its body never runs. Also an
// async generator that is never iterated (its body never runs either), and a declared `Awaitable`
// (a `Callable[..., Awaitable[T]]`'s result) that is never awaited.
import { addAwaitFix } from '../fixes/add-await';
import { isWholeStatement, rangeOf } from '../fixes/context';
import { makeAsyncFix } from '../fixes/make-async';
import { suppressFix } from '../fixes/suppress';
import type { CallAnswer } from './asyncio-roles';
import { calleeText, shortName, type CallSite, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'unawaited-coroutine';

/** What never runs: the function's name, or "it" when the callee is no name (`handlers["a"]()`). */
function neverRuns(site: CallSite): string {
  const name = shortName(site.ctx.tree, site.call);
  return /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Nd}_]*$/u.test(name) ? `${quoted(name)} never runs` : 'it never runs';
}

function coroutineMessage(site: CallSite): string | undefined {
  const callee = calleeText(site.ctx.tree, site.call);
  switch (site.usage.kind) {
    case 'dropped':
      return `${quoted(`${callee}()`)} creates a coroutine that is never awaited, so ${neverRuns(site)}`;
    case 'unused-local':
      return `The coroutine from ${quoted(`${callee}()`)} is stored in ${quoted(site.usage.name)}, which is never read, so ${neverRuns(site)}`;
    case 'truth-test':
      return `${quoted(`${callee}()`)} is a coroutine, which is always true; it is never awaited, so ${neverRuns(site)}`;
    default:
      return undefined;
  }
}

function asyncGeneratorMessage(site: CallSite): string | undefined {
  const callee = calleeText(site.ctx.tree, site.call);
  const name = shortName(site.ctx.tree, site.call);
  switch (site.usage.kind) {
    case 'dropped':
      return `“${callee}()” creates an async generator that is never iterated, so the body of “${name}” never runs`;
    case 'unused-local':
      return `The async generator from “${callee}()” is stored in “${site.usage.name}”, which is never read, so the body of “${name}” never runs`;
    case 'truth-test':
      return `“${callee}()” is an async generator, which is always true; it is never iterated, so the body of “${name}” never runs`;
    default:
      return undefined;
  }
}

function awaitableMessage(site: CallSite): string | undefined {
  const callee = calleeText(site.ctx.tree, site.call);
  switch (site.usage.kind) {
    case 'dropped':
      return `“${callee}()” returns an awaitable that is never awaited: if it is a coroutine it never runs, and its result and errors are never seen`;
    case 'unused-local':
      return `The awaitable from “${callee}()” is stored in “${site.usage.name}”, which is never read: if it is a coroutine it never runs`;
    case 'truth-test':
      return `“${callee}()” is an awaitable, which is always true; it is never awaited, so if it is a coroutine it never runs`;
    default:
      return undefined;
  }
}

function draftFor(site: CallSite, answer: CallAnswer): Draft | undefined {
  const range = rangeOf(site.ctx.tree, site.call);
  const callee = answer.callee ?? calleeText(site.ctx.tree, site.call);
  if (answer.kind === 'coroutine') {
    const message = coroutineMessage(site);
    if (!message) return undefined;
    // Awaiting a coroutine dropped as a statement runs what was written, in order: safe. In a truth
    // test the branch taken changes too; a local or `_` now holds the result (mypy reports
    // func-returns-value when it is None): unsafe (docs/concepts/fix-safety.md).
    const bare = site.usage.kind === 'dropped' && isWholeStatement(site.ctx.tree, site.usage.statement, site.call);
    const fixes = [addAwaitFix(site, bare), makeAsyncFix(site), suppressFix(site, ID)].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return { rule: ID, message, range, fixes, awaitable: 'coroutine', callee };
  }
  if (answer.kind === 'async-generator') {
    const message = asyncGeneratorMessage(site);
    if (!message) return undefined;
    // No fix but the suppression: draining it (`async for _ in ...: pass`) may never end, and what to
    // do with its items is the author's decision (docs/rules/unawaited-coroutine.md).
    const fixes = [{ ...suppressFix(site, ID), preferred: true }];
    return { rule: ID, message, range, fixes, awaitable: 'async-generator', callee };
  }
  if (answer.kind === 'awaitable' && answer.declaredAwaitable) {
    const message = awaitableMessage(site);
    if (!message) return undefined;
    // Unsafe: a Future already running would now be waited for here, and its exception raised here.
    const fixes = [addAwaitFix(site, false), suppressFix(site, ID)].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return { rule: ID, message, range, fixes, awaitable: 'awaitable', callee };
  }
  return undefined;
}

export const unawaitedCoroutine: PythonRule = {
  id: ID,
  check(site): Draft | undefined {
    if (site.usage.kind !== 'dropped' && site.usage.kind !== 'unused-local' && site.usage.kind !== 'truth-test') return undefined;
    return draftFor(site, site.answer());
  },
};
