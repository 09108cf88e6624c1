// "Is this a promise?" for the TypeScript rules, answered from the checker's types only.
// A value is thenable when its (apparent) type has a callable `then` whose first parameter takes a
// function: Promise, PromiseLike and user-written thenables alike. `any` and `unknown` have no
// members, so they are never thenable: unknown never produces a finding.
import * as ts from 'typescript';

export function unionParts(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function takesCallback(checker: ts.TypeChecker, param: ts.Symbol, at: ts.Node): boolean {
  const paramType = checker.getApparentType(checker.getTypeOfSymbolAtLocation(param, at));
  return unionParts(paramType).some((t) => t.getCallSignatures().length > 0);
}

/** One union member (already apparent) is thenable. */
function isThenablePart(checker: ts.TypeChecker, part: ts.Type, at: ts.Node): boolean {
  const then = part.getProperty('then');
  if (!then) return false;
  const thenType = checker.getTypeOfSymbolAtLocation(then, at);
  return unionParts(thenType).some((t) =>
    t.getCallSignatures().some((sig) => sig.parameters.length > 0 && takesCallback(checker, sig.parameters[0], at)),
  );
}

/**
 * Types computed from other types (conditional, indexed access, `keyof`, template literals) are
 * not looked into: their apparent type is their constraint, which for a deep conditional type over a
 * large union (a JSON-schema-to-type library) costs the checker minutes, and a thenable hiding
 * there is rare. Unknown never produces a finding.
 */
const COMPUTED = ts.TypeFlags.Conditional | ts.TypeFlags.Substitution | ts.TypeFlags.IndexedAccess | ts.TypeFlags.Index | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping;

/** The union's members that are not computed types (see COMPUTED). */
function knownParts(type: ts.Type): readonly ts.Type[] {
  const parts = unionParts(type);
  return parts.some((p) => p.flags & COMPUTED) ? parts.filter((p) => !(p.flags & COMPUTED)) : parts;
}

function apparentParts(checker: ts.TypeChecker, type: ts.Type): readonly ts.Type[] {
  if (type.flags & COMPUTED) return [];
  const parts = unionParts(type);
  if (!parts.some((p) => p.flags & COMPUTED)) return unionParts(checker.getApparentType(type));
  return knownParts(type).flatMap((p) => unionParts(checker.getApparentType(p)));
}

/** Some member of the union is thenable (`Promise<T> | undefined` counts). */
export function isSometimesThenable(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  return apparentParts(checker, type).some((p) => isThenablePart(checker, p, at));
}

/** Every member of the union is thenable: what a condition must be to be always truthy. */
export function isAlwaysThenable(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  const parts = apparentParts(checker, type);
  return parts.length > 0 && parts.every((p) => isThenablePart(checker, p, at));
}

/** An array or tuple with a thenable element, e.g. the result of `ids.map(async (id) => ...)`. */
export function isThenableArray(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  for (const part of apparentParts(checker, type)) {
    if (checker.isArrayType(part) || checker.isTupleType(part)) {
      const elements = checker.getTypeArguments(part as ts.TypeReference);
      if (elements.some((e) => isSometimesThenable(checker, e, at))) return true;
    }
  }
  return false;
}

/** Some call signature of some member returns a thenable: an async function or a promise factory. */
export function returnsThenable(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  return apparentParts(checker, type).some((part) =>
    part.getCallSignatures().some((sig) => isSometimesThenable(checker, sig.getReturnType(), at)),
  );
}

/**
 * A function type whose signatures return `void` and none returns a thenable: where an async
 * function's promise would be dropped by the caller. `() => void | Promise<void>` accepts promises.
 */
export function isVoidReturningFunction(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  let hadVoid = false;
  for (const part of knownParts(type)) {
    for (const sig of part.getCallSignatures()) {
      const ret = sig.getReturnType();
      if (isSometimesThenable(checker, ret, at)) return false;
      if (ret.flags & ts.TypeFlags.Void) hadVoid = true;
    }
  }
  return hadVoid;
}

/** Every member but null/undefined has a callable `catch` (real Promises do; bare PromiseLike does not). */
export function hasCatchMethod(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): boolean {
  const parts = apparentParts(checker, type).filter((p) => !(p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
  return (
    parts.length > 0 &&
    parts.every((p) => {
      const c = p.getProperty('catch');
      return !!c && checker.getTypeOfSymbolAtLocation(c, at).getCallSignatures().length > 0;
    })
  );
}

/** The type admits `null` or `undefined`, so a method call on it needs `?.`. */
export function isNullable(type: ts.Type): boolean {
  return unionParts(type).some((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) !== 0);
}
