// `--fix`: picks one fix per finding, applies the ones that do not collide, re-analyses, and repeats
// until nothing changes (a bounded number of passes).
import { withLineEnding, type LineEnding } from '../engine/project/files';
import { applyEdits } from '../engine/text';
import type { AnalysisResult, Finding, Fix, Position, TextEdit } from '../engine/types';
import { isAutoFix } from './report';

export const MAX_FIX_PASSES = 10;

export interface FixOutcome {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** The analysis of the final text. */
  result: AnalysisResult;
  /** The analysis of the text as it was. */
  initial: AnalysisResult;
  /** False when fixes still applied after the last pass. */
  converged: boolean;
}

/** The fix --fix applies to a finding: its preferred one when allowed, else the first allowed. */
export function chooseFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const allowed = finding.fixes.filter((f) => isAutoFix(f, unsafe));
  return allowed.find((f) => f.preferred) ?? allowed[0];
}

export function fixUntilStable(
  text: string,
  analyze: (text: string) => AnalysisResult,
  options: { unsafe: boolean; eol: LineEnding; maxPasses?: number },
): FixOutcome {
  let current = text;
  let applied = 0;
  const initial = analyze(current);
  let result = initial;
  for (let pass = 0; pass < (options.maxPasses ?? MAX_FIX_PASSES); pass++) {
    const step = applyOnePass(current, result.findings, options);
    if (step.applied === 0 || step.text === current) return { text: current, applied, result, initial, converged: true };
    current = step.text;
    applied += step.applied;
    result = analyze(current);
  }
  const pending = result.findings.some((f) => chooseFix(f, options.unsafe));
  return { text: current, applied, result, initial, converged: !pending };
}

/** Applies every chosen fix whose edits neither overlap nor touch an edit already taken. */
export function applyOnePass(
  text: string,
  findings: readonly Finding[],
  options: { unsafe: boolean; eol: LineEnding },
): { text: string; applied: number } {
  const taken: TextEdit[] = [];
  let applied = 0;
  for (const finding of findings) {
    const fix = chooseFix(finding, options.unsafe);
    if (!fix || fix.edits.length === 0) continue;
    const edits = fix.edits.map((e) => ({ range: e.range, newText: withLineEnding(e.newText, options.eol) }));
    if (overlapsItself(edits)) continue; // malformed; never apply half of a fix
    if (edits.some((e) => taken.some((t) => collide(e, t)))) continue; // left for the next pass
    taken.push(...edits);
    applied++;
  }
  return { text: applied ? applyEdits(text, taken) : text, applied };
}

// Touching counts as colliding: two insertions at one point (say, two `background_tasks = set()`)
// must not both land; the second is recomputed on the next pass against the new text.
function collide(a: TextEdit, b: TextEdit): boolean {
  return notAfter(a.range.start, b.range.end) && notAfter(b.range.start, a.range.end);
}

function overlapsItself(edits: readonly TextEdit[]): boolean {
  return edits.some((a, i) => edits.some((b, j) => j > i && before(a.range.start, b.range.end) && before(b.range.start, a.range.end)));
}

function before(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character < q.character);
}

function notAfter(p: Position, q: Position): boolean {
  return p.line < q.line || (p.line === q.line && p.character <= q.character);
}
