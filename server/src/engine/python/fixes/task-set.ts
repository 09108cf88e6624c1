// The module-level set keep-task keeps tasks in. An existing one is reused wherever the module
// defines it, as long as it exists before the fixed code can run; otherwise one is declared, once
// per module, right after the imports that open the module (every fix of the file computes that
// same place, so two fixes never declare two sets), and typed so that mypy and pyright accept it:
//     background_tasks: set[asyncio.Task[object]] = set()
// `Task` is covariant, so a `Task[object]` set holds tasks of every result type; no import of
// `Any` is needed. The annotation is quoted where it must not be evaluated when the module runs:
// for targets before Python 3.9 (no `set[...]` at run time) or when `asyncio` is imported only
// further down. `import asyncio` is added only when the module imports it nowhere.
import type { TextEdit } from '../../types';
import type { Binding, Scope } from '../scopes';
import type { Node, SyntaxTree } from '../tree';
import { insertAt, lineEndOffset, pointOf, type FixContext, type FixSite } from './context';

const SET_NAME = 'background_tasks';

export interface TaskSet {
  name: string;
  /** What declares it (nothing when it exists). */
  edits: TextEdit[];
  /** How the module names `asyncio.Task` (`asyncio.Task`, `aio.Task`, `Task`), when it does. */
  taskClass?: string;
}

export function taskSetFor(site: FixSite): TaskSet | undefined {
  const { ctx } = site;
  const existing = existingTaskSet(ctx);
  if (existing) {
    const usable = seesModuleName(site.scope, existing.name) && existsBeforeUse(ctx, existing, site);
    return usable ? { name: existing.name, edits: [], taskClass: importedName(ctx, ctx.text.length, taskRef)?.ref } : undefined;
  }
  const name = freeModuleName(ctx);
  const declaration = name === undefined ? undefined : declarationEdit(ctx, name);
  return declaration && { name: name!, edits: [declaration.edit], taskClass: declaration.taskClass };
}

/** A module-level `NAME = set()` (annotated or not) that is `background_tasks` or that tasks are discarded from. */
function existingTaskSet(ctx: FixContext): Binding | undefined {
  let found: Binding | undefined;
  for (const [name, bindings] of ctx.model.module.bindings) {
    if (bindings.length !== 1) continue;
    const b = bindings[0];
    if (b.kind !== 'assign' || !b.value || ctx.tree.textOf(b.value).replace(/\s/g, '') !== 'set()' || !topLevelStatementOf(ctx.tree, b.node)) continue;
    if (name !== SET_NAME && !discardsInto(ctx.text, name)) continue;
    if (name === SET_NAME) return b;
    if (!found || b.node < found.node) found = b;
  }
  return found;
}

/** `….add_done_callback(NAME.discard)` appears in the file: the idiom keep-task writes. */
function discardsInto(text: string, name: string): boolean {
  return new RegExp(`\\.add_done_callback\\(\\s*${name}\\.discard\\s*\\)`).test(text);
}

/** The module-level statement a binding's identifier is the target of, when it is a plain statement of the module. */
function topLevelStatementOf(tree: SyntaxTree, node: Node): Node | undefined {
  const assignment = tree.parent(node);
  const statement = tree.type(assignment) === 'assignment' ? tree.parent(assignment) : undefined;
  return statement && tree.type(statement) === 'expression_statement' && tree.type(tree.parent(statement)) === 'module' ? statement : undefined;
}

/**
 * The set is defined before the fixed statement's module-level statement, or after it with
 * nothing in between that could run the fixed code first (a call at module level could).
 */
function existsBeforeUse(ctx: FixContext, set: Binding, site: FixSite): boolean {
  const tree = ctx.tree;
  const definition = topLevelStatementOf(tree, set.node)!;
  const at = (n: Node) => tree.startIndex(n);
  if (at(definition) < at(site.topLevel)) return true;
  if (!insideFunction(site.scope)) return false;
  return ctx.facts
    .topLevelStatements()
    .filter((s) => at(s) > at(site.topLevel) && at(s) < at(definition))
    .every((s) => runsNothing(tree, s));
}

