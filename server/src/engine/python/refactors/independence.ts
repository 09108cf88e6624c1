// Whether consecutive awaited calls are independent as far as the code shows, and which shapes
// keep the meaning of the `try` and `with` statements around them.
import { callsOf, type RunItem } from '../../refactors/runs';
import type { Scope } from '../scopes';
import type { Node, SyntaxTree } from '../tree';
import {
  innerCalls,
  memberReads,
  readNames,
  rootName,
  suspendsOrBinds,
  targetNames,
  type AwaitedCall,
  type Effects,
} from './awaited-statements';

/** Builtins whose calls run no code of the program's: they may be evaluated earlier than before. */
const PURE_BUILTINS = new Set(['str', 'int', 'float', 'bool', 'len', 'repr', 'abs', 'round', 'min', 'max', 'tuple', 'list', 'dict', 'set', 'frozenset', 'sorted', 'range', 'enumerate', 'zip']);

export type Item = RunItem<Node, AwaitedCall, Effects>;

/** Where the statements sit decides which shapes keep the program's structure. */
type Enclosure = 'any' | 'task-group-only' | 'none';

function isPureBuiltinCall(tree: SyntaxTree, call: Node, scope: Scope): boolean {
  const fn = tree.field(call, 'function');
  return tree.type(fn) === 'identifier' && PURE_BUILTINS.has(tree.textOf(fn)) && scope.resolve(tree.textOf(fn)) === undefined;
}

/**
 * Attribute and item reads a call evaluates before it starts, besides the method it calls on a
 * name (`client.get` reads no state of `client` that an earlier call could have changed).
 */
function earlyMemberReads(tree: SyntaxTree, call: Node): Node[] {
  const callee = tree.field(call, 'function');
  const args = tree.field(call, 'arguments');
  const reads: Node[] = args ? memberReads(tree, args) : [];
  if (tree.type(callee) === 'attribute') {
    const object = tree.field(callee, 'object');
    if (object && tree.type(object) !== 'identifier') reads.push(...memberReads(tree, object));
  } else if (callee && tree.type(callee) !== 'identifier') reads.push(...memberReads(tree, callee));
  return reads;
}

/**
 * Why the call's arguments are not safe to evaluate before the calls `received` (the names they
 * were given) have finished; undefined when they are.
 */
export function earlyEvaluationProblem(tree: SyntaxTree, call: Node, scope: Scope, received: ReadonlySet<string>): string | undefined {
  if (innerCalls(tree, call).some((c) => !isPureBuiltinCall(tree, c, scope))) return 'an argument calls a function';
  const member = earlyMemberReads(tree, call).find((m) => {
    const root = rootName(tree, m);
    return root === undefined || received.has(root);
  });
  return member ? `“${tree.textOf(member)}” would be read before an earlier call finishes` : undefined;
}

/** Calls whose point is to wait (`asyncio.sleep`, `event.wait()`, `lock.acquire()`): what follows them must come after. */
const WAITS = /^(?:sleep|wait|wait_\w+|acquire|join|drain|checkpoint\w*)$/;

export function waits(tree: SyntaxTree, call: Node): boolean {
  const callee = tree.field(call, 'function');
  const name = tree.type(callee) === 'attribute' ? tree.field(callee, 'attribute') : callee;
  return tree.type(name) === 'identifier' && WAITS.test(tree.textOf(name));
}

/**
 * The object whose method the call runs (`writer` in `writer.write(b)`, `self` in
 * `self.conn.send()`), unless it is an imported module.
 */
export function receiverOf(tree: SyntaxTree, call: Node, scope: Scope): string | undefined {
  const callee = tree.field(call, 'function');
  const object = tree.type(callee) === 'attribute' ? tree.field(callee, 'object') : 0;
  const root = object ? rootName(tree, object) : undefined;
  if (!root) return undefined;
  const bindings = scope.resolve(root)?.bindings.get(root) ?? [];
  return bindings.length && bindings.every((b) => b.kind === 'import') ? undefined : root;
}

const PLAIN_ANNOTATION = /^(?:int|str|float|bool|bytes)(?:\s*\|\s*None)?$/;
const LITERALS = new Set(['integer', 'float', 'string', 'concatenated_string', 'true', 'false', 'none']);

/** A name that holds plain data (a number, a string...) on every binding: nothing a call can change. */
export function isPlainData(tree: SyntaxTree, name: string, scope: Scope): boolean {
  const bindings = scope.resolve(name)?.bindings.get(name);
  if (!bindings?.length) return false;
  return bindings.every(
    (b) =>
      (b.annotation !== undefined && PLAIN_ANNOTATION.test(tree.textOf(b.annotation).trim())) ||
      (b.kind === 'assign' && !b.path && b.value !== undefined && LITERALS.has(tree.type(b.value))),
  );
}

/** The names a call's arguments read. */
export function givenNames(tree: SyntaxTree, call: Node): Set<string> {
  const args = tree.field(call, 'arguments');
  return args ? readNames(tree, args) : new Set<string>();
}

