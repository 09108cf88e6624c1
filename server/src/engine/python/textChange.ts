// The one edit that turns a document's previous text into its new text, as tree-sitter wants it.
import type { Edit, Point } from 'web-tree-sitter';

export type TextChange = Edit;

const CHUNK = 2048;

/** The smallest single replacement between the two texts (common prefix and suffix kept). */
export function textEditBetween(before: string, after: string): TextChange {
  const limit = Math.min(before.length, after.length);
  // whole chunks first: comparing strings is far faster than comparing characters one by one
  let start = 0;
  while (start + CHUNK <= limit && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix + CHUNK <= limit - start && before.slice(before.length - suffix - CHUNK, before.length - suffix) === after.slice(after.length - suffix - CHUNK, after.length - suffix)) suffix += CHUNK;
  while (suffix < limit - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // never split a `\r\n` pair or a surrogate pair between the kept and the replaced text
  while (start > 0 && splitsPair(before, start)) start--;
  while (suffix > 0 && (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix))) suffix--;
  const oldEndIndex = before.length - suffix;
  const newEndIndex = after.length - suffix;
  const startPosition = pointAt(before, start, { row: 0, column: 0 }, 0);
  return {
    startIndex: start,
    oldEndIndex,
    newEndIndex,
    startPosition,
    oldEndPosition: pointAt(before, oldEndIndex, startPosition, start),
    newEndPosition: pointAt(after, newEndIndex, startPosition, start),
  };
}

function splitsPair(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return (before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff);
}

/** Row and column (UTF-16 units after the last `\n`) of `offset`, counting on from a known point. */
export function pointAt(text: string, offset: number, from: Point, fromOffset: number): Point {
  let row = from.row;
  let lineStart = fromOffset - from.column;
  for (let i = text.indexOf('\n', fromOffset); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
