// The properties of one analysis, whatever the language: no throw, bounded time, no internal
// error, every range inside the document (fix-check.ts rangeProblems).
import type { AnalysisResult } from '../../src/engine/types';
import { HANG_MS, type Tally } from './budget';
import { rangeProblems, type Analyze } from './fix-check';

/** The input as a failure message shows it: JSON-quoted, cut after 2,000 characters. */
export function show(text: string): string {
  return text.length > 2000 ? `${JSON.stringify(text.slice(0, 2000))}... (${text.length} characters)` : JSON.stringify(text);
}

/** Analyses one input and throws on any broken property except the fixes'. */
export function checkAnalysis(tally: Tally, text: string, run: Analyze): AnalysisResult {
  let timed: { value: AnalysisResult; ms: number };
  try {
    timed = tally.time(() => run(text));
  } catch (e) {
    throw new Error(`the engine threw ${(e as Error).stack} on ${show(text)}`);
  }
  const { value: result, ms } = timed;
  if (ms > HANG_MS) throw new Error(`analysis took ${ms.toFixed(0)} ms on ${show(text)}`);
  const internal = result.notes.filter((n) => n.startsWith('internal error'));
  const problems = [...rangeProblems(text, result), ...internal];
  if (problems.length) throw new Error(`${problems.join('\n')}\non ${show(text)}`);
  tally.findings += result.findings.length;
  return result;
}
