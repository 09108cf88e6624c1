// Fix-all: the one loop behind the CLI's `--fix` and the language server's fix-all
// (`source.fixAll.asyncguard`). It picks one fix per finding, applies those whose edits do not
// collide, analyses the new text and repeats until no fix applies: the fixed point, reached within
// one run. A plain function over text and an analysis, so every front end shares it.
//
// Which fixes it may apply is the fix-safety policy (docs/concepts/fix-safety.md): safe fixes, unsafe ones
// only when asked, suppressions never.
import { applyEdits, dominantLineEnding, lineStarts, offsetAt, withLineEnding, type LineEnding } from './text';
import type { AnalysisResult, Finding, Fix, TextEdit } from './types';

/** More passes than any real file needs: each pass applies every fix that does not collide. */
export const MAX_FIX_PASSES = 10;

export interface FixAllOptions {
  /** Apply unsafe fixes too (`--unsafe-fixes`, the `asyncguard.fixAll.unsafeFixes` setting). */
  unsafe: boolean;
  maxPasses?: number;
}

/** The engine, run on the original text and on every intermediate one. */
export type AnalyzeText = (text: string) => AnalysisResult | Promise<AnalysisResult>;

export interface FixAllOutcome {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** Passes that applied at least one fix. */
  passes: number;
  /** False when fixes still applied after the last pass. */
  converged: boolean;
  /** The analysis of the text as it was. */
  initial: AnalysisResult;
  /** The analysis of the final text. */
  result: AnalysisResult;
}

/** Whether fix-all may apply `fix` on its own: never a suppression; unsafe fixes only when allowed. */
export function appliesAutomatically(fix: Fix, unsafe: boolean): boolean {
  return fix.kind !== 'suppress' && fix.edits.length > 0 && (fix.safe || unsafe);
}

/** The fix fix-all applies to a finding: its preferred one when allowed, else the first allowed. */
export function chooseFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const allowed = finding.fixes.filter((f) => appliesAutomatically(f, unsafe));
  return allowed.find((f) => f.preferred) ?? allowed[0];
}

export async function fixAll(text: string, analyze: AnalyzeText, options: FixAllOptions): Promise<FixAllOutcome> {
  // Lines a fix adds are written with the file's own line ending, whatever the engine wrote.
  const eol = dominantLineEnding(text);
  const initial = await analyze(text);
  let current = text;
  let result = initial;
  let applied = 0;
  let passes = 0;
  const maxPasses = options.maxPasses ?? MAX_FIX_PASSES;
  while (passes < maxPasses) {
    const step = applyOnePass(current, result.findings, options.unsafe, eol);
    if (step.applied === 0 || step.text === current) return { text: current, applied, passes, converged: true, initial, result };
    current = step.text;
    applied += step.applied;
    passes++;
    result = await analyze(current);
  }
  const pending = result.findings.some((f) => chooseFix(f, options.unsafe));
  return { text: current, applied, passes, converged: !pending, initial, result };
}

/**
 * One pass: the chosen fix of each finding, in document order, unless one of its edits overlaps or
 * touches an edit already taken, or it binds a name a fix already taken binds (Fix.binds). Touching
 * counts: two insertions at one point must not both land. A fix left out is computed again on the
 * next pass, against the text the others made.
 */
export function applyOnePass(
  text: string,
  findings: readonly Finding[],
  unsafe: boolean,
  eol: LineEnding = dominantLineEnding(text),
): { text: string; applied: number } {
  const starts = lineStarts(text);
  const span = (e: TextEdit): [number, number] => [offsetAt(starts, text.length, e.range.start), offsetAt(starts, text.length, e.range.end)];
  const taken: Array<[number, number]> = [];
  const bound = new Set<string>();
  const edits: TextEdit[] = [];
  let applied = 0;
  const ordered = [...findings].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const finding of ordered) {
    const fix = chooseFix(finding, unsafe);
    if (!fix) continue;
    const spans = fix.edits.map(span);
    if (overlapsItself(spans)) continue; // malformed: never apply half of a fix
    if (spans.some((s) => taken.some((t) => touches(s, t)))) continue;
    if (fix.binds?.some((name) => bound.has(name))) continue; // two fixes would bind one name
    taken.push(...spans);
    fix.binds?.forEach((name) => bound.add(name));
    edits.push(...fix.edits.map((e) => ({ range: e.range, newText: withLineEnding(e.newText, eol) })));
    applied++;
  }
  return { text: applied ? applyEdits(text, edits) : text, applied };
}

function touches(a: [number, number], b: [number, number]): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}

function overlapsItself(spans: ReadonlyArray<[number, number]>): boolean {
  return spans.some((a, i) => spans.some((b, j) => j > i && a[0] < b[1] && b[0] < a[1]));
}
