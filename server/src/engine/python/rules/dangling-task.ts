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
    // ensure_future(<call>) of a call not known to be a Future: as a statement it either makes a
    // task nothing keeps or does nothing at all; kept in a name, it may be the Future handed back
    const maybe = answer.role === 'maybe-task-creator' && usage.kind === 'dropped';
    if (answer.role !== 'task-creator' && !maybe) return undefined;
    const callee = calleeText(site.ctx.tree, site.call);
    const keep = keepTaskFix(site, usage.statement, usage.kind === 'unused-local' ? usage.name : undefined, !answer.evidence);
    const fixes = [keep, usage.kind === 'chained-drop' ? undefined : addAwaitFix(site, false), suppressFix(site, ID)].filter(
      (f) => f !== undefined,
    );
    fixes[0].preferred = true;
    let message: string;
    if (maybe) {
      const tree = site.ctx.tree;
      const argument = tree.textOf(tree.namedChild(tree.field(site.call, 'arguments'), 0)).replace(/\s+/g, '');
      const shown = argument.length > 40 ? `${argument.slice(0, 39)}…` : argument;
      message = `${quoted(`${callee}()`)} wraps ${quoted(shown)}, which is not known to be a Future, in a Task that is not kept: the event loop holds tasks only weakly, so it can be garbage-collected before it finishes (and if it is a Future, the statement does nothing)`;
    } else {
      const where = usage.kind === 'unused-local' ? `is stored only in ${quoted(usage.name)}, which is never read` : 'is not kept';
      message = `The Task from ${quoted(`${callee}()`)} ${where}: the event loop holds tasks only weakly, so it can be garbage-collected before it finishes`;
    }
    const draft: Draft = { rule: ID, message, range: rangeOf(site.ctx.tree, site.call), fixes, awaitable: 'task', callee: answer.callee ?? callee };
    if (answer.evidence) draft.evidence = answer.evidence;
    return draft;
  },
};
