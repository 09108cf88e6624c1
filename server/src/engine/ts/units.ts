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

/** Whether `text` holds a suppression or TypeScript directive (or something that may become one). */
export function hasDirective(text: string): boolean {
  return DIRECTIVE_TEXT.test(text);
}
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

// ------------------------------------------------------------------ skeletons
//
// Checking one function after a keystroke still makes the language service re-parse and re-bind the
// whole file, which on a file of thousands of lines costs more than the check itself. While typing
// in one unit, the program is therefore given a skeleton of the document: the same text with the
// bodies of other units blanked out (spaces, line breaks kept, so every position is the same), where
// nothing the edited unit can be checked against depends on those bodies:
//  - the unit has a return type annotation (or is a constructor or setter), so its type does not
//    follow its body;
//  - its body is not the one `try` of a function that might not reject (cannotReject.ts), and no
//    parameter of it is a callback its body handles (callbackHandled.ts): those facts read the body;
//  - its body holds no suppression directive (a `/* eslint-disable */` there reaches later lines)
//    and no syntax error (the file's notes count them);
//  - the file is not JavaScript (where a body can declare members).
// The whole file is checked on the real text, as always.

/** Every unit of the file, in order. */
export function unitsOf(sf: ts.SourceFile): Unit[] {
  const units: Unit[] = [];
  sf.statements.forEach((s, statement) => {
    if (ts.isClassDeclaration(s)) {
      s.members.forEach((m, member) => {
        if (isMemberUnit(m)) units.push({ node: m, statement, member });
      });
    } else if (isTopLevelUnit(s)) units.push({ node: s, statement });
  });
  return units;
}

export function unitKey(unit: Unit): string {
  return `${unit.statement}:${unit.member ?? ''}`;
}

/** The block body of a unit that a skeleton may blank out (see above). */
function blankableBody(checker: ts.TypeChecker, sf: ts.SourceFile, unit: Unit): ts.Block | undefined {
  const node = unit.node;
  const fn = ts.isConstructorDeclaration(node) || ts.isSetAccessor(node) || ts.isGetAccessor(node) ? node : functionOf(node);
  if (!fn?.body || !ts.isBlock(fn.body)) return undefined;
  const annotated = !!fn.type || ts.isConstructorDeclaration(fn) || ts.isSetAccessor(fn);
  if (!annotated || DIRECTIVE_TEXT.test(fn.body.getText(sf))) return undefined;
  // a syntax error there must stay in the program, or the file's notes would change
  const errors = (sf as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (errors.some((d) => d.start !== undefined && d.start >= fn.body!.pos && d.start <= fn.body!.end)) return undefined;
  if (!ts.isConstructorDeclaration(fn) && !ts.isGetAccessor(fn) && !ts.isSetAccessor(fn)) {
    const withBody = fn as FunctionWithBody;
    if (cannotReject(checker, withBody) !== 'no') return undefined;
    for (let i = 0; i < withBody.parameters.length; i++) if (parameterHandled(checker, withBody, i)) return undefined;
  } else if (fn.body.statements.length === 1 && ts.isTryStatement(fn.body.statements[0])) {
    return undefined;
  }
  return fn.body;
}

/** Keys of the units whose bodies a skeleton may blank out; none in a JavaScript file. */
export function blankableUnits(checker: ts.TypeChecker, sf: ts.SourceFile): Set<string> {
  if (/\.[cm]?jsx?$/i.test(sf.fileName)) return new Set();
  return new Set(unitsOf(sf).filter((u) => blankableBody(checker, sf, u)).map(unitKey));
}

/** Whether one unit may be blanked, re-read after it was edited. */
export function isBlankable(checker: ts.TypeChecker, sf: ts.SourceFile, unit: Unit): boolean {
  return !/\.[cm]?jsx?$/i.test(sf.fileName) && !!blankableBody(checker, sf, unit);
}

/**
 * The skeleton of the new text: `text` (the old text with an edit of `delta` characters inside
 * `keep`) with the bodies of the other blankable units blanked. `sf` is the old tree.
 */
export function skeletonText(text: string, sf: ts.SourceFile, keep: Unit, blankable: ReadonlySet<string>, delta: number): string {
  const keepKey = unitKey(keep);
  const keepEnd = keep.node.end;
  const parts: string[] = [];
  let cursor = 0;
  for (const unit of unitsOf(sf)) {
    const key = unitKey(unit);
    if (key === keepKey || !blankable.has(key)) continue;
    const node = unit.node;
    const body = (ts.isVariableStatement(node) || ts.isPropertyDeclaration(node) ? functionOf(node) : (node as ts.FunctionLikeDeclaration))?.body;
    if (!body || !ts.isBlock(body)) continue;
    const shift = body.pos >= keepEnd ? delta : 0;
    const from = body.getStart(sf) + 1 + shift;
    const to = body.end - 1 + shift;
    if (from >= to || from < cursor) continue;
    parts.push(text.slice(cursor, from), text.slice(from, to).replace(/[^\r\n]/g, ' '));
    cursor = to;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
