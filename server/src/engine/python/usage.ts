// How the value of a call is used: dropped, kept in a local nobody reads, tested for truth, or used.
import type { CallRecord, Scope, SemanticModel } from './scopes';
import type { Node, SyntaxTree } from './tree';

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
  /** The `depth`-th ancestor: 1 is the parent; 0 when there is none. */
  at(depth: number): Node {
    return this.chain[this.chain.length - depth] ?? (0 as Node);
  }
}

/** Context managers whose body is expected to raise: a call there creates nothing to drop. */
const EXPECTS_RAISE = /(?:^|\.)(?:assertRaises|assertRaisesRegex|raises)$/;

/** `with self.assertRaises(E):` / `with pytest.raises(E):` holding the statement at `depth`. */
function insideExpectedRaise(tree: SyntaxTree, up: Ancestry, depth: number): boolean {
  const block = up.at(depth + 1);
  const withStatement = up.at(depth + 2);
  if (tree.type(block) !== 'block' || tree.type(withStatement) !== 'with_statement') return false;
  const clause = tree.namedChildren(withStatement).find((c) => tree.type(c) === 'with_clause');
  return tree.namedChildren(clause ?? (0 as Node)).some((item) => {
    let value = tree.field(item, 'value');
    if (tree.type(value) === 'as_pattern') value = tree.namedChild(value, 0);
    const fn = tree.type(value) === 'call' ? tree.field(value, 'function') : 0;
    return fn !== 0 && EXPECTS_RAISE.test(tree.textOf(fn));
  });
}

export function usageOf(record: CallRecord, model: SemanticModel): Usage {
  const usage = directUsageOf(record, model);
  if (usage.kind === 'dropped' || usage.kind === 'unused-local' || usage.kind === 'chained-drop') {
    const up = new Ancestry(record.ancestors);
    const depth = record.ancestors.length - record.ancestors.lastIndexOf(usage.statement);
    if (insideExpectedRaise(model.tree, up, depth)) return { kind: 'used' };
  }
  return usage;
}

function directUsageOf(record: CallRecord, model: SemanticModel): Usage {
  const tree = model.tree;
  const up = new Ancestry(record.ancestors);
  const parent = up.at(1);
  if (!parent || USING_PARENTS.has(tree.type(parent))) return { kind: 'used' };
  // the call, seen through any parentheses around it
  let depth = 1;
  let expr = record.node;
  while (tree.type(up.at(depth)) === 'parenthesized_expression') expr = up.at(depth++);
  const p = up.at(depth);
  if (!p) return { kind: 'used' };
  const type = tree.type(p);
  if (type === 'expression_statement') return tree.namedChildCount(p) === 1 ? { kind: 'dropped', statement: p } : { kind: 'used' };
  if (type === 'assignment') {
    const statement = up.at(depth + 1);
    if (tree.type(statement) !== 'expression_statement' || tree.field(p, 'right') !== expr) return { kind: 'used' };
    const left = tree.field(p, 'left');
    if (tree.type(left) !== 'identifier') return { kind: 'used' };
    const name = tree.textOf(left);
    if (name === '_') return { kind: 'dropped', statement };
    return isUnreadLocal(tree, left, record.scope, model) ? { kind: 'unused-local', statement, name } : { kind: 'used' };
  }
  if (isTruthTested(tree, expr, up, depth)) return { kind: 'truth-test' };
  if (type === 'attribute') {
    // call().method(...) as a statement, where the method neither awaits nor keeps the result
    const method = tree.textOf(tree.field(p, 'attribute'));
    const outer = up.at(depth + 1);
    const statement = up.at(depth + 2);
    if (NON_KEEPING_METHODS.has(method) && tree.type(outer) === 'call' && tree.type(statement) === 'expression_statement' && tree.namedChildCount(statement) === 1) {
      return { kind: 'chained-drop', statement };
    }
  }
  return { kind: 'used' };
}

/** Whether the value of `expr` (whose parent is at `depth`) is only tested for truth. */
function isTruthTested(tree: SyntaxTree, expr: Node, up: Ancestry, depth: number): boolean {
  const p = up.at(depth);
  if (!p) return false;
  const type = tree.type(p);
  if (CONDITION_PARENTS.has(type)) return tree.field(p, 'condition') === expr;
  if (type === 'assert_statement') return tree.namedChild(p, 0) === expr;
  if (type === 'not_operator' || type === 'if_clause') return true;
  if (type === 'conditional_expression') return tree.namedChild(p, 1) === expr;
  if (type === 'boolean_operator') {
    let d = depth + 1;
    let outer = p;
    while (tree.type(up.at(d)) === 'parenthesized_expression') outer = up.at(d++);
    const outerParent = up.at(d);
    // In a condition or as a statement, every operand's truth is tested; elsewhere the right
    // operand's value flows out and may be used.
    if (tree.type(outerParent) === 'expression_statement') return true;
    if (isTruthTested(tree, outer, up, d)) return true;
    return tree.field(p, 'left') === expr;
  }
  return false;
}

/**
 * A function-local binding that no read can observe: every path from it meets another binding of
 * the name (or the end of the function) before a read. Reads from nested functions count as reads
 * of every binding. Module and class names may be read from elsewhere, so they never count.
 */
function isUnreadLocal(tree: SyntaxTree, identifier: Node, scope: Scope, model: SemanticModel): boolean {
  const name = tree.textOf(identifier);
  if (scope.kind !== 'function' || scope.dynamic) return false;
  if (scope.resolve(name) !== scope) return false;
  const reads = scope.reads.get(name);
  if (!reads?.length) return true;
  const bindings = scope.bindings.get(name) ?? [];
  // with a single binding, any read observes it (or runs before it, which we do not count on)
  if (bindings.length < 2) return false;
  const binding = bindings.find((b) => b.node === identifier);
  if (!binding) return false;
  // Cheap and safe: when the next mention of the name after this binding is a read, call it read
  // (at worst a miss, never a false alarm). Only a rebinding or nothing after it needs the flow.
  const after = tree.endIndex(binding.node);
  const nextRead = Math.min(...reads.map((r) => (tree.startIndex(r) >= after ? tree.startIndex(r) : Infinity)));
  const nextBinding = Math.min(...bindings.map((b) => (b !== binding && tree.startIndex(b.node) >= after ? tree.startIndex(b.node) : Infinity)));
  if (nextRead < nextBinding) return false;
  return !model.flow(scope).read.has(binding);
}
