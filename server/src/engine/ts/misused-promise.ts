// misused-promise: a promise where a plain value is expected. Follows typescript-eslint's
// no-misused-promises with its defaults (checksConditionals, checksVoidReturn with all of its
// parts, checksSpreads):
//  - a condition that is always a thenable (if/while/do/for tests, `? :` tests, `!`, the left of
//    `&&`/`||`, and both sides of them inside a test), and an array predicate that returns one;
//  - a function returning a thenable where a void-returning function is expected: arguments,
//    JSX attributes, object properties, return values, variables and assignments, and class or
//    interface members overriding a void-returning member;
//  - a thenable spread into an object.
// Differences, each with fixtures on both sides:
//  - a handler given to removeEventListener/removeListener/off is not reported: it is never called
//    there;
//  - an array predicate is reported only when it always returns a thenable, since `.filter((p) => p)`
//    over `Promise | null` values is a null test;
//  - an async callback given to a parameter that the callee (a function of the project whose body is
//    certain) awaits, returns or hands to `await`/`.catch`/`Promise.all` is not reported
//    (callbackHandled.ts);
//  - an async function literal that cannot reject (cannotReject.ts) given where a void callback is
//    expected drops no rejection: not reported when proven, information level when only its catch
//    block could throw;
//  - an async callback given to `setTimeout`, `setInterval`, `setImmediate` or `queueMicrotask` is
//    reported even where the DOM types its parameter `TimerHandler` (`string | Function`), which is
//    not a void-returning function type: the timer drops the promise all the same;
//  - a condition that reads a class field declared without initializer and not assigned in the
//    constructor is a presence test of a lazily initialised value, not reported;
//  - a condition whose operand is a type assertion (`x as Promise<T>`, `x!`) is judged by the
//    type of the asserted expression: `(gen?.() as Promise<T>) || fallback` tests for undefined.
import * as ts from 'typescript';
import type { Fix } from '../types';
import { callbackHandled } from './callbackHandled';
import { declaredReturnTypes } from './callReturn';
import { calleeText, unparen, type RuleContext } from './context';
import { cannotReject } from './cannotReject';
import { exactCallee, type FunctionWithBody } from './exactCallee';
import { addAwait, suppress, withPreferred } from './fixes';
import { isAssignmentOperator, maybeReturnsThenable, maybeThenableFunction, maybeThenableValue } from './syntax';
import { isAlwaysThenable, isSometimesThenable, isVoidReturningFunction, returnsThenable, unionParts } from './thenable';

export const RULE = 'misused-promise' as const;

type Problem =
  | 'conditional'
  | 'predicate'
  | 'void-argument'
  | 'void-attribute'
  | 'void-property'
  | 'void-return'
  | 'void-variable'
  | 'void-inherited'
  | 'timer'
  | 'spread';

const MESSAGES: Record<Problem, string> = {
  conditional: 'A Promise is always truthy: this condition does not wait for its result. Did you mean to “await” it?',
  predicate: 'This predicate returns a Promise, which is always truthy: the array method does not wait for it.',
  'void-argument':
    'A function returning a Promise is passed where a void-returning function is expected: the caller drops the promise, and its rejection goes unhandled.',
  'void-attribute':
    'A function returning a Promise is given to an attribute that expects a void-returning function: its rejection goes unhandled.',
  'void-property':
    'A function returning a Promise is given to a property that expects a void-returning function: its rejection goes unhandled.',
  'void-return':
    'A function returning a Promise is returned where a void-returning function is expected: its rejection goes unhandled.',
  'void-variable':
    'A function returning a Promise is assigned where a void-returning function is expected: its rejection goes unhandled.',
  'void-inherited':
    'This member returns a Promise but overrides or implements a void-returning one: callers through the base type drop the promise.',
  timer: 'The timer ignores what its callback returns: the callback’s promise is dropped, and its rejection goes unhandled.',
  spread: 'Spreading a Promise copies none of its result. Did you mean to “await” it?',
};

const ARRAY_PREDICATES = new Set(['every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some']);

type Checker = ts.TypeChecker & {
  getContextualTypeForArgumentAtIndex?(call: ts.CallLikeExpression, index: number): ts.Type | undefined;
};

export interface MisusedPromiseCheck {
  /** Checks one node (called for every node of what is analysed). */
  visit(node: ts.Node): void;
  /** The override check of one class member alone (the class node is not visited when only the member is analysed). */
  member(member: ts.ClassElement): void;
}

