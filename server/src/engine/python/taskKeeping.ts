// Whether a `create_task` written by hand (an event loop subclass's override, an application's own)
// hands out a task it keeps no reference to, decided from its body. Precision first: only a body that
// visibly creates a task and returns it without storing it anywhere is `plain`; one that stores it
// (`self._tasks.add(task)`, `self._task = task`, `register(task)`) `keeps` it, and anything else
// is undecided (undefined). Calls of a create_task that keeps its task are never reported.
import { firstParameterName, lastStatement, ownReturns, unparenthesized } from './syntax';
import type { Node, SyntaxTree } from './tree';

export type TaskBody = 'plain' | 'keeps';

const TASK_CREATOR_CALLEE = /(?:^|\.)(?:create_task|ensure_future|Task)$/;

function isTaskCreatorCall(tree: SyntaxTree, node: Node): boolean {
  const fn = tree.type(node) === 'call' ? tree.field(node, 'function') : 0;
  return !!fn && TASK_CREATOR_CALLEE.test(tree.textOf(fn).replace(/\s+/g, ''));
}

/** Other ways a name can be bound: it then may hold something else than a new task. */
const OTHER_BINDERS = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'augmented_assignment', 'named_expression',
  'for_statement', 'for_in_clause', 'global_statement', 'nonlocal_statement', 'typed_parameter', 'default_parameter',
  'typed_default_parameter', 'parameters',
]);

/** `name = <task creator call>` is the only way `name` is bound in the function's body. */
function boundOnlyToNewTasks(tree: SyntaxTree, body: Node, name: string): boolean {
  let found = false;
  for (const id of tree.descendantsOfType(body, 'identifier')) {
    if (tree.textOf(id) !== name) continue;
    const parent = tree.parent(id);
    if (isAssignmentTarget(tree, id)) {
      if (!isTaskCreatorCall(tree, unparenthesized(tree, tree.field(parent, 'right')))) return false;
      found = true;
    } else if (parent && OTHER_BINDERS.has(tree.type(parent))) return false;
  }
  return found;
}

/** Whether the identifier is the target of an assignment (not a read). */
function isAssignmentTarget(tree: SyntaxTree, id: Node): boolean {
  const parent = tree.parent(id);
  return tree.type(parent) === 'assignment' && tree.field(parent, 'left') === id;
}

export function taskBodyOf(tree: SyntaxTree, def: Node): TaskBody | undefined {
  const body = tree.field(def, 'body');
  if (!body || tree.type(tree.firstChild(def)) === 'async') return undefined;
  const returns = ownReturns(tree, def, body);
  if (!returns.length) return undefined;
  const taskNames = new Set<string>();
  for (const r of returns) {
    const value = unparenthesized(tree, tree.namedChild(r, 0));
    if (isTaskCreatorCall(tree, value)) continue;
    if (tree.type(value) === 'identifier' && boundOnlyToNewTasks(tree, body, tree.textOf(value))) {
      taskNames.add(tree.textOf(value));
      continue;
    }
    return undefined;
  }
  for (const name of taskNames) {
    for (const id of tree.descendantsOfType(body, 'identifier')) {
      if (tree.textOf(id) !== name || isAssignmentTarget(tree, id)) continue;
      const parent = tree.parent(id);
      if (tree.type(parent) === 'return_statement') continue;
      // the task's own methods and attributes (`task.add_done_callback(...)`, `task._source_traceback`)
      if (tree.type(parent) === 'attribute' && tree.field(parent, 'object') === id) continue;
      return 'keeps';
    }
  }
  return 'plain';
}

/** Every path returns the first parameter: `def __aenter__(self): ...; return self`. */
export function returnsFirstParameter(tree: SyntaxTree, def: Node, body: Node): boolean {
  const self = firstParameterName(tree, def);
  const last = tree.type(lastStatement(tree, body));
  if (!self || (last !== 'return_statement' && last !== 'raise_statement')) return false;
  const returns = ownReturns(tree, def, body);
  return (
    returns.length > 0 &&
    returns.every((r) => {
      const value = unparenthesized(tree, tree.namedChild(r, 0));
      return tree.type(value) === 'identifier' && tree.textOf(value) === self;
    })
  );
}
