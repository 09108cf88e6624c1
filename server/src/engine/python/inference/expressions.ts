// What an expression of the analysed file evaluates to: names through their bindings (and, for
// a name bound several times, the bindings that reach the read), attributes, calls, `await`,
// subscripts, and the few operators whose value is worth knowing.
import type { Scope } from '../scopes';
import { decoratorNames, typeExprOf, typeVarDeclaration } from '../summary';
import type { Node } from '../tree';
import { containerMethodResult, subscriptOf } from './containers';
import type { Evaluator, InferenceFile } from './evaluator';
import { ENSURE_FUTURE, lazy, merge, NONE, OTHER, UNKNOWN, type Value } from './values';

export class Expressions {
  private readonly inProgress = new Set<Node>();
  private readonly nodeValues = new Map<Node, Value>();

  constructor(
    private readonly file: InferenceFile,
    private readonly e: Evaluator,
  ) {}

  evalExpr(node: Node, scope: Scope): Value {
    const cached = this.nodeValues.get(node);
    if (cached) return cached;
    if (this.inProgress.has(node)) return UNKNOWN;
    this.inProgress.add(node);
    let v: Value;
    try {
      v = this.evalExprUncached(node, scope);
    } finally {
      this.inProgress.delete(node);
    }
    this.nodeValues.set(node, v);
    return v;
  }

  private evalExprUncached(node: Node, scope: Scope): Value {
    const tree = this.file.tree;
    switch (tree.type(node)) {
      case 'identifier': {
        // a name bound several times holds, here, only what the bindings reaching this read hold
        const name = tree.textOf(node);
        const owner = scope.resolve(name);
        if (owner === scope && (owner.bindings.get(name)?.length ?? 0) > 1) {
          const reach = this.file.model.flow(owner).reaching.get(node);
          if (reach?.length) return merge(reach.map((b) => this.e.bindingValue(b)));
        }
        return this.e.localContext(scope).lookup(name);
      }
      case 'attribute': {
        const obj = tree.field(node, 'object');
        const attr = tree.field(node, 'attribute');
        return obj && attr ? this.e.getAttr(this.evalExpr(obj, scope), tree.textOf(attr)) : UNKNOWN;
      }
      case 'call':
        return this.evalCall(node, scope);
      case 'await': {
        const arg = tree.namedChild(node, 0);
        return arg ? this.e.awaitResult(this.evalExpr(arg, scope)) : UNKNOWN;
      }
      case 'parenthesized_expression': {
        const inner = tree.namedChild(node, 0);
        return inner && tree.type(inner) !== 'yield' ? this.evalExpr(inner, scope) : UNKNOWN;
      }
      case 'subscript':
        return this.evalSubscript(node, scope);
      case 'boolean_operator': {
        // `loop or asyncio.get_event_loop()`: either operand; known when they agree
        if (tree.textOf(tree.field(node, 'operator')) !== 'or') return UNKNOWN;
        const left = tree.field(node, 'left');
        const right = tree.field(node, 'right');
        return left && right ? merge([this.evalExpr(left, scope), this.evalExpr(right, scope)]) : UNKNOWN;
      }
      case 'conditional_expression': {
        const [then, , otherwise] = tree.namedChildren(node);
        return then && otherwise ? merge([this.evalExpr(then, scope), this.evalExpr(otherwise, scope)]) : UNKNOWN;
      }
      case 'lambda': {
        const body = tree.field(node, 'body');
        const inner = this.file.model.scopeOfNode.get(node);
        return body && inner ? { t: 'callable', result: lazy(() => this.evalExpr(body, inner)) } : UNKNOWN;
      }
      case 'binary_operator': {
        // `A | B` at run time is a union type only when its operands are types (an alias `Handler = A | B`)
        if (tree.textOf(tree.field(node, 'operator')) !== '|') return UNKNOWN;
        const left = tree.field(node, 'left');
        const t = typeExprOf(tree, node);
        return left && t && this.isTypeValue(this.evalExpr(left, scope)) ? { t: 'alias', type: t, ctx: this.e.localContext(scope) } : UNKNOWN;
      }
      case 'none':
        return NONE;
      case 'true':
      case 'false':
      case 'integer':
      case 'float':
      case 'string':
      case 'concatenated_string':
      case 'list':
      case 'dictionary':
      case 'set':
      case 'list_comprehension':
      case 'dictionary_comprehension':
      case 'set_comprehension':
      case 'comparison_operator':
      case 'not_operator':
        return OTHER;
      case 'tuple':
      case 'expression_list':
        return { t: 'tuple', items: tree.namedChildren(node).map((c) => this.evalExpr(c, scope)) };
      default:
        return UNKNOWN;
    }
  }

