// Evidence that a value nothing declares is an asyncio event loop, for `x.create_task(...)` (and
// `x.run_in_executor(...)`, `x.create_future()`) whose receiver the inference cannot type. Precision
// first: a receiver counts as an event loop only when the code itself shows it is one —
//   - the same name (in its function) or the same `self.attr` (in its class) is used for a method only
//     event loops have: `call_soon`, `run_until_complete`, `add_reader`, ... (LOOP_ONLY_METHODS);
//   - it is passed as `loop=` to an asyncio function (`asyncio.ensure_future(c, loop=self._loop)`);
//   - one of its assignments is a known event loop (`loop or asyncio.get_event_loop()`);
//   - it arrives in a parameter named `loop` (`event_loop`, `_loop`...) that every call in the file
//     gives a known event loop.
// and never when any assignment makes it something else, nor in a file that defines a `create_task`
// which may keep its task (an application's own). Being called `loop` is not evidence on its own.
import type { AwaitableKind, Evidence, Position } from '../types';
import type { Node } from './parser';
import type { Binding, Scope, SemanticModel } from './scopes';
import { decoratorNames } from './summary';
import { firstParameterName } from './syntax';
import { taskBodyOf } from './taskKeeping';
import type { ClassInfo, Value } from './values';

/** What the evidence asks of the inference (infer.ts's Inference, which owns a LoopEvidence). */
export interface Inference {
  attributeBindings(classNode: Node, attr: string): Binding[];
  bindingValue(b: Binding): Value;
  evalExpr(node: Node, scope: Scope): Value;
  isEventLoop(cls: ClassInfo): boolean;
  kindOf(v: Value): AwaitableKind;
  localClass(node: Node): ClassInfo;
}

/**
 * Methods of asyncio's AbstractEventLoop that the other objects asyncio code passes around do not have
 * (not `run_in_executor`: tornado's IOLoop and executors' wrappers have one too).
 */
export const LOOP_ONLY_METHODS = new Set([
  'call_soon', 'call_soon_threadsafe', 'call_later', 'call_at', 'run_until_complete', 'run_forever', 'create_future',
  'add_reader', 'add_writer', 'remove_reader', 'remove_writer', 'add_signal_handler', 'remove_signal_handler',
  'call_exception_handler', 'set_exception_handler', 'get_exception_handler', 'default_exception_handler',
  'set_task_factory', 'get_task_factory', 'shutdown_asyncgens', 'shutdown_default_executor', 'set_default_executor',
  'create_connection', 'create_server', 'create_datagram_endpoint', 'create_unix_connection', 'create_unix_server',
  'connect_read_pipe', 'connect_write_pipe', 'subprocess_exec', 'subprocess_shell', 'sock_recv', 'sock_recv_into',
  'sock_sendall', 'sock_connect', 'sock_accept', 'sock_sendfile', 'getaddrinfo', 'getnameinfo',
]);

/** A parameter whose name says it is a loop: evidence only when its callers agree. */
const LOOP_PARAMETER = /^(?:\w*_)?loop$/;
/** What asyncio's functions call their event loop parameter. */
const ASYNCIO_QUALNAME = /^asyncio\./;
const RUN_COROUTINE_THREADSAFE = 'asyncio.tasks.run_coroutine_threadsafe';

interface Facts {
  facts: Evidence[];
  /** At least one fact shows an event loop (a use, a known loop assigned, callers giving one). */
  strong: boolean;
}

type Verdict = 'loop' | 'unknown' | 'other';

