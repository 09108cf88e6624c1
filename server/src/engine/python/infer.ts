// "What does this call return?" — one function, one answer type, for every rule to ask.
// Local code is evaluated on the semantic model; imported modules through their summaries.
import type { AwaitableKind, Evidence } from '../types';
import {
  containerMethodResult,
  containerOf,
  hasContainerMethod,
  homogeneousTuple,
  iterationOf,
  subscriptOf,
  TYPING_CONTAINER_ALIASES,
  unpackedItemOf,
} from './containers';
import { LoopEvidence } from './loopEvidence';
import type { ModuleProvider } from './modules';
import { NO_NODE, type Node, type SyntaxTree } from './tree';
import type { Binding, Scope, SemanticModel } from './scopes';
import {
  decoratorNames,
  defSymOf,
  dottedName,
  importedModuleOf,
  symbolsOf,
  typeExprOf,
  typeVarDeclaration,
  type ClassSym,
  type DefSym,
  type Sym,
  type TypeExpr,
} from './summary';
import { lastStatement, ownedBy, ownReturns, starImportStatements } from './syntax';
import { taskBodyOf } from './taskKeeping';
import {
  EVENT_LOOP_CLASS,
  FUTURE_CLASSES,
  lazy,
  merge,
  NONE,
  OTHER,
  TASK_CLASSES,
  unionOf,
  UNKNOWN,
  type ClassInfo,
  type FuncInfo,
  type NameContext,
  type Value,
} from './values';

/** Names from `typing` that are type constructors rather than classes. */
const TYPING_SPECIALS = new Set([
  'Optional', 'Union', 'Annotated', 'Coroutine', 'Awaitable', 'Self', 'Tuple', 'Any', 'Final', 'ClassVar',
  'Generator', 'AsyncGenerator', 'AsyncIterator', 'Iterator', 'Callable', 'TypeAlias', 'Protocol', 'Generic',
  'Never', 'NoReturn', 'Literal', 'TypeVar', 'ParamSpec', 'Type', 'AsyncContextManager', 'ContextManager',
  ...TYPING_CONTAINER_ALIASES,
]);
const TYPING_MODULES = new Set(['typing', 'typing_extensions']);

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

const ENSURE_FUTURE = 'asyncio.tasks.ensure_future';
const RUN_COROUTINE_THREADSAFE = 'asyncio.tasks.run_coroutine_threadsafe';
const TASK_CREATOR_FUNCTIONS = new Set(['asyncio.tasks.create_task']);
const FUTURE_FUNCTIONS = new Set(['asyncio.tasks.gather', 'asyncio.tasks.shield', 'asyncio.futures.wrap_future']);
const LOOP_TASK_METHODS = new Set(['create_task']);
const LOOP_FUTURE_METHODS = new Set(['run_in_executor', 'create_future']);
/** Where asyncio's own event loops are defined: their create_task is the real one, whatever its body. */
const ASYNCIO_MODULES = /^(?:asyncio|_asyncio|uvloop)(?:\.|$)/;
const CONTEXT_MANAGER_TYPES = new Map([
  ['typing.AsyncContextManager', true],
  ['contextlib.AbstractAsyncContextManager', true],
  ['typing.ContextManager', false],
  ['contextlib.AbstractContextManager', false],
]);

export type CallRole =
  /** Creates a Task that only the event loop's weak set refers to. */
  | 'task-creator'
  /** `ensure_future(<call>)` of a call not known to be a Future: a new Task, or (for a Future) nothing at all. */
  | 'maybe-task-creator'
  /** Hands out an asyncio Future. */
  | 'future-maker'
  /** `run_coroutine_threadsafe(...)`: a concurrent.futures Future, the only place the coroutine's exception shows. */
  | 'thread-future-maker'
  | undefined;

export interface CallAnswer {
  kind: AwaitableKind;
  /** Set when the call is one of the asyncio APIs that create a task or hand out a future. */
  role: CallRole;
  /** The callee's qualified name when known (`asyncio.tasks.create_task`, `mod.Client.fetch`). */
  callee?: string;
  /** Why the receiver is taken for an event loop when nothing declares it one (see loopEvidence.ts). */
  evidence?: Evidence[];
  /** The call is of a callable declared `Callable[..., Awaitable[T]]`: it stands for an async function. */
  declaredAwaitable?: boolean;
}

export class Inference {
  private readonly nodeValues = new Map<Node, Value>();
  private readonly bindingValues = new Map<Binding, Value>();
  private readonly moduleContexts = new Map<string, NameContext>();
  private readonly memberCache = new Map<string, Value | undefined>();
  private readonly inProgress = new Set<unknown>();
  private readonly localClasses = new Map<Node, ClassInfo>();
  private readonly returnCache = new Map<Node, Value>();
  private readonly tree: SyntaxTree;

  constructor(
    private readonly model: SemanticModel,
    private readonly modules: ModuleProvider,
    private readonly moduleName: string,
    private readonly isPackage: boolean,
    /** Without a project index the file's package is unknown, so relative imports are too. */
    private readonly packageKnown = true,
  ) {
    this.tree = model.tree;
  }

  private loopEvidence: LoopEvidence | undefined;

