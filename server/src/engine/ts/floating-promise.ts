// floating-promise: an expression statement whose value is a promise (any thenable) that is not
// awaited, returned, `void`-ed, `.catch(handler)`-ed or `.then(onFulfilled, onRejected)`-ed.
// Follows typescript-eslint's no-floating-promises with its defaults (ignoreVoid, no IIFE
// exemption), except that every thenable counts, not only the built-in Promise
// (typescript-eslint's checkThenables is off by default): a dropped PromiseLike or a query
// builder's thenable loses its rejection all the same; and removing promises from an array
// (`splice`, `shift`, `pop`) is not dropping them (see isArrayRemoval); and a call of an async
// function of the project that cannot reject (cannotReject.ts) drops no rejection: it is not
// reported when that is proven, and reported at information level, saying why, when only a
// statement of its `catch` block could still throw; and registering a test with `node:test`
// (`test()`, `it()`, `describe()`) drops nothing: the runner's promise never rejects
// (testRunnerCall.ts).
import * as ts from 'typescript';
import type { Fix } from '../types';
import { declaredReturnTypes } from './callReturn';
import { cannotReject } from './cannotReject';
import { calleeText, unparen, type RuleContext } from './context';
import { exactCallee } from './exactCallee';
import { addAwait, addCatch, addVoid, makeAsync, suppress, withPreferred } from './fixes';
import { isAssignmentOperator, maybeThenableValue } from './syntax';
import { isTestRunnerRegistration } from './testRunnerCall';
import { hasCatchMethod, isNullable, isSometimesThenable, isThenableArray } from './thenable';

export const RULE = 'floating-promise' as const;

type Problem = 'promise' | 'array' | 'useless-handler';

/** What is wrong, and the innermost expression that leaves the promise unhandled. */
interface Unhandled {
  problem: Problem;
  node: ts.Expression;
  /** The callee catches everything its body throws; only its `catch` block could still reject. */
  unlessHandlerThrows?: string;
}

const MESSAGES: Record<Problem, string> = {
  promise: 'This Promise is neither awaited, returned, caught nor voided; if it rejects, nothing handles the rejection.',
  array: 'This array of Promises is dropped: nothing waits for them or handles their rejections.',
  'useless-handler': 'The rejection handler given to “.catch” or “.then” is not a function, so the rejection is still unhandled.',
};

export function checkFloatingPromise(ctx: RuleContext, node: ts.Node): void {
  if (!ts.isExpressionStatement(node)) return;
  const expr = node.expression;
  if (!mayFloat(expr)) return;
  const found = unhandled(ctx, expr);
  if (!found) return;
  ctx.report({
    rule: RULE,
    node: expr,
    message: found.unlessHandlerThrows
      ? `“${found.unlessHandlerThrows}” catches every error of its body, so its promise rejects only if its catch block throws; it is still neither awaited nor handled here.`
      : MESSAGES[found.problem],
    fixes: fixesFor(ctx, node, expr, found),
    awaitable: 'awaitable',
    callee: calleeText(ctx, expr),
    ...(found.unlessHandlerThrows ? { severityCap: 'information' as const } : {}),
  });
}

/** Syntactically, the statement's value could be a thenable or an array of them (no type needed to rule out `x = 1;`, `i++;`). */
function mayFloat(raw: ts.Expression): boolean {
  const expr = unparen(raw);
  if (ts.isArrayLiteralExpression(expr)) return true;
  if (ts.isAwaitExpression(expr)) {
    const operand = unparen(expr.expression);
    return ts.isArrayLiteralExpression(operand) || maybeThenableValue(operand);
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.CommaToken) return mayFloat(expr.left) || mayFloat(expr.right);
  return maybeThenableValue(expr);
}

/**
 * Whether the call's value could be a thenable or an array of thenables (`awaited`: once awaited),
 * answered from the callee's declared signatures when they settle it, without resolving the call.
 */
function callMayFloat(ctx: RuleContext, call: ts.CallExpression, awaited: boolean): boolean {
  const returns = declaredReturnTypes(ctx.checker, call);
  if (!returns) return true;
  const { checker } = ctx;
  return returns.some((t) =>
    awaited ? isThenableArray(checker, checker.getAwaitedType(t) ?? t, call) : isSometimesThenable(checker, t, call) || isThenableArray(checker, t, call),
  );
}

function memberName(callee: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) {
    return callee.argumentExpression.text;
  }
  return undefined;
}

