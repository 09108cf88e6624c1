import type { Position, TextEdit } from './types';

/** Offsets (UTF-16 code units) of the start of every line; `\r\n`, `\n` and `\r` all end a line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function offsetAt(starts: number[], textLength: number, pos: Position): number {
  if (pos.line >= starts.length) return textLength;
  const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] : textLength;
  return Math.min(starts[pos.line] + pos.character, lineEnd);
}

/** The line (from 0) that holds `offset`, given the lines' start offsets. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function positionAt(starts: number[], offset: number): Position {
  const line = lineAt(starts, offset);
  return { line, character: offset - starts[line] };
}

/** Applies non-overlapping edits to `text` (the same edits the editor and `--fix` apply). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits
    .map((e) => ({
      start: offsetAt(starts, text.length, e.range.start),
      end: offsetAt(starts, text.length, e.range.end),
      newText: e.newText,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const e of resolved) {
    if (e.start < cursor) throw new Error('overlapping edits');
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}

export type LineEnding = '\n' | '\r\n' | '\r';

/** The most common line ending of `text` (`\n` when there is none), used for lines a fix inserts. */
export function dominantLineEnding(text: string): LineEnding {
  // the common case at native speed: this runs on every keystroke over the whole text
  if (!text.includes('\r')) return '\n';
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (ch === 10) lf++;
  }
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

/** Line breaks in text a fix inserts, written the way the file writes them. */
export function withLineEnding(text: string, eol: LineEnding): string {
  return eol === '\n' ? text.replace(/\r\n?/g, '\n') : text.replace(/\r\n|\r|\n/g, eol);
}
