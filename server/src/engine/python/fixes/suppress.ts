// Fix: `# asyncguard: ignore[RULE]` at the end of the line, merged into an existing one.
import type { Fix, RuleId } from '../../types';
import type { Node } from '../parser';
import { lineEndOffset, type FixContext } from './context';

const EXISTING = /asyncguard:\s*ignore\[([^\]]*)\]/;

/** The line a suppression goes on: the call's first line, unless that line ends inside a string. */
export function suppressionLine(ctx: FixContext, call: Node): number {
  const end = lineEndOffset(ctx.text, call.startIndex);
  const atEnd = ctx.root.descendantForIndex(Math.max(end - 1, call.startIndex));
  for (let n: Node | null = atEnd; n; n = n.parent) {
    if (n.type === 'string' && n.endIndex > end) return call.endPosition.row;
  }
  return call.startPosition.row;
}

export function suppressFix(ctx: FixContext, call: Node, rule: RuleId): Fix {
  const line = suppressionLine(ctx, call);
  const lineText = lineTextAt(ctx, line);
  const comments = ctx.model.comments.filter((c) => c.startPosition.row === line);
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
  return { kind: 'suppress', title: `Suppress \`${rule}\` on this line`, safe: true, preferred: false, edits: [edit] };
}

function lineTextAt(ctx: FixContext, line: number): string {
  const start = ctx.lineStarts[line] ?? ctx.text.length;
  return ctx.text.slice(start, lineEndOffset(ctx.text, start));
}
