// Fix: `# asyncguard: ignore[RULE]` at the end of the line, merged into an existing one.
import type { Fix, RuleId } from '../../types';
import type { Node } from '../parser';
import { lineEndOffset, type FixContext, type FixSite } from './context';
import { quoted } from '../../messages';

const EXISTING = /asyncguard:\s*ignore\[([^\]]*)\]/;

/** The line a suppression goes on: the call's first line, unless that line ends inside a string. */
export function suppressionLine(call: Node): number {
  const first = call.startPosition.row;
  if (call.endPosition.row === first) return first;
  const spansLineEnd = call.descendantsOfType('string').some((s) => s !== null && s.startPosition.row <= first && s.endPosition.row > first);
  return spansLineEnd ? call.endPosition.row : first;
}

export function suppressFix({ ctx, call }: FixSite, rule: RuleId): Fix {
  const line = suppressionLine(call);
  const lineText = lineTextAt(ctx, line);
  const comments = ctx.facts.commentsOn(line);
  const comment = comments[comments.length - 1];
  const existing = comment ? EXISTING.exec(comment.text) : null;
  if (comment && existing) {
    const ids = existing[1].split(',').map((s) => s.trim()).filter(Boolean);
    const merged = `asyncguard: ignore[${[...ids, rule].join(', ')}]`;
    const col = comment.startPosition.column + existing.index;
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