/**
 * `name` in the fixed statement means the module's: no scope around it binds it or declares it
 * global or nonlocal (a later `global name` would make the use a SyntaxError).
 */
function seesModuleName(scope: Scope, name: string): boolean {
  for (let s: Scope | undefined = scope; s && s.kind !== 'module'; s = s.parent) {
    if (s.bindings.has(name) || s.globals.has(name) || s.nonlocals.has(name)) return false;
  }
  return true;
}

function insideFunction(scope: Scope): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'function' || s.kind === 'lambda') return true;
  return false;
}

/** A module-level statement that defines things without calling anything of this module's. */
function runsNothing(tree: SyntaxTree, statement: Node): boolean {
  switch (tree.type(statement)) {
    case 'comment':
    case 'function_definition':
    case 'decorated_definition':
    case 'class_definition':
    case 'import_statement':
    case 'import_from_statement':
    case 'future_import_statement':
    case 'pass_statement':
      return true;
    default:
      return !tree.containsType(statement, 'call');
  }
}

/** `background_tasks`, else `background_tasks_1`, ...: a name the file does not use. */
function freeModuleName(ctx: FixContext): string | undefined {
  for (let i = 0; i < 20; i++) {
    const name = i === 0 ? SET_NAME : `${SET_NAME}_${i}`;
    if (!ctx.model.module.bindings.has(name) && !ctx.facts.usedNames().has(name)) return name;
  }
  return undefined;
}

/** The declaration after the imports that open the module, or above its first statement when there are none. */
function declarationEdit(ctx: FixContext, name: string): { edit: TextEdit; taskClass: string } | undefined {
  const prelude = ctx.facts.preludeStatements();
  const anchor = prelude[prelude.length - 1];
  const firstCode = ctx.facts.topLevelStatements().find((s) => ctx.tree.type(s) !== 'comment' && !prelude.includes(s));
  if (!firstCode) return undefined;
  const tree = ctx.tree;
  const at = anchor ? lineEndOffset(ctx.text, tree.endIndex(anchor)) : tree.startIndex(firstCode);
  if (anchor && at > tree.startIndex(firstCode)) return undefined; // the next statement shares the import's line
  const type = setType(ctx, at);
  if (!type) return undefined;
  const { eol } = ctx;
  const declaration = `${name}: ${type.annotation} = set()`;
  const imports = type.imports.map((i) => i + eol).join('');
  if (anchor) {
    const line = tree.endRow(anchor);
    return { edit: insertAt({ line, character: at - ctx.lineStarts[line] }, `${eol}${imports}${eol}${declaration}`), taskClass: type.taskClass };
  }
  const start = pointOf(tree, firstCode);
  if (start.character !== 0) return undefined;
  return { edit: insertAt(start, `${imports}${imports ? eol : ''}${declaration}${eol}${eol}`), taskClass: type.taskClass };
}

interface SetType {
  annotation: string;
  /** Import statements to add before the declaration. */
  imports: string[];
  taskClass: string;
}

/**
 * `set[asyncio.Task[object]]` as the declaration at `offset` can write it: quoted where it must not
 * be evaluated when the module runs, with `typing.Set` for targets before Python 3.9 (mypy refuses
 * `set[...]` there even quoted), and imports only for names the module does not import.
 */
