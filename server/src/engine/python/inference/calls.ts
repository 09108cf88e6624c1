// What calling something gives — a class, a function of this file or of a summary (its declared
// or inferred return, through its decorators), a callable, an instance with `__call__` — and what
// awaiting a value gives.
import type { DefSym, TypeExpr } from '../summary';
import { lastStatement, ownedBy, ownReturns } from '../syntax';
import { NO_NODE, type Node } from '../tree';
import { containerMethodResult } from './containers';
import type { Evaluator, InferenceFile } from './evaluator';
import { lazy, merge, NONE, OTHER, unionOf, UNKNOWN, type ClassInfo, type FuncInfo, type Value } from './values';

/** Decorators that leave a function's calls returning what the function itself returns. */
const TRANSPARENT_DECORATORS = new Set([
  'builtins.staticmethod', 'builtins.classmethod', 'abc.abstractmethod', 'typing.override', 'typing_extensions.override',
  'typing.final', 'typing_extensions.final', 'functools.wraps()', 'typing.no_type_check', 'typing.overload',
]);
const PROPERTY_DECORATORS = new Set(['builtins.property', 'functools.cached_property', 'abc.abstractproperty']);
const CONTEXT_MANAGER_DECORATORS = new Map<string, 'async-context-manager' | 'context-manager'>([
  ['contextlib.asynccontextmanager', 'async-context-manager'],
  ['contextlib.contextmanager', 'context-manager'],
]);
/** The declared returns of a generator function whose first argument is what it yields. */
const YIELDING_TYPES = new Set([
  'typing.AsyncIterator', 'typing.AsyncGenerator', 'typing.AsyncIterable', 'typing.Iterator', 'typing.Generator', 'typing.Iterable',
]);

export class Calls {
  private readonly inProgress = new Set<string>();
  private readonly returnCache = new Map<Node, Value>();

  constructor(
    private readonly file: InferenceFile,
    private readonly e: Evaluator,
  ) {}

  callResult(callee: Value, selfClass?: ClassInfo): Value {
    switch (callee.t) {
      case 'class':
        return { t: 'inst', cls: callee.cls };
      case 'func':
        return this.callFunction(callee.fn, callee.self ?? selfClass);
      case 'callable':
        return callee.result();
      case 'inst':
        return this.callInstance(callee.cls);
      case 'container-method':
        return containerMethodResult(callee.of, callee.name, 1, () => UNKNOWN);
      case 'union':
        return unionOf(callee.options.map((o) => this.callResult(o, selfClass)));
      default:
        return UNKNOWN;
    }
  }

