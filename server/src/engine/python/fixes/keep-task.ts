// Fix: keep a reference to the task, as asyncio's documentation recommends:
//     background_tasks = set()          # module level, once
//     task = asyncio.create_task(...)
//     background_tasks.add(task)
//     task.add_done_callback(background_tasks.discard)
import type { Fix, TextEdit } from '../../types';
import type { Node } from '../parser';
import type { Scope } from '../scopes';
import { insertAt, lineEndOffset, ownLineIndent, pointOf, rangeOf, type FixContext, type FixSite } from './context';
import { quoted } from '../../messages';

const SET_NAME = 'background_tasks';
const TASK_NAME = 'task';

/** `statement` holds the call; `keptIn` is the never-read local the call is assigned to, if any. */
export function keepTaskFix(site: FixSite, statement: Node, keptIn: string | undefined): Fix | undefined {
  const { ctx, call, scope } = site;
  const setName = backgroundSetName(ctx);
  if (!setName) return undefined;
  const indent = ownLineIndent(ctx, statement);
  // a statement sharing its line with `if x:` or another statement gets `;`-joined lines
  const sep = indent === undefined ? '; ' : ctx.eol + indent;
  const edits: TextEdit[] = [];
  const declare = setName.declare ? declarationEdit(ctx, site.topLevel, setName.name) : undefined;
  if (setName.declare && !declare) return undefined;
  if (declare) edits.push(declare);

  if (keptIn) {
    const keep = `${sep}${setName.name}.add(${keptIn})${sep}${keptIn}.add_done_callback(${setName.name}.discard)`;
    edits.push(insertAt(pointOf(statement, true), keep));
  } else {
    const taskName = freshName(ctx, scope, TASK_NAME);
    const keep = `${taskName} = ${call.text}${sep}${setName.name}.add(${taskName})${sep}${taskName}.add_done_callback(${setName.name}.discard)`;
    const expr = statement.namedChild(0);
    if (expr && unwrap(expr).id === call.id) {
      edits.push({ range: rangeOf(statement), newText: keep });
    } else {
      // `create_task(...).add_done_callback(cb)`: create and keep first, then chain on the name
      edits.push(insertAt(pointOf(statement), keep + sep));
      edits.push({ range: rangeOf(call), newText: taskName });
    }
  }
  return {
    kind: 'keep-task',
    title: `Keep a reference to the task in ${quoted(setName.name)}`,
    safe: true,
    preferred: false,
    edits,
  };
}

function unwrap(n: Node): Node {
  let x = n;
  while (x.type === 'parenthesized_expression' && x.namedChild(0)) x = x.namedChild(0)!;
  return x;
}

/** Reuse a module-level `background_tasks = set()`; otherwise pick a free name to declare. */
function backgroundSetName(ctx: FixContext): { name: string; declare: boolean } | undefined {
  const module = ctx.model.module;
  for (let i = 0; i < 20; i++) {
    const name = i === 0 ? SET_NAME : `${SET_NAME}_${i}`;
    const bindings = module.bindings.get(name);
    if (!bindings) {
      if (!ctx.facts.usedNames().has(name)) return { name, declare: true };
      continue;
    }
    const isSet = bindings.length === 1 && bindings[0].kind === 'assign' && bindings[0].value?.text.replace(/\s/g, '') === 'set()';
    if (isSet) return { name, declare: false };
  }
  return undefined;
}

/** A name bound nowhere that the statement's scope could see, so binding it changes no other read. */
export function freshName(ctx: FixContext, scope: Scope, base: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}_${i}`;
    if (!scope.resolve(name) && !ctx.facts.usedNames().has(name)) return name;
  }
}

/**
 * `background_tasks = set()` after the module's imports, but always before the top-level
 * statement that uses it, so that it exists when that code runs.
 */
function declarationEdit(ctx: FixContext, topLevel: Node, name: string): TextEdit | undefined {
  let anchor: Node | undefined;
  for (const statement of ctx.facts.preludeStatements()) {
    if (statement.startIndex >= topLevel.startIndex) break;
    anchor = statement;
  }
  const declaration = `${name} = set()`;
  if (anchor) {
    const end = lineEndOffset(ctx.text, anchor.endIndex);
    if (end >= topLevel.startIndex) return undefined; // the statement shares the import's line
    const line = anchor.endPosition.row;
    const character = end - ctx.lineStarts[line];
    return insertAt({ line, character }, `${ctx.eol}${ctx.eol}${declaration}`);
  }
  // no imports before it: declare it right above the top-level statement
  const at = pointOf(topLevel);
  if (at.character !== 0) return undefined;
  return insertAt(at, `${declaration}${ctx.eol}${ctx.eol}`);
}