export function createMisusedPromiseCheck(ctx: RuleContext): MisusedPromiseCheck {
  const checker = ctx.checker as Checker;
  const checked = new Set<ts.Node>();

  const report = (node: ts.Node, problem: Problem, message = MESSAGES[problem], severityCap?: 'information'): void => {
    if (checked.has(node)) return;
    checked.add(node);
    ctx.report({
      rule: RULE,
      node,
      message,
      ...(severityCap ? { severityCap } : {}),
      fixes: fixesFor(ctx, node, problem),
      awaitable: 'awaitable',
      callee: calleeText(ctx, node),
    });
  };

  const returnsThenableAt = (node: ts.Node): boolean => returnsThenable(checker, ctx.typeOf(node), node);
  // A predicate returning `Promise | null` tests for null on purpose (`.filter((p) => p)`); one
  // that always returns a thenable (an async predicate) is always truthy. typescript-eslint
  // reports both.
  const alwaysReturnsThenable = (node: ts.Node): boolean =>
    unionParts(checker.getApparentType(ctx.typeOf(node))).some((part) =>
      part.getCallSignatures().some((sig) => isAlwaysThenable(checker, sig.getReturnType(), node)),
    );
  const isVoidFn = (type: ts.Type | undefined, at: ts.Node): boolean => !!type && isVoidReturningFunction(checker, type, at);

  function checkConditional(raw: ts.Expression, isTest: boolean): void {
    const node = unparen(raw);
    if (ts.isBinaryExpression(node) && isLogical(node.operatorToken.kind)) {
      if (node.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken || isTest) checkConditional(node.left, isTest);
      if (isTest) checkConditional(node.right, isTest);
      return;
    }
    if (checked.has(node)) return;
    if (!maybeThenableValue(node) && !isAssertion(node)) return;
    if (ts.isCallExpression(node)) {
      const returns = declaredReturnTypes(checker, node);
      if (returns && !returns.some((t) => isAlwaysThenable(checker, t, node))) return;
    }
    if (isAlwaysThenable(checker, ctx.typeOf(node), node) && !isPresenceTest(node)) report(node, 'conditional');
    else checked.add(node);
  }

  /** Reads that test whether a value is there yet, whatever its declared type says (see the header). */
  function isPresenceTest(node: ts.Expression): boolean {
    if (isAssertion(node)) {
      let inner: ts.Expression = node;
      while (isAssertion(inner)) inner = unparen(inner.expression);
      return !isAlwaysThenable(checker, ctx.typeOf(inner), inner);
    }
    return isLazyField(node);
  }

  function isLazyField(node: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(node)) return false;
    const decls = checker.getSymbolAtLocation(node.name)?.declarations ?? [];
    return decls.length > 0 && decls.every((d) => ts.isPropertyDeclaration(d) && !d.initializer && !assignedInConstructor(d));
  }

  function checkArrayPredicate(call: ts.CallExpression): void {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !ARRAY_PREDICATES.has(callee.name.text)) return;
    const callback = call.arguments[0];
    if (!callback || !maybeThenableFunction(callback)) return;
    const objectType = checker.getApparentType(ctx.typeOf(callee.expression));
    const isArray = unionParts(objectType)
      .flatMap((t) => (t.isIntersection() ? t.types : [t]))
      .some((t) => checker.isArrayType(t) || checker.isTupleType(t));
    if (isArray && alwaysReturnsThenable(callback)) report(callback, 'predicate');
  }

  /** Argument positions where a void-returning function (and no thenable-returning one) is expected. */
  function voidArgumentIndices(call: ts.CallExpression | ts.NewExpression): Set<number> {
    const args = call.arguments ?? ts.factory.createNodeArray();
    const thenableAt = new Set<number>();
    const voidAt = new Set<number>();
    const consider = (type: ts.Type, index: number): void => {
      if (returnsThenable(checker, type, call.expression)) thenableAt.add(index);
      else if (isVoidReturningFunction(checker, type, call.expression)) voidAt.add(index);
      const contextual = checker.getContextualTypeForArgumentAtIndex?.(call, index);
      if (contextual && contextual !== type) {
        if (returnsThenable(checker, contextual, call.expression)) thenableAt.add(index);
        else if (isVoidReturningFunction(checker, contextual, call.expression)) voidAt.add(index);
      }
    };
    for (const part of unionParts(ctx.typeOf(call.expression))) {
      const signatures = ts.isCallExpression(call) ? part.getCallSignatures() : part.getConstructSignatures();
      for (const sig of signatures) {
        sig.parameters.forEach((param, index) => {
          let type = checker.getTypeOfSymbolAtLocation(param, call.expression);
          const decl = param.valueDeclaration;
          if (decl && ts.isParameter(decl) && decl.dotDotDotToken) {
            if (checker.isArrayType(type)) {
              type = checker.getTypeArguments(type as ts.TypeReference)[0];
              for (let i = index; i < args.length; i++) consider(type, i);
            } else if (checker.isTupleType(type)) {
              const elements = checker.getTypeArguments(type as ts.TypeReference);
              for (let i = index; i < args.length && i - index < elements.length; i++) consider(elements[i - index], i);
            }
          } else {
            consider(type, index);
          }
        });
      }
    }
    for (const i of thenableAt) voidAt.delete(i);
    return voidAt;
  }

  function isPromiseFinally(call: ts.CallExpression): boolean {
    const callee = call.expression;
    return (
      ts.isPropertyAccessExpression(callee) &&
      callee.name.text === 'finally' &&
      isSometimesThenable(checker, ctx.typeOf(callee.expression), callee.expression)
    );
  }

  function checkArguments(call: ts.CallExpression | ts.NewExpression): void {
    const args = call.arguments;
    if (!args?.length) return;
    // arguments that could be functions returning a thenable, decided without the checker where the syntax settles it
    const candidates = args.map((_, i) => i).filter((i) => maybeThenableFunction(args[i]));
    if (candidates.length === 0) return;
    if (ts.isCallExpression(call) && isListenerRemoval(call)) return;
    if (ts.isCallExpression(call) && isPromiseFinally(call)) return;
    const returning = candidates.filter((i) => isAsyncFunction(args[i]) || returnsThenableAt(args[i]));
    if (returning.length === 0) return;
    const voidAt = voidArgumentIndices(call);
    const timer = ts.isCallExpression(call) ? globalTimerName(call) : undefined;
    for (const i of returning) {
      const problem: Problem | undefined = voidAt.has(i) ? 'void-argument' : timer && i === 0 ? 'timer' : undefined;
      if (!problem || (ts.isCallExpression(call) && handledByCallee(call, i))) continue;
      // an async function literal that cannot reject drops nothing when its promise is ignored
      const literal = unparen(args[i]);
      const fact = ts.isArrowFunction(literal) || ts.isFunctionExpression(literal) ? cannotReject(checker, literal as FunctionWithBody) : 'no';
      if (fact === 'proven') continue;
      const message =
        fact === 'unless-handler-throws'
          ? 'This async callback catches every error of its body, so its promise rejects only if its catch block throws; the caller still drops the promise.'
          : problem === 'timer'
            ? `“${timer}” ignores what its callback returns: the callback’s promise is dropped, and its rejection goes unhandled.`
            : undefined;
      report(args[i], problem, message, fact === 'unless-handler-throws' ? 'information' : undefined);
    }
  }

  /** The callee is a function of the project that awaits (or otherwise handles) what this parameter returns. */
  function handledByCallee(call: ts.CallExpression, index: number): boolean {
    const callee = exactCallee(checker, ctx.program, call);
    return !!callee && callbackHandled(checker, callee, call, index);
  }

  /** `setTimeout(...)` and its kin, the global ones (from the lib or @types/node declarations). */
  function globalTimerName(call: ts.CallExpression): string | undefined {
    let callee = unparen(call.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && GLOBAL_OBJECTS.has(callee.expression.text)) callee = callee.name;
    if (!ts.isIdentifier(callee) || !TIMERS.has(callee.text)) return undefined;
    const decls = checker.getSymbolAtLocation(callee)?.declarations ?? [];
    return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile) ? callee.text : undefined;
  }

  function checkProperty(prop: ts.ObjectLiteralElementLike): void {
    if (ts.isPropertyAssignment(prop)) {
      if (!maybeThenableFunction(prop.initializer)) return;
      const contextual = checker.getContextualType(prop.initializer);
      if (isVoidFn(contextual, prop.initializer) && returnsThenableAt(prop.initializer)) report(prop.initializer, 'void-property');
    } else if (ts.isShorthandPropertyAssignment(prop)) {
      const contextual = checker.getContextualType(prop.name);
      if (isVoidFn(contextual, prop.name) && returnsThenableAt(prop.name)) report(prop.name, 'void-property');
    } else if (ts.isMethodDeclaration(prop) && !ts.isComputedPropertyName(prop.name)) {
      if (!maybeReturnsThenable(prop) || !returnsThenableAt(prop)) return;
      const objType = checker.getContextualType(prop.parent as ts.ObjectLiteralExpression);
      if (!objType) return;
      const name = prop.name.getText(ctx.sf);
      const symbol = unionParts(objType)
        .map((t) => checker.getPropertyOfType(t, name))
        .find(Boolean);
      if (symbol && isVoidFn(checker.getTypeOfSymbolAtLocation(symbol, prop.name), prop.name)) report(prop, 'void-property');
    }
  }

  function checkReturn(ret: ts.ReturnStatement): void {
    if (!ret.expression || !maybeThenableFunction(ret.expression)) return;
    const fn = ts.findAncestor(ret, ts.isFunctionLike);
    // a declaration without a return type has no contextual return type to compare with
    if (!fn || (!fn.type && !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !(ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent)))) return;
    const contextual = checker.getContextualType(ret.expression);
    if (isVoidFn(contextual, ret.expression) && returnsThenableAt(ret.expression)) report(ret.expression, 'void-return');
  }

  function checkVariable(decl: ts.VariableDeclaration): void {
    if (!decl.initializer || !decl.type || !maybeThenableFunction(decl.initializer)) return;
    if (isVoidFn(ctx.typeOf(decl.name), decl.initializer) && returnsThenableAt(decl.initializer)) {
      report(decl.initializer, 'void-variable');
    }
  }

  function checkAssignment(bin: ts.BinaryExpression): void {
    if (!maybeThenableFunction(bin.right)) return;
    if (isVoidFn(ctx.typeOf(bin.left), bin.left) && returnsThenableAt(bin.right)) report(bin.right, 'void-variable');
  }

  function checkInherited(decl: ts.ClassLikeDeclaration | ts.InterfaceDeclaration, only?: ts.ClassElement): void {
    const heritage = (decl.heritageClauses ?? []).flatMap((c) => c.types).map((t) => ctx.typeOf(t));
    if (heritage.length === 0) return;
    for (const member of (only ? [only] : decl.members) as readonly (ts.ClassElement | ts.TypeElement)[]) {
      if (!member.name || ts.isComputedPropertyName(member.name)) continue;
      if (ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      if (!memberMayReturnThenable(member) || !returnsThenableAt(member)) continue;
      const name = member.name.getText(ctx.sf);
      for (const base of heritage) {
        const baseMember = base.getProperty(name);
        if (baseMember && isVoidFn(checker.getTypeOfSymbolAtLocation(baseMember, member), member)) {
          report(member, 'void-inherited');
          break;
        }
      }
    }
  }

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.IfStatement:
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        checkConditional((node as ts.IfStatement).expression, true);
        break;
      case ts.SyntaxKind.ForStatement: {
        const cond = (node as ts.ForStatement).condition;
        if (cond) checkConditional(cond, true);
        break;
      }
      case ts.SyntaxKind.ConditionalExpression:
        checkConditional((node as ts.ConditionalExpression).condition, true);
        break;
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression;
        if (u.operator === ts.SyntaxKind.ExclamationToken) checkConditional(u.operand, true);
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = node as ts.BinaryExpression;
        if (isLogical(b.operatorToken.kind)) checkConditional(b, false);
        else if (isAssignmentOperator(b.operatorToken.kind)) {
          checkAssignment(b);
        }
        break;
      }
      case ts.SyntaxKind.CallExpression:
        checkArrayPredicate(node as ts.CallExpression);
        checkArguments(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.NewExpression:
        checkArguments(node as ts.NewExpression);
        break;
      case ts.SyntaxKind.JsxAttribute: {
        const init = (node as ts.JsxAttribute).initializer;
        if (init && ts.isJsxExpression(init) && init.expression && maybeThenableFunction(init.expression)) {
          if (isVoidFn(checker.getContextualType(init), init) && returnsThenableAt(init.expression)) report(init, 'void-attribute');
        }
        break;
      }
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.ShorthandPropertyAssignment:
      case ts.SyntaxKind.MethodDeclaration:
        if (ts.isObjectLiteralExpression(node.parent)) checkProperty(node as ts.ObjectLiteralElementLike);
        break;
      case ts.SyntaxKind.ReturnStatement:
        checkReturn(node as ts.ReturnStatement);
        break;
      case ts.SyntaxKind.VariableDeclaration:
        checkVariable(node as ts.VariableDeclaration);
        break;
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
      case ts.SyntaxKind.InterfaceDeclaration:
        checkInherited(node as ts.ClassLikeDeclaration | ts.InterfaceDeclaration);
        break;
      case ts.SyntaxKind.SpreadAssignment:
      case ts.SyntaxKind.SpreadElement: {
        const e = (node as ts.SpreadAssignment | ts.SpreadElement).expression;
        if (maybeThenableValue(e) && isSometimesThenable(checker, ctx.typeOf(e), e)) report(e, 'spread');
        break;
      }
    }
  };
  const member = (m: ts.ClassElement): void => {
    if (ts.isClassLike(m.parent)) checkInherited(m.parent, m);
  };
  return { visit, member };
}

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);

