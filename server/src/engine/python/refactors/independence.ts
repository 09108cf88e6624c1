// Whether consecutive awaited calls are independent as far as the code shows, and which shapes
// keep the meaning of the `try` and `with` statements around them.
import type { Node } from '../parser';
import type { Scope } from '../scopes';
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

export type Item = { kind: 'call'; awaited: AwaitedCall } | { kind: 'between'; statement: Node; effects: Effects };

/** Where the statements sit decides which shapes keep the program's structure. */
type Enclosure = 'any' | 'task-group-only' | 'none';

function isPureBuiltinCall(call: Node, scope: Scope): boolean {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' && PURE_BUILTINS.has(fn.text) && scope.resolve(fn.text) === undefined;
}

/**
 * Attribute and item reads a call evaluates before it starts, besides the method it calls on a
 * name (`client.get` reads no state of `client` that an earlier call could have changed).
 */
function earlyMemberReads(call: Node): Node[] {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  const reads: Node[] = args ? memberReads(args) : [];
  if (callee?.type === 'attribute') {
    const object = callee.childForFieldName('object');
    if (object && object.type !== 'identifier') reads.push(...memberReads(object));
  } else if (callee && callee.type !== 'identifier') reads.push(...memberReads(callee));
  return reads;
}

/**
 * Why the call's arguments are not safe to evaluate before the calls `received` (the names they
 * were given) have finished; undefined when they are.
 */
export function earlyEvaluationProblem(call: Node, scope: Scope, received: ReadonlySet<string>): string | undefined {
  if (innerCalls(call).some((c) => !isPureBuiltinCall(c, scope))) return 'an argument calls a function';
  const member = earlyMemberReads(call).find((m) => {
    const root = rootName(m);
    return root === undefined || received.has(root);
  });
  return member ? `“${member.text}” would be read before an earlier call finishes` : undefined;
}

/** A local whose value code other than the calls' own arguments could observe. */
export function visibleElsewhere(name: string, scope: Scope): boolean {
  return scope.dynamic || scope.closureReads.has(name) || scope.globals.has(name) || scope.nonlocals.has(name) || scope.resolve(name) !== scope;
}

/** Why the run's calls are not independent; undefined when they are. */
export function independence(items: Item[], scope: Scope): string | undefined {
  const calls = items.filter((i): i is Extract<Item, { kind: 'call' }> => i.kind === 'call').map((i) => i.awaited);
  if (calls.length < 2) return 'fewer than two awaited calls';
  const received = new Set<string>();
  const readsOf = new Map<AwaitedCall, Set<string>>();
  for (const c of calls) {
    if (suspendsOrBinds(c.call)) return 'a call holds another await, a yield or a walrus';
    const reads = readNames(c.call);
    readsOf.set(c, reads);
    reads.forEach((r) => received.add(r));
  }
  const targetsOf = (c: AwaitedCall) => (c.target ? targetNames(c.target) : { bound: [], mutated: [] });
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
        const early = earlyEvaluationProblem(c.call, scope, earlierReceived);
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
export function enclosure(statement: Node, scope: Scope): Enclosure {
  let allowed: Enclosure = 'any';
  for (let n: Node | null = statement.parent; n && n.id !== scope.node.id; n = n.parent) {
    const parent = n.parent;
    if (!parent) break;
    if (parent.type === 'try_statement') {
      const handled = parent.namedChildren.some((c) => c?.type === 'except_clause' || c?.type === 'except_group_clause');
      // A handler would see an ExceptionGroup (TaskGroup), or run while the other calls still do (gather).
      if (parent.childForFieldName('body')?.id === n.id && handled) return 'none';
      allowed = 'task-group-only';
    } else if (parent.type === 'with_statement') {
      // `finally` and `__aexit__` must run after every call has ended: a TaskGroup waits for all of them.
      allowed = 'task-group-only';
    }
  }
  return allowed;
}
