// The properties every analysis and every fix must have, whatever the language: ranges inside the
// document, fixes that change the text and do not bring their finding back, fix-all that reaches a
// fixed point. Whether a fixed text parses is left to a batch check by the language's own parser
// (CPython, the TypeScript compiler), so these functions only collect the texts to check.
import { fixAll } from '../../src/engine/workspace/fixAll';
import { applyEdits, lineStarts, offsetAt } from '../../src/engine/text';
import type { AnalysisResult, Finding, Range, TextEdit } from '../../src/engine/types';

export type Analyze = (text: string) => AnalysisResult;

/** A text a fix produced, to be checked by the language's parser when its input parsed. */
export interface FixedText {
  /** e.g. "add-await on unawaited-coroutine at 4:5" or "fix-all (CLI --fix --unsafe-fixes)" */
  what: string;
  text: string;
}

export interface FixCheck {
  problems: string[];
  fixed: FixedText[];
  /** Single fixes applied and re-analysed. */
  applied: number;
  /** `fix RULE KIND` and `fix RULE KIND on STYLE` of each of them, and `lines STYLE` of the input. */
  covered: string[];
}

/** LSP lines: `\r\n`, `\r` and `\n` all end one. */
function documentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function describe(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Problems with the ranges of a result: each inside the document, start before end, edits of a fix disjoint. */
export function rangeProblems(text: string, result: AnalysisResult): string[] {
  const lines = documentLines(text);
  const problems: string[] = [];
  const inside = (r: Range) => {
    for (const p of [r.start, r.end]) {
      if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return false;
      if (p.line >= lines.length || p.character > lines[p.line].length) return false;
    }
    return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  };
  const seen = new Set<string>();
  for (const f of result.findings) {
    if (!inside(f.range)) problems.push(`${f.rule} range ${describe(f.range)} is outside the document (${lines.length} lines)`);
    const key = `${f.rule} ${describe(f.range)}`;
    if (seen.has(key)) problems.push(`${key} is reported twice`);
    seen.add(key);
    if (!f.message) problems.push(`${key} has no message`);
    if (f.fixes.filter((x) => x.preferred).length > 1) problems.push(`${key} has more than one preferred fix`);
    for (const fix of f.fixes) {
      for (const e of fix.edits) {
        if (!inside(e.range)) problems.push(`${fix.kind} on ${key}: edit ${describe(e.range)} is outside the document`);
      }
      if (editsOverlap(text, fix.edits)) problems.push(`${fix.kind} on ${key}: its edits overlap`);
    }
  }
  return problems;
}

function toOffsets(text: string, edits: readonly TextEdit[]) {
  const starts = lineStarts(text);
  return edits
    .map((e) => ({ start: offsetAt(starts, text.length, e.range.start), end: offsetAt(starts, text.length, e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

function editsOverlap(text: string, edits: readonly TextEdit[]): boolean {
  const spans = toOffsets(text, edits);
  return spans.some((s, i) => i > 0 && s.start < spans[i - 1].end);
}

/**
 * Where the flagged expression `[start, end)` of the original text is after the edits: shifted by
 * the edits before it, or found again inside the replacement text of an edit that covers it.
 * Undefined when the expression is gone.
 */
export function mapSpan(text: string, edits: readonly TextEdit[], start: number, end: number): number | undefined {
  const expr = text.slice(start, end);
  let delta = 0;
  for (const e of toOffsets(text, edits)) {
    if (e.end <= start) {
      delta += e.newText.length - (e.end - e.start);
      continue;
    }
    if (e.start >= end) break;
    // the edit overlaps the expression: look for it in what replaced it
    const at = e.newText.indexOf(expr);
    if (at < 0 || e.start > start) return undefined;
    return e.start + delta + at;
  }
  return start + delta;
}

/** Applies each fix of each finding on its own, then fix-all with and without unsafe fixes. */
export async function checkFixes(text: string, result: AnalysisResult, analyze: Analyze): Promise<FixCheck> {
  const problems: string[] = [];
  const fixed: FixedText[] = [];
  const style = lineStyle(text);
  const covered = [`lines ${style}`];
  let applied = 0;
  const starts = lineStarts(text);
  for (const finding of result.findings) {
    const start = offsetAt(starts, text.length, finding.range.start);
    const end = offsetAt(starts, text.length, finding.range.end);
    for (const fix of finding.fixes) {
      const what = `${fix.kind} on ${finding.rule} at ${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
      let after: string;
      try {
        after = applyEdits(text, fix.edits);
      } catch (e) {
        problems.push(`${what}: cannot be applied (${(e as Error).message})`);
        continue;
      }
      applied++;
      covered.push(`fix ${finding.rule} ${fix.kind}`, `fix ${finding.rule} ${fix.kind} on ${style}`);
      if (after === text) {
        problems.push(`${what}: changes nothing`);
        continue;
      }
      fixed.push({ what, text: after });
      const again = analyze(after);
      problems.push(...rangeProblems(after, again).map((p) => `after ${what}: ${p}`));
      const moved = mapSpan(text, fix.edits, start, end);
      if (moved !== undefined && reRaised(after, again, finding, moved)) {
        problems.push(`${what}: the finding is still reported after the fix`);
      }
    }
  }
  if (result.findings.some((f) => f.fixes.length)) {
    // the one loop behind --fix and the language server's fix-all, with and without unsafe fixes
    for (const unsafe of [false, true]) {
      const what = `fix-all${unsafe ? ' with unsafe fixes' : ''}`;
      const first = await fixAll(text, analyze, { unsafe });
      if (!first.converged) problems.push(`${what} did not reach a fixed point`);
      if (first.text === text) continue;
      fixed.push({ what, text: first.text });
      const second = await fixAll(first.text, analyze, { unsafe });
      if (second.text !== first.text) problems.push(`${what}: a second run changes the text again`);
      const kinds = lineEndings(text);
      if (kinds && !kinds.includes('+') && lineEndings(first.text) !== kinds) problems.push(`${what}: it wrote other line endings than the file's`);
    }
  }
  return { problems, fixed, applied, covered };
}

/** LF, CRLF, CR, mixed or none. */
function lineStyle(text: string): string {
  const kinds = lineEndings(text);
  return kinds.includes('+') ? 'mixed' : ({ '\n': 'LF', '\r\n': 'CRLF', '\r': 'CR' } as Record<string, string>)[kinds] ?? 'none';
}

/** The kinds of line ending a text uses, joined by `+` when there are several; empty when none. */
function lineEndings(text: string): string {
  const kinds = new Set(text.match(/\r\n|\r|\n/g) ?? []);
  return [...kinds].sort().join('+');
}

function reRaised(after: string, again: AnalysisResult, finding: Finding, offset: number): boolean {
  const starts = lineStarts(after);
  return again.findings.some((f) => f.rule === finding.rule && offsetAt(starts, after.length, f.range.start) === offset);
}

