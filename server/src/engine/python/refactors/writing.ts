// What the rewritten text needs besides the calls: indentation, the comments among the statements,
// the name asyncio goes by (adding `import asyncio` when the file has none) and fresh names.
import { positionAt } from '../../text';
import type { TextEdit } from '../../types';
import { insertAt, lineEndOffset, lineStartOffset, ownLineIndent, type FixContext } from '../fixes/context';
import type { PreparedFile } from '../index';
import type { Node } from '../parser';
import type { Scope } from '../scopes';

export interface Layout {
  indent: string;
  unit: string;
  eol: string;
}

export function layoutOf(ctx: FixContext, statement: Node): Layout | undefined {
  const indent = ownLineIndent(ctx, statement);
  if (indent === undefined) return undefined;
  const owner = statement.parent?.parent;
  const ownerIndent = owner ? /^[ \t]*/.exec(ctx.text.slice(lineStartOffset(ctx.text, owner.startIndex)))![0] : '';
  const unit = indent.length > ownerIndent.length && indent.startsWith(ownerIndent) ? indent.slice(ownerIndent.length) : indent.includes('\t') ? '\t' : '    ';
  return { indent, unit, eol: ctx.eol };
}

export function hasMultilineString(node: Node): boolean {
  if ((node.type === 'string' || node.type === 'concatenated_string') && node.startPosition.row !== node.endPosition.row) return true;
  return node.namedChildren.some((c) => c !== null && hasMultilineString(c));
}

/** A node's text moved `extra` deeper: continuation lines follow, unless that would change a string. */
export function deeper(node: Node, extra: string): string {
  const text = node.text;
  if (!text.includes('\n') || hasMultilineString(node)) return text;
  return text.replace(/\n(?=[^\r\n])/g, `\n${extra}`);
}

export interface Comments {
  leading: Map<number, Node[]>;
  trailing: Map<number, Node[]>;
  /** The end of the last statement, or of the comment after it on its line. */
  end: number;
}

/** The block's comments among the statements: on a statement's own line (trailing) or above it (leading). */
export function commentsAmong(block: Node, statements: Node[]): Comments {
  const leading = new Map<number, Node[]>();
  const trailing = new Map<number, Node[]>();
  const push = (map: Map<number, Node[]>, key: number, c: Node) => map.set(key, [...(map.get(key) ?? []), c]);
  const first = statements[0];
  const last = statements[statements.length - 1];
  let end = last.endIndex;
  let previous: Node | undefined;
  for (const child of block.namedChildren) {
    if (!child || child.startIndex < first.startIndex) continue;
    if (child.type !== 'comment') {
      if (child.startIndex > last.startIndex) break;
      previous = child;
      continue;
    }
    if (previous && child.startPosition.row === previous.endPosition.row) {
      push(trailing, previous.id, child);
      if (previous.id === last.id) end = child.endIndex;
    } else if (child.startIndex < last.startIndex) {
      const next = statements.find((s) => s.startIndex > child.startIndex);
      if (next) push(leading, next.id, child);
    } else break;
  }
  return { leading, trailing, end };
}

export function trailingText(comments: Comments, statement: Node): string {
  return (comments.trailing.get(statement.id) ?? []).map((c) => `  ${c.text}`).join('');
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
    if (bindings.length !== 1 || bindings[0].kind !== 'import' || !importsAsyncioAs(bindings[0].node, name)) continue;
    if (scope.resolve(name) === model.module) return { asyncio: name, fresh };
  }
  if (taken.has('asyncio')) return undefined;
  const edit = importAsyncioEdit(ctx, topLevelOf(statement));
  if (!edit) return undefined;
  taken.add('asyncio');
  return { asyncio: 'asyncio', importEdit: edit, fresh };
}

function importsAsyncioAs(importStatement: Node, name: string): boolean {
  if (importStatement.type !== 'import_statement') return false;
  return importStatement.namedChildren.some((c) => {
    if (c?.type === 'dotted_name') return name === 'asyncio' && c.namedChild(0)?.text === 'asyncio';
    if (c?.type === 'aliased_import') return c.childForFieldName('name')?.text === 'asyncio' && c.childForFieldName('alias')?.text === name;
    return false;
  });
}

function topLevelOf(node: Node): Node {
  let n = node;
  while (n.parent && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** `import asyncio` after the imports before the function, else at the top (after leading comments). */
function importAsyncioEdit(ctx: FixContext, topLevel: Node): TextEdit | undefined {
  let anchor: Node | undefined;
  for (const s of ctx.facts.preludeStatements()) {
    if (s.startIndex >= topLevel.startIndex) break;
    anchor = s;
  }
  if (anchor) {
    const end = lineEndOffset(ctx.text, anchor.endIndex);
    if (end >= topLevel.startIndex) return undefined;
    return insertAt(positionAt(ctx.lineStarts, end), `${ctx.eol}import asyncio`);
  }
  const first = ctx.facts.topLevelStatements().find((s) => s.type !== 'comment');
  if (!first || first.startPosition.column !== 0) return undefined;
  return insertAt(positionAt(ctx.lineStarts, first.startIndex), `import asyncio${ctx.eol}${ctx.eol}`);
}