/**
 * Why the calls must keep their order whatever they compute: one of them waits, or two of them
 * work on one object — one's receiver is the other's receiver or argument (a stream written twice,
 * a protocol's request and its response), or both are given the same object (`options`, a
 * session): one call may change what the other reads. Shared plain data (`user_id: int`) is fine.
 */
function orderedByNature(tree: SyntaxTree, calls: AwaitedCall[], scope: Scope): string | undefined {
  const waiting = calls.find((c) => waits(tree, c.call));
  if (waiting) return `“${tree.textOf(tree.field(waiting.call, 'function'))}” waits before what follows it`;
  const receivers = calls.map((c) => receiverOf(tree, c.call, scope));
  const given = calls.map((c) => givenNames(tree, c.call));
  for (let i = 0; i < calls.length; i++) {
    const r = receivers[i];
    if (r && calls.some((_, j) => j !== i && (receivers[j] === r || given[j].has(r)))) return `two calls work on “${r}”`;
    for (let j = i + 1; j < calls.length; j++) {
      const shared = [...given[i]].find((n) => given[j].has(n) && !isPlainData(tree, n, scope));
      if (shared) return `two calls are given “${shared}”`;
    }
  }
  return undefined;
}

/** A local whose value code other than the calls' own arguments could observe. */
export function visibleElsewhere(name: string, scope: Scope): boolean {
  return scope.dynamic || scope.closureReads.has(name) || scope.globals.has(name) || scope.nonlocals.has(name) || scope.resolve(name) !== scope;
}

/** Why the run's calls are not independent; undefined when they are. */
export function independence(tree: SyntaxTree, items: Item[], scope: Scope): string | undefined {
  const calls = callsOf(items);
  if (calls.length < 2) return 'fewer than two awaited calls';
  const ordered = orderedByNature(tree, calls, scope);
  if (ordered) return ordered;
  const received = new Set<string>();
  const readsOf = new Map<AwaitedCall, Set<string>>();
  for (const c of calls) {
    if (suspendsOrBinds(tree, c.call)) return 'a call holds another await, a yield or a walrus';
    const reads = readNames(tree, c.call);
    readsOf.set(c, reads);
    reads.forEach((r) => received.add(r));
  }
  const targetsOf = (c: AwaitedCall) => (c.target ? targetNames(tree, c.target) : { bound: [], mutated: [] });
  const allTargets = new Set<string>();
  calls.forEach((c) => {
    const { bound, mutated } = targetsOf(c);
    [...bound, ...mutated].forEach((n) => allTargets.add(n));
  });
  // Set before the later calls start when run one by one; code those calls run could read it then.
  for (const c of calls.slice(0, -1)) {
    const seen = targetsOf(c).bound.find((b) => visibleElsewhere(b, scope));
    if (seen) return `“${seen}” may be read by other code while the calls run`;
  }
  const earlierTargets = new Set<string>();
  const earlierReceived = new Set<string>();
  let callIndex = 0;
  for (const item of items) {
    if (item.kind === 'call') {
      const c = item.awaited;
      const reads = readsOf.get(c)!;
      if (callIndex > 0) {
        const used = [...reads].find((r) => earlierTargets.has(r));
        if (used) return `a call uses “${used}”, an earlier call's result`;
        const early = earlyEvaluationProblem(tree, c.call, scope, earlierReceived);
        if (early) return early;
      }
      const { bound, mutated } = targetsOf(c);
      [...bound, ...mutated].forEach((n) => earlierTargets.add(n));
      reads.forEach((r) => earlierReceived.add(r));
      callIndex++;
      continue;
    }
    const { reads, writes } = item.effects;
    const touched = [...reads, ...writes].find((n) => received.has(n));
    if (touched) return `a statement between the calls uses “${touched}”, which the calls receive`;
    const rebinds = [...writes].find((n) => allTargets.has(n));
    if (rebinds) return `a statement between the calls sets “${rebinds}”`;
    const early = [...reads].find((n) => allTargets.has(n) && !earlierTargets.has(n));
    if (early) return `a statement between the calls reads “${early}” before a later call sets it`;
  }
  return undefined;
}

/** Which shapes keep the meaning of the `try` and `with` statements around the calls. */
export function enclosure(tree: SyntaxTree, statement: Node, scope: Scope): Enclosure {
  let allowed: Enclosure = 'any';
  for (let n = tree.parent(statement); n && n !== scope.node; n = tree.parent(n)) {
    const parent = tree.parent(n);
    if (!parent) break;
    if (tree.type(parent) === 'try_statement') {
      const handled = tree.namedChildren(parent).some((c) => tree.type(c) === 'except_clause');
      // A handler would see an ExceptionGroup (TaskGroup), or run while the other calls still do (gather).
      if (tree.field(parent, 'body') === n && handled) return 'none';
      allowed = 'task-group-only';
    } else if (tree.type(parent) === 'with_statement') {
      // `finally` and `__aexit__` must run after every call has ended: a TaskGroup waits for all of them.
      allowed = 'task-group-only';
    }
  }
  return allowed;
}
