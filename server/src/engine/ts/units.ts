// Editing one function of an open document: which part of the file an edit can change, and what the
// rest of the file sees of that part. Used by the engine (index.ts) to re-check only the edited
// function after a keystroke.
//
// A unit is a part of the file whose body nothing else in the file depends on beyond what its
// interface says: a top-level function declaration, a top-level `const f = (...) => ...` (or
// `function` expression), or a member of a top-level class. Other top-level statements are not
// units: flow analysis carries what a statement assigns into the statements after it.
//
// The interface of a unit is what a check elsewhere can depend on: its text outside the function
// body (name, modifiers, parameters, return annotation), the type the checker gives it (an inferred
// return type follows the body), and the facts the rules learn from its body (cannotReject.ts,
// callbackHandled.ts). When an edit leaves the interface unchanged, findings elsewhere in the file
// cannot change.
import * as ts from 'typescript';
import { cannotReject } from './cannotReject';
import { parameterHandled } from './callbackHandled';
import type { FunctionWithBody } from './exactCallee';

export interface Unit {
  node: ts.Node;
  /** Index of its top-level statement, and of the member in that class when it is a member. */
  statement: number;
  member?: number;
}

/** The file's outline: each top-level statement's extent and kind, and the members of the unit's class. */
export interface Outline {
  statements: { pos: number; end: number; kind: ts.SyntaxKind }[];
  members?: { pos: number; end: number; kind: ts.SyntaxKind }[];
}

/** Text that changes how findings elsewhere are suppressed: an edit touching it re-checks the whole file. */
const DIRECTIVE_TEXT = /eslint-|asyncguard-ignore|@ts-expect-error|@ts-ignore/;
/** In JavaScript, assignments in a body can declare members (`this.x = ...`, prototypes, exports). */
const JS_DECLARING_TEXT = /\bthis\s*\.\s*[\w$#]+\s*=[^=]|prototype|exports/;

/** The unit holding the whole changed range [start, end) of the old text, if the edit can be handled unit by unit. */
export function unitAt(sf: ts.SourceFile, start: number, end: number, removed: string, inserted: string): Unit | undefined {
  if (DIRECTIVE_TEXT.test(removed) || DIRECTIVE_TEXT.test(inserted)) return undefined;
  const inside = (n: ts.Node) => n.getStart(sf) < start && end < n.end;
  const statement = sf.statements.findIndex(inside);
  if (statement < 0) return undefined;
  const top = sf.statements[statement];
  let unit: Unit | undefined;
  if (ts.isClassDeclaration(top)) {
    const member = top.members.findIndex(inside);
    if (member >= 0 && isMemberUnit(top.members[member])) unit = { node: top.members[member], statement, member };
  } else if (isTopLevelUnit(top)) {
    unit = { node: top, statement };
  }
  if (!unit) return undefined;
  if (/\.[cm]?jsx?$/i.test(sf.fileName) && (JS_DECLARING_TEXT.test(unit.node.getText(sf)) || JS_DECLARING_TEXT.test(inserted))) return undefined;
  return unit;
}

function isMemberUnit(m: ts.ClassElement): boolean {
  return (
    ((ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) && !!m.body) ||
    (ts.isPropertyDeclaration(m) && !!m.initializer)
  );
}

function isTopLevelUnit(s: ts.Statement): boolean {
  if (ts.isFunctionDeclaration(s)) return !!s.body && !!s.name;
  return !!functionOfConst(s);
}

/** `const f = (...) => ...` / `const f = function ...`: the function, when the statement is only that. */
function functionOfConst(s: ts.Statement): ts.ArrowFunction | ts.FunctionExpression | undefined {
  if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const) || s.declarationList.declarations.length !== 1) return undefined;
  const d = s.declarationList.declarations[0];
  if (!ts.isIdentifier(d.name) || !d.initializer) return undefined;
  return ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer) ? d.initializer : undefined;
}

export function outlineOf(sf: ts.SourceFile, unit: Unit): Outline {
  const extent = (n: ts.Node) => ({ pos: n.pos, end: n.end, kind: n.kind });
  const top = sf.statements[unit.statement];
  return {
    statements: sf.statements.map(extent),
    members: unit.member !== undefined && ts.isClassDeclaration(top) ? top.members.map(extent) : undefined,
  };
}

/**
 * The same unit in the new tree, when the file's outline is the old one with only that unit's end
 * moved by `delta` (no statement or member appeared, vanished or changed kind).
 */
export function sameUnitAfterEdit(sf: ts.SourceFile, old: Outline, unit: Unit, delta: number): Unit | undefined {
  const same = (before: Outline['statements'], after: readonly ts.Node[], at: number): boolean =>
    before.length === after.length &&
    before.every((b, i) => {
      const a = after[i];
      if (a.kind !== b.kind) return false;
      if (i < at) return a.pos === b.pos && a.end === b.end;
      if (i === at) return a.pos === b.pos && a.end === b.end + delta;
      return a.pos === b.pos + delta && a.end === b.end + delta;
    });
  if (!same(old.statements, sf.statements, unit.statement)) return undefined;
  const top = sf.statements[unit.statement];
  if (unit.member === undefined) return isTopLevelUnit(top) ? { node: top, statement: unit.statement } : undefined;
  if (!ts.isClassDeclaration(top) || !old.members || !same(old.members, top.members, unit.member)) return undefined;
  const member = top.members[unit.member];
  return isMemberUnit(member) ? { node: member, statement: unit.statement, member: unit.member } : undefined;
}

/** What the rest of the file can see of the unit (see the header); equal strings mean nothing elsewhere changes. */
export function unitInterface(checker: ts.TypeChecker, sf: ts.SourceFile, unit: Unit): string {
  const node = unit.node;
  const fn = functionOf(node);
  const bodyStart = fn?.body ? fn.body.getStart(sf) : ts.isPropertyDeclaration(node) && node.initializer ? node.initializer.getStart(sf) : node.end;
  const head = sf.text.slice(node.getStart(sf), bodyStart);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType;
  let type = '';
  if (ts.isConstructorDeclaration(node)) {
    const sig = checker.getSignatureFromDeclaration(node);
    type = sig ? checker.signatureToString(sig, undefined, flags) : '';
  } else {
    const name = ts.isVariableStatement(node) ? node.declarationList.declarations[0].name : (node as ts.NamedDeclaration).name;
    const symbol = name && checker.getSymbolAtLocation(name);
    if (symbol) type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, name), undefined, flags);
  }
  let facts = '';
  if (fn?.body) {
    facts = cannotReject(checker, fn);
    for (let i = 0; i < fn.parameters.length; i++) facts += parameterHandled(checker, fn, i) ? 'h' : '-';
  }
  return `${head}\n${type}\n${facts}`;
}

function functionOf(node: ts.Node): FunctionWithBody | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) return node as FunctionWithBody;
  if (ts.isVariableStatement(node)) return functionOfConst(node) as FunctionWithBody | undefined;
  if (ts.isPropertyDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
    return node.initializer as FunctionWithBody;
  }
  return undefined;
}
