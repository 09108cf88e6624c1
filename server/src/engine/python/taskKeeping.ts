// Whether a `create_task` written by hand (an event loop subclass's override, an application's own)
// hands out a task it keeps no reference to, decided from its body. Precision first: only a body that
// visibly creates a task and returns it without storing it anywhere is `plain`; one that stores it
// (`self._tasks.add(task)`, `self._task = task`, `register(task)`) `keeps` it, and anything else
// is undecided (undefined). Calls of a create_task that keeps its task are never reported.
import type { Node } from './parser';
import { firstParameterName, lastStatement, ownReturns, unparenthesized } from './syntax';

export type TaskBody = 'plain' | 'keeps';

const TASK_CREATOR_CALLEE = /(?:^|\.)(?:create_task|ensure_future|Task)$/;

function isTaskCreatorCall(node: Node | null): boolean {
  const fn = node?.type === 'call' ? node.childForFieldName('function') : null;
  return !!fn && TASK_CREATOR_CALLEE.test(fn.text.replace(/\s+/g, ''));
}

/** Other ways a name can be bound: it then may hold something else than a new task. */
const OTHER_BINDERS = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'augmented_assignment', 'named_expression',
  'for_statement', 'for_in_clause', 'global_statement', 'nonlocal_statement', 'typed_parameter', 'default_parameter',
  'typed_default_parameter', 'parameters',
]);

/** `name = <task creator call>` is the only way `name` is bound in the function's body. */
function boundOnlyToNewTasks(body: Node, name: string): boolean {
  let found = false;
  for (const id of body.descendantsOfType('identifier')) {
    if (!id || id.text !== name) continue;
    const parent = id.parent;
    if (isAssignmentTarget(id)) {
      if (!isTaskCreatorCall(unparenthesized(parent!.childForFieldName('right')))) return false;
      found = true;
    } else if (parent && OTHER_BINDERS.has(parent.type)) return false;
  }
  return found;
}

/** Whether the identifier is the target of an assignment (not a read). */
function isAssignmentTarget(id: Node): boolean {
  const parent = id.parent;
  return parent?.type === 'assignment' && parent.childForFieldName('left')?.id === id.id;
}

export function taskBodyOf(def: Node): TaskBody | undefined {
  const body = def.childForFieldName('body');
  if (!body || def.child(0)?.type === 'async') return undefined;
  const returns = ownReturns(def, body);
  if (!returns.length) return undefined;
  const taskNames = new Set<string>();
  for (const r of returns) {
    const value = unparenthesized(r.namedChild(0));
    if (isTaskCreatorCall(value)) continue;
    if (value?.type === 'identifier' && boundOnlyToNewTasks(body, value.text)) {
      taskNames.add(value.text);
      continue;
    }
    return undefined;
  }
  for (const name of taskNames) {
    for (const id of body.descendantsOfType('identifier')) {
      if (!id || id.text !== name || isAssignmentTarget(id)) continue;
      const parent = id.parent;
      if (parent?.type === 'return_statement') continue;
      // the task's own methods and attributes (`task.add_done_callback(...)`, `task._source_traceback`)
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === id.id) continue;
      return 'keeps';
    }
  }
  return 'plain';
}

/** Every path returns the first parameter: `def __aenter__(self): ...; return self`. */
export function returnsFirstParameter(def: Node, body: Node): boolean {
  const self = firstParameterName(def);
  const last = lastStatement(body);
  if (!self || (last?.type !== 'return_statement' && last?.type !== 'raise_statement')) return false;
  const returns = ownReturns(def, body);
  return returns.length > 0 && returns.every((r) => unparenthesized(r.namedChild(0))?.type === 'identifier' && unparenthesized(r.namedChild(0))!.text === self);
}