function isAssertion(node: ts.Expression): node is ts.AsExpression | ts.TypeAssertion | ts.NonNullExpression | ts.SatisfiesExpression {
  return ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node);
}

function isAsyncFunction(node: ts.Expression): boolean {
  const e = unparen(node);
  return (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && !e.asteriskToken && (ts.getCombinedModifierFlags(e) & ts.ModifierFlags.Async) !== 0;
}

/** A class or interface member whose value, syntactically, could be a function returning a thenable. */
function memberMayReturnThenable(member: ts.ClassElement | ts.TypeElement): boolean {
  if (ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) return maybeReturnsThenable(member);
  if (ts.isPropertyDeclaration(member) && member.initializer && !member.type) return maybeThenableFunction(member.initializer);
  return true;
}

/** `this.name = ...` somewhere in the constructor of the field's class (not in nested functions). */
function assignedInConstructor(field: ts.PropertyDeclaration): boolean {
  const name = field.name.getText();
  const ctor = field.parent.members.find(ts.isConstructorDeclaration);
  if (!ctor?.body) return (ts.getCombinedModifierFlags(field) & ts.ModifierFlags.Abstract) !== 0;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (ts.isFunctionLike(n) && !ts.isArrowFunction(n))) return;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
      n.left.name.getText() === name
    ) {
      found = true;
    } else ts.forEachChild(n, visit);
  };
  ts.forEachChild(ctor.body, visit);
  return found;
}

