// unawaited-coroutine: a coroutine is created and never awaited, so its body never runs.
import { addAwaitFix } from '../fixes/add-await';
import { rangeOf } from '../fixes/context';
import { makeAsyncFix } from '../fixes/make-async';
import { suppressFix } from '../fixes/suppress';
import { calleeText, shortName, type CallSite, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'unawaited-coroutine';

function message(site: CallSite): string | undefined {
  const callee = calleeText(site.call);
  const name = shortName(site.call);
  switch (site.usage.kind) {
    case 'dropped':
      return `${quoted(`${callee}()`)} creates a coroutine that is never awaited, so ${quoted(name)} never runs`;
    case 'unused-local':
      return `the coroutine from ${quoted(`${callee}()`)} is stored in ${quoted(site.usage.name)}, which is never read, so ${quoted(name)} never runs`;
    case 'truth-test':
      return `${quoted(`${callee}()`)} is a coroutine, which is always true; it is never awaited, so ${quoted(name)} never runs`;
    default:
      return undefined;
  }
}

export const unawaitedCoroutine: PythonRule = {
  id: ID,
  check(site): Draft | undefined {
    const text = message(site);
    if (!text) return undefined;
    const answer = site.answer();
    if (answer.kind !== 'coroutine') return undefined;
    const fixes = [
      addAwaitFix(site, true),
      makeAsyncFix(site),
      suppressFix(site, ID),
    ].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return { rule: ID, message: text, range: rangeOf(site.call), fixes, awaitable: 'coroutine', callee: answer.callee ?? calleeText(site.call) };
  },
};
