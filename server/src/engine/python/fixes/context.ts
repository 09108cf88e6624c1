// What every fix needs to know about the file it edits.
import type { Position, Range, TextEdit } from '../../types';
import type { Node } from '../parser';
import type { SemanticModel } from '../scopes';

export interface FixContext {
  text: string;
  root: Node;
  model: SemanticModel;
  /** The file's line ending, used for every line a fix adds. */
  eol: string;
  lineStarts: number[];
}

export function pointOf(node: Node, end = false): Position {
  const p = end ? node.endPosition : node.startPosition;
  return { line: p.row, character: p.column };
}

export function rangeOf(node: Node): Range {
  return { start: pointOf(node), end: pointOf(node, true) };
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
  const start = lineStartOffset(ctx.text, statement.startIndex);
  const before = ctx.text.slice(start, statement.startIndex);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** Where `await` may be written: directly in an `async def` body, or a list/set/dict comprehension there. */
export function awaitAllowedAt(node: Node, model: SemanticModel): boolean {
  for (let s: ReturnType<SemanticModel['scopeAt']> | undefined = model.scopeAt(node); s; s = s.parent) {
    if (s.kind === 'function') return s.isAsyncFunction;
    if (s.kind === 'comprehension' && s.node.type !== 'generator_expression') continue;
    return false;
  }
  return false;
}
