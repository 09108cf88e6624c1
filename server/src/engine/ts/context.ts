// What a TypeScript rule sees: the file, the checker (asked only about the expressions the rule
// looks at), and how to turn offsets into the engine's line/character positions.
import * as ts from 'typescript';
import type { AwaitableKind, Fix, Range, RuleId, Severity } from '../types';
import { dominantLineEnding, lineAt, lineStarts, positionAt } from '../text';
import type { Insertion } from './serviceFixes';
import { unparen } from './syntax';

export interface RawFinding {
  rule: RuleId;
  /** The offending expression; the finding's range. */
  node: ts.Node;
  message: string;
  fixes: Fix[];
  awaitable?: AwaitableKind;
  callee?: string;
  /** The finding is shown at most at this severity (a fact about the callee makes it less likely to matter). */
  severityCap?: Severity;
}

/**
 * Line starts of the texts analysed last: an edit in an open document needs those of the text before
 * and after it, the rules and the suppressions those of the same text again; computing them walks
 * the whole text, which on a large file costs as much as checking the edited function.
 */
const recentStarts: { text: string; starts: number[] }[] = [];

export function lineStartsOf(text: string): number[] {
  const hit = recentStarts.find((e) => e.text === text);
  if (hit) return hit.starts;
  const starts = lineStarts(text);
  recentStarts.unshift({ text, starts });
  recentStarts.length = Math.min(recentStarts.length, 3);
  return starts;
}

/**
 * The line starts of `text`, made from those of the text before an edit that replaced [start, oldEnd)
 * with `newLength` characters: only the lines the edit touches are scanned (a keystroke in a large
 * file would otherwise walk the whole text).
 */
export function lineStartsAfterEdit(old: readonly number[], text: string, start: number, oldEnd: number, newLength: number): number[] {
  const delta = newLength - (oldEnd - start);
  // From the start of the line before the edit (a lone \r just before it may join a \n inserted at it)
  // to the first line that starts two characters after it (its line break is text the edit left alone).
  const first = lineAt(old, Math.max(0, start - 1));
  let next = lineAt(old, oldEnd + 2);
  if (old[next] < oldEnd + 2) next++;
  const from = old[first];
  const to = next < old.length ? old[next] + delta : text.length;
  const starts = old.slice(0, first + 1);
  const last = next < old.length ? to - 1 : to; // the start at `to` comes from the old starts, when there is one
  for (const s of lineStarts(text.slice(from, to))) if (s > 0 && from + s <= last) starts.push(from + s);
  for (let i = next; i < old.length; i++) starts.push(old[i] + delta);
  return starts;
}

export class RuleContext {
  readonly sf: ts.SourceFile;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly options: ts.CompilerOptions;
  readonly isJs: boolean;
  readonly findings: RawFinding[] = [];
  /** make-async fixes whose edits the language service is asked for once the file is checked. */
  readonly makeAsyncRequests: { fix: Fix; awaits: Insertion[] }[] = [];
  private readonly starts: number[];

  private eol: string | undefined;

  /** `starts` are the text's line starts, when the caller has them already. */
  constructor(sf: ts.SourceFile, program: ts.Program, starts?: number[]) {
    this.sf = sf;
    this.program = program;
    this.checker = program.getTypeChecker();
    this.options = program.getCompilerOptions();
    this.isJs = /\.[cm]?jsx?$/i.test(sf.fileName);
    this.starts = starts ?? lineStartsOf(sf.text);
  }

  /** The line ending fixes write (read from the text only when a fix needs it). */
  get newline(): string {
    return (this.eol ??= dominantLineEnding(this.sf.text));
  }

  typeOf(node: ts.Node): ts.Type {
    return this.checker.getTypeAtLocation(node);
  }

  range(node: ts.Node): Range {
    return this.rangeOf(node.getStart(this.sf), node.getEnd());
  }

  rangeOf(start: number, end: number): Range {
    return { start: positionAt(this.starts, start), end: positionAt(this.starts, end) };
  }

  lineStartOf(offset: number): number {
    return this.starts[positionAt(this.starts, offset).line];
  }

  report(finding: RawFinding): void {
    this.findings.push(finding);
  }
}

export { unparen } from './syntax';

/** The callee as written (`api.save`, `fetchUser`), for hovers and explanations. */
export function calleeText(ctx: RuleContext, node: ts.Node): string | undefined {
  let e: ts.Expression = unparen(node as ts.Expression);
  while (ts.isAwaitExpression(e) || ts.isNonNullExpression(e)) e = unparen(e.expression);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const text = e.expression.getText(ctx.sf);
    return text.length <= 80 ? text : undefined;
  }
  return undefined;
}
