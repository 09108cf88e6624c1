// floating-future: a Future dropped on the floor; nobody looks at its result or its exception.
import { addAwaitFix } from '../fixes/add-await';
import { rangeOf } from '../fixes/context';
import { reportFailureFix, waitResultFix } from '../fixes/report-failure';
import { suppressFix } from '../fixes/suppress';
import { calleeText, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'floating-future';

export const floatingFuture: PythonRule = {
  id: ID,
  check(site): Draft | undefined {
    const usage = site.usage;
    if (usage.kind !== 'dropped') return undefined;
    const answer = site.answer();
    const callee = calleeText(site.ctx.tree, site.call);
    if (answer.role === 'thread-future-maker') {
      // a concurrent.futures Future: not awaitable, and the only place the coroutine's exception shows
      const fixes = [reportFailureFix(site, usage.statement), waitResultFix(site, usage.statement), suppressFix(site, ID)].filter((f) => f !== undefined);
      fixes[0].preferred = true;
      return {
        rule: ID,
        message: `The Future from “${callee}()” is dropped: it is the only place the coroutine's exception would show, and nothing looks at it (a “try” around the call catches nothing the coroutine raises)`,
        range: rangeOf(site.ctx.tree, site.call),
        fixes,
        awaitable: 'future',
        callee: answer.callee ?? callee,
      };
    }
    if (answer.role !== 'future-maker') return undefined;
    const fixes = [addAwaitFix(site, false), suppressFix(site, ID)].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    const draft: Draft = {
      rule: ID,
      message: `The Future from ${quoted(`${callee}()`)} is dropped: its result and any exception it raises are never retrieved`,
      range: rangeOf(site.ctx.tree, site.call),
      fixes,
      awaitable: 'future',
      callee: answer.callee ?? callee,
    };
    if (answer.evidence) draft.evidence = answer.evidence;
    return draft;
  },
};
