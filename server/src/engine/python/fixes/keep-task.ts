// Fix: keep a reference to the task, as asyncio's documentation recommends:
//     background_tasks: set[asyncio.Task[object]] = set()   # module level, once (task-set.ts)
//     task = asyncio.create_task(...)                        # a trailing comment stays here
//     background_tasks.add(task)
//     task.add_done_callback(background_tasks.discard)
// Safe: the task runs exactly as before; the set only stops the collector from destroying it.
import type { Fix, TextEdit } from '../../types';
import type { Scope } from '../scopes';
import type { Node, SyntaxTree } from '../tree';
import { insertAt, isWholeStatement, linesAfter, ownLineIndent, pointOf, rangeOf, type FixSite } from './context';
import { freshLocalName } from './names';
import { taskSetFor } from './task-set';
import { quoted } from '../../messages';

const TASK_NAME = 'task';

/**
 * `statement` holds the call; `keptIn` is the never-read local the call is assigned to, if any.
 * `declared`: the event loop's type is declared, not only seen in how the code uses it; where it is
 * not, a type checker cannot type the lines the fix adds, so the fix is not applied without asking.
 */
export function keepTaskFix(site: FixSite, statement: Node, keptIn: string | undefined, declared: boolean): Fix | undefined {
  const { ctx, call, scope } = site;
  const set = taskSetFor(site);
  if (!set) return undefined;
  const taskName = keptIn ?? freshLocalName(ctx, scope, TASK_NAME);
  if (!taskName) return undefined;
  const keep = [`${set.name}.add(${taskName})`, `${taskName}.add_done_callback(${set.name}.discard)`];
  const indent = ownLineIndent(ctx, statement);
  const edits: TextEdit[] = [...set.edits];
  const tree = ctx.tree;
  if (keptIn || isWholeStatement(tree, statement, call)) {
    if (!keptIn) edits.push(insertAt(pointOf(tree, statement), `${taskName}${localAnnotation(scope, set.taskClass)} = `));
    edits.push(linesAfter(ctx, statement, indent, keep));
  } else {
    // `create_task(...).add_done_callback(cb)`: create and keep first, then chain on the name; the
    // statement's own line (and its comment) stays where it is
    const sep = indent === undefined ? '; ' : ctx.eol + indent;
    edits.push(insertAt(pointOf(tree, statement), `${taskName} = ${tree.textOf(call)}${keep.map((line) => sep + line).join('')}${sep}`));
    edits.push({ range: rangeOf(tree, call), newText: taskName });
  }
  const binds = set.edits.length ? [`${set.name} in the module`] : [];
  if (!keptIn) binds.push(`${taskName} in ${scopeName(tree, scope)}`);
  return {
    kind: 'keep-task',
    title: `Keep a reference to the task in ${quoted(set.name)}`,
    safe: declared,
    preferred: false,
    edits,
    ...(binds.length ? { binds } : {}),
  };
}

/**
 * `: asyncio.Task[object]` on the new name in a function (never evaluated there), so that a task of
 * a type the checker cannot tell (`Task[Unknown]` in untyped code) adds no new report of pyright's
 * strict mode on the lines that keep it. Not at module level, where the annotation would run.
 */
function localAnnotation(scope: Scope, taskClass: string | undefined): string {
  return taskClass && scope.kind === 'function' ? `: ${taskClass}[object]` : '';
}

/** `Class.method`, `outer.inner`: a name for the scope that an edit elsewhere in the file does not change. */
function scopeName(tree: SyntaxTree, scope: Scope): string {
  const names: string[] = [];
  for (let s: Scope | undefined = scope; s && s.kind !== 'module'; s = s.parent) names.unshift(tree.fieldText(s.node, 'name') ?? s.kind);
  return names.length ? names.join('.') : 'the module';
}

