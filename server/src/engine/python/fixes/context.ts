// What every fix needs to know about the file it edits.
import type { Position, PythonVersion, Range, TextEdit } from '../../types';
import type { Scope, SemanticModel } from '../scopes';
import type { Node, SyntaxTree } from '../tree';

/** The Python fixes write for when the project does not say (ruff's default too). */
export const DEFAULT_PYTHON_TARGET: PythonVersion = [3, 9];

export interface FixContext {
  /** The text as parsed: a lone `\r` line end is a `\n` here, at the same offset. */
  text: string;
  tree: SyntaxTree;
  model: SemanticModel;
  /** The file's line ending, used for every line a fix adds. */
  eol: string;
  /** The oldest Python the project runs on. */
  pythonTarget: PythonVersion;
  /** `await` is legal at the module's top level: a notebook's cells (IPython runs them in its event loop). */
  topLevelAwait?: boolean;
  readonly lineStarts: number[];
  /** Facts about the whole file, computed on first use and shared by every fix. */
  facts: FileFacts;
}

/** The call a fix repairs, with what the semantic model recorded about it. */
export interface FixSite {
  ctx: FixContext;
  call: Node;
  scope: Scope;
  /** The module-level statement holding the call. */
  topLevel: Node;
}

export class FileFacts {
  private names?: Set<string>;
  private statements?: Node[];
  private commentsByLine?: Map<number, Node[]>;
  private prelude?: Node[];
  private readonly variableNames = new Map<Node, Set<string>>();

  constructor(private readonly tree: SyntaxTree, private readonly model: SemanticModel) {}

  /** Every name bound, read or declared global/nonlocal anywhere in the file. */
  usedNames(): Set<string> {
    if (!this.names) {
      this.model.completeAll();
      const names = new Set<string>();
      const visit = (s: Scope) => {
        for (const n of s.bindings.keys()) names.add(n);
        for (const n of s.reads.keys()) names.add(n);
        for (const n of s.globals) names.add(n);
        for (const n of s.nonlocals) names.add(n);
        s.children.forEach(visit);
      };
      visit(this.model.module);
      this.names = names;
    }
    return this.names;
  }

  topLevelStatements(): Node[] {
    this.statements ??= this.tree.namedChildren(this.tree.root);
    return this.statements;
  }

  /**
   * The module docstring and the imports that open the module, up to its first other statement
   * (comments between them skipped): what a module-level declaration goes after. Imports further
   * down are not part of it, so every fix of the file finds the same place.
   */
  preludeStatements(): Node[] {
    if (!this.prelude) {
      const tree = this.tree;
      const prelude: Node[] = [];
      for (const c of this.topLevelStatements()) {
        const type = tree.type(c);
        if (type === 'comment') continue;
        const isDocstring = prelude.length === 0 && type === 'expression_statement' && tree.namedChildCount(c) === 1 && tree.type(tree.namedChild(c, 0)) === 'string';
        if (!isDocstring && type !== 'import_statement' && type !== 'import_from_statement' && type !== 'future_import_statement') break;
        prelude.push(c);
      }
      this.prelude = prelude;
    }
    return this.prelude;
  }

  /** The names used as variables anywhere inside `node` (not attribute or keyword-argument names). */
  variableNamesIn(node: Node): Set<string> {
    let names = this.variableNames.get(node);
    if (!names) {
      const tree = this.tree;
      names = new Set<string>();
      for (const id of tree.descendantsOfType(node, 'identifier')) {
        if (!isAttributeName(tree, id) && !isKeywordName(tree, id)) names.add(tree.textOf(id));
      }
      this.variableNames.set(node, names);
    }
    return names;
  }

  commentsOn(line: number): Node[] {
    if (!this.commentsByLine) {
      this.commentsByLine = new Map();
      for (const c of this.model.comments) {
        const row = this.tree.startRow(c);
        const list = this.commentsByLine.get(row);
        if (list) list.push(c);
        else this.commentsByLine.set(row, [c]);
      }
    }
    return this.commentsByLine.get(line) ?? [];
  }
}

/** `x.name`: an attribute, not a variable. */
function isAttributeName(tree: SyntaxTree, id: Node): boolean {
  const parent = tree.parent(id);
  return tree.type(parent) === 'attribute' && tree.field(parent, 'attribute') === id;
}

/** `f(name=...)`: a keyword argument's name, not a variable. */
function isKeywordName(tree: SyntaxTree, id: Node): boolean {
  const parent = tree.parent(id);
  return tree.type(parent) === 'keyword_argument' && tree.field(parent, 'name') === id;
}

export function pointOf(tree: SyntaxTree, node: Node, end = false): Position {
  const p = end ? tree.endPosition(node) : tree.startPosition(node);
  return { line: p.row, character: p.column };
}

export function rangeOf(tree: SyntaxTree, node: Node): Range {
  return { start: pointOf(tree, node), end: pointOf(tree, node, true) };
}

export function insertAt(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** Start offset of the line holding `offset`. */
export function lineStartOffset(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the end of the line holding `offset` (before its line break). */
export function lineEndOffset(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The indentation of a statement when it starts its line; undefined when something precedes it there. */
export function ownLineIndent(ctx: FixContext, statement: Node): string | undefined {
  const statementStart = ctx.tree.startIndex(statement);
  const start = lineStartOffset(ctx.text, statementStart);
  const before = ctx.text.slice(start, statementStart);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** The call is the whole statement (`call()`, `(call())`), not part of an assignment or a chain. */
export function isWholeStatement(tree: SyntaxTree, statement: Node, call: Node): boolean {
  let x = tree.namedChild(statement, 0);
  while (tree.type(x) === 'parenthesized_expression' && tree.namedChild(x, 0)) x = tree.namedChild(x, 0);
  return x !== 0 && x === call;
}

/**
 * Where `await` may be written: directly in an `async def` body, or a list/set/dict comprehension
 * there; with `topLevelAwait` (a notebook cell) at the module's top level too.
 */
export function awaitAllowedIn(scope: Scope, topLevelAwait = false): boolean {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.kind === 'function') return s.isAsyncFunction;
    if (s.kind === 'comprehension' && s.nodeType !== 'generator_expression') continue;
    return s.kind === 'module' && topLevelAwait;
  }
  return false;
}

/**
 * Lines a fix adds after the statement: on lines of their own below the statement's
 * last line (after its trailing comment, which so stays where it was), or `;`-joined on the
 * statement's line when it shares that line with other code (`if x: create_task(...)`). Nothing
 * added ever carries the statement's comment.
 */
export function linesAfter(ctx: FixContext, statement: Node, indent: string | undefined, lines: string[]): TextEdit {
  const statementEnd = ctx.tree.endIndex(statement);
  const lineEnd = lineEndOffset(ctx.text, statementEnd);
  const rest = ctx.text.slice(statementEnd, lineEnd);
  if (indent !== undefined && /^[ \t]*(#.*)?$/.test(rest)) {
    const row = ctx.tree.endRow(statement);
    return insertAt({ line: row, character: lineEnd - ctx.lineStarts[row] }, lines.map((l) => ctx.eol + indent + l).join(''));
  }
  return insertAt(pointOf(ctx.tree, statement, true), lines.map((l) => `; ${l}`).join(''));
}
