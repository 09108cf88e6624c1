// Suppression comments: ours, and the other tools' comments for the same pitfall (DESIGN.md).
import type { RuleId } from '../types';
import type { Node, SyntaxTree } from './tree';

/** Per line: the rules suppressed there, or `all`. */
export type LineSuppressions = Map<number, Set<RuleId> | 'all'>;

const OURS = /asyncguard:\s*ignore(?:\[([^\]]*)\])?/i;
/** Other tools' codes for the same pitfalls. */
const FOREIGN: Array<{ pattern: RegExp; rule: RuleId }> = [
  { pattern: /\bnoqa\s*:[^#]*\b(?:RUF006|ASYNC300)\b/i, rule: 'dangling-task' },
  { pattern: /\bruff\s*:\s*ignore\[[^\]]*\bRUF006\b[^\]]*\]/i, rule: 'dangling-task' },
  { pattern: /\bpyright\s*:\s*ignore(?!\[)/, rule: 'unawaited-coroutine' },
  { pattern: /\bpyright\s*:\s*ignore\[[^\]]*\breportUnusedCoroutine\b[^\]]*\]/, rule: 'unawaited-coroutine' },
  { pattern: /\btype\s*:\s*ignore(?!\[)/, rule: 'unawaited-coroutine' },
  { pattern: /\btype\s*:\s*ignore\[[^\]]*\bunused-coroutine\b[^\]]*\]/, rule: 'unawaited-coroutine' },
  { pattern: /\bty\s*:\s*ignore\[[^\]]*\bunused-awaitable\b[^\]]*\]/, rule: 'unawaited-coroutine' },
  { pattern: /\bpyrefly\s*:\s*ignore\[[^\]]*\bunused-coroutine\b[^\]]*\]/, rule: 'unawaited-coroutine' },
];

export function collectSuppressions(tree: SyntaxTree, comments: readonly Node[]): LineSuppressions {
  const byLine: LineSuppressions = new Map();
  const add = (line: number, rules: Set<RuleId> | 'all') => {
    const existing = byLine.get(line);
    if (existing === 'all' || rules === 'all') byLine.set(line, 'all');
    else if (existing) rules.forEach((r) => existing.add(r));
    else byLine.set(line, rules);
  };
  for (const comment of comments) {
    const text = tree.textOf(comment);
    const line = tree.startRow(comment);
    const ours = OURS.exec(text);
    if (ours) {
      const ids = ours[1]?.split(',').map((s) => s.trim()).filter(Boolean);
      add(line, ids && ids.length ? new Set(ids as RuleId[]) : 'all');
    }
    for (const { pattern, rule } of FOREIGN) if (pattern.test(text)) add(line, new Set([rule]));
  }
  return byLine;
}

export function isSuppressed(s: LineSuppressions, rule: RuleId, lines: number[]): boolean {
  return lines.some((l) => {
    const entry = s.get(l);
    return entry === 'all' || (entry !== undefined && entry.has(rule));
  });
}
