// What a TypeScript rule sees: the file, the checker (asked only about the expressions the rule
// looks at), and how to turn offsets into the engine's line/character positions.
import * as ts from 'typescript';
import type { AwaitableKind, Fix, Range, RuleId } from '../types';
import { dominantLineEnding, lineStarts, positionAt } from '../text';
import type { Insertion } from './serviceFixes';

export interface RawFinding {
  rule: RuleId;
  /** The offending expression; the finding's range. */
  node: ts.Node;
  message: string;
  fixes: Fix[];
  awaitable?: AwaitableKind;
  callee?: string;
}

export class RuleContext {
  readonly sf: ts.SourceFile;
  readonly checker: ts.TypeChecker;
  readonly options: ts.CompilerOptions;
  readonly isJs: boolean;
  readonly newline: string;
  readonly findings: RawFinding[] = [];
  /** make-async fixes whose edits the language service is asked for once the file is checked. */
  readonly makeAsyncRequests: { fix: Fix; awaits: Insertion[] }[] = [];
  private readonly starts: number[];

  constructor(sf: ts.SourceFile, checker: ts.TypeChecker, options: ts.CompilerOptions) {
    this.sf = sf;
    this.checker = checker;
    this.options = options;
    this.isJs = /\.[cm]?jsx?$/i.test(sf.fileName);
    this.newline = dominantLineEnding(sf.text);
    this.starts = lineStarts(sf.text);
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

/** The expression inside any parentheses. */
export function unparen(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

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
