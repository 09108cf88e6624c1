// Fix: `# asyncguard: ignore[RULE]` at the end of the line, merged into an existing one.
import type { Fix, RuleId } from '../../types';
import type { Node, SyntaxTree } from '../tree';
import { lineEndOffset, type FixContext, type FixSite } from './context';
import { quoted } from '../../messages';

const EXISTING = /asyncguard:\s*ignore\[([^\]]*)\]/;

/** The line a suppression goes on: the call's first line, unless that line ends inside a string. */
export function suppressionLine(tree: SyntaxTree, call: Node): number {
  const first = tree.startRow(call);
  const last = tree.endRow(call);
  if (last === first) return first;
  const spansLineEnd = tree.descendantsOfType(call, 'string').some((s) => tree.startRow(s) <= first && tree.endRow(s) > first);
  return spansLineEnd ? last : first;
}

export function suppressFix({ ctx, call }: FixSite, rule: RuleId): Fix {
  const line = suppressionLine(ctx.tree, call);
  const lineText = lineTextAt(ctx, line);
  const comments = ctx.facts.commentsOn(line);
  const comment = comments[comments.length - 1];
  const existing = comment ? EXISTING.exec(ctx.tree.textOf(comment)) : null;
  if (comment && existing) {
    const ids = existing[1].split(',').map((s) => s.trim()).filter(Boolean);
    const merged = `asyncguard: ignore[${[...ids, rule].join(', ')}]`;
    const col = ctx.tree.startPosition(comment).column + existing.index;
    return suppress(rule, {
      range: { start: { line, character: col }, end: { line, character: col + existing[0].length } },
      newText: merged,
    });
  }
  const trimmedEnd = lineText.replace(/[ \t]+$/, '').length;
  return suppress(rule, {
    range: { start: { line, character: trimmedEnd }, end: { line, character: lineText.length } },
    newText: `  # asyncguard: ignore[${rule}]`,
  });
}

function suppress(rule: RuleId, edit: Fix['edits'][number]): Fix {
  // never safe: it hides the problem instead of removing it (docs/concepts/fix-safety.md)
  return { kind: 'suppress', title: `Suppress ${quoted(rule)} on this line`, safe: false, preferred: false, edits: [edit] };
}

function lineTextAt(ctx: FixContext, line: number): string {
  const start = ctx.lineStarts[line] ?? ctx.text.length;
  return ctx.text.slice(start, lineEndOffset(ctx.text, start));
}