  /** The one question the rules ask. */
  answerCall(call: Node, scope: Scope = this.model.scopeAt(call)): CallAnswer {
    const fn = this.tree.field(call, 'function');
    const callee = fn ? this.evalExpr(fn, scope) : UNKNOWN;
    const result = this.evalExpr(call, scope);
    const kind = this.kindOf(result);
    // `d.pop(k)`, `d[k]`-style retrievals hand back an awaitable made elsewhere: they create nothing
    const retrieval = callee.t === 'container-method';
    const answer: CallAnswer = { kind: retrieval ? 'unknown' : kind, role: this.roleOf(callee, call, scope), callee: this.qualnameOf(callee) };
    // a callback declared `Callable[..., Awaitable[T]]` stands for an async function; a method declared
    // `-> Awaitable[T]` often hands out a Future already running (aio_pika's CallbackCollection)
    if (result.t === 'awaitable' && callee.t === 'callable') answer.declaredAwaitable = true;
    if (!answer.role && callee.t === 'unknown' && this.tree.type(fn) === 'attribute') this.untypedLoopRole(fn, scope, answer);
    return answer;
  }

  /**
   * `x.create_task(...)` (or `run_in_executor`, `create_future`) where nothing says what `x` is: a task
   * creator (future maker) when the code itself shows `x` to be an event loop.
   */
  private untypedLoopRole(fn: Node, scope: Scope, answer: CallAnswer): void {
    const method = this.tree.textOf(this.tree.field(fn, 'attribute'));
    const role: CallRole = LOOP_TASK_METHODS.has(method) ? 'task-creator' : LOOP_FUTURE_METHODS.has(method) ? 'future-maker' : undefined;
    const receiver = this.tree.field(fn, 'object');
    if (!role || !receiver) return;
    this.loopEvidence ??= new LoopEvidence(this, this.model);
    const evidence = this.loopEvidence.of(receiver, scope, method);
    if (!evidence) return;
    answer.role = role;
    answer.evidence = evidence;
  }

  kindOf(v: Value): AwaitableKind {
    switch (v.t) {
      case 'coroutine':
        return 'coroutine';
      case 'awaitable':
        return 'awaitable';
      case 'asyncgen':
        return 'async-generator';
      case 'union': {
        const kinds = new Set(v.options.map((o) => this.kindOf(o)));
        return kinds.size === 1 ? [...kinds][0] : 'unknown';
      }
      case 'unknown':
      case 'special':
      case 'alias':
      case 'typevar':
        return 'unknown';
      case 'inst': {
        const flags = this.classFlags(v.cls);
        if (flags.task) return 'task';
        if (flags.future) return 'future';
        if (flags.coroutine) return 'coroutine';
        if (flags.awaitable) return 'awaitable';
        return flags.complete ? 'not-awaitable' : 'unknown';
      }
      default:
        return 'not-awaitable';
    }
  }

  // ----- roles of asyncio's task and future factories -----

  private roleOf(callee: Value, call: Node, scope: Scope): CallRole {
    if (callee.t === 'class' && TASK_CLASSES.has(callee.cls.qualname)) return 'task-creator';
    if (callee.t !== 'func') return undefined;
    const q = callee.fn.qualname;
    if (TASK_CREATOR_FUNCTIONS.has(q)) return 'task-creator';
    if (q === ENSURE_FUTURE) return this.ensureFutureRole(call, scope);
    if (FUTURE_FUNCTIONS.has(q)) return 'future-maker';
    if (q === RUN_COROUTINE_THREADSAFE) return 'thread-future-maker';
    const owner = callee.fn.owner;
    if (owner && callee.bound === 'instance' && this.isEventLoop(owner)) {
      if (LOOP_TASK_METHODS.has(callee.fn.name)) return this.isPlainTaskCreator(callee.fn) ? 'task-creator' : undefined;
      if (LOOP_FUTURE_METHODS.has(callee.fn.name)) return 'future-maker';
    }
    return undefined;
  }

  /**
   * An event loop's create_task creates a task nothing keeps, unless a subclass's override keeps it
   * (decided from its body: taskKeeping.ts).
   */
  private isPlainTaskCreator(fn: FuncInfo): boolean {
    if (!fn.owner || ASYNCIO_MODULES.test(fn.owner.qualname)) return true;
    if (fn.node) return taskBodyOf(this.tree, fn.node) === 'plain';
    return fn.syms.length > 0 && fn.syms.every((s) => s.task === 'plain');
  }

  /**
   * `ensure_future(coro)` creates a task; `ensure_future(fut)` hands the future back. Of a call not
   * known to be either, it makes a task or, as a statement, does nothing at all: 'maybe-task-creator'.
   */
  private ensureFutureRole(call: Node, scope: Scope): CallRole {
    const tree = this.tree;
    const arg = tree.namedChild(tree.field(call, 'arguments'), 0);
    if (!arg || tree.type(arg) === 'keyword_argument' || tree.type(arg) === 'list_splat') return undefined;
    const kind = this.kindOf(this.evalExpr(arg, scope));
    if (kind === 'coroutine') return 'task-creator';
    const inner = tree.type(arg) === 'parenthesized_expression' ? tree.namedChild(arg, 0) : arg;
    if (tree.type(inner) === 'call' && (kind === 'unknown' || kind === 'awaitable')) return 'maybe-task-creator';
    return undefined;
  }

  isEventLoop(cls: ClassInfo): boolean {
    return this.isSubclassOf(cls, EVENT_LOOP_CLASS);
  }

  private qualnameOf(v: Value): string | undefined {
    if (v.t === 'func') return v.fn.qualname;
    if (v.t === 'class') return v.cls.qualname;
    return undefined;
  }