  /** Calling an instance calls its class's `__call__` (a Protocol's, a handler class's `async def __call__`). */
  private callInstance(cls: ClassInfo): Value {
    const key = `call\0${cls.qualname}`;
    if (this.inProgress.has(key)) return UNKNOWN;
    this.inProgress.add(key);
    try {
      const member = this.e.lookupMember(cls, '__call__', false);
      return member?.t === 'func' ? this.callResult(this.e.bindMember(member, 'instance', cls)) : member ? this.callResult(member) : UNKNOWN;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private callFunction(fn: FuncInfo, selfClass: ClassInfo | undefined): Value {
    const results = fn.syms.map((sym) => this.callDefinition(fn, sym, selfClass));
    return merge(results);
  }

  private callDefinition(fn: FuncInfo, sym: DefSym, selfClass: ClassInfo | undefined): Value {
    const effect = this.decoratorEffect(fn, sym);
    if (effect === 'unknown') return UNKNOWN;
    const self = selfClass ?? fn.owner;
    if (effect === 'async-context-manager' || effect === 'context-manager') {
      return { t: 'context-manager', async: effect === 'async-context-manager', entered: lazy(() => this.yieldedValue(fn, sym, self)) };
    }
    if (typeof effect === 'object') return this.callFunction(effect, selfClass);
    const returnsSelf = sym.retSelf && self && !sym.deco?.some((d) => d === 'staticmethod' || d === 'classmethod');
    if (sym.async) {
      if (sym.gen) return { t: 'asyncgen' }; // its body runs only when something iterates over it
      const ret = sym.ret;
      if (ret) return { t: 'coroutine', result: () => this.declaredReturn(ret, sym, fn, self) };
      if (returnsSelf) return { t: 'coroutine', result: () => ({ t: 'inst', cls: self }) };
      const node = fn.node;
      return { t: 'coroutine', result: node ? () => this.inferReturn(node) : undefined };
    }
    if (sym.ret) return this.declaredReturn(sym.ret, sym, fn, self);
    if (returnsSelf) return { t: 'inst', cls: self };
    if (fn.node && !sym.gen) return this.inferReturn(fn.node);
    if (sym.retCalls && !sym.gen) return this.summaryReturn(fn, sym.retCalls);
    return UNKNOWN;
  }

  /**
   * What `with f() as x` binds for an `@(async)contextmanager` f: the yield type of its declared
   * `AsyncIterator[T]` (`Iterator[T]`, `AsyncGenerator[T, None]`...), else the value it yields.
   */
  private yieldedValue(fn: FuncInfo, sym: DefSym, self: ClassInfo | undefined): Value {
    if (sym.ret) {
      const head = this.e.resolveDotted(sym.ret.n, fn.ctx);
      const name = head.t === 'special' ? head.name : head.t === 'class' ? head.cls.qualname : undefined;
      const first = sym.ret.a?.[0];
      return name && YIELDING_TYPES.has(name) && first ? this.e.typeToValue(first, fn.ctx, self) : UNKNOWN;
    }
    const tree = this.file.tree;
    const def = fn.node;
    const body = def ? tree.field(def, 'body') : undefined;
    const scope = def && this.file.model.functionScope(def);
    if (!def || !body || !scope) return UNKNOWN;
    // (the `yield` keywords come too: they yield nothing, and None is set aside when others agree)
    const yields = tree.descendantsOfType(body, 'yield').filter((y) => ownedBy(tree, y, def));
    if (!yields.length || yields.some((y) => tree.type(tree.namedChild(y, 0)) === 'expression_list' || tree.textOf(y).startsWith('yield from'))) return UNKNOWN;
    return merge(yields.map((y) => (tree.namedChild(y, 0) ? this.e.evalExpr(tree.namedChild(y, 0), scope) : NONE)));
  }

  /** [project index] A declared return, with `self: T -> T` and the type variables of a generic base filled in. */
  private declaredReturn(ret: TypeExpr, sym: DefSym, fn: FuncInfo, self: ClassInfo | undefined): Value {
    if (self && !ret.a) {
      if (sym.selfAnn === ret.n) return { t: 'inst', cls: self };
      if (fn.owner && fn.owner.qualname !== self.qualname && this.e.isTypeVar(ret.n, fn.ctx)) {
        const bound = this.e.typeArgument(self, fn.owner, ret.n, 0);
        if (bound) return this.e.typeToValue(bound.t, bound.ctx, self);
      }
    }
    return this.e.typeToValue(ret, fn.ctx, self);
  }

  /** A summarised function whose every path returns a call (project index): a coroutine when all those calls are. */
  private summaryReturn(fn: FuncInfo, callees: string[]): Value {
    const key = `returns\0${fn.qualname}`;
    if (this.inProgress.has(key)) return UNKNOWN;
    this.inProgress.add(key);
    try {
      const values = callees.map((c) => this.callResult(this.e.resolveDotted(c, fn.ctx)));
      return values.every((v) => v.t === 'coroutine') ? { t: 'coroutine' } : UNKNOWN;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /**
   * Unannotated local function (or what awaiting an unannotated `async def` gives): what every path
   * returns when they agree (`def f(): return g()`, `return self`, `return start, stop` of two
   * closures), else unknown. A body with no `return` gives None.
   */
  private inferReturn(def: Node): Value {
    const tree = this.file.tree;
    const cached = this.returnCache.get(def);
    if (cached) return cached;
    this.returnCache.set(def, UNKNOWN); // recursion
    const body = tree.field(def, 'body');
    const scope = this.file.model.functionScope(def);
    let result: Value = UNKNOWN;
    if (body && scope) {
      const returns = ownReturns(tree, def, body);
      const last = tree.type(lastStatement(tree, body));
      const endsInReturn = last === 'return_statement' || last === 'raise_statement';
      if (!returns.length) result = tree.type(tree.firstChild(def)) === 'async' ? NONE : OTHER;
      else if (endsInReturn) {
        const values = returns.map((r) => (tree.namedChild(r, 0) ? this.e.evalExpr(tree.namedChild(r, 0), scope) : NONE));
        result = mergeReturns(values);
      }
    }
    this.returnCache.set(def, result);
    return result;
  }

  /**
   * What the decorators do to calls of the function: nothing (`transparent`), replace it by a wrapper
   * defined in this file, turn it into a context manager, or something we cannot know.
   */
  private decoratorEffect(fn: FuncInfo, sym: DefSym): 'transparent' | 'context-manager' | 'async-context-manager' | 'unknown' | FuncInfo {
    let replaced: FuncInfo | undefined;
    for (const deco of [...(sym.deco ?? [])].reverse()) {
      const called = deco.endsWith('()');
      const name = called ? deco.slice(0, -2) : deco;
      const target = this.e.resolveDotted(name, fn.ctx);
      const q = target.t === 'func' ? target.fn.qualname : target.t === 'class' ? target.cls.qualname : undefined;
      const key = q && (called ? `${q}()` : q);
      if (key && (TRANSPARENT_DECORATORS.has(key) || PROPERTY_DECORATORS.has(key))) continue;
      const manager = key ? CONTEXT_MANAGER_DECORATORS.get(key) : undefined;
      if (manager) return replaced ? 'unknown' : manager;
      if (name.endsWith('.setter') || name.endsWith('.getter') || name.endsWith('.deleter')) continue;
      // A decorator written in this file that returns an inner function (the `functools.wraps` pattern).
      let decorator = target.t === 'func' ? target.fn : undefined;
      if (decorator && called) decorator = this.returnedInnerFunction(decorator);
      const wrapper = decorator && this.returnedInnerFunction(decorator);
      if (!wrapper) return 'unknown';
      replaced = wrapper;
    }
    return replaced ?? 'transparent';
  }

  private returnedInnerFunction(fn: FuncInfo): FuncInfo | undefined {
    if (!fn.node) return undefined;
    const tree = this.file.tree;
    const scope = this.file.model.functionScope(fn.node);
    const body = tree.field(fn.node, 'body');
    if (!scope || !body) return undefined;
    const last = lastStatement(tree, body);
    const value = tree.type(last) === 'return_statement' ? tree.namedChild(last, 0) : NO_NODE;
    if (tree.type(value) !== 'identifier') return undefined;
    const bindings = scope.bindings.get(tree.textOf(value));
    if (bindings?.length !== 1 || bindings[0].kind !== 'def') return undefined;
    const v = this.e.bindingValue(bindings[0]);
    return v.t === 'func' ? v.fn : undefined;
  }

  awaitResult(v: Value): Value {
    if (v.t === 'coroutine') return v.result ? v.result() : UNKNOWN;
    if (v.t === 'inst') return this.awaitedInstance(v.cls);
    if (v.t === 'union') return unionOf(v.options.map((o) => this.awaitResult(o)));
    return UNKNOWN;
  }

  /**
   * [project index] `await obj` where obj's class declares `__await__(self) -> Generator[Any, None, R]`: an R;
   * where its `__await__` is `return self.m().__await__()`: what awaiting `self.m()` gives.
   */
  private awaitedInstance(cls: ClassInfo): Value {
    const member = this.e.lookupMember(cls, '__await__', false);
    if (member?.t !== 'func' || member.fn.syms.length !== 1) return UNKNOWN;
    const { ret, awaits } = member.fn.syms[0];
    if (awaits && !ret) return this.delegatedAwait(cls, awaits);
    const head = ret && this.e.resolveDotted(ret.n, member.fn.ctx);
    const result = head?.t === 'special' && head.name === 'typing.Generator' ? ret!.a?.[2] : undefined;
    if (!result || result.n === '?') return UNKNOWN;
    const owner = member.fn.owner;
    if (!result.a && owner && owner.qualname !== cls.qualname && this.e.isTypeVar(result.n, member.fn.ctx)) {
      const bound = this.e.typeArgument(cls, owner, result.n, 0);
      return bound ? this.e.typeToValue(bound.t, bound.ctx, cls) : UNKNOWN;
    }
    return this.e.typeToValue(result, member.fn.ctx, cls);
  }

  private delegatedAwait(cls: ClassInfo, method: string): Value {
    const key = `await\0${cls.qualname}`;
    if (this.inProgress.has(key)) return UNKNOWN;
    this.inProgress.add(key);
    try {
      return this.awaitResult(this.callResult(this.e.getAttr({ t: 'inst', cls }, method)));
    } finally {
      this.inProgress.delete(key);
    }
  }
}

/** Returns agree when they are the same value, or tuples of the same length whose items agree. */
function mergeReturns(values: Value[]): Value {
  const tuples = values.filter((v) => v.t === 'tuple');
  if (tuples.length && tuples.length === values.length) {
    const width = tuples[0].items.length;
    if (tuples.every((t) => t.items.length === width)) {
      return { t: 'tuple', items: tuples[0].items.map((_, i) => mergeReturns(tuples.map((t) => t.items[i]))) };
    }
    return UNKNOWN;
  }
  return merge(values);
}