function setType(ctx: FixContext, offset: number): SetType | undefined {
  const imports: string[] = [];
  const task = importedName(ctx, offset, taskRef) ?? (ctx.facts.usedNames().has('asyncio') ? undefined : added(imports, 'import asyncio', 'asyncio.Task'));
  if (!task) return undefined; // `asyncio` means something else here
  const postponed = ctx.facts.preludeStatements().some((s) => ctx.tree.type(s) === 'future_import_statement' && /\bannotations\b/.test(ctx.tree.textOf(s)));
  const [major, minor] = ctx.pythonTarget;
  if (postponed || major > 3 || (major === 3 && minor >= 9)) {
    const type = `set[${task.ref}[object]]`;
    return { annotation: postponed || task.boundBefore ? type : `"${type}"`, imports, taskClass: task.ref };
  }
  const set =
    importedName(ctx, offset, setRef) ??
    (!ctx.facts.usedNames().has('Set') ? added(imports, 'from typing import Set', 'Set') : undefined) ??
    (!ctx.facts.usedNames().has('typing') ? added(imports, 'import typing', 'typing.Set') : undefined);
  if (!set) return undefined;
  // `asyncio.Task[...]` cannot be evaluated before Python 3.9 either: always quoted
  return { annotation: `"${set.ref}[${task.ref}[object]]"`, imports, taskClass: task.ref };
}

interface ImportedName {
  /** How the module spells it: `asyncio.Task`, `aio.Task`, `Task`. */
  ref: string;
  /** An import at module level has bound it by the time the declaration runs. */
  boundBefore: boolean;
}

function added(imports: string[], statement: string, ref: string): ImportedName {
  imports.push(statement);
  return { ref, boundBefore: true };
}

type RefOf = (tree: SyntaxTree, name: string, binding: Binding) => string | undefined;

/** How the module names a thing it imports (every binding of that name must be the same import). */
function importedName(ctx: FixContext, offset: number, refOf: RefOf): ImportedName | undefined {
  let best: ImportedName | undefined;
  for (const [name, bindings] of ctx.model.module.bindings) {
    const tree = ctx.tree;
    const refs = new Set(bindings.map((b) => refOf(tree, name, b)));
    const ref = refs.size === 1 ? [...refs][0] : undefined;
    if (!ref) continue;
    const boundBefore = bindings.some((b) => tree.type(tree.parent(b.node)) === 'module' && tree.endIndex(b.node) <= offset);
    if (!best || (boundBefore && !best.boundBefore)) best = { ref, boundBefore };
  }
  return best;
}

/** `import asyncio [as aio]` -> `asyncio.Task` / `aio.Task`; `from asyncio import Task [as T]` -> `Task` / `T`. */
function taskRef(tree: SyntaxTree, name: string, binding: Binding): string | undefined {
  return moduleRef(tree, name, binding, 'asyncio', 'Task') ?? memberRef(tree, name, binding, ['asyncio', 'asyncio.tasks'], 'Task');
}

/** `import typing [as t]` -> `typing.Set`; `from typing import Set [as S]` -> `Set` / `S`. */
function setRef(tree: SyntaxTree, name: string, binding: Binding): string | undefined {
  return moduleRef(tree, name, binding, 'typing', 'Set') ?? memberRef(tree, name, binding, ['typing'], 'Set');
}

function moduleRef(tree: SyntaxTree, name: string, binding: Binding, module: string, member: string): string | undefined {
  const statement = binding.node;
  if (binding.kind !== 'import' || tree.type(statement) !== 'import_statement') return undefined;
  for (const c of tree.namedChildren(statement)) {
    if (tree.type(c) === 'dotted_name' && tree.textOf(c) === module && name === module) return `${module}.${member}`;
    if (tree.type(c) === 'aliased_import' && tree.fieldText(c, 'name') === module && tree.fieldText(c, 'alias') === name) {
      return `${name}.${member}`;
    }
  }
  return undefined;
}

function memberRef(tree: SyntaxTree, name: string, binding: Binding, modules: readonly string[], member: string): string | undefined {
  const statement = binding.node;
  if (binding.kind !== 'from-import' || tree.type(statement) !== 'import_from_statement') return undefined;
  if (!modules.includes(tree.fieldText(statement, 'module_name') ?? '')) return undefined;
  for (const c of tree.fieldChildren(statement, 'name')) {
    if (tree.type(c) === 'dotted_name' && tree.textOf(c) === member && name === member) return member;
    if (tree.type(c) === 'aliased_import' && tree.fieldText(c, 'name') === member && tree.fieldText(c, 'alias') === name) return name;
  }
  return undefined;
}