  // ----- expressions of the analysed file -----

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
    const tree = this.tree;
    switch (tree.type(node)) {
      case 'identifier': {
        // a name bound several times holds, here, only what the bindings reaching this read hold
        const name = tree.textOf(node);
        const owner = scope.resolve(name);
        if (owner === scope && (owner.bindings.get(name)?.length ?? 0) > 1) {
          const reach = this.model.flow(owner).reaching.get(node);
          if (reach?.length) return merge(reach.map((b) => this.bindingValue(b)));
        }
        return this.localContext(scope).lookup(name);
      }
      case 'attribute': {
        const obj = tree.field(node, 'object');
        const attr = tree.field(node, 'attribute');
        return obj && attr ? this.getAttr(this.evalExpr(obj, scope), tree.textOf(attr)) : UNKNOWN;
      }
      case 'call':
        return this.evalCall(node, scope);
      case 'await': {
        const arg = tree.namedChild(node, 0);
        return arg ? this.awaitResult(this.evalExpr(arg, scope)) : UNKNOWN;
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
        const inner = this.model.scopeOfNode.get(node);
        return body && inner ? { t: 'callable', result: lazy(() => this.evalExpr(body, inner)) } : UNKNOWN;
      }
      case 'binary_operator': {
        // `A | B` at run time is a union type only when its operands are types (an alias `Handler = A | B`)
        if (tree.textOf(tree.field(node, 'operator')) !== '|') return UNKNOWN;
        const left = tree.field(node, 'left');
        const t = typeExprOf(tree, node);
        return left && t && this.isTypeValue(this.evalExpr(left, scope)) ? { t: 'alias', type: t, ctx: this.localContext(scope) } : UNKNOWN;
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
    const tree = this.tree;
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
        return t ? { t: 'alias', type: t, ctx: this.localContext(scope) } : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  private evalCall(node: Node, scope: Scope): Value {
    const tree = this.tree;
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
      return tree.type(name) === 'string' ? { t: 'typevar', name: tree.textOf(name).slice(1, -1), ...declared, ctx: this.localContext(scope) } : UNKNOWN;
    }
    if (callee.t === 'func' && callee.fn.qualname === ENSURE_FUTURE) {
      const arg = tree.namedChild(tree.field(node, 'arguments'), 0);
      if (!arg || tree.type(arg) === 'keyword_argument' || tree.type(arg) === 'list_splat') return UNKNOWN;
      const argValue = this.evalExpr(arg, scope);
      const argKind = this.kindOf(argValue);
      if (argKind === 'coroutine') return this.taskInstance() ?? UNKNOWN;
      if (argKind === 'task' || argKind === 'future') return argValue;
      return UNKNOWN;
    }
    return this.callResult(callee);
  }

  private taskInstance(): Value | undefined {
    const task = this.moduleMember('asyncio.tasks', 'Task');
    return task?.t === 'class' ? { t: 'inst', cls: task.cls } : undefined;
  }

  private superOf(scope: Scope): Value {
    let fnScope: Scope | undefined = scope;
    while (fnScope && fnScope.kind !== 'function') fnScope = fnScope.parent;
    const classScope = fnScope?.parent;
    if (!fnScope || classScope?.kind !== 'class') return UNKNOWN;
    const cls = this.localClass(classScope.node);
    const decos = decoratorNames(this.tree, fnScope.node);
    return { t: 'super', cls, bound: decos.includes('classmethod') ? 'class' : 'instance' };
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
    const member = this.lookupMember(cls, '__await__', false);
    if (member?.t !== 'func' || member.fn.syms.length !== 1) return UNKNOWN;
    const { ret, awaits } = member.fn.syms[0];
    if (awaits && !ret) return this.delegatedAwait(cls, awaits);
    const head = ret && this.resolveDotted(ret.n, member.fn.ctx);
    const result = head?.t === 'special' && head.name === 'typing.Generator' ? ret!.a?.[2] : undefined;
    if (!result || result.n === '?') return UNKNOWN;
    const owner = member.fn.owner;
    if (!result.a && owner && owner.qualname !== cls.qualname && this.isTypeVar(result.n, member.fn.ctx)) {
      const bound = this.typeArgument(cls, owner, result.n, 0);
      return bound ? this.typeToValue(bound.t, bound.ctx, cls) : UNKNOWN;
    }
    return this.typeToValue(result, member.fn.ctx, cls);
  }

  private delegatedAwait(cls: ClassInfo, method: string): Value {
    const key = `await\0${cls.qualname}`;
    if (this.inProgress.has(key)) return UNKNOWN;
    this.inProgress.add(key);
    try {
      return this.awaitResult(this.callResult(this.getAttr({ t: 'inst', cls }, method)));
    } finally {
      this.inProgress.delete(key);
    }
  }

  // ----- calls -----

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
      const member = this.lookupMember(cls, '__call__', false);
      return member?.t === 'func' ? this.callResult(this.bindMember(member, 'instance', cls)) : member ? this.callResult(member) : UNKNOWN;
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
      const head = this.resolveDotted(sym.ret.n, fn.ctx);
      const name = head.t === 'special' ? head.name : head.t === 'class' ? head.cls.qualname : undefined;
      const first = sym.ret.a?.[0];
      return name && YIELDING_TYPES.has(name) && first ? this.typeToValue(first, fn.ctx, self) : UNKNOWN;
    }
    const tree = this.tree;
    const def = fn.node;
    const body = def ? tree.field(def, 'body') : undefined;
    const scope = def && this.model.functionScope(def);
    if (!def || !body || !scope) return UNKNOWN;
    // (the `yield` keywords come too: they yield nothing, and None is set aside when others agree)
    const yields = tree.descendantsOfType(body, 'yield').filter((y) => ownedBy(tree, y, def));
    if (!yields.length || yields.some((y) => tree.type(tree.namedChild(y, 0)) === 'expression_list' || tree.textOf(y).startsWith('yield from'))) return UNKNOWN;
    return merge(yields.map((y) => (tree.namedChild(y, 0) ? this.evalExpr(tree.namedChild(y, 0), scope) : NONE)));
  }

  /** [project index] A declared return, with `self: T -> T` and the type variables of a generic base filled in. */
  private declaredReturn(ret: TypeExpr, sym: DefSym, fn: FuncInfo, self: ClassInfo | undefined): Value {
    if (self && !ret.a) {
      if (sym.selfAnn === ret.n) return { t: 'inst', cls: self };
      if (fn.owner && fn.owner.qualname !== self.qualname && this.isTypeVar(ret.n, fn.ctx)) {
        const bound = this.typeArgument(self, fn.owner, ret.n, 0);
        if (bound) return this.typeToValue(bound.t, bound.ctx, self);
      }
    }
    return this.typeToValue(ret, fn.ctx, self);
  }

  private isTypeVar(name: string, ctx: NameContext): boolean {
    const v = this.resolveDotted(name, ctx);
    return v.t === 'typevar' || (v.t === 'special' && v.name === 'typing.TypeVar');
  }

  /** [project index] What `cls` passes for `owner`'s type variable `name` (`class R(Base[Resp])`), through any depth of bases. */
  private typeArgument(cls: ClassInfo, owner: ClassInfo, name: string, depth: number): { t: TypeExpr; ctx: NameContext } | undefined {
    if (depth > 10) return undefined;
    for (const base of cls.baseTypes?.() ?? []) {
      const head = this.resolveDotted(base.t.n, base.ctx);
      if (head.t !== 'class') continue;
      let wanted = name;
      if (head.cls.qualname !== owner.qualname) {
        const inner = this.typeArgument(head.cls, owner, name, depth + 1);
        if (!inner) continue;
        if (inner.t.a || !this.typeParameters(head.cls).includes(inner.t.n)) return inner;
        wanted = inner.t.n;
      }
      const index = this.typeParameters(head.cls).indexOf(wanted);
      const arg = index >= 0 ? base.t.a?.[index] : undefined;
      if (arg && arg.n !== '?') return { t: arg, ctx: base.ctx };
    }
    return undefined;
  }

  /** [project index] A generic class's type variables: those of `Generic[...]`/`Protocol[...]`, else those its bases use, in order. */
  private typeParameters(cls: ClassInfo): string[] {
    const bases = cls.baseTypes?.() ?? [];
    const explicit = bases.find((b) => {
      const head = this.resolveDotted(b.t.n, b.ctx);
      return head.t === 'special' && (head.name === 'typing.Generic' || head.name === 'typing.Protocol') && b.t.a?.length;
    });
    const out: string[] = [];
    for (const b of explicit ? [explicit] : bases) {
      for (const a of b.t.a ?? []) if (!a.a && !out.includes(a.n) && this.isTypeVar(a.n, b.ctx)) out.push(a.n);
    }
    return out;
  }

  /** A summarised function whose every path returns a call (project index): a coroutine when all those calls are. */
  private summaryReturn(fn: FuncInfo, callees: string[]): Value {
    const key = `returns\0${fn.qualname}`;
    if (this.inProgress.has(key)) return UNKNOWN;
    this.inProgress.add(key);
    try {
      const values = callees.map((c) => this.callResult(this.resolveDotted(c, fn.ctx)));
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
    const tree = this.tree;
    const cached = this.returnCache.get(def);
    if (cached) return cached;
    this.returnCache.set(def, UNKNOWN); // recursion
    const body = tree.field(def, 'body');
    const scope = this.model.functionScope(def);
    let result: Value = UNKNOWN;
    if (body && scope) {
      const returns = ownReturns(tree, def, body);
      const last = tree.type(lastStatement(tree, body));
      const endsInReturn = last === 'return_statement' || last === 'raise_statement';
      if (!returns.length) result = tree.type(tree.firstChild(def)) === 'async' ? NONE : OTHER;
      else if (endsInReturn) {
        const values = returns.map((r) => (tree.namedChild(r, 0) ? this.evalExpr(tree.namedChild(r, 0), scope) : NONE));
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
      const target = this.resolveDotted(name, fn.ctx);
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
    const tree = this.tree;
    const scope = this.model.functionScope(fn.node);
    const body = tree.field(fn.node, 'body');
    if (!scope || !body) return undefined;
    const last = lastStatement(tree, body);
    const value = tree.type(last) === 'return_statement' ? tree.namedChild(last, 0) : NO_NODE;
    if (tree.type(value) !== 'identifier') return undefined;
    const bindings = scope.bindings.get(tree.textOf(value));
    if (bindings?.length !== 1 || bindings[0].kind !== 'def') return undefined;
    const v = this.bindingValue(bindings[0]);
    return v.t === 'func' ? v.fn : undefined;
  }

  // ----- attributes and classes -----

  getAttr(v: Value, name: string): Value {
    switch (v.t) {
      case 'module':
        return this.moduleMember(v.name, name) ?? UNKNOWN;
      case 'inst':
        return this.bindMember(this.lookupMember(v.cls, name, false), 'instance', v.cls);
      case 'class':
        return this.bindMember(this.lookupMember(v.cls, name, false), 'class', v.cls);
      case 'super':
        return this.bindMember(this.lookupMember(v.cls, name, true), v.bound, v.cls);
      case 'container':
        return hasContainerMethod(v, name) ? { t: 'container-method', of: v, name } : UNKNOWN;
      case 'union':
        return unionOf(v.options.map((o) => this.getAttr(o, name)));
      default:
        return UNKNOWN;
    }
  }

  private bindMember(member: Value | undefined, via: 'instance' | 'class', cls: ClassInfo): Value {
    if (!member) return UNKNOWN;
    if (member.t !== 'func') return member;
    const decos = member.fn.syms[0]?.deco ?? [];
    if (decos.some((d) => d === 'property' || d.endsWith('cached_property') || d.endsWith('.setter'))) {
      return via === 'instance' ? this.callResult(member, cls) : UNKNOWN;
    }
    if (decos.includes('staticmethod')) return member;
    if (decos.includes('classmethod')) return { t: 'func', fn: member.fn, bound: 'class', self: cls };
    return via === 'instance' ? { t: 'func', fn: member.fn, bound: 'instance', self: cls } : member;
  }

  /** Method resolution order, simplified to depth-first left-to-right; `undefined` marks an unknown base. */
  private mro(cls: ClassInfo): Array<ClassInfo | undefined | { special: string }> {
    const out: Array<ClassInfo | undefined | { special: string }> = [];
    const seen = new Set<string>();
    const walk = (c: ClassInfo, depth: number) => {
      if (seen.has(c.qualname) || depth > 30) return;
      seen.add(c.qualname);
      out.push(c);
      for (const b of c.bases()) {
        if (b.t === 'class') walk(b.cls, depth + 1);
        else if (b.t === 'special') out.push({ special: b.name });
        else out.push(undefined);
      }
    };
    walk(cls, 0);
    return out;
  }

  private lookupMember(cls: ClassInfo, name: string, skipSelf: boolean): Value | undefined {
    const key = `${cls.qualname}\0${name}\0${skipSelf}`;
    if (this.memberCache.has(key)) return this.memberCache.get(key);
    this.memberCache.set(key, undefined);
    let found: Value | undefined;
    for (const entry of this.mro(cls).slice(skipSelf ? 1 : 0)) {
      if (entry === undefined) break; // an unknown base may define it
      if ('special' in entry) continue;
      const m = entry.ownMember(name);
      if (m) {
        found = m;
        break;
      }
    }
    this.memberCache.set(key, found);
    return found;
  }

  private classFlags(cls: ClassInfo) {
    const flags = { task: false, future: false, coroutine: false, awaitable: false, complete: true };
    for (const entry of this.mro(cls)) {
      if (entry === undefined) flags.complete = false;
      else if ('special' in entry) {
        if (entry.special === 'typing.Coroutine') flags.coroutine = true;
        if (entry.special === 'typing.Awaitable') flags.awaitable = true;
      } else {
        if (TASK_CLASSES.has(entry.qualname)) flags.task = true;
        if (FUTURE_CLASSES.has(entry.qualname)) flags.future = true;
        if (entry.qualname === 'typing.Coroutine') flags.coroutine = true;
        if (entry.qualname === 'typing.Awaitable' || entry.ownMember('__await__')) flags.awaitable = true;
      }
    }
    return flags;
  }

  isSubclassOf(cls: ClassInfo, qualname: string): boolean {
    return this.mro(cls).some((e) => e !== undefined && !('special' in e) && e.qualname === qualname);
  }

  // ----- modules and their summaries -----

  moduleContext(moduleName: string): NameContext {
    let ctx = this.moduleContexts.get(moduleName);
    if (!ctx) {
      ctx = {
        moduleName,
        lookup: (name) => this.moduleMember(moduleName, name) ?? this.builtin(name),
      };
      this.moduleContexts.set(moduleName, ctx);
    }
    return ctx;
  }

  private builtin(name: string): Value {
    if (name === 'tuple') return { t: 'special', name: 'typing.Tuple' };
    return this.moduleMember('builtins', name) ?? UNKNOWN;
  }

  moduleMember(moduleName: string, name: string, depth = 0): Value | undefined {
    if (TYPING_MODULES.has(moduleName) && TYPING_SPECIALS.has(name)) return { t: 'special', name: `typing.${name}` };
    const key = `${moduleName}\0${name}`;
    if (this.inProgress.has(key) || depth > 20) return undefined;
    const summary = this.modules.getModule(moduleName);
    if (!summary) return undefined;
    this.inProgress.add(key);
    try {
      const syms = symbolsOf(summary.symbols, name);
      if (syms) return this.evalSyms(syms, name, moduleName, this.moduleContext(moduleName), undefined);
      for (const star of summary.star ?? []) {
        const target = this.modules.getModule(star);
        if (!target) continue;
        const exported = target.all ? target.all.includes(name) : !name.startsWith('_');
        if (!exported) continue;
        const v = this.moduleMember(star, name, depth + 1);
        if (v) return v;
      }
      if (this.modules.getModule(`${moduleName}.${name}`)) return { t: 'module', name: `${moduleName}.${name}` };
      return undefined;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private evalSyms(syms: Sym[], name: string, prefix: string, ctx: NameContext, owner: ClassInfo | undefined): Value {
    const defs = syms.filter((s): s is DefSym => s.k === 'def');
    if (defs.length === syms.length) {
      // overloads: an implementation without annotations says less than the overloads
      const annotated = defs.filter((d) => d.ret || d.async);
      const used = annotated.length ? annotated : defs;
      return { t: 'func', fn: { qualname: `${prefix}.${name}`, name, syms: used, ctx, owner } };
    }
    return merge(syms.map((s) => this.evalSym(s, name, prefix, ctx, owner)));
  }

  private evalSym(sym: Sym, name: string, prefix: string, ctx: NameContext, owner: ClassInfo | undefined): Value {
    switch (sym.k) {
      case 'module':
        return { t: 'module', name: sym.m };
      case 'from':
        return (
          this.moduleMember(sym.m, sym.n) ??
          (this.modules.getModule(`${sym.m}.${sym.n}`) ? { t: 'module', name: `${sym.m}.${sym.n}` } : UNKNOWN)
        );
      case 'def':
        return { t: 'func', fn: { qualname: `${prefix}.${name}`, name, syms: [sym], ctx, owner } };
      case 'class':
        return { t: 'class', cls: this.summaryClass(`${prefix}.${name}`, sym, ctx) };
      case 'var':
        if (sym.t) return this.typeToValue(sym.t, ctx, owner);
        if (sym.v && 'ref' in sym.v) return this.resolveDotted(sym.v.ref, ctx);
        if (sym.v && 'call' in sym.v) {
          const callee = this.resolveDotted(sym.v.call, ctx);
          // [project index] `T = TypeVar("T", bound=C)` stays recognisable, for generic bases' type variables and bounds
          if (callee.t === 'special' && callee.name === 'typing.TypeVar') {
            return { t: 'typevar', name, bound: sym.v.bound, constraints: sym.v.constraints, ctx };
          }
          return this.callResult(callee);
        }
        if (sym.v && 'type' in sym.v) return { t: 'alias', type: sym.v.type, ctx };
        return UNKNOWN;
    }
  }

  private summaryClasses = new Map<string, ClassInfo>();

  private summaryClass(qualname: string, sym: ClassSym, ctx: NameContext): ClassInfo {
    const cached = this.summaryClasses.get(qualname);
    if (cached) return cached;
    let bases: Value[] | undefined;
    const members = new Map<string, Value | undefined>();
    const info: ClassInfo = {
      qualname,
      bases: () => (bases ??= sym.bases.map((b) => this.resolveTypeHead(b, ctx))),
      baseTypes: () => sym.bases.map((t) => ({ t, ctx })),
      ownMember: (name) => {
        if (!members.has(name)) {
          const syms = symbolsOf(sym.members, name);
          members.set(name, syms ? this.evalSyms(syms, name, qualname, ctx, info) : undefined);
        }
        return members.get(name);
      },
    };
    this.summaryClasses.set(qualname, info);
    return info;
  }

  resolveDotted(dotted: string, ctx: NameContext): Value {
    const parts = dotted.split('.');
    let v = ctx.lookup(parts[0]);
    for (const p of parts.slice(1)) v = this.getAttr(v, p);
    return v;
  }

  /** The class (or special form) an annotation's head names. */
  private resolveTypeHead(t: TypeExpr, ctx: NameContext): Value {
    if (t.n === '?' || t.n === '|' || t.n === 'None') return UNKNOWN;
    const head = this.resolveDotted(t.n, ctx);
    if (head.t === 'special' && t.n !== 'Generic' && t.n !== 'Protocol') return head;
    return head;
  }

  /** The value an annotation describes: `Task[int]` is a Task instance. */
  typeToValue(t: TypeExpr, ctx: NameContext, self?: ClassInfo): Value {
    if (t.n === '?') return UNKNOWN;
    if (t.n === 'None') return NONE;
    const args = t.a ?? [];
    if (t.n === '|') return merge(args.map((a) => this.typeToValue(a, ctx, self)));
    const head = this.resolveDotted(t.n, ctx);
    const arg = (a: TypeExpr) => this.typeToValue(a, ctx, self);
    const headName = head.t === 'class' ? head.cls.qualname : head.t === 'special' ? head.name : undefined;
    if (headName) {
      const declaredContainer = containerOf(headName, args, arg);
      if (declaredContainer) return declaredContainer;
      const asyncManager = CONTEXT_MANAGER_TYPES.get(headName);
      if (asyncManager !== undefined && args[0]) return { t: 'context-manager', async: asyncManager, entered: lazy(() => arg(args[0])) };
      if ((headName === 'builtins.type' || headName === 'typing.Type') && args.length === 1) {
        const cls = this.resolveDotted(args[0].n, ctx);
        return cls.t === 'class' ? cls : UNKNOWN;
      }
    }
    switch (head.t) {
      case 'class':
        return { t: 'inst', cls: head.cls };
      case 'alias':
        return this.typeToValue(head.type, head.ctx, self);
      case 'typevar':
        // not solved here: what is declared of it stands for it
        if (head.bound) return this.typeToValue(head.bound, head.ctx, self);
        if (head.constraints) return unionOf(head.constraints.map((c) => this.typeToValue(c, head.ctx, self)));
        return UNKNOWN;
      case 'special':
        switch (head.name) {
          case 'typing.Optional':
          case 'typing.Annotated':
          case 'typing.Final':
          case 'typing.ClassVar':
            return args[0] ? this.typeToValue(args[0], ctx, self) : UNKNOWN;
          case 'typing.Union':
            return merge(args.map((a) => this.typeToValue(a, ctx, self)));
          case 'typing.Coroutine': {
            const ret = args[2];
            return { t: 'coroutine', result: ret ? () => this.typeToValue(ret, ctx, self) : undefined };
          }
          case 'typing.Awaitable':
            return { t: 'awaitable' };
          case 'typing.Self':
            return self ? { t: 'inst', cls: self } : UNKNOWN;
          case 'typing.Tuple':
            if (args.length === 2 && (args[1].n === '...' || args[1].n === 'Ellipsis')) return homogeneousTuple(lazy(() => arg(args[0])));
            if (!args.length || args.some((a) => a.n === '...' || a.n === 'Ellipsis')) return OTHER;
            return { t: 'tuple', items: args.map((a) => this.typeToValue(a, ctx, self)) };
          case 'typing.Callable': {
            // `Callable[[A, B], R]`, `Callable[..., R]`: calling it gives an R
            const result = args.length >= 2 ? args[args.length - 1] : undefined;
            return result ? { t: 'callable', result: lazy(() => arg(result)) } : OTHER;
          }
          case 'typing.Generator':
          case 'typing.AsyncGenerator':
          case 'typing.AsyncIterator':
          case 'typing.Iterator':
          case 'typing.Literal':
          case 'typing.Type':
            return OTHER;
          default:
            return UNKNOWN;
        }
      default:
        return UNKNOWN;
    }
  }

  // ----- bindings of the analysed file -----

  localContext(scope: Scope): NameContext {
    return {
      moduleName: this.moduleName,
      lookup: (name) => {
        const owner = scope.resolve(name);
        if (!owner) return this.starImported(name) ?? this.builtin(name);
        const bindings = owner.bindings.get(name) ?? [];
        return merge(bindings.map((b) => this.bindingValue(b)));
      },
    };
  }

  private starModules: Array<string | undefined> | undefined;

  /**
   * A name this file binds nowhere, from its `from m import *` statements (the last that exports it
   * wins; `__all__` says what a module exports, else every name not starting with `_`). Unknown when
   * a star-imported module is unknown: the name may come from it.
   */
  private starImported(name: string): Value | undefined {
    const tree = this.tree;
    this.starModules ??= starImportStatements(tree, this.model.module.node).map((stmt) =>
      !this.packageKnown && tree.type(tree.field(stmt, 'module_name')) === 'relative_import' ? undefined : importedModuleOf(tree, stmt, this.moduleName, this.isPackage),
    );
    for (let i = this.starModules.length - 1; i >= 0; i--) {
      const m = this.starModules[i];
      const target = m && this.modules.getModule(m);
      if (!m || !target) return UNKNOWN;
      const exported = target.all ? target.all.includes(name) : !name.startsWith('_');
      if (exported) return this.moduleMember(m, name) ?? UNKNOWN;
    }
    return undefined;
  }

  bindingValue(b: Binding): Value {
    const cached = this.bindingValues.get(b);
    if (cached) return cached;
    if (this.inProgress.has(b)) return UNKNOWN;
    this.inProgress.add(b);
    let v: Value;
    try {
      v = this.bindingValueUncached(b);
    } finally {
      this.inProgress.delete(b);
    }
    this.bindingValues.set(b, v);
    return v;
  }

  private bindingValueUncached(b: Binding): Value {
    const ctx = this.localContext(b.scope);
    switch (b.kind) {
      case 'def': {
        const owner = b.scope.kind === 'class' ? this.localClass(b.scope.node) : undefined;
        const prefix = owner ? owner.qualname : this.moduleName;
        return { t: 'func', fn: { qualname: `${prefix}.${b.name}`, name: b.name, syms: [defSymOf(this.tree, b.node)], ctx, node: b.node, owner } };
      }
      case 'class':
        return { t: 'class', cls: this.localClass(b.node) };
      case 'import': {
        const tree = this.tree;
        for (let c = tree.firstNamedChild(b.node); c; c = tree.nextNamedSibling(c)) {
          if (tree.type(c) === 'dotted_name' && tree.textOf(tree.namedChild(c, 0)) === b.name) return { t: 'module', name: b.name };
          if (tree.type(c) === 'aliased_import' && tree.fieldText(c, 'alias') === b.name) {
            const full = dottedName(tree, tree.field(c, 'name'));
            return full ? { t: 'module', name: full } : UNKNOWN;
          }
        }
        return UNKNOWN;
      }
      case 'from-import': {
        const tree = this.tree;
        if (!this.packageKnown && tree.type(tree.field(b.node, 'module_name')) === 'relative_import') return UNKNOWN;
        const m = importedModuleOf(tree, b.node, this.moduleName, this.isPackage);
        if (!m) return UNKNOWN;
        for (const c of tree.fieldChildren(b.node, 'name')) {
          const aliased = tree.type(c) === 'aliased_import';
          const alias = aliased ? tree.fieldText(c, 'alias') : tree.textOf(c);
          if (alias !== b.name) continue;
          const original = aliased ? dottedName(tree, tree.field(c, 'name')) : tree.textOf(c);
          if (!original) return UNKNOWN;
          return (
            this.moduleMember(m, original) ??
            (this.modules.getModule(`${m}.${original}`) ? { t: 'module', name: `${m}.${original}` } : UNKNOWN)
          );
        }
        return UNKNOWN;
      }
      case 'assign': {
        if (b.annotation && b.value && this.isTypeAliasAnnotation(b.annotation, b.scope)) {
          const type = typeExprOf(this.tree, b.value);
          return type ? { t: 'alias', type, ctx } : UNKNOWN;
        }
        const annotated = b.annotation ? this.annotationValue(b.annotation, b.scope) : UNKNOWN;
        if (annotated.t !== 'unknown') return annotated;
        if (!b.value) return UNKNOWN;
        return unpack(this.evalExpr(b.value, b.scope), b.path);
      }
      case 'for': {
        if (!b.value) return UNKNOWN;
        const iterable = this.evalExpr(b.value, b.scope);
        return iterable.t === 'container' ? unpack(iterationOf(iterable), b.path) : UNKNOWN;
      }
      case 'walrus':
        return b.value ? this.evalExpr(b.value, b.scope) : UNKNOWN;
      case 'param':
        return this.parameterValue(b);
      case 'with': {
        if (!b.value) return UNKNOWN;
        const manager = this.evalExpr(b.value, b.scope);
        if (manager.t === 'context-manager') return manager.async === !!b.async ? unpack(manager.entered(), b.path) : UNKNOWN;
        const enter = this.getAttr(manager, b.async ? '__aenter__' : '__enter__');
        const entered = this.callResult(enter);
        return unpack(b.async ? this.awaitResult(entered) : entered, b.path);
      }
      default:
        return UNKNOWN;
    }
  }

  /** `X: TypeAlias = ...` */
  private isTypeAliasAnnotation(annotation: Node, scope: Scope): boolean {
    const t = typeExprOf(this.tree, annotation);
    const head = t && !t.a ? this.resolveDotted(t.n, this.localContext(scope)) : undefined;
    return head?.t === 'special' && head.name === 'typing.TypeAlias';
  }

  private annotationValue(annotation: Node, scope: Scope): Value {
    const t = typeExprOf(this.tree, annotation);
    return t ? this.typeToValue(t, this.localContext(scope), this.enclosingClass(scope)) : UNKNOWN;
  }

  private enclosingClass(scope: Scope): ClassInfo | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'class') return this.localClass(s.node);
    return undefined;
  }

  private parameterValue(b: Binding): Value {
    const fnScope = b.scope;
    if (b.annotation) return this.annotationValue(b.annotation, fnScope.parent ?? fnScope);
    if (b.paramIndex !== 0 || fnScope.kind !== 'function' || fnScope.parent?.kind !== 'class') return UNKNOWN;
    const decos = decoratorNames(this.tree, fnScope.node);
    if (decos.includes('staticmethod')) return UNKNOWN;
    const cls = this.localClass(fnScope.parent.node);
    return decos.includes('classmethod') ? { t: 'class', cls } : { t: 'inst', cls };
  }

  localClass(node: Node): ClassInfo {
    const tree = this.tree;
    const cached = this.localClasses.get(node);
    if (cached) return cached;
    const classScope = this.model.scopeOfNode.get(node)!.complete();
    const outer = classScope.parent ?? this.model.module;
    const name = tree.fieldText(node, 'name') ?? '?';
    let bases: Value[] | undefined;
    const members = new Map<string, Value | undefined>();
    const info: ClassInfo = {
      qualname: outer.kind === 'module' ? `${this.moduleName}.${name}` : `${this.moduleName}.<local>.${name}@${tree.startIndex(node)}`,
      node,
      bases: () =>
        (bases ??= tree
          .namedChildren(tree.field(node, 'superclasses'))
          .filter((c) => tree.type(c) !== 'keyword_argument')
          .map((c) => {
            const t = typeExprOf(tree, c);
            return t ? this.resolveTypeHead(t, this.localContext(outer)) : UNKNOWN;
          })),
      // [project index] for the type variables of generic bases (`class Cm(Base[Resp])`)
      baseTypes: () =>
        tree.namedChildren(tree.field(node, 'superclasses')).flatMap((c) => {
          const t = tree.type(c) === 'keyword_argument' ? undefined : typeExprOf(tree, c);
          return t ? [{ t, ctx: this.localContext(outer) }] : [];
        }),
      ownMember: (member) => {
        if (!members.has(member)) {
          const own = classScope.bindings.get(member);
          if (own) members.set(member, merge(own.map((b) => this.bindingValue(b))));
          else {
            const attrs = this.instanceAttributesOf(classScope).get(member);
            // a declared type (`self.loop: AbstractEventLoop = ...`) is the attribute's type wherever it is assigned
            const declared = attrs?.filter((b) => b.annotation);
            const used = declared?.length ? declared : attrs;
            members.set(member, used ? merge(used.map((b) => this.bindingValue(b))) : undefined);
          }
        }
        return members.get(member);
      },
    };
    this.localClasses.set(node, info);
    return info;
  }

  /** What binds `attr` on instances of a class of this file: its class body, then `self.attr = ...` in its methods. */
  attributeBindings(classNode: Node, attr: string): Binding[] {
    const classScope = this.model.scopeOfNode.get(classNode)?.complete();
    if (!classScope) return [];
    return classScope.bindings.get(attr) ?? this.instanceAttributesOf(classScope).get(attr) ?? [];
  }

  private readonly instanceAttributeCache = new Map<Scope, Map<string, Binding[]>>();

  private instanceAttributesOf(classScope: Scope): Map<string, Binding[]> {
    let attrs = this.instanceAttributeCache.get(classScope);
    if (!attrs) {
      attrs = this.instanceAttributes(classScope);
      this.instanceAttributeCache.set(classScope, attrs);
    }
    return attrs;
  }

  /** `self.x = value` in the class's methods, as bindings evaluated in each method's scope. */
  private instanceAttributes(classScope: Scope): Map<string, Binding[]> {
    const attrs = new Map<string, Binding[]>();
    for (const method of classScope.children) {
      if (method.kind !== 'function' || !method.complete().attributeAssignments.length) continue;
      const selfName = [...method.bindings.values()].flat().find((b) => b.kind === 'param' && b.paramIndex === 0)?.name;
      if (!selfName) continue;
      for (const a of method.attributeAssignments) {
        if (a.object !== selfName) continue;
        const binding: Binding = { name: a.attr, kind: 'assign', node: a.target, value: a.value, annotation: a.annotation, scope: method };
        const list = attrs.get(a.attr);
        if (list) list.push(binding);
        else attrs.set(a.attr, [binding]);
      }
    }
    return attrs;
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

/** What `a, (b, c) = value` binds to the name at `path`: an item of a tuple, any item of a declared sequence. */
function unpack(value: Value, path: readonly number[] | undefined): Value {
  let v = value;
  for (const i of path ?? []) {
    if (v.t === 'tuple') v = v.items[i < 0 ? v.items.length + i : i] ?? UNKNOWN;
    else if (v.t === 'container') v = unpackedItemOf(v);
    else return UNKNOWN;
  }
  return v;
}
