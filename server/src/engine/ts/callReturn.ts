// What a call can return, read from its callee's declared signatures instead of resolving the call.
// Resolving a call checks every argument against every overload (and, for a callback argument,
// its body); when no signature of the callee could return what a rule looks for, none of that is
// needed. Generic signatures and `this`-typed returns depend on the call, so they are resolved.
import * as ts from 'typescript';

const DEPENDS_ON_THE_CALL = ts.TypeFlags.Instantiable;

function dependsOnTheCall(type: ts.Type): boolean {
  if (type.flags & DEPENDS_ON_THE_CALL) return true;
  if (type.isUnionOrIntersection()) return type.types.some(dependsOnTheCall);
  return false;
}

/**
 * Every type a call of `call`'s callee can return, or undefined when only resolving the call can
 * tell (a generic or `this`-typed signature, a callee without call signatures). An untyped callee
 * (`any`) gives `any`.
 */
export function declaredReturnTypes(checker: ts.TypeChecker, call: ts.CallExpression): ts.Type[] | undefined {
  if (call.expression.kind === ts.SyntaxKind.SuperKeyword || call.expression.kind === ts.SyntaxKind.ImportKeyword) return undefined;
  const callee = checker.getTypeAtLocation(call.expression);
  const parts = callee.isUnion() ? callee.types : [callee];
  const returns: ts.Type[] = [];
  for (const part of parts) {
    if (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) continue; // `f?.()`
    if (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) {
      returns.push(part); // an untyped call: its value is `any`, never a thenable
      continue;
    }
    const signatures = checker.getApparentType(part).getCallSignatures();
    if (signatures.length === 0) return undefined;
    for (const sig of signatures) {
      if (sig.typeParameters?.length) return undefined;
      const ret = sig.getReturnType();
      if (dependsOnTheCall(ret)) return undefined;
      returns.push(ret);
    }
  }
  return returns.length ? returns : undefined;
}
