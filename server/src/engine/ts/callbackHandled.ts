// A callback parameter whose promise the callee handles: passing an async function there drops
// nothing, even when the parameter is typed `() => void`. Decided from the callee's body, for a call
// whose callee is certain (exactCallee.ts):
//
//  - the parameter is a plain name (not a rest parameter or a pattern), and the argument is not
//    preceded by a spread argument (so argument i is parameter i);
//  - every use of the parameter in the callee's own body (not in a function nested in it) is either
//    a test of its presence (`if (cb)`, `cb && ...`, `typeof cb === 'function'`) or a call
//    (`cb(...)`, `cb?.(...)`, `cb.call(...)`, `cb.apply(...)`) in a handled position;
//  - the callee does not read `arguments`, and calls the parameter at least once.
//
// A handled position, for a call's value (through parentheses, `as`, `!` and `satisfies`):
//  - the operand of `await`;
//  - returned by the callee (a `return`, or an arrow's expression body) when the callee is async,
//    so a rejection becomes the callee's own, which floating-promise follows at its callers;
//  - the receiver of `.catch(handler)` or `.then(onFulfilled, onRejected)` with a function handler;
//  - the receiver of `.finally(...)` whose own value is in a handled position;
//  - an element of the array given to `Promise.all`, `allSettled`, `race` or `any`, or the value
//    given to `Promise.resolve`, when that call's value is in a handled position.
import * as ts from 'typescript';
import type { FunctionWithBody } from './exactCallee';

export function callbackHandled(checker: ts.TypeChecker, callee: FunctionWithBody, call: ts.CallExpression | ts.NewExpression, argIndex: number): boolean {
  const args = call.arguments ?? [];
  if (args.slice(0, argIndex + 1).some(ts.isSpreadElement)) return false;
  return parameterHandled(checker, callee, argIndex);
}

/** The callee's parameter at `index` is used only in handled positions (the list above). */
export function parameterHandled(checker: ts.TypeChecker, callee: FunctionWithBody, index: number): boolean {
  const param = callee.parameters[index];
  if (!param || param.dotDotDotToken || !ts.isIdentifier(param.name)) return false;
  const name = param.name.text;
  const symbol = checker.getSymbolAtLocation(param.name);
  if (!symbol) return false;
  const isAsync = (ts.getCombinedModifierFlags(callee) & ts.ModifierFlags.Async) !== 0;
  let ok = true;
  let calls = 0;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (!ok) return;
    if (ts.isIdentifier(n)) {
      if (n.text === 'arguments' && !nested && !isPropertyName(n)) ok = false;
      else if (n.text === name && !isPropertyName(n) && checker.getSymbolAtLocation(n) === symbol) {
        const use = nested ? 'unhandled' : useOf(checker, n, callee, isAsync);
        if (use === 'unhandled') ok = false;
        else if (use === 'handled-call') calls++;
      }
      return;
    }
    const inner = nested || (ts.isFunctionLike(n) && n !== callee) || ts.isClassLike(n);
    ts.forEachChild(n, (c) => visit(c, inner));
  };
  visit(callee.body, false);
  // a parameter never called proves nothing about this callee's intent: keep the finding
  return ok && calls > 0;
}

/** `x.name` or `{ name: ... }`: the identifier names a property, it is not a read of the variable. */
function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id) || (ts.isQualifiedName(p) && p.right === id);
}

function skipWrappers(node: ts.Node): ts.Node {
  let n = node;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))
  ) {
    n = n.parent;
  }
  return n;
}

function useOf(checker: ts.TypeChecker, ref: ts.Identifier, callee: FunctionWithBody, isAsync: boolean): 'presence-test' | 'handled-call' | 'unhandled' {
  const at = skipWrappers(ref);
  const parent = at.parent;
  // presence tests
  if (
    (ts.isIfStatement(parent) && parent.expression === at) ||
    (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken) ||
    ts.isTypeOfExpression(parent) ||
    (ts.isConditionalExpression(parent) && parent.condition === at) ||
    // `cb && cb()` tests; `cb || other` would pass the function on
    (ts.isBinaryExpression(parent) && parent.left === at && parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
  ) {
    return 'presence-test';
  }
  // calls: cb(...), cb?.(...), cb.call(...), cb.apply(...)
  let call: ts.CallExpression | undefined;
  if (ts.isCallExpression(parent) && parent.expression === at) call = parent;
  else if (ts.isPropertyAccessExpression(parent) && parent.expression === at && (parent.name.text === 'call' || parent.name.text === 'apply')) {
    const outer = parent.parent;
    if (ts.isCallExpression(outer) && outer.expression === parent) call = outer;
  }
  return call && inHandledPosition(checker, call, callee, isAsync) ? 'handled-call' : 'unhandled';
}

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

function isPromiseStatic(call: ts.Node, names: ReadonlySet<string>): call is ts.CallExpression {
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' && names.has(callee.name.text);
}

function inHandledPosition(checker: ts.TypeChecker, value: ts.Expression, callee: FunctionWithBody, isAsync: boolean): boolean {
  const at = skipWrappers(value);
  const parent = at.parent;
  if (ts.isAwaitExpression(parent)) return true;
  if (isAsync && ts.isReturnStatement(parent) && ts.findAncestor(parent, ts.isFunctionLike) === callee) return true;
  if (isAsync && parent === callee && ts.isArrowFunction(callee) && callee.body === at) return true;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === at) {
    const outer = parent.parent;
    if (!ts.isCallExpression(outer) || outer.expression !== parent) return false;
    const name = parent.name.text;
    const handler = name === 'catch' ? outer.arguments[0] : name === 'then' ? outer.arguments[1] : undefined;
    if (handler) return !ts.isSpreadElement(handler) && isFunction(checker, handler);
    if (name === 'finally') return inHandledPosition(checker, outer, callee, isAsync);
    return false;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const holder = skipWrappers(parent).parent;
    return isPromiseStatic(holder, PROMISE_COMBINATORS) && holder.arguments[0] === skipWrappers(parent) && inHandledPosition(checker, holder, callee, isAsync);
  }
  if (isPromiseStatic(parent, new Set(['resolve'])) && parent.arguments[0] === at) return inHandledPosition(checker, parent, callee, isAsync);
  return false;
}

function isFunction(checker: ts.TypeChecker, e: ts.Expression): boolean {
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  return checker.getTypeAtLocation(e).getCallSignatures().length > 0;
}
