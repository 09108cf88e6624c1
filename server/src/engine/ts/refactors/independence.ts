// Whether consecutive awaited calls are independent as far as the code shows (by symbol, so that
// shadowed names and imports are told apart), and where Promise.all may not go.
import * as ts from 'typescript';
import { callsOf, type RunItem } from '../../refactors/runs';
import {
  boundRefs,
  innerInvocations,
  isUsingDeclaration,
  memberReads,
  readRefs,
  rootRef,
  suspendsOrWrites,
  type AwaitedCall,
  type Effects,
  type Ref,
} from './awaited-statements';

export interface Context {
  sf: ts.SourceFile;
  checker: ts.TypeChecker;
  program: ts.Program;
  text: string;
  starts: number[];
  eol: string;
}

export type Item = RunItem<ts.Statement, AwaitedCall, Effects>;

/** Globals whose calls run no code of the program's: they may be evaluated earlier than before. */
const PURE_GLOBALS = new Set(['String', 'Number', 'Boolean', 'BigInt']);

/** The function (or file, for top-level await) the statements run in. */
function containerOf(node: ts.Node): ts.Node {
  return ts.findAncestor(node.parent, (n) => ts.isFunctionLike(n) || ts.isSourceFile(n)) ?? node.getSourceFile();
}

function isPureGlobalCall(ctx: Context, node: ts.Node): boolean {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || !PURE_GLOBALS.has(node.expression.text)) return false;
  const symbol = ctx.checker.getSymbolAtLocation(node.expression);
  return !!symbol?.declarations?.length && symbol.declarations.every((d) => ctx.program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** Member reads the call evaluates before it starts, besides the method it calls on a name (`api.get`). */
function earlyMemberReads(call: ts.CallExpression): ts.Expression[] {
  const reads = call.arguments.flatMap((a) => memberReads(a));
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const object = callee.expression;
    const plain = ts.isIdentifier(object) || object.kind === ts.SyntaxKind.ThisKeyword;
    if (!plain) reads.push(...memberReads(object));
    if (ts.isElementAccessExpression(callee)) reads.push(...memberReads(callee.argumentExpression));
  } else reads.push(...memberReads(callee));
  return reads;
}

export function earlyEvaluationProblem(ctx: Context, call: ts.CallExpression, received: ReadonlySet<Ref>): string | undefined {
  if (innerInvocations(call).some((n) => !isPureGlobalCall(ctx, n))) return 'an argument calls a function';
  const member = earlyMemberReads(call).find((m) => {
    const root = rootRef(ctx.checker, m);
    return root === undefined || received.has(root);
  });
  return member ? `“${member.getText(ctx.sf)}” would be read before an earlier call finishes` : undefined;
}

/** A variable that code other than the calls' own arguments could read while they run: an outer one, or one a closure reads. */
function visibleElsewhere(ctx: Context, symbol: ts.Symbol, container: ts.Node): boolean {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration || containerOf(declaration) !== container) return true;
  let seen = false;
  const visit = (n: ts.Node): void => {
    if (seen) return;
    if (ts.isIdentifier(n) && containerOf(n) !== container && ctx.checker.getSymbolAtLocation(n) === symbol) seen = true;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(container, visit);
  return seen;
}

interface CallFacts {
  reads: Set<Ref>;
  bound: ts.Symbol[];
  mutated: Ref[];
}

function factsOf(ctx: Context, awaited: AwaitedCall): CallFacts {
  const reads = readRefs(ctx.checker, awaited.call);
  if (awaited.shape === 'declaration') return { reads, bound: boundRefs(ctx.checker, awaited.name), mutated: [] };
  if (awaited.shape === 'assignment') {
    const target = awaited.target;
    const root = rootRef(ctx.checker, target);
    if (ts.isIdentifier(target)) return { reads, bound: root && root !== 'this' ? [root] : [], mutated: [] };
    return { reads, bound: [], mutated: root ? [root] : [] };
  }
  return { reads, bound: [], mutated: [] };
}

/** Calls whose point is to wait (`sleep(100)`, `page.waitForSelector(...)`, `mutex.acquire()`): what follows them must come after. */
const WAITS = /^(?:sleep|delay|wait|wait[A-Z_]\w*|acquire|join|drain|setTimeout|setImmediate)$/;

export function waits(call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  return ts.isIdentifier(name) && WAITS.test(name.text);
}

/** The object whose method the call runs (`writer` in `writer.write(b)`, `this` in `this.db.query()`), unless it is a module or namespace. */
export function receiverOf(ctx: Context, call: ts.CallExpression): Ref | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return undefined;
  const root = rootRef(ctx.checker, callee.expression);
  if (!root || root === 'this') return root;
  const target = root.flags & ts.SymbolFlags.Alias ? ctx.checker.getAliasedSymbol(root) : root;
  return target.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule) ? undefined : root;
}

const PLAIN = ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined;

/** A variable whose type is plain data (numbers, strings, ... in every union member): nothing a call can change. */
export function isPlainData(ctx: Context, ref: Ref, at: ts.Node): boolean {
  if (ref === 'this') return false;
  const type = ctx.checker.getTypeOfSymbolAtLocation(ref, at);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & PLAIN) !== 0);
}

