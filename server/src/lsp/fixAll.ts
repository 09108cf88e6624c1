// "Fix all AsyncGuard problems in this file": the engine's own fixes, applied in rounds until
// nothing more applies (one fix can change what the next should be, e.g. two awaits that both need
// the enclosing function made async), then returned as one minimal edit of the original text.
import { applyEdits, lineStarts, positionAt } from '../engine/text';
import type { Finding, Fix, TextEdit } from '../engine/types';

const MAX_ROUNDS = 10;

/** The fix fix-all applies for a finding: the preferred one when safe, else the first safe one; never a suppression. */
export function fixAllChoice(finding: Finding): Fix | undefined {
  const candidates = finding.fixes.filter((f) => f.safe && f.kind !== 'suppress' && f.edits.length > 0);
  return candidates.find((f) => f.preferred) ?? candidates[0];
}

function offsets(text: string, edits: readonly TextEdit[]): Array<[number, number]> {
  const starts = lineStarts(text);
  const at = (line: number, character: number) =>
    line >= starts.length ? text.length : Math.min(starts[line] + character, starts[line + 1] ?? text.length);
  return edits.map((e) => [at(e.range.start.line, e.range.start.character), at(e.range.end.line, e.range.end.character)]);
}

/** Two spans conflict when they overlap or are insertions at the same point (their order would be a guess). */
function conflicts(a: [number, number], b: [number, number]): boolean {
  if (a[0] === b[0]) return true;
  return a[0] < b[1] && b[0] < a[1];
}

/** Picks non-conflicting fixes, first finding first. */
function oneRound(text: string, findings: readonly Finding[]): TextEdit[] {
  const taken: Array<[number, number]> = [];
  const edits: TextEdit[] = [];
  const ordered = [...findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  for (const finding of ordered) {
    const fix = fixAllChoice(finding);
    if (!fix) continue;
    const spans = offsets(text, fix.edits);
    if (spans.some((s) => taken.some((t) => conflicts(s, t)))) continue;
    taken.push(...spans);
    edits.push(...fix.edits);
  }
  return edits;
}

export interface FixAllResult {
  text: string;
  rounds: number;
}

/** Applies fixes round by round; `analyze` is the engine, run on each intermediate text. */
export async function fixAllText(original: string, analyze: (text: string) => Promise<readonly Finding[]>): Promise<FixAllResult> {
  let text = original;
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    const edits = oneRound(text, await analyze(text));
    if (edits.length === 0) break;
    const next = applyEdits(text, edits);
    rounds++;
    if (next === text) break;
    text = next;
  }
  return { text, rounds };
}

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