/**
 * `removeEventListener('x', handler)` and the like never call the handler: they compare it with
 * the ones registered. typescript-eslint reports the async handler here too; it is a false alarm.
 */
const LISTENER_REMOVALS = new Set(['removeEventListener', 'removeListener', 'off']);

function isListenerRemoval(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && LISTENER_REMOVALS.has(callee.name.text);
}

function isLogical(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.AmpersandAmpersandToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.QuestionQuestionToken
  );
}

/**
 * `await` only compiles where the awaited value fits the position: a `void` result cannot be
 * tested for truth (TS1345), and only an object can be spread into an object (TS2698).
 */
function awaitedValueFits(ctx: RuleContext, node: ts.Expression, problem: Problem): boolean {
  const awaited = ctx.checker.getAwaitedType(ctx.checker.getTypeAtLocation(node));
  if (!awaited) return false;
  const parts = awaited.isUnion() ? awaited.types : [awaited];
  if (problem === 'conditional') return !parts.some((t) => t.flags & ts.TypeFlags.Void);
  const objectLike = ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive | ts.TypeFlags.Any | ts.TypeFlags.Unknown;
  return parts.every((t) => t.flags & (objectLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined)) && parts.some((t) => t.flags & objectLike);
}

function fixesFor(ctx: RuleContext, node: ts.Node, problem: Problem): Fix[] {
  const fixes: (Fix | undefined)[] = [];
  if ((problem === 'conditional' || problem === 'spread') && ts.isExpression(node) && awaitedValueFits(ctx, node, problem)) {
    fixes.push(addAwait(ctx, node));
  }
  fixes.push(suppress(ctx, RULE, node));
  return withPreferred(
    fixes.filter((f): f is Fix => !!f),
    ['add-await', 'suppress'],
  );
}
