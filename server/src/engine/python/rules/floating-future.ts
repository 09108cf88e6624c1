// floating-future: a Future dropped on the floor; nobody looks at its result or its exception.
import { addAwaitFix } from '../fixes/add-await';
import { rangeOf } from '../fixes/context';
import { suppressFix } from '../fixes/suppress';
import { calleeText, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'floating-future';

export const floatingFuture: PythonRule = {
  id: ID,
  check(site): Draft | undefined {
    if (site.usage.kind !== 'dropped') return undefined;
    const answer = site.answer();
    if (answer.role !== 'future-maker') return undefined;
    const callee = calleeText(site.call);
    const fixes = [addAwaitFix(site, false), suppressFix(site, ID)].filter((f) => f !== undefined);
    fixes[0].preferred = true;
    return {
      rule: ID,
      message: `the Future from ${quoted(`${callee}()`)} is dropped: its result and any exception it raises are never retrieved`,
      range: rangeOf(site.call),
      fixes,
      awaitable: 'future',
      callee: answer.callee ?? callee,
    };
  },
};
