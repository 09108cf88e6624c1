// What the rewritten text needs besides the calls: indentation, the comments among the statements,
// and the declaration or destructuring that receives the results.
import * as ts from 'typescript';
import type { AwaitedCall } from './awaited-statements';
import type { Context } from './independence';
import { lineStart } from '../../refactors/runs';
import { listOf } from './selection';

interface Layout {
  indent: string;
  unit: string;
}

export function layoutOf(ctx: Context, statement: ts.Statement): Layout | undefined {
  const start = statement.getStart(ctx.sf);
  const indent = ctx.text.slice(lineStart(ctx.text, start), start);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  const owner = statement.parent.parent;
  let unit = indent.includes('\t') ? '\t' : '  ';
  if (owner && !ts.isSourceFile(statement.parent)) {
    const ownerLine = lineStart(ctx.text, owner.getStart(ctx.sf));
    const ownerIndent = /^[ \t]*/.exec(ctx.text.slice(ownerLine))![0];
    if (indent.length > ownerIndent.length && indent.startsWith(ownerIndent)) unit = indent.slice(ownerIndent.length);
  }
  return { indent, unit };
}

/** The comments between the statements: on a statement's line after it (trailing) or above it (leading). */
interface Comments {
  leading: Map<ts.Statement, string[]>;
  trailing: Map<ts.Statement, string[]>;
  end: number;
}

export function commentsAmong(ctx: Context, statements: ts.Statement[]): Comments {
  const leading = new Map<ts.Statement, string[]>();
  const trailing = new Map<ts.Statement, string[]>();
  const add = (map: Map<ts.Statement, string[]>, s: ts.Statement, r: ts.CommentRange) => map.set(s, [...(map.get(s) ?? []), ctx.text.slice(r.pos, r.end)]);
  // a comment on a statement's line after it is its trailing comment; the ones on lines of their
  // own before the next statement are that statement's leading comments
  let end = statements[0].end;
  statements.forEach((s, i) => {
    if (i > 0) for (const r of ts.getLeadingCommentRanges(ctx.text, s.pos) ?? []) add(leading, s, r);
    end = s.end;
    for (const r of ts.getTrailingCommentRanges(ctx.text, s.end) ?? []) {
      add(trailing, s, r);
      end = r.end;
    }
  });
  return { leading, trailing, end };
}

export function trailingText(comments: Comments, s: ts.Statement): string {
  return (comments.trailing.get(s) ?? []).map((c) => ` ${c}`).join('');
}

/** A node's text moved `extra` deeper: continuation lines follow, unless that would change a template string. */
export function deeper(ctx: Context, node: ts.Node, extra: string): string {
  const text = node.getText(ctx.sf);
  if (!text.includes('\n')) return text;
  let template = false;
  const visit = (n: ts.Node): void => {
    if (ts.isTemplateExpression(n) || ts.isNoSubstitutionTemplateLiteral(n)) template = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return template ? text : text.replace(/\n(?=[^\r\n])/g, `\n${extra}`);
}

/** What receives the results: a declaration, a destructuring assignment, or nothing. */
export function resultsHead(ctx: Context, calls: AwaitedCall[], asiGuard: boolean): string | undefined {
  const kept = calls.filter((c) => c.shape !== 'dropped');
  if (kept.length === 0) return '';
  // elements after the last kept result are left out; earlier dropped ones are holes
  const lastKept = calls.reduce((at, c, i) => (c.shape === 'dropped' ? at : i), -1);
  const slots = calls.slice(0, lastKept + 1);
  if (kept.every((c) => c.shape === 'declaration')) {
    const declarations = kept as Extract<AwaitedCall, { shape: 'declaration' }>[];
    const keyword = declarations[0].keyword;
    if (declarations.some((d) => d.keyword !== keyword)) return undefined;
    const typed = declarations.filter((d) => d.type).length;
    // a tuple type must spell out every element; inferred ones cannot be written down faithfully
    if (typed !== 0 && typed !== declarations.length) return undefined;
    const pattern = slots.map((c) => (c.shape === 'declaration' ? c.name.getText(ctx.sf) : '')).join(', ');
    const types = typed ? `: [${calls.map((c) => (c.shape === 'declaration' ? c.type!.getText(ctx.sf) : 'unknown')).join(', ')}]` : '';
    return `${keyword} [${pattern}]${types} = `;
  }
  if (kept.every((c) => c.shape === 'assignment')) {
    const pattern = slots.map((c) => (c.shape === 'assignment' ? c.target.getText(ctx.sf) : '')).join(', ');
    return `${asiGuard ? ';' : ''}[${pattern}] = `;
  }
  return undefined;
}

/** A statement starting with `[` continues the previous line when that line has no `;` (no semicolons style). */
export function needsAsiGuard(ctx: Context, statement: ts.Statement): boolean {
  const list = listOf(statement)!;
  const index = list.statements.indexOf(statement);
  if (index <= 0) return false;
  const previous = list.statements[index - 1];
  const last = previous.getLastToken(ctx.sf);
  return last !== undefined && last.kind !== ts.SyntaxKind.SemicolonToken && last.kind !== ts.SyntaxKind.CloseBraceToken;
}

/** Comments inside the loop statement outside the call's own text, in order. */
export function commentsInside(ctx: Context, loop: ts.Statement, callStatement: ts.Statement): string[] {
  const out: string[] = [];
  const scan = (from: number, to: number) => {
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ctx.sf.languageVariant, ctx.text, undefined, from, to - from);
    for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
      if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) out.push(scanner.getTokenText());
    }
  };
  scan(loop.getStart(ctx.sf), callStatement.getStart(ctx.sf));
  scan(callStatement.end, loop.end);
  return out;
}
