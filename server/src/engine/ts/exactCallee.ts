// Which function a call runs, when the project's own sources say so for certain. The facts the
// rules learn from a function's body (cannotReject.ts, callbackHandled.ts) apply to a call only
// when no other body can run in its place:
//  - a function declaration, or a function expression or arrow bound to a `const`;
//  - a class member that cannot be overridden: `private` or `#name`, or a member of a class that is
//    neither exported nor extended in its module, called on `this` from inside that class;
//  - never an overload (the body is another declaration), a declaration file, a library's file, an
//    object literal's method (its property can be reassigned), or a parameter or interface member.
import * as ts from 'typescript';

export type FunctionWithBody = (ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression) & { body: ts.ConciseBody };

export function exactCallee(checker: ts.TypeChecker, program: ts.Program, call: ts.CallExpression): FunctionWithBody | undefined {
  const decl = checker.getResolvedSignature(call)?.declaration;
  if (!decl || !isFunctionWithBody(decl)) return undefined;
  const sf = decl.getSourceFile();
  if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || /[\\/]node_modules[\\/]/.test(sf.fileName)) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl.name ? decl : undefined;
  if (ts.isArrowFunction(decl) || ts.isFunctionExpression(decl)) {
    const parent = decl.parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === decl && ts.isIdentifier(parent.name)) {
      return (ts.getCombinedNodeFlags(parent) & ts.NodeFlags.Const) !== 0 ? decl : undefined;
    }
    if (ts.isPropertyDeclaration(parent) && parent.initializer === decl && ts.isClassLike(parent.parent)) {
      return cannotBeOverridden(parent, parent.parent, call) ? decl : undefined;
    }
    return undefined;
  }
  // a method
  if (!ts.isClassLike(decl.parent)) return undefined;
  return cannotBeOverridden(decl, decl.parent, call) ? decl : undefined;
}

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (
    (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    node.body !== undefined
  );
}

function cannotBeOverridden(member: ts.ClassElement, cls: ts.ClassLikeDeclaration, call: ts.CallExpression): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  if (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Private) return true;
  // `this.method()` inside a class nobody can subclass: not exported, not extended in its module
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return false;
  if (!ts.isClassDeclaration(cls) || !cls.name || ts.getCombinedModifierFlags(cls) & ts.ModifierFlags.Export) return false;
  const sf = cls.getSourceFile();
  if (!ts.isExternalModule(sf) || ts.findAncestor(call, ts.isClassLike) !== cls) return false;
  return !isExtendedOrExported(sf, cls.name.text);
}

/** Some class of the module extends `name`, or the module exports it under any name. */
function isExtendedOrExported(sf: ts.SourceFile, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ExtendsKeyword && n.types.some((t) => mentions(t.expression, name))) found = true;
    else if (ts.isExportSpecifier(n) && (n.propertyName ?? n.name).getText(sf) === name) found = true;
    else if (ts.isExportAssignment(n) && mentions(n.expression, name)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function mentions(expr: ts.Node, name: string): boolean {
  if (ts.isIdentifier(expr)) return expr.text === name;
  let found = false;
  expr.forEachChild((c) => {
    found ||= mentions(c, name);
  });
  return found;
}