function positionOf(node: Node): Position {
  return { line: node.startPosition.row, character: node.startPosition.column };
}

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}”`;
}

export class LoopEvidence {
  private readonly cache = new Map<string, Evidence[] | null>();
  private keepingCreateTask: boolean | undefined;
  private ownMethods: Set<string> | undefined;

  constructor(
    private readonly inference: Inference,
    private readonly model: SemanticModel,
  ) {}

  /** The evidence that `receiver` (a name, or `self.attr` in a method) is an event loop, or undefined. */
  of(receiver: Node, scope: Scope, method: string): Evidence[] | undefined {
    if (method === 'create_task' && this.fileDefinesKeepingCreateTask()) return undefined;
    if (receiver.type === 'identifier') return this.ofName(receiver.text, scope, method);
    if (receiver.type === 'attribute') return this.ofSelfAttribute(receiver, scope, method);
    return undefined;
  }

  private cached(key: string, compute: () => Evidence[] | undefined): Evidence[] | undefined {
    if (!this.cache.has(key)) {
      this.cache.set(key, null); // a question that comes back while it is being answered has no answer
      this.cache.set(key, compute() ?? null);
    }
    return this.cache.get(key) ?? undefined;
  }

  // ----- a local name or parameter -----

  /** `asked`: the method whose call is being answered, which is no evidence for itself. */
  private ofName(name: string, scope: Scope, asked: string): Evidence[] | undefined {
    const owner = scope.resolve(name);
    if (!owner || (owner.kind !== 'function' && owner.kind !== 'lambda')) return undefined;
    return this.cached(`name\0${owner.node.id}\0${name}\0${asked}`, () => {
      const subject = quoted(name);
      const found: Facts = { facts: [], strong: false };
      for (const b of owner.bindings.get(name) ?? []) if (!this.addBinding(found, b, subject)) return undefined;
      const isOwn = (id: Node) => this.model.scopeAt(id).resolve(name) === owner;
      this.addUses(found, subject, asked, owner.node, (obj) => obj.type === 'identifier' && obj.text === name && isOwn(obj));
      return this.conclude(subject, found);
    });
  }

  // ----- `self.attr` in a method -----

  private ofSelfAttribute(receiver: Node, scope: Scope, asked: string): Evidence[] | undefined {
    const obj = receiver.childForFieldName('object');
    const attr = receiver.childForFieldName('attribute')?.text;
    if (obj?.type !== 'identifier' || !attr) return undefined;
    const owner = scope.resolve(obj.text);
    const classScope = owner?.parent;
    if (owner?.kind !== 'function' || classScope?.kind !== 'class') return undefined;
    if (firstParameterName(owner.node) !== obj.text) return undefined;
    if (decoratorNames(owner.node).some((d) => d === 'staticmethod' || d === 'classmethod')) return undefined;
    const classNode = classScope.node;
    return this.cached(`attr\0${classNode.id}\0${attr}\0${asked}`, () => {
      const bindings = this.inference.attributeBindings(classNode, attr);
      if (!bindings.length) return undefined; // set somewhere we cannot see (a base class, another module)
      const subject = quoted(`${obj.text}.${attr}`);
      const found: Facts = { facts: [], strong: false };
      for (const b of bindings) if (!this.addBinding(found, b, subject)) return undefined;
      this.addUses(found, subject, asked, classNode, (o, at) => {
        if (o.type !== 'attribute' || o.childForFieldName('attribute')?.text !== attr) return false;
        const self = o.childForFieldName('object');
        return self?.type === 'identifier' && self.text === selfNameAt(at, classNode);
      });
      return this.conclude(subject, found);
    });
  }

  private conclude(subject: string, found: Facts): Evidence[] | undefined {
    if (!found.strong) return undefined;
    const seen = new Set<string>();
    const facts = found.facts.filter((f) => {
      const key = `${f.text}@${f.at?.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return [{ text: `${subject} is an event loop, though nothing declares it one:` }, ...facts.slice(0, 5)];
  }

  // ----- what its assignments say -----

  private verdict(v: Value): Verdict {
    if (v.t === 'unknown' || v.t === 'none') return 'unknown';
    if (v.t !== 'inst') return 'other';
    if (this.inference.isEventLoop(v.cls)) return 'loop';
    return this.inference.kindOf(v) === 'unknown' ? 'unknown' : 'other';
  }

  /** Adds what one assignment says; false when it makes the value something other than an event loop. */
  private addBinding(found: Facts, b: Binding, subject: string): boolean {
    const value = this.inference.bindingValue(b);
    const verdict = this.verdict(value);
    if (verdict === 'other') return false;
    const at = positionOf(b.node);
    if (verdict === 'loop') {
      found.facts.push({ text: `${subject} is assigned the event loop ${quoted(b.value?.text ?? b.node.text)}`, at });
      found.strong = true;
      return true;
    }
    if (value.t === 'none') return true; // a placeholder until the loop is known
    if (b.kind === 'param') {
      const fn = b.scope.node.childForFieldName('name')?.text ?? 'lambda';
      found.facts.push({ text: `${subject} is a parameter of ${quoted(fn)}`, at });
      if (LOOP_PARAMETER.test(b.name)) this.addCallers(found, b);
      return true;
    }
    const expr = b.value;
    if (!expr) {
      found.facts.push({ text: `${subject} is assigned`, at });
      return true;
    }
    const fallback = this.loopAlternative(expr, b.scope);
    if (fallback) {
      found.facts.push({ text: `${subject} falls back to the event loop ${quoted(fallback.text)}`, at });
      found.strong = true;
      return true;
    }
    const param = expr.type === 'identifier' ? b.scope.bindings.get(expr.text)?.find((p) => p.kind === 'param') : undefined;
    if (param && b.scope.resolve(expr.text) === b.scope) {
      const fn = b.scope.node.childForFieldName('name')?.text ?? 'lambda';
      found.facts.push({ text: `${subject} is assigned from the parameter ${quoted(param.name)} of ${quoted(fn)}`, at });
      if (LOOP_PARAMETER.test(param.name) && b.scope.bindings.get(param.name)?.length === 1) this.addCallers(found, param);
      return true;
    }
    found.facts.push({ text: `${subject} is assigned from ${quoted(expr.text)}`, at });
    return true;
  }

  /** `loop or asyncio.get_event_loop()`, `loop if loop else get_event_loop()`: the alternative that is a known loop. */
  private loopAlternative(expr: Node, scope: Scope): Node | undefined {
    let operands: Array<Node | null> = [];
    if (expr.type === 'boolean_operator' && expr.childForFieldName('operator')?.text === 'or') {
      operands = [expr.childForFieldName('left'), expr.childForFieldName('right')];
    } else if (expr.type === 'conditional_expression') {
      operands = [expr.namedChild(0), expr.namedChild(2)];
    }
    return operands.find((o): o is Node => !!o && this.verdict(this.inference.evalExpr(o, scope)) === 'loop');
  }

  // ----- how the code uses it -----

  /**
   * Uses inside `container` of the receiver (`matches(object, at)` picks the receiver's expressions):
   * a method only event loops have, or `loop=<receiver>` given to an asyncio function.
   */
  private addUses(found: Facts, subject: string, asked: string, container: Node, matches: (object: Node, at: Node) => boolean): void {
    for (const attribute of container.descendantsOfType('attribute')) {
      const method = attribute?.childForFieldName('attribute')?.text;
      const obj = attribute?.childForFieldName('object');
      if (!attribute || !method || method === asked || !obj || !this.isLoopOnly(method) || !matches(obj, attribute)) continue;
      const called = attribute.parent?.type === 'call' && attribute.parent.childForFieldName('function')?.id === attribute.id;
      found.facts.push({ text: quoted(`${obj.text}.${method}${called ? '(...)' : ''}`), at: positionOf(attribute) });
      found.strong = true;
    }
    for (const call of container.descendantsOfType('call')) {
      if (!call) continue;
      const args = call.childForFieldName('arguments')?.namedChildren ?? [];
      const given = args.find((a) => a!.type === 'keyword_argument' && a!.childForFieldName('name')?.text === 'loop' && matchesValue(a!.childForFieldName('value')));
      const fn = call.childForFieldName('function');
      if (!fn) continue;
      const threadsafe = !given && args.length >= 2 && args[1]!.type !== 'keyword_argument' && matchesValue(args[1]);
      if (!given && !threadsafe) continue;
      const callee = this.inference.evalExpr(fn, this.model.scopeAt(call));
      const qualname = callee.t === 'func' ? callee.fn.qualname : callee.t === 'class' ? callee.cls.qualname : '';
      if (given && !ASYNCIO_QUALNAME.test(qualname)) continue;
      if (threadsafe && qualname !== RUN_COROUTINE_THREADSAFE) continue;
      found.facts.push({ text: `${subject} is given to ${quoted(`${fn.text}()`)} as its event loop`, at: positionOf(call) });
      found.strong = true;
    }

    function matchesValue(value: Node | null | undefined): boolean {
      return !!value && (value.type === 'identifier' || value.type === 'attribute') && matches(value, value);
    }
  }

  // ----- what its callers pass -----

  /** Every call of the function in this file gives the parameter a known event loop (at least one call). */
  private addCallers(found: Facts, param: Binding): void {
    const def = param.scope.node;
    if (def.type !== 'function_definition' || param.paramIndex === undefined) return;
    const name = def.childForFieldName('name')?.text;
    const classScope = param.scope.parent?.kind === 'class' ? param.scope.parent : undefined;
    const isInit = name === '__init__' && classScope !== undefined;
    const calledAs = isInit ? classScope!.node.childForFieldName('name')?.text : name;
    if (!calledAs) return;
    const facts: Evidence[] = [];
    for (const call of this.model.module.node.descendantsOfType('call')) {
      const fn = call?.childForFieldName('function');
      if (!call || !fn || !(fn.text === calledAs || fn.text.endsWith(`.${calledAs}`))) continue;
      const callee = this.inference.evalExpr(fn, this.model.scopeAt(call));
      const isCall = (callee.t === 'func' && callee.fn.node?.id === def.id) || (isInit && callee.t === 'class' && callee.cls.node?.id === classScope!.node.id);
      if (!isCall) continue;
      const skipsSelf = isInit || (callee.t === 'func' && callee.bound !== undefined);
      const arg = argumentFor(call, param.name, param.paramIndex - (skipsSelf ? 1 : 0));
      if (!arg || this.verdict(this.inference.evalExpr(arg, this.model.scopeAt(call))) !== 'loop') return;
      facts.push({ text: `${quoted(param.name)} is given an event loop by ${quoted(call.text)}`, at: positionOf(call) });
    }
    if (!facts.length) return;
    found.facts.push(...facts.slice(0, 2));
    found.strong = true;
  }

  /** A method only event loops have — unless a class of this file that is no event loop defines one too. */
  private isLoopOnly(method: string): boolean {
    if (!LOOP_ONLY_METHODS.has(method)) return false;
    if (!this.ownMethods) {
      this.ownMethods = new Set();
      for (const def of this.model.module.node.descendantsOfType('function_definition')) {
        const name = def?.childForFieldName('name')?.text;
        const classNode = def && enclosingClassOf(def);
        if (name && LOOP_ONLY_METHODS.has(name) && classNode && !this.inference.isEventLoop(this.inference.localClass(classNode))) this.ownMethods.add(name);
      }
    }
    return !this.ownMethods.has(method);
  }

  // ----- objects whose own create_task keeps the task -----

  /**
   * Whether this file defines a `create_task` method that may keep its task (an application's that
   * stores it in a set): an untyped `x.create_task(...)` here may be that one.
   */
  private fileDefinesKeepingCreateTask(): boolean {
    if (this.keepingCreateTask === undefined) {
      this.keepingCreateTask = this.model.module.node.descendantsOfType('function_definition').some((def) => {
        if (def?.childForFieldName('name')?.text !== 'create_task') return false;
        return enclosingClassOf(def) !== undefined && taskBodyOf(def) !== 'plain';
      });
    }
    return this.keepingCreateTask;
  }
}

/** The class whose body holds this def directly (as a method). */
function enclosingClassOf(def: Node): Node | undefined {
  let n = def.parent;
  if (n?.type === 'decorated_definition') n = n.parent;
  return n?.type === 'block' && n.parent?.type === 'class_definition' ? n.parent : undefined;
}

/** The first parameter of the method of `classNode` whose body holds `node` (nested functions included). */
function selfNameAt(node: Node, classNode: Node): string | undefined {
  for (let n = node.parent; n && n.id !== classNode.id; n = n.parent) {
    if (n.type === 'class_definition') return undefined;
    if (n.type === 'function_definition' && enclosingClassOf(n)?.id === classNode.id) return firstParameterName(n);
  }
  return undefined;
}

/** The argument a call passes for a parameter: by keyword, else by position when no `*args` comes first. */
function argumentFor(call: Node, name: string, index: number): Node | undefined {
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => a !== null && a.type !== 'comment');
  const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  if (keyword) return keyword.childForFieldName('value') ?? undefined;
  const positional: Node[] = [];
  for (const a of args) {
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    if (a.type !== 'keyword_argument') positional.push(a);
  }
  return index >= 0 ? positional[index] : undefined;
}
