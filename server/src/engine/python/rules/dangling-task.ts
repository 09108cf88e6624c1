// dangling-task: a Task whose only reference is dropped; the event loop keeps tasks only weakly.
import { addAwaitFix } from '../fixes/add-await';
import { rangeOf } from '../fixes/context';
import { keepTaskFix } from '../fixes/keep-task';
import { suppressFix } from '../fixes/suppress';
import { calleeText, type Draft, type PythonRule } from './rule';
import { quoted } from '../../messages';

const ID = 'dangling-task';

export const danglingTask: PythonRule = {
  id: ID,
  check(site): Draft | undefined {
    const usage = site.usage;
    if (usage.kind !== 'dropped' && usage.kind !== 'unused-local' && usage.kind !== 'chained-drop') return undefined;
    const answer = site.answer();
    if (answer.role !== 'task-creator') return undefined;
    const callee = calleeText(site.call);
    const where = usage.kind === 'unused-local' ? `is stored only in ${quoted(usage.name)}, which is never read` : 'is not kept';
    const keep = keepTaskFix(site, usage.statement, usage.kind === 'unused-local' ? usage.name : undefined);
    const fixes = [keep, usage.kind === 'chained-drop' ? undefined : addAwaitFix(site, false), suppressFix(site, ID)].filter(
      (f) => f !== undefined,
    );
    fixes[0].preferred = true;
    return {
      rule: ID,
      message: `the Task from ${quoted(`${callee}()`)} ${where}: the event loop holds tasks only weakly, so it can be garbage-collected before it finishes`,
      range: rangeOf(site.call),
      fixes,
      awaitable: 'task',
      callee: answer.callee ?? callee,
    };
  },
};
