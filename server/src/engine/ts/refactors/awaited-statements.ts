// The statements "Run concurrently" rewrites in TypeScript/JavaScript, read off the syntax tree:
// `await call(...);`, `const x = await call(...);`, `x = await call(...);`, the simple statements
// allowed between them and `for (const x of xs) await call(x);`; and what each reads and writes,
// by symbol, so that shadowed names and imports are told apart.
import * as ts from 'typescript';
import { unparen } from '../context';

export type AwaitedCall =
  | { shape: 'dropped'; statement: ts.Statement; call: ts.CallExpression }
  | {
      shape: 'declaration';
      statement: ts.VariableStatement;
      call: ts.CallExpression;
      keyword: 'const' | 'let' | 'var';
      name: ts.BindingName;
      type?: ts.TypeNode;
    }
  | { shape: 'assignment'; statement: ts.ExpressionStatement; call: ts.CallExpression; target: ts.Expression };

export interface AwaitedLoop {
  statement: ts.ForOfStatement;
  name: ts.BindingName;
  iterable: ts.Expression;
  call: ts.CallExpression;
  /** The statement holding the call (the loop's body, or the one statement of its block). */
  callStatement: ts.Statement;
}

function awaitedCallIn(expr: ts.Expression | undefined): ts.CallExpression | undefined {
  if (!expr) return undefined;
  const e = unparen(expr);
  if (!ts.isAwaitExpression(e)) return undefined;
  const operand = unparen(e.expression);
  return ts.isCallExpression(operand) ? operand : undefined;
}

export function awaitedCallOf(statement: ts.Statement): AwaitedCall | undefined {
  if (ts.isExpressionStatement(statement)) {
    const e = unparen(statement.expression);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const call = awaitedCallIn(e.right);
      return call && isSimpleTarget(e.left) ? { shape: 'assignment', statement, call, target: e.left } : undefined;
    }
    const call = awaitedCallIn(e);
    return call ? { shape: 'dropped', statement, call } : undefined;
  }
  if (ts.isVariableStatement(statement) && !statement.modifiers?.length) {
    const keyword = declarationKeyword(statement.declarationList);
    const [declaration, ...more] = statement.declarationList.declarations;
    if (!keyword || more.length || !declaration || declaration.exclamationToken) return undefined;
    const call = awaitedCallIn(declaration.initializer);
    if (!call) return undefined;
    return { shape: 'declaration', statement, call, keyword, name: declaration.name, type: declaration.type };
  }
  return undefined;
}

export function awaitedLoopOf(statement: ts.Statement): AwaitedLoop | undefined {
  if (!ts.isForOfStatement(statement) || statement.awaitModifier) return undefined;
  const list = statement.initializer;
  if (!ts.isVariableDeclarationList(list)) return undefined;
  const keyword = declarationKeyword(list);
  const [declaration, ...more] = list.declarations;
  // `var` would leave the last item in the name after the loop; an arrow's parameter does not
  if ((keyword !== 'const' && keyword !== 'let') || more.length || !declaration || declaration.type || declaration.initializer) return undefined;
  const body = statement.statement;
  const inner = ts.isBlock(body) ? (body.statements.length === 1 ? body.statements[0] : undefined) : body;
  const awaited = inner && awaitedCallOf(inner);
  if (!awaited || awaited.shape !== 'dropped') return undefined;
  return { statement, name: declaration.name, iterable: statement.expression, call: awaited.call, callStatement: inner };
}

function declarationKeyword(list: ts.VariableDeclarationList): 'const' | 'let' | 'var' | undefined {
  // `await using` is Const | Using: compare the whole field
  const flags = list.flags & ts.NodeFlags.BlockScoped;
  if (flags === ts.NodeFlags.Const) return 'const';
  if (flags === ts.NodeFlags.Let) return 'let';
  return flags === 0 ? 'var' : undefined;
}

export function isUsingDeclaration(list: ts.VariableDeclarationList): boolean {
  const flags = list.flags & ts.NodeFlags.BlockScoped;
  return flags === ts.NodeFlags.Using || flags === ts.NodeFlags.AwaitUsing;
}

