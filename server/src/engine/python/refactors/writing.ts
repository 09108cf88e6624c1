// What the rewritten text needs besides the calls: indentation, the comments among the statements,
// the name asyncio goes by (adding `import asyncio` when the file has none) and fresh names.
import { positionAt } from '../../text';
import type { TextEdit } from '../../types';
import { insertAt, lineEndOffset, lineStartOffset, ownLineIndent, type FixContext } from '../fixes/context';
import type { PreparedFile } from '../index';
import type { Scope } from '../scopes';
import type { Node, SyntaxTree } from '../tree';

export interface Layout {
  indent: string;
  unit: string;
  eol: string;
}

export function layoutOf(ctx: FixContext, statement: Node): Layout | undefined {
  const indent = ownLineIndent(ctx, statement);
  if (indent === undefined) return undefined;
  const owner = ctx.tree.parent(ctx.tree.parent(statement));
  const ownerIndent = owner ? /^[ \t]*/.exec(ctx.text.slice(lineStartOffset(ctx.text, ctx.tree.startIndex(owner))))![0] : '';
  const unit = indent.length > ownerIndent.length && indent.startsWith(ownerIndent) ? indent.slice(ownerIndent.length) : indent.includes('\t') ? '\t' : '    ';
  return { indent, unit, eol: ctx.eol };
}

export function hasMultilineString(tree: SyntaxTree, node: Node): boolean {
  const type = tree.type(node);
  if ((type === 'string' || type === 'concatenated_string') && tree.textOf(node).includes('\n')) return true;
  return tree.namedChildren(node).some((c) => hasMultilineString(tree, c));
}

/** A node's text moved `extra` deeper: continuation lines follow, unless that would change a string. */
export function deeper(tree: SyntaxTree, node: Node, extra: string): string {
  const text = tree.textOf(node);
  if (!text.includes('\n') || hasMultilineString(tree, node)) return text;
  return text.replace(/\n(?=[^\r\n])/g, `\n${extra}`);
}

export interface Comments {
  leading: Map<Node, Node[]>;
  trailing: Map<Node, Node[]>;
  /** The end of the last statement, or of the comment after it on its line. */
  end: number;
}

/** The block's comments among the statements: on a statement's own line (trailing) or above it (leading). */
export function commentsAmong(tree: SyntaxTree, block: Node, statements: Node[]): Comments {
  const leading = new Map<Node, Node[]>();
  const trailing = new Map<Node, Node[]>();
  const push = (map: Map<Node, Node[]>, key: Node, c: Node) => map.set(key, [...(map.get(key) ?? []), c]);
  const at = (n: Node) => tree.startIndex(n);
  const first = statements[0];
  const last = statements[statements.length - 1];
  let end = tree.endIndex(last);
  let previous: Node | undefined;
  for (const child of tree.namedChildren(block)) {
    if (at(child) < at(first)) continue;
    if (tree.type(child) !== 'comment') {
      if (at(child) > at(last)) break;
      previous = child;
      continue;
    }
    if (previous && tree.startRow(child) === tree.endRow(previous)) {
      push(trailing, previous, child);
      if (previous === last) end = tree.endIndex(child);
    } else if (at(child) < at(last)) {
      const next = statements.find((s) => at(s) > at(child));
      if (next) push(leading, next, child);
    } else break;
  }
  return { leading, trailing, end };
}

export function trailingText(tree: SyntaxTree, comments: Comments, statement: Node): string {
  return (comments.trailing.get(statement) ?? []).map((c) => `  ${tree.textOf(c)}`).join('');
}

export interface Names {
  asyncio: string;
  importEdit?: TextEdit;
  fresh(base: string): string;
}

/** How the code names asyncio here (adding `import asyncio` when it does not), and fresh local names. */
export function namesFor(file: PreparedFile, scope: Scope, statement: Node): Names | undefined {
  const { ctx, model } = file;
  const taken = new Set(ctx.facts.usedNames());
  const fresh = (base: string) => {
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base}_${i}`;
      if (!taken.has(name) && scope.resolve(name) === undefined) {
        taken.add(name);
        return name;
      }
    }
  };
  for (const [name, bindings] of model.module.bindings) {
    if (bindings.length !== 1 || bindings[0].kind !== 'import' || !importsAsyncioAs(model.tree, bindings[0].node, name)) continue;
    if (scope.resolve(name) === model.module) return { asyncio: name, fresh };
  }
  if (taken.has('asyncio')) return undefined;
  const edit = importAsyncioEdit(ctx, topLevelOf(ctx.tree, statement));
  if (!edit) return undefined;
  taken.add('asyncio');
  return { asyncio: 'asyncio', importEdit: edit, fresh };
}

function importsAsyncioAs(tree: SyntaxTree, importStatement: Node, name: string): boolean {
  if (tree.type(importStatement) !== 'import_statement') return false;
  return tree.namedChildren(importStatement).some((c) => {
    if (tree.type(c) === 'dotted_name') return name === 'asyncio' && tree.textOf(tree.namedChild(c, 0)) === 'asyncio';
    if (tree.type(c) === 'aliased_import') return tree.fieldText(c, 'name') === 'asyncio' && tree.fieldText(c, 'alias') === name;
    return false;
  });
}

function topLevelOf(tree: SyntaxTree, node: Node): Node {
  let n = node;
  while (tree.parent(n) && tree.type(tree.parent(n)) !== 'module') n = tree.parent(n);
  return n;
}

/** `import asyncio` after the imports before the function, else at the top (after leading comments). */
function importAsyncioEdit(ctx: FixContext, topLevel: Node): TextEdit | undefined {
  let anchor: Node | undefined;
  const tree = ctx.tree;
  for (const s of ctx.facts.preludeStatements()) {
    if (tree.startIndex(s) >= tree.startIndex(topLevel)) break;
    anchor = s;
  }
  if (anchor) {
    const end = lineEndOffset(ctx.text, tree.endIndex(anchor));
    if (end >= tree.startIndex(topLevel)) return undefined;
    return insertAt(positionAt(ctx.lineStarts, end), `${ctx.eol}import asyncio`);
  }
  const first = ctx.facts.topLevelStatements().find((s) => tree.type(s) !== 'comment');
  if (!first || tree.startPosition(first).column !== 0) return undefined;
  return insertAt(positionAt(ctx.lineStarts, tree.startIndex(first)), `import asyncio${ctx.eol}${ctx.eol}`);
}
