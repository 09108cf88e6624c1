// Suppression comments: ours, and the other tools' comments for the same pitfall (DESIGN.md); which
// codes of which tools suppress a rule is the rule registry's (rules.ts) `honours`.
import { rulesOf, type ForeignCode } from '../rules';
import type { RuleId } from '../types';
import type { Node, SyntaxTree } from './tree';

/** Per line: the rules suppressed there, or `all`. */
export type LineSuppressions = Map<number, Set<RuleId> | 'all'>;

const OURS = /asyncguard:\s*ignore(?:\[([^\]]*)\])?/i;
/** Other tools' comments for the same pitfalls, from the registry. */
const FOREIGN: Array<{ pattern: RegExp; rule: RuleId }> = rulesOf('python').flatMap((rule) =>
  rule.honours.flatMap((code) => commentPatterns(code).map((pattern) => ({ pattern, rule: rule.id }))),
);

/** How each tool spells a comment that suppresses `code` (and, where it has one, its bare form). */
function commentPatterns({ tool, code, bare }: ForeignCode): RegExp[] {
  const c = code.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const inList = (directive: string) => new RegExp(`\\b${directive}\\s*:\\s*ignore\\[[^\\]]*\\b${c}\\b[^\\]]*\\]`, tool === 'ruff' ? 'i' : '');
  const bareForm = (directive: string) => new RegExp(`\\b${directive}\\s*:\\s*ignore(?!\\[)`);
  const noqa = new RegExp(`\\bnoqa\\s*:[^#]*\\b${c}\\b`, 'i');
  switch (tool) {
    case 'ruff':
      return [noqa, inList('ruff')];
    case 'flake8-async':
      return [noqa];
    case 'pyright':
      return [inList('pyright'), ...(bare ? [bareForm('pyright')] : [])];
    case 'mypy':
      return [inList('type'), ...(bare ? [bareForm('type')] : [])];
    case 'ty':
    case 'pyrefly':
      return [inList(tool)];
    case 'eslint':
      return [];
  }
}

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