/** `x`, `this.a.b`, `o[k]` with a plain key: targets whose evaluation runs no code of note. */
function isSimpleTarget(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return true;
  if (ts.isPropertyAccessExpression(node)) return isReference(node.expression);
  if (ts.isElementAccessExpression(node)) {
    const key = node.argumentExpression;
    return isReference(node.expression) && (ts.isIdentifier(key) || ts.isStringLiteral(key) || ts.isNumericLiteral(key));
  }
  return false;
}

function isReference(node: ts.Expression): boolean {
  if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(node) && isReference(node.expression);
}

/** What a name refers to: its symbol, or `this`. */
export type Ref = ts.Symbol | 'this';

/** The name a target or reference starts from: `this` for `this.a.b` (and `super.m`), `o`'s symbol for `o[k]`. */
export function rootRef(checker: ts.TypeChecker, node: ts.Expression): Ref | undefined {
  let n = unparen(node);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isNonNullExpression(n)) n = unparen(n.expression);
  if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword) return 'this';
  return ts.isIdentifier(n) ? checker.getSymbolAtLocation(n) : undefined;
}

/** Whether an identifier is a read of a variable (not a property name, a declaration's name or a label). */
function isValueRead(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionLike(p)) && (p as ts.NamedDeclaration).name === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || ts.isExpressionWithTypeArguments(p)) return false;
  return true;
}

/** The variables (and `this`) an expression or statement reads. */
export function readRefs(checker: ts.TypeChecker, node: ts.Node, out: Set<Ref> = new Set()): Set<Ref> {
  const visit = (n: ts.Node): void => {
    if (ts.isTypeNode(n)) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword) out.add('this');
    else if (ts.isShorthandPropertyAssignment(n)) {
      const value = checker.getShorthandAssignmentValueSymbol(n);
      if (value) out.add(value);
    } else if (ts.isIdentifier(n) && isValueRead(n)) {
      const symbol = checker.getSymbolAtLocation(n);
      if (symbol) out.add(symbol);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/** The variables a binding name declares. */
export function boundRefs(checker: ts.TypeChecker, name: ts.BindingName): ts.Symbol[] {
  const out: ts.Symbol[] = [];
  const visit = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) {
      const symbol = checker.getSymbolAtLocation(n);
      if (symbol) out.push(symbol);
      return;
    }
    for (const element of n.elements) if (ts.isBindingElement(element)) visit(element.name);
  };
  visit(name);
  return out;
}

/** An expression that may run code of its own or change something when evaluated early. */
export function suspendsOrWrites(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isAwaitExpression(n) ||
      ts.isYieldExpression(n) ||
      ts.isDeleteExpression(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken))
    ) {
      found = true;
      return;
    }
    // a function written inside runs only when called; its body is not evaluated here
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Calls, `new` and tagged templates inside an expression (not the expression itself), outside nested functions. */
export function innerInvocations(node: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isTaggedTemplateExpression(n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return out;
}

/** Property and element reads inside an expression (outermost of each chain), outside nested functions. */
export function memberReads(node: ts.Node): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
      out.push(n);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

export interface Effects {
  reads: Set<Ref>;
  writes: Set<Ref>;
}

/**
 * A statement that may sit between the awaited calls and move after them: an expression or a
 * `const`/`let` declaration that does not suspend. Control flow and declarations of functions or
 * classes do not qualify.
 */
export function simpleStatementEffects(checker: ts.TypeChecker, statement: ts.Statement): Effects | undefined {
  const writes = new Set<Ref>();
  let node: ts.Node;
  if (ts.isExpressionStatement(statement)) node = statement.expression;
  else if (ts.isVariableStatement(statement)) {
    const keyword = declarationKeyword(statement.declarationList);
    if (keyword !== 'const' && keyword !== 'let') return undefined;
    for (const d of statement.declarationList.declarations) boundRefs(checker, d.name).forEach((s) => writes.add(s));
    node = statement.declarationList;
  } else if (ts.isEmptyStatement(statement)) return { reads: new Set(), writes };
  else return undefined;
  let suspends = false;
  const visit = (n: ts.Node): void => {
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) suspends = true;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const root = rootRef(checker, n.left);
      if (root) writes.add(root);
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const root = rootRef(checker, n.operand);
      if (root) writes.add(root);
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  visit(node);
  if (suspends) return undefined;
  return { reads: readRefs(checker, node), writes };
}
