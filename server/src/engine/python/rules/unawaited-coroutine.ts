// unawaited-coroutine: a coroutine is created and never awaited, so its body never runs.
import { addAwaitFix } from '../fixes/add-await';
import { isWholeStatement, rangeOf } from '../fixes/context';
import { makeAsyncFix } from '../fixes/make-async';
import { suppressFix } from '../fixes/suppress';
import { calleeText, shortName, type CallSite, type Draft, type PythonRule } from './rule';

const ID = 'unawaited-coroutine';

function message(site: CallSite): string | undefined {
  const callee = calleeText(site.call);
  const name = shortName(site.call);
  switch (site.usage.kind) {
    case 'dropped':
      return `\`${callee}()\` creates a coroutine that is never awaited, so \`${name}\` never runs`;
    case 'unused-local':
      return `the coroutine from \`${callee}()\` is stored in \`${site.usage.name}\`, which is never read, so \`${name}\` never runs`;
    case 'truth-test':
      return `\`${callee}()\` is a coroutine, which is always true; it is never awaited, so \`${name}\` never runs`;
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
    // Awaiting a coroutine dropped as a statement runs what was written, in order: safe. In a truth
    // test the branch taken changes too; a local or `_` now holds the result (mypy reports
    // func-returns-value when it is None): unsafe (docs/fix-safety.md).
    const bare = site.usage.kind === 'dropped' && isWholeStatement(site.usage.statement, site.call);
    const fixes = [
      addAwaitFix(site, bare),
      makeAsyncFix(site),
      suppressFix(site, ID),
    ].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return { rule: ID, message: text, range: rangeOf(site.call), fixes, awaitable: 'coroutine', callee: answer.callee ?? calleeText(site.call) };
  },
};
