// Test texts mark where the editor's cursor or selection is: `‸` a cursor, `⦗...⦘` a selection.
import { lineStarts, positionAt } from '../../src/engine/text';
import type { Range } from '../../src/engine/types';

export function withSelection(marked: string): { text: string; range: Range } {
  const cursor = marked.indexOf('‸');
  const open = marked.indexOf('⦗');
  if ((cursor < 0) === (open < 0)) throw new Error('mark exactly one cursor (‸) or one selection (⦗...⦘)');
  let text: string;
  let start: number;
  let end: number;
  if (cursor >= 0) {
    text = marked.slice(0, cursor) + marked.slice(cursor + 1);
    start = end = cursor;
  } else {
    const close = marked.indexOf('⦘');
    if (close < open) throw new Error('a selection opened with ⦗ closes with ⦘');
    text = marked.slice(0, open) + marked.slice(open + 1, close) + marked.slice(close + 1);
    start = open;
    end = close - 1;
  }
  const starts = lineStarts(text);
  return { text, range: { start: positionAt(starts, start), end: positionAt(starts, end) } };
}
