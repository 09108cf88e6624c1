// An async function that cannot reject: its promise always fulfils, so dropping it loses no
// rejection. Defined narrowly, from the body alone:
//
//  1. The function is `async` (not a generator), and its parameters are plain names whose defaults,
//     if any, are literals (evaluating a parameter can throw, and that rejects the promise).
//  2. Its body is exactly one `try` statement with a `catch` clause whose variable, if any, is a
//     plain name (destructuring `null` throws).
//  3. Every `return value;` in the `try` block returns something that is not a thenable and not of
//     unknown type: a returned promise is adopted after the `try` has ended, so its rejection
//     escapes the `catch`.
//  4. The `catch` and `finally` blocks cannot throw: no `throw`, no `await`, no `yield`, no return
//     of a possible thenable, and nothing that can fail at run time.
//
// What "nothing that can fail" means decides the two answers:
//  - 'proven': every statement of the `catch` and `finally` blocks is a call of a `console` method
//    with simple arguments (names, literals, `this`, a plain field `this.x`), an assignment of such
//    a value to a name or to a plain field `this.x`, or `return;` / `return value;` of such a value.
//    Then the call is not reported at all.
//  - 'unless-handler-throws': the same, except that the blocks do other things that could throw in
//    principle (call a logger, read `error.message` of a value that may be `null`) but contain no
//    `throw` and no call typed as returning `never`. The call is reported at information level, with
//    that reason, instead of as a warning.
//  - 'no' otherwise.
import * as ts from 'typescript';
import type { FunctionWithBody } from './exactCallee';
import { maybeThenableValue } from './syntax';
import { isSometimesThenable } from './thenable';

export type RejectionFact = 'proven' | 'unless-handler-throws' | 'no';

export function cannotReject(checker: ts.TypeChecker, fn: FunctionWithBody): RejectionFact {
  if (!(ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) || fn.asteriskToken) return 'no';
  if (!fn.parameters.every((p) => ts.isIdentifier(p.name) && (!p.initializer || isLiteral(p.initializer)))) return 'no';
  const body = fn.body;
  if (!ts.isBlock(body) || body.statements.length !== 1) return 'no';
  const only = body.statements[0];
  if (!ts.isTryStatement(only) || !only.catchClause) return 'no';
  const binding = only.catchClause.variableDeclaration;
  if (binding && !ts.isIdentifier(binding.name)) return 'no';
  if (ownReturns(only.tryBlock).some((r) => r.expression && mayReturnThenable(checker, r.expression))) return 'no';
  let answer: RejectionFact = 'proven';
  for (const block of [only.catchClause.block, only.finallyBlock]) {
    if (!block) continue;
    const handler = classifyHandler(checker, block);
    if (handler === 'no') return 'no';
    if (handler === 'unless-handler-throws') answer = handler;
  }
  return answer;
}

function isLiteral(e: ts.Expression): boolean {
  return (
    ts.isLiteralExpression(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

function mayReturnThenable(checker: ts.TypeChecker, value: ts.Expression): boolean {
  if (!maybeThenableValue(value)) return false;
  const type = checker.getTypeAtLocation(value);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return isSometimesThenable(checker, type, value);
}

/** The function's own `return` statements in `node` (not those of nested functions). */
function ownReturns(node: ts.Node): ts.ReturnStatement[] {
  const out: ts.ReturnStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

function classifyHandler(checker: ts.TypeChecker, block: ts.Block): RejectionFact {
  // anything that certainly throws or waits: no
  let certain = false;
  const visit = (n: ts.Node): void => {
    if (certain || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isThrowStatement(n) || ts.isAwaitExpression(n) || ts.isYieldExpression(n)) certain = true;
    else if (ts.isReturnStatement(n) && n.expression && mayReturnThenable(checker, n.expression)) certain = true;
    else if (ts.isCallExpression(n) && returnsNever(checker, n)) certain = true;
    else if (ts.isForOfStatement(n) && n.awaitModifier) certain = true;
    else ts.forEachChild(n, visit);
  };
  visit(block);
  if (certain) return 'no';
  return block.statements.every((s) => isHarmless(checker, s)) ? 'proven' : 'unless-handler-throws';
}

function returnsNever(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const sig = checker.getResolvedSignature(call);
  return !!sig && (sig.getReturnType().flags & ts.TypeFlags.Never) !== 0;
}

/** A statement that cannot throw: see 'proven' above. */
function isHarmless(checker: ts.TypeChecker, stmt: ts.Statement): boolean {
  if (ts.isEmptyStatement(stmt)) return true;
  const simple = (v: ts.Expression) => isSimpleValue(checker, v);
  if (ts.isReturnStatement(stmt)) return !stmt.expression || simple(stmt.expression);
  if (!ts.isExpressionStatement(stmt)) return false;
  const e = stmt.expression;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const target = e.left;
    return (ts.isIdentifier(target) || isPlainThisProperty(checker, target)) && simple(e.right);
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression)) {
    if (e.expression.expression.text !== 'console' || !isGlobalConsole(checker, e.expression.expression)) return false;
    return e.arguments.every(simple);
  }
  return false;
}

function isGlobalConsole(checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const decls = checker.getSymbolAtLocation(id)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile);
}

/**
 * A value whose evaluation cannot throw: a name, a literal, `this`, or a field of `this` that is a
 * plain property (a getter could throw). Not a template: converting a value to text can throw.
 */
function isSimpleValue(checker: ts.TypeChecker, e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return isSimpleValue(checker, e.expression);
  if (ts.isIdentifier(e) || isLiteral(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return isPlainThisProperty(checker, e);
}

function isPlainThisProperty(checker: ts.TypeChecker, e: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  const decls = checker.getSymbolAtLocation(e.name)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => ts.isPropertyDeclaration(d) || ts.isParameter(d));
}
