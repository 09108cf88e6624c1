// How the value of a call is used: dropped, kept in a local nobody reads, tested for truth, or used.
import type { Node } from './parser';
import type { CallRecord, Scope, SemanticModel } from './scopes';

export type Usage =
  /** `call()` as a statement, or `_ = call()`. */
  | { kind: 'dropped'; statement: Node }
  /** `x = call()` in a function where `x` is never read afterwards on any path. */
  | { kind: 'unused-local'; statement: Node; name: string }
  /** `if call():`, `not call()`, `while call():`... */
  | { kind: 'truth-test' }
  /** `call().add_done_callback(cb)` as a statement: the chained method does not keep it. */
  | { kind: 'chained-drop'; statement: Node }
  | { kind: 'used' };

/** Methods of a Task/Future that neither await nor keep it. */
const NON_KEEPING_METHODS = new Set(['add_done_callback', 'set_name', 'remove_done_callback']);

const CONDITION_PARENTS = new Set(['if_statement', 'elif_clause', 'while_statement']);

/** Parents that always use the value of their child: most calls stop here, at one look. */
const USING_PARENTS = new Set([
  'argument_list', 'keyword_argument', 'return_statement', 'await', 'list', 'tuple', 'dictionary', 'pair', 'set',
  'subscript', 'binary_operator', 'comparison_operator', 'yield', 'interpolation', 'call', 'lambda',
  'list_splat', 'dictionary_splat', 'for_statement', 'for_in_clause', 'with_item', 'as_pattern', 'augmented_assignment',
]);

/** The ancestors of a node, nearest last, as the semantic model recorded them while walking. */
class Ancestry {
  constructor(private readonly chain: Node[]) {}
  /** The `depth`-th ancestor: 1 is the parent. */
  at(depth: number): Node | undefined {
    return this.chain[this.chain.length - depth];
  }
}

/** Context managers whose body is expected to raise: a call there creates nothing to drop. */
const EXPECTS_RAISE = /(?:^|\.)(?:assertRaises|assertRaisesRegex|raises)$/;

/** `with self.assertRaises(E):` / `with pytest.raises(E):` holding the statement at `depth`. */
function insideExpectedRaise(up: Ancestry, depth: number): boolean {
  const block = up.at(depth + 1);
  const withStatement = up.at(depth + 2);
  if (block?.type !== 'block' || withStatement?.type !== 'with_statement') return false;
  const clause = withStatement.namedChildren.find((c) => c?.type === 'with_clause');
  return (clause?.namedChildren ?? []).some((item) => {
    let value = item?.childForFieldName('value');
    if (value?.type === 'as_pattern') value = value.namedChild(0);
    const fn = value?.type === 'call' ? value.childForFieldName('function') : null;
    return fn !== null && fn !== undefined && EXPECTS_RAISE.test(fn.text);
  });
}

export function usageOf(record: CallRecord, model: SemanticModel): Usage {
  const usage = directUsageOf(record, model);
  if (usage.kind === 'dropped' || usage.kind === 'unused-local' || usage.kind === 'chained-drop') {
    const up = new Ancestry(record.ancestors);
    const depth = record.ancestors.length - record.ancestors.lastIndexOf(usage.statement);
    if (insideExpectedRaise(up, depth)) return { kind: 'used' };
  }
  return usage;
}

function directUsageOf(record: CallRecord, model: SemanticModel): Usage {
  const up = new Ancestry(record.ancestors);
  const parent = up.at(1);
  if (!parent || USING_PARENTS.has(parent.type)) return { kind: 'used' };
  // the call, seen through any parentheses around it
  let depth = 1;
  let expr = record.node;
  while (up.at(depth)?.type === 'parenthesized_expression') expr = up.at(depth++)!;
  const p = up.at(depth);
  if (!p) return { kind: 'used' };
  if (p.type === 'expression_statement') return p.namedChildCount === 1 ? { kind: 'dropped', statement: p } : { kind: 'used' };
  if (p.type === 'assignment') {
    const statement = up.at(depth + 1);
    if (statement?.type !== 'expression_statement' || p.childForFieldName('right')?.id !== expr.id) return { kind: 'used' };
    const left = p.childForFieldName('left');
    if (left?.type !== 'identifier') return { kind: 'used' };
    if (left.text === '_') return { kind: 'dropped', statement };
    return isUnreadLocal(left, record.scope, model) ? { kind: 'unused-local', statement, name: left.text } : { kind: 'used' };
  }
  if (isTruthTested(expr, up, depth)) return { kind: 'truth-test' };
  if (p.type === 'attribute') {
    // call().method(...) as a statement, where the method neither awaits nor keeps the result
    const method = p.childForFieldName('attribute')?.text ?? '';
    const outer = up.at(depth + 1);
    const statement = up.at(depth + 2);
    if (NON_KEEPING_METHODS.has(method) && outer?.type === 'call' && statement?.type === 'expression_statement' && statement.namedChildCount === 1) {
      return { kind: 'chained-drop', statement };
    }
  }
  return { kind: 'used' };
}

/** Whether the value of `expr` (whose parent is at `depth`) is only tested for truth. */
function isTruthTested(expr: Node, up: Ancestry, depth: number): boolean {
  const p = up.at(depth);
  if (!p) return false;
  if (CONDITION_PARENTS.has(p.type)) return p.childForFieldName('condition')?.id === expr.id;
  if (p.type === 'assert_statement') return p.namedChild(0)?.id === expr.id;
  if (p.type === 'not_operator' || p.type === 'if_clause') return true;
  if (p.type === 'conditional_expression') return p.namedChild(1)?.id === expr.id;
  if (p.type === 'boolean_operator') {
    let d = depth + 1;
    let outer = p;
    while (up.at(d)?.type === 'parenthesized_expression') outer = up.at(d++)!;
    const outerParent = up.at(d);
    // In a condition or as a statement, every operand's truth is tested; elsewhere the right
    // operand's value flows out and may be used.
    if (outerParent?.type === 'expression_statement') return true;
    if (isTruthTested(outer, up, d)) return true;
    return p.childForFieldName('left')?.id === expr.id;
  }
  return false;
}

/**
 * A function-local binding that no read can observe: every path from it meets another binding of
 * the name (or the end of the function) before a read. Reads from nested functions count as reads
 * of every binding. Module and class names may be read from elsewhere, so they never count.
 */
function isUnreadLocal(identifier: Node, scope: Scope, model: SemanticModel): boolean {
  if (scope.kind !== 'function' || scope.dynamic) return false;
  if (scope.resolve(identifier.text) !== scope) return false;
  const reads = scope.reads.get(identifier.text);
  if (!reads?.length) return true;
  const bindings = scope.bindings.get(identifier.text) ?? [];
  // with a single binding, any read observes it (or runs before it, which we do not count on)
  if (bindings.length < 2) return false;
  const binding = bindings.find((b) => b.node.id === identifier.id);
  if (!binding) return false;
  // Cheap and safe: when the next mention of the name after this binding is a read, call it read
  // (at worst a miss, never a false alarm). Only a rebinding or nothing after it needs the flow.
  const after = binding.node.endIndex;
  const nextRead = Math.min(...reads.map((r) => (r.startIndex >= after ? r.startIndex : Infinity)));
  const nextBinding = Math.min(...bindings.map((b) => (b !== binding && b.node.startIndex >= after ? b.node.startIndex : Infinity)));
  if (nextRead < nextBinding) return false;
  return !model.flow(scope).read.has(binding);
}