/** The variables (and `this`) a call's arguments read. */
export function givenRefs(ctx: Context, call: ts.CallExpression): Set<Ref> {
  const out = new Set<Ref>();
  for (const a of call.arguments) readRefs(ctx.checker, a, out);
  return out;
}

/**
 * Why the calls must keep their order whatever they compute: one of them waits, or two of them
 * work on one object — one's receiver is the other's receiver or argument (a stream written twice,
 * a protocol's request and its response), or both are given the same object (`options`, a
 * connection): one call may change what the other reads. Shared plain data (`id: number`) is fine.
 */
function orderedByNature(ctx: Context, calls: AwaitedCall[]): string | undefined {
  if (calls.some((c) => waits(c.call))) return 'a call waits before what follows it';
  const receivers = calls.map((c) => receiverOf(ctx, c.call));
  const given = calls.map((c) => givenRefs(ctx, c.call));
  for (let i = 0; i < calls.length; i++) {
    const r = receivers[i];
    if (r && calls.some((_, j) => j !== i && (receivers[j] === r || given[j].has(r)))) return 'two calls work on one object';
    for (let j = i + 1; j < calls.length; j++) {
      if ([...given[i]].some((ref) => given[j].has(ref) && !isPlainData(ctx, ref, calls[j].call))) return 'two calls are given the same object';
    }
  }
  return undefined;
}

/** Why the run's calls are not independent; undefined when they are. */
export function independence(ctx: Context, items: Item[]): string | undefined {
  const calls = callsOf(items);
  if (calls.length < 2) return 'fewer than two awaited calls';
  const ordered = orderedByNature(ctx, calls);
  if (ordered) return ordered;
  const container = containerOf(calls[0].statement);
  const facts = new Map(calls.map((c) => [c, factsOf(ctx, c)]));
  const received = new Set<Ref>();
  for (const c of calls) {
    if (suspendsOrWrites(c.call.expression) || c.call.arguments.some((a) => suspendsOrWrites(a))) return 'a call holds another await or an assignment';
    facts.get(c)!.reads.forEach((r) => received.add(r));
  }
  const allTargets = new Set<Ref>();
  for (const c of calls) [...facts.get(c)!.bound, ...facts.get(c)!.mutated].forEach((r) => allTargets.add(r));
  // Set before the later calls start when run one by one: code those calls run could read it then.
  for (const c of calls.slice(0, -1)) {
    if (c.shape === 'assignment' && facts.get(c)!.bound.some((s) => visibleElsewhere(ctx, s, container))) return 'a result is read elsewhere';
    if (c.shape === 'declaration' && facts.get(c)!.bound.some((s) => visibleElsewhere(ctx, s, container))) return 'a result is read by a closure';
  }
  const earlierTargets = new Set<Ref>();
  const earlierReceived = new Set<Ref>();
  let index = 0;
  for (const item of items) {
    if (item.kind === 'call') {
      const f = facts.get(item.awaited)!;
      if (index > 0) {
        if ([...f.reads].some((r) => earlierTargets.has(r))) return 'a call uses an earlier call’s result';
        const early = earlyEvaluationProblem(ctx, item.awaited.call, earlierReceived);
        if (early) return early;
      }
      [...f.bound, ...f.mutated].forEach((r) => earlierTargets.add(r));
      f.reads.forEach((r) => earlierReceived.add(r));
      index++;
      continue;
    }
    const { reads, writes } = item.effects;
    if ([...reads, ...writes].some((r) => received.has(r))) return 'a statement between the calls uses what they receive';
    if ([...writes].some((r) => allTargets.has(r))) return 'a statement between the calls sets a result';
    if ([...reads].some((r) => allTargets.has(r) && !earlierTargets.has(r))) return 'a statement between the calls reads a later result';
  }
  return undefined;
}

/** Whether a `try` block, or a `using` declaration that would be disposed too early, holds the statement. */
export function insideTryOrUsing(statement: ts.Statement): boolean {
  for (let n: ts.Node = statement; !ts.isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n) return true;
    if (ts.isBlock(n) || ts.isSourceFile(n)) {
      const holder = n as ts.Block;
      for (const s of holder.statements) {
        if (s.pos >= statement.pos) break;
        if (ts.isVariableStatement(s) && isUsingDeclaration(s.declarationList)) return true;
      }
    }
  }
  return false;
}

/** `Promise.all` (and `Array.from` when asked) are the standard library's here, not shadowed or missing. */
export function hasGlobal(ctx: Context, at: ts.Node, name: string, member: string): boolean {
  const symbol = ctx.checker.resolveName(name, at, ts.SymbolFlags.Value, false);
  if (!symbol?.declarations?.length || !symbol.declarations.every((d) => ctx.program.isSourceFileDefaultLibrary(d.getSourceFile()))) return false;
  return ctx.checker.getTypeOfSymbolAtLocation(symbol, at).getProperty(member) !== undefined;
}