/** Why the value of `expr`, evaluated as a statement, leaves a promise unhandled; or undefined. */
function unhandled(ctx: RuleContext, raw: ts.Expression): Unhandled | undefined {
  const expr = unparen(raw);
  if (ts.isBinaryExpression(expr)) {
    if (isAssignmentOperator(expr.operatorToken.kind)) return undefined; // the value is kept
    if (expr.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      return unhandled(ctx, expr.left) ?? unhandled(ctx, expr.right);
    }
  }
  if (ts.isVoidExpression(expr)) return undefined;
  if (ts.isCallExpression(expr) && isArrayRemoval(ctx, expr, memberName(expr.expression))) return undefined;
  if (!mayFloat(expr)) return undefined;
  if (ts.isCallExpression(expr) && !callMayFloat(ctx, expr, false)) return undefined;
  if (ts.isAwaitExpression(expr)) {
    const operand = unparen(expr.expression);
    if (ts.isCallExpression(operand) && !callMayFloat(ctx, operand, true)) return undefined;
  }
  const type = ctx.typeOf(expr);
  if (isThenableArray(ctx.checker, type, expr)) return { problem: 'array', node: expr };
  if (ts.isAwaitExpression(expr)) return undefined;
  if (!isSometimesThenable(ctx.checker, type, expr)) return undefined;
  if (ts.isCallExpression(expr)) {
    const inCall = unhandledCall(ctx, expr);
    return typeof inCall === 'string' ? { problem: inCall, node: expr } : inCall;
  }
  if (ts.isConditionalExpression(expr)) return unhandled(ctx, expr.whenFalse) ?? unhandled(ctx, expr.whenTrue);
  if (ts.isBinaryExpression(expr) && isLogical(expr.operatorToken.kind)) {
    return unhandled(ctx, expr.left) ?? unhandled(ctx, expr.right);
  }
  return { problem: 'promise', node: expr };
}

function isLogical(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.AmpersandAmpersandToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.QuestionQuestionToken
  );
}

/**
 * `queue.splice(0, n)`, `queue.shift()`, `queue.pop()` on an array: the statement empties a
 * container, it creates no promise. Typically the removed promises were awaited just before
 * (typescript-eslint reports these; reading real code, they are cleanup, not dropped work).
 */
const ARRAY_REMOVALS = new Set(['splice', 'shift', 'pop']);

function isArrayRemoval(ctx: RuleContext, call: ts.CallExpression, name: string | undefined): boolean {
  if (!name || !ARRAY_REMOVALS.has(name)) return false;
  const receiver = (call.expression as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
  const type = ctx.checker.getApparentType(ctx.typeOf(receiver));
  return ctx.checker.isArrayType(type) || ctx.checker.isTupleType(type);
}

function unhandledCall(ctx: RuleContext, call: ts.CallExpression): Problem | Unhandled | undefined {
  const name = memberName(call.expression);
  const args = call.arguments;
  const spreadAt = (i: number) => i < args.length && ts.isSpreadElement(args[i]);
  let handler: ts.Expression | undefined;
  if (name === 'catch') {
    if (args.length === 0 || spreadAt(0)) return 'promise';
    handler = args[0];
  } else if (name === 'then') {
    if (args.length < 2 || spreadAt(0) || spreadAt(1)) return 'promise';
    handler = args[1];
  } else if (name === 'finally') {
    return unhandled(ctx, (call.expression as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
  } else {
    if (isTestRunnerRegistration(ctx.checker, call)) return undefined;
    return callOfFunctionThatCannotReject(ctx, call);
  }
  return ctx.typeOf(handler).getCallSignatures().length > 0 ? undefined : 'useless-handler';
}

/** 'promise', unless the call runs an async function of the project that cannot reject (cannotReject.ts). */
function callOfFunctionThatCannotReject(ctx: RuleContext, call: ts.CallExpression): Problem | Unhandled | undefined {
  const callee = exactCallee(ctx.checker, ctx.program, call);
  if (!callee) return 'promise';
  const fact = cannotReject(ctx.checker, callee);
  if (fact === 'proven') return undefined;
  if (fact === 'no') return 'promise';
  const name = callee.name && !ts.isComputedPropertyName(callee.name) ? callee.name.getText() : (callee.parent as ts.NamedDeclaration).name?.getText();
  return { problem: 'promise', node: call, unlessHandlerThrows: name ?? 'this function' };
}

function fixesFor(ctx: RuleContext, stmt: ts.ExpressionStatement, expr: ts.Expression, found: Unhandled): Fix[] {
  const fixes: (Fix | undefined)[] = [];
  const all = found.problem === 'array';
  fixes.push(addAwait(ctx, expr, { all }));
  if (found.problem !== 'useless-handler') {
    fixes.push(all ? addCatch(ctx, expr, { all, statement: stmt }) : catchFix(ctx, stmt, expr, found.node));
    if (!all) fixes.push(addVoid(ctx, expr));
    fixes.push(makeAsync(ctx, expr, { all }));
  }
  fixes.push(suppress(ctx, RULE, expr));
  return withPreferred(
    fixes.filter((f): f is Fix => !!f),
    ['add-await', 'add-catch', 'add-void', 'suppress'],
  );
}

/**
 * `.catch(...)` on the whole statement when it is a promise (maybe undefined), else on the
 * operand that floats: `cond && save()` becomes `cond && save().catch(...)`.
 */
function catchFix(ctx: RuleContext, stmt: ts.ExpressionStatement, expr: ts.Expression, inner: ts.Expression): Fix | undefined {
  for (const target of expr === inner ? [expr] : [expr, inner]) {
    const type = ctx.typeOf(target);
    if (hasCatchMethod(ctx.checker, type, target)) {
      return addCatch(ctx, target, { nullable: isNullable(type), statement: stmt });
    }
  }
  return undefined;
}