  private isTypeValue(v: Value): boolean {
    return v.t === 'class' || v.t === 'special' || v.t === 'alias' || v.t === 'typevar' || v.t === 'none';
  }

  /** `handlers[name]` of a declared container, `pair[0]` of a tuple; `Handler[int]` of a type is an alias. */
  private evalSubscript(node: Node, scope: Scope): Value {
    const tree = this.file.tree;
    const obj = tree.field(node, 'value');
    const subscripts = tree.fieldChildren(node, 'subscript');
    if (!obj || !subscripts.length) return UNKNOWN;
    const v = this.evalExpr(obj, scope);
    const index = subscripts[0];
    if (subscripts.length > 1 && (v.t === 'container' || v.t === 'tuple')) return UNKNOWN;
    switch (v.t) {
      case 'container':
        return subscriptOf(v, tree.type(index) === 'slice');
      case 'tuple': {
        const text = tree.textOf(index);
        const i = tree.type(index) === 'integer' ? Number(text) : tree.type(index) === 'unary_operator' && /^-\s*\d+$/.test(text) ? Number(text.replace(/\s/g, '')) : NaN;
        return Number.isInteger(i) ? v.items[i < 0 ? v.items.length + i : i] ?? UNKNOWN : UNKNOWN;
      }
      case 'class':
      case 'special':
      case 'alias': {
        const t = typeExprOf(tree, node);
        return t ? { t: 'alias', type: t, ctx: this.e.localContext(scope) } : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private evalCall(node: Node, scope: Scope): Value {
    const tree = this.file.tree;
    const fnNode = tree.field(node, 'function');
    if (!fnNode) return UNKNOWN;
    if (tree.type(fnNode) === 'identifier' && tree.textOf(fnNode) === 'super' && !scope.resolve('super')) return this.superOf(scope);
    const callee = this.evalExpr(fnNode, scope);
    if (callee.t === 'container-method') {
      const args = tree.namedChildren(tree.field(node, 'arguments')).filter((a) => tree.type(a) !== 'comment');
      if (args.some((a) => tree.type(a) === 'keyword_argument' || tree.type(a) === 'list_splat' || tree.type(a) === 'dictionary_splat')) return UNKNOWN;
      return containerMethodResult(callee.of, callee.name, args.length, (i) => (args[i] ? this.evalExpr(args[i], scope) : UNKNOWN));
    }
    if (callee.t === 'special' && callee.name === 'typing.TypeVar') {
      const name = tree.namedChild(tree.field(node, 'arguments'), 0);
      const declared = typeVarDeclaration(tree, node);
      return tree.type(name) === 'string' ? { t: 'typevar', name: tree.textOf(name).slice(1, -1), ...declared, ctx: this.e.localContext(scope) } : UNKNOWN;
    }
    if (callee.t === 'func' && callee.fn.qualname === ENSURE_FUTURE) {
      const arg = tree.namedChild(tree.field(node, 'arguments'), 0);
      if (!arg || tree.type(arg) === 'keyword_argument' || tree.type(arg) === 'list_splat') return UNKNOWN;
      const argValue = this.evalExpr(arg, scope);
      const argKind = this.e.kindOf(argValue);
      if (argKind === 'coroutine') return this.taskInstance() ?? UNKNOWN;
      if (argKind === 'task' || argKind === 'future') return argValue;
      return UNKNOWN;
    }
    return this.e.callResult(callee);
  }

  private taskInstance(): Value | undefined {
    const task = this.e.moduleMember('asyncio.tasks', 'Task');
    return task?.t === 'class' ? { t: 'inst', cls: task.cls } : undefined;
  }

  private superOf(scope: Scope): Value {
    let fnScope: Scope | undefined = scope;
    while (fnScope && fnScope.kind !== 'function') fnScope = fnScope.parent;
    const classScope = fnScope?.parent;
    if (!fnScope || classScope?.kind !== 'class') return UNKNOWN;
    const cls = this.e.localClass(classScope.node);
    const decos = decoratorNames(this.file.tree, fnScope.node);
    return { t: 'super', cls, bound: decos.includes('classmethod') ? 'class' : 'instance' };
  }
}
