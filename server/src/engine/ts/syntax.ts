// What the syntax alone says about an expression's value, so the rules ask the type checker only
// about expressions that could be what they look for. Each answer is "cannot" or "maybe": a "maybe"
// goes to the checker, a "cannot" is certain whatever the types are.
import * as ts from 'typescript';

/** The expression inside any parentheses. */
export function unparen(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

const NEVER_THENABLE_OPERATORS = new Set([
  ts.SyntaxKind.PlusToken,
  ts.SyntaxKind.MinusToken,
  ts.SyntaxKind.AsteriskToken,
  ts.SyntaxKind.AsteriskAsteriskToken,
  ts.SyntaxKind.SlashToken,
  ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.AmpersandToken,
  ts.SyntaxKind.BarToken,
  ts.SyntaxKind.CaretToken,
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Values that are never a function nor a thenable, whatever the types say. */
const PLAIN_VALUES = new Set([
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.ClassExpression,
  ts.SyntaxKind.ArrayLiteralExpression,
  ts.SyntaxKind.VoidExpression,
  ts.SyntaxKind.TypeOfExpression,
  ts.SyntaxKind.DeleteExpression,
  ts.SyntaxKind.PostfixUnaryExpression,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.JsxElement,
  ts.SyntaxKind.JsxSelfClosingElement,
  ts.SyntaxKind.JsxFragment,
]);

/**
 * Could the value of `expr` be a thenable? False for literals, arithmetic, comparisons, `!`,
 * `typeof`, `void`, functions, arrays and `await` (whose value is already unwrapped); true for
 * anything whose value comes from elsewhere (a call, a name, a member, a type assertion).
 */
export function maybeThenableValue(raw: ts.Expression): boolean {
  const expr = unparen(raw);
  if (PLAIN_VALUES.has(expr.kind)) return false;
  if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr) || ts.isAwaitExpression(expr)) return false;
  if (ts.isObjectLiteralExpression(expr)) {
    // only an object literal with its own `then` is a thenable
    return expr.properties.some((p) => !p.name || propertyNameText(p.name) === 'then' || ts.isComputedPropertyName(p.name));
  }
  const operands = valueOperands(expr);
  return operands ? operands.some(maybeThenableValue) : true;
}

/**
 * The operands whose value can be the expression's value (`a ? b : c`, `a || b`, `x = b`, `a, b`),
 * none for an operator whose value is never a thenable or a function (`a + b`, `a < b`, `x += 1`);
 * undefined for any other expression.
 */
function valueOperands(expr: ts.Expression): readonly ts.Expression[] | undefined {
  if (ts.isConditionalExpression(expr)) return [expr.whenTrue, expr.whenFalse];
  if (!ts.isBinaryExpression(expr)) return undefined;
  const op = expr.operatorToken.kind;
  if (NEVER_THENABLE_OPERATORS.has(op)) return [];
  if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return [expr.right];
  if (isAssignmentOperator(op) && op !== ts.SyntaxKind.BarBarEqualsToken && op !== ts.SyntaxKind.AmpersandAmpersandEqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken) {
    return [];
  }
  return [expr.left, expr.right];
}

function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

const NON_FUNCTION_RETURN_TYPES = new Set([
  ts.SyntaxKind.VoidKeyword,
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.NeverKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.ObjectKeyword,
  ts.SyntaxKind.LiteralType,
  ts.SyntaxKind.ArrayType,
  ts.SyntaxKind.TupleType,
  ts.SyntaxKind.TypePredicate,
]);

/** A type annotation that syntactically cannot describe a thenable (`void`, `string`, `T[]`, `x is T`). */
export function isNonThenableAnnotation(type: ts.TypeNode): boolean {
  return NON_FUNCTION_RETURN_TYPES.has(type.kind);
}

/**
 * Could calling this function give a thenable? True for an async function (unless a generator);
 * false for a generator, for a return annotation that cannot be a thenable, and for a body whose
 * every `return` value cannot be one (a block with no `return value;` returns undefined).
 */
export function maybeReturnsThenable(fn: ts.SignatureDeclaration): boolean {
  if ('asteriskToken' in fn && fn.asteriskToken) return false;
  if (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) return true;
  if (fn.type) return !isNonThenableAnnotation(fn.type);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return true;
  if (!ts.isBlock(body)) return maybeThenableValue(body);
  return someOwnReturn(body, (value) => maybeThenableValue(value));
}

/** Some `return value;` of the function whose body this is (not of functions nested in it) satisfies `test`. */
export function someOwnReturn(body: ts.Block, test: (value: ts.Expression, ret: ts.ReturnStatement) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression && test(n.expression, n)) found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * Could this expression be a function that returns a thenable? A function literal is judged by its
 * body; literals, objects, arrays and arithmetic are never functions; anything else may be.
 */
export function maybeThenableFunction(raw: ts.Expression): boolean {
  const expr = unparen(raw);
  if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return maybeReturnsThenable(expr);
  if (PLAIN_VALUES.has(expr.kind) || ts.isObjectLiteralExpression(expr)) return false;
  const operands = valueOperands(expr);
  return operands ? operands.some(maybeThenableFunction) : true;
}
