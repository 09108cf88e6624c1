// Fix-all in the editor: the engine's fix-all loop (engine/fixAll.ts) turns the text into its fixed
// text; the editor gets that as one minimal edit of the original.
import { lineStarts, positionAt } from '../engine/text';
import type { TextEdit } from '../engine/types';

/** The smallest single edit that turns `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair or a \r\n between the kept and the replaced text.
  while (start > 0 && isLowSurrogateOrLf(before, start)) start--;
  while (endBefore < before.length && isLowSurrogateOrLf(before, endBefore)) {
    endBefore++;
    endAfter++;
  }
  const starts = lineStarts(before);
  return {
    range: { start: positionAt(starts, start), end: positionAt(starts, endBefore) },
    newText: after.slice(start, endAfter),
  };
}

function isLowSurrogateOrLf(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const prev = text.charCodeAt(i - 1);
  return (c >= 0xdc00 && c <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff) || (c === 10 && prev === 13);
}
