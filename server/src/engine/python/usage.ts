// How the value of a call is used: dropped, kept in a local nobody reads, tested for truth, or used.
import type { Node } from './parser';
import type { Scope, SemanticModel } from './scopes';

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

function unwrapParentheses(node: Node): Node {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n;
}

export function isDroppedStatement(expr: Node): Node | undefined {
  const p = expr.parent;
  return p?.type === 'expression_statement' && p.namedChildCount === 1 ? p : undefined;
}

function isTruthTested(expr: Node): boolean {
  const p = expr.parent;
  if (!p) return false;
  if (CONDITION_PARENTS.has(p.type)) return p.childForFieldName('condition')?.id === expr.id;
  if (p.type === 'assert_statement') return p.namedChild(0)?.id === expr.id;
  if (p.type === 'not_operator' || p.type === 'if_clause') return true;
  if (p.type === 'conditional_expression') return p.namedChild(1)?.id === expr.id;
  if (p.type === 'boolean_operator') {
    const outer = unwrapParentheses(p);
    // In a condition or as a statement, every operand's truth is tested; elsewhere the right
    // operand's value flows out and may be used.
    if (isTruthTested(outer) || isDroppedStatement(outer)) return true;
    return p.childForFieldName('left')?.id === expr.id;
  }
  return false;
}

export function usageOf(call: Node, model: SemanticModel): Usage {
  const expr = unwrapParentheses(call);
  const dropped = isDroppedStatement(expr);
  if (dropped) return { kind: 'dropped', statement: dropped };
  const p = expr.parent;
  if (!p) return { kind: 'used' };
  if (p.type === 'assignment' && p.childForFieldName('right')?.id === expr.id && p.parent?.type === 'expression_statement') {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') {
      if (left.text === '_') return { kind: 'dropped', statement: p.parent };
      if (isUnreadLocal(left, model)) return { kind: 'unused-local', statement: p.parent, name: left.text };
    }
    return { kind: 'used' };
  }
  if (isTruthTested(expr)) return { kind: 'truth-test' };
  if (p.type === 'attribute' && p.childForFieldName('object')?.id === expr.id) {
    const method = p.childForFieldName('attribute')?.text ?? '';
    const outerCall = p.parent;
    if (NON_KEEPING_METHODS.has(method) && outerCall?.type === 'call' && outerCall.childForFieldName('function')?.id === p.id) {
      const statement = isDroppedStatement(unwrapParentheses(outerCall));
      if (statement) return { kind: 'chained-drop', statement };
    }
  }
  return { kind: 'used' };
}

/**
 * A function-local binding that no read can observe: every path from it meets another binding of
 * the name (or the end of the function) before a read. Reads from nested functions count as reads
 * of every binding. Module and class names may be read from elsewhere, so they never count.
 */
function isUnreadLocal(identifier: Node, model: SemanticModel): boolean {
  const scope: Scope = model.scopeAt(identifier);
  if (scope.kind !== 'function' || scope.dynamic) return false;
  if (scope.resolve(identifier.text) !== scope) return false;
  const binding = scope.bindings.get(identifier.text)?.find((b) => b.node.id === identifier.id);
  if (!binding) return false;
  return !model.flow(scope).read.has(binding);
}
