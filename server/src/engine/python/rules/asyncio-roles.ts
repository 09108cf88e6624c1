// Which asyncio calls create a task or hand out a future — the roles dangling-task and
// floating-future look for — decided from what the inference says the callee is. The tables of
// asyncio's factories live here, with the rules that use them; the inference only types values.
import type { AwaitableKind, Evidence } from '../../types';
import type { Inference } from '../inference';
import { ENSURE_FUTURE, TASK_CLASSES, type FuncInfo, type Value } from '../inference/values';
import type { Scope } from '../scopes';
import { taskBodyOf } from '../taskKeeping';
import type { Node, SyntaxTree } from '../tree';
import { LoopEvidence } from './loop-evidence';

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

/** What a rule learns of a call: the kind of awaitable it gives, and its role among asyncio's factories. */
export interface CallAnswer {
  kind: AwaitableKind;
  /** Set when the call is one of the asyncio APIs that create a task or hand out a future. */
  role: CallRole;
  /** The callee's qualified name when known (`asyncio.tasks.create_task`, `mod.Client.fetch`). */
  callee?: string;
  /** Why the receiver is taken for an event loop when nothing declares it one (see loop-evidence.ts). */
  evidence?: Evidence[];
  /** The call is of a callable declared `Callable[..., Awaitable[T]]`: it stands for an async function. */
  declaredAwaitable?: boolean;
}

const RUN_COROUTINE_THREADSAFE = 'asyncio.tasks.run_coroutine_threadsafe';
const TASK_CREATOR_FUNCTIONS = new Set(['asyncio.tasks.create_task']);
const FUTURE_FUNCTIONS = new Set(['asyncio.tasks.gather', 'asyncio.tasks.shield', 'asyncio.futures.wrap_future']);
const LOOP_TASK_METHODS = new Set(['create_task']);
const LOOP_FUTURE_METHODS = new Set(['run_in_executor', 'create_future']);
/** Where asyncio's own event loops are defined: their create_task is the real one, whatever its body. */
const ASYNCIO_MODULES = /^(?:asyncio|_asyncio|uvloop)(?:\.|$)/;

/** The roles of the calls of one file (what it learns of untyped event loops is kept for the file). */
export class AsyncioRoles {
  private loopEvidence: LoopEvidence | undefined;
  private readonly tree: SyntaxTree;

  constructor(private readonly inference: Inference) {
    this.tree = inference.model.tree;
  }

  /** The one question the rules ask. */
  answerCall(call: Node, scope: Scope = this.inference.model.scopeAt(call)): CallAnswer {
    const { callee, result, kind } = this.inference.describeCall(call, scope);
    const answer: CallAnswer = { kind, role: this.roleOf(callee, call, scope), callee: qualnameOf(callee) };
    // a callback declared `Callable[..., Awaitable[T]]` stands for an async function; a method declared
    // `-> Awaitable[T]` often hands out a Future already running (aio_pika's CallbackCollection)
    if (result.t === 'awaitable' && callee.t === 'callable') answer.declaredAwaitable = true;
    const fn = this.tree.field(call, 'function');
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
    this.loopEvidence ??= new LoopEvidence(this.inference, this.inference.model);
    const evidence = this.loopEvidence.of(receiver, scope, method);
    if (!evidence) return;
    answer.role = role;
    answer.evidence = evidence;
  }

  private roleOf(callee: Value, call: Node, scope: Scope): CallRole {
    if (callee.t === 'class' && TASK_CLASSES.has(callee.cls.qualname)) return 'task-creator';
    if (callee.t !== 'func') return undefined;
    const q = callee.fn.qualname;
    if (TASK_CREATOR_FUNCTIONS.has(q)) return 'task-creator';
    if (q === ENSURE_FUTURE) return this.ensureFutureRole(call, scope);
    if (FUTURE_FUNCTIONS.has(q)) return 'future-maker';
    if (q === RUN_COROUTINE_THREADSAFE) return 'thread-future-maker';
    const owner = callee.fn.owner;
    if (owner && callee.bound === 'instance' && this.inference.isEventLoop(owner)) {
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
    const kind = this.inference.kindOf(this.inference.evalExpr(arg, scope));
    if (kind === 'coroutine') return 'task-creator';
    const inner = tree.type(arg) === 'parenthesized_expression' ? tree.namedChild(arg, 0) : arg;
    if (tree.type(inner) === 'call' && (kind === 'unknown' || kind === 'awaitable')) return 'maybe-task-creator';
    return undefined;
  }
}

function qualnameOf(v: Value): string | undefined {
  if (v.t === 'func') return v.fn.qualname;
  if (v.t === 'class') return v.cls.qualname;
  return undefined;
}
