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
import type { Evidence, Position } from '../../types';
import type { Inference } from '../inference';
import type { Value } from '../inference/values';
import type { Binding, Scope, SemanticModel } from '../scopes';
import { decoratorNames } from '../summary';
import { firstParameterName } from '../syntax';
import { taskBodyOf } from '../taskKeeping';
import type { Node, SyntaxTree } from '../tree';

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

function positionOf(tree: SyntaxTree, node: Node): Position {
  const p = tree.startPosition(node);
  return { line: p.row, character: p.column };
}

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > 60 ? `${flat.slice(0, 59)}…` : flat}”`;
}

export class LoopEvidence {
  private readonly cache = new Map<string, Evidence[] | null>();
  private keepingCreateTask: boolean | undefined;
  private ownMethods: Set<string> | undefined;
  private readonly tree: SyntaxTree;

  constructor(
    private readonly inference: Inference,
    private readonly model: SemanticModel,
  ) {
    this.tree = model.tree;
  }

  /** The evidence that `receiver` (a name, or `self.attr` in a method) is an event loop, or undefined. */
  of(receiver: Node, scope: Scope, method: string): Evidence[] | undefined {
    if (method === 'create_task' && this.fileDefinesKeepingCreateTask()) return undefined;
    const type = this.tree.type(receiver);
    if (type === 'identifier') return this.ofName(this.tree.textOf(receiver), scope, method);
    if (type === 'attribute') return this.ofSelfAttribute(receiver, scope, method);
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
    const tree = this.tree;
    const owner = scope.resolve(name);
    if (!owner || (owner.kind !== 'function' && owner.kind !== 'lambda')) return undefined;
    return this.cached(`name\0${owner.node}\0${name}\0${asked}`, () => {
      const subject = quoted(name);
      const found: Facts = { facts: [], strong: false };
      for (const b of owner.bindings.get(name) ?? []) if (!this.addBinding(found, b, subject)) return undefined;
      const isOwn = (id: Node) => this.model.scopeAt(id).resolve(name) === owner;
      this.addUses(found, subject, asked, owner.node, (obj) => tree.type(obj) === 'identifier' && tree.textOf(obj) === name && isOwn(obj));
      return this.conclude(subject, found);
    });
  }

  // ----- `self.attr` in a method -----

  private ofSelfAttribute(receiver: Node, scope: Scope, asked: string): Evidence[] | undefined {
    const tree = this.tree;
    const obj = tree.field(receiver, 'object');
    const attr = tree.fieldText(receiver, 'attribute');
    if (tree.type(obj) !== 'identifier' || !attr) return undefined;
    const objName = tree.textOf(obj);
    const owner = scope.resolve(objName);
    const classScope = owner?.parent;
    if (owner?.kind !== 'function' || classScope?.kind !== 'class') return undefined;
    if (firstParameterName(tree, owner.node) !== objName) return undefined;
    if (decoratorNames(tree, owner.node).some((d) => d === 'staticmethod' || d === 'classmethod')) return undefined;
    const classNode = classScope.node;
    return this.cached(`attr\0${classNode}\0${attr}\0${asked}`, () => {
      const bindings = this.inference.attributeBindings(classNode, attr);
      if (!bindings.length) return undefined; // set somewhere we cannot see (a base class, another module)
      const subject = quoted(`${objName}.${attr}`);
      const found: Facts = { facts: [], strong: false };
      for (const b of bindings) if (!this.addBinding(found, b, subject)) return undefined;
      this.addUses(found, subject, asked, classNode, (o, at) => {
        if (tree.type(o) !== 'attribute' || tree.fieldText(o, 'attribute') !== attr) return false;
        const self = tree.field(o, 'object');
        return tree.type(self) === 'identifier' && tree.textOf(self) === selfNameAt(tree, at, classNode);
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
    const tree = this.tree;
    const value = this.inference.bindingValue(b);
    const verdict = this.verdict(value);
    if (verdict === 'other') return false;
    const at = positionOf(tree, b.node);
    if (verdict === 'loop') {
      found.facts.push({ text: `${subject} is assigned the event loop ${quoted(tree.textOf(b.value ?? b.node))}`, at });
      found.strong = true;
      return true;
    }
    if (value.t === 'none') return true; // a placeholder until the loop is known
    if (b.kind === 'param') {
      const fn = tree.fieldText(b.scope.node, 'name') ?? 'lambda';
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
      found.facts.push({ text: `${subject} falls back to the event loop ${quoted(tree.textOf(fallback))}`, at });
      found.strong = true;
      return true;
    }
    const exprName = tree.textOf(expr);
    const param = tree.type(expr) === 'identifier' ? b.scope.bindings.get(exprName)?.find((p) => p.kind === 'param') : undefined;
    if (param && b.scope.resolve(exprName) === b.scope) {
      const fn = tree.fieldText(b.scope.node, 'name') ?? 'lambda';
      found.facts.push({ text: `${subject} is assigned from the parameter ${quoted(param.name)} of ${quoted(fn)}`, at });
      if (LOOP_PARAMETER.test(param.name) && b.scope.bindings.get(param.name)?.length === 1) this.addCallers(found, param);
      return true;
    }
    found.facts.push({ text: `${subject} is assigned from ${quoted(exprName)}`, at });
    return true;
  }

  /** `loop or asyncio.get_event_loop()`, `loop if loop else get_event_loop()`: the alternative that is a known loop. */
  private loopAlternative(expr: Node, scope: Scope): Node | undefined {
    const tree = this.tree;
    let operands: Node[] = [];
    if (tree.type(expr) === 'boolean_operator' && tree.fieldText(expr, 'operator') === 'or') {
      operands = [tree.field(expr, 'left'), tree.field(expr, 'right')];
    } else if (tree.type(expr) === 'conditional_expression') {
      operands = [tree.namedChild(expr, 0), tree.namedChild(expr, 2)];
    }
    return operands.find((o) => !!o && this.verdict(this.inference.evalExpr(o, scope)) === 'loop');
  }

  // ----- how the code uses it -----

  /**
   * Uses inside `container` of the receiver (`matches(object, at)` picks the receiver's expressions):
   * a method only event loops have, or `loop=<receiver>` given to an asyncio function.
   */
  private addUses(found: Facts, subject: string, asked: string, container: Node, matches: (object: Node, at: Node) => boolean): void {
    const tree = this.tree;
    for (const attribute of tree.descendantsOfType(container, 'attribute')) {
      const method = tree.fieldText(attribute, 'attribute');
      const obj = tree.field(attribute, 'object');
      if (!method || method === asked || !obj || !this.isLoopOnly(method) || !matches(obj, attribute)) continue;
      const parent = tree.parent(attribute);
      const called = tree.type(parent) === 'call' && tree.field(parent, 'function') === attribute;
      found.facts.push({ text: quoted(`${tree.textOf(obj)}.${method}${called ? '(...)' : ''}`), at: positionOf(tree, attribute) });
      found.strong = true;
    }
    for (const call of tree.descendantsOfType(container, 'call')) {
      const args = tree.namedChildren(tree.field(call, 'arguments'));
      const given = args.find((a) => tree.type(a) === 'keyword_argument' && tree.fieldText(a, 'name') === 'loop' && matchesValue(tree.field(a, 'value')));
      const fn = tree.field(call, 'function');
      if (!fn) continue;
      const threadsafe = !given && args.length >= 2 && tree.type(args[1]) !== 'keyword_argument' && matchesValue(args[1]);
      if (!given && !threadsafe) continue;
      const callee = this.inference.evalExpr(fn, this.model.scopeAt(call));
      const qualname = callee.t === 'func' ? callee.fn.qualname : callee.t === 'class' ? callee.cls.qualname : '';
      if (given && !ASYNCIO_QUALNAME.test(qualname)) continue;
      if (threadsafe && qualname !== RUN_COROUTINE_THREADSAFE) continue;
      found.facts.push({ text: `${subject} is given to ${quoted(`${tree.textOf(fn)}()`)} as its event loop`, at: positionOf(tree, call) });
      found.strong = true;
    }

    function matchesValue(value: Node): boolean {
      return !!value && (tree.type(value) === 'identifier' || tree.type(value) === 'attribute') && matches(value, value);
    }
  }

  // ----- what its callers pass -----

  /** Every call of the function in this file gives the parameter a known event loop (at least one call). */
  private addCallers(found: Facts, param: Binding): void {
    const tree = this.tree;
    const def = param.scope.node;
    if (tree.type(def) !== 'function_definition' || param.paramIndex === undefined) return;
    const name = tree.fieldText(def, 'name');
    const classScope = param.scope.parent?.kind === 'class' ? param.scope.parent : undefined;
    const isInit = name === '__init__' && classScope !== undefined;
    const calledAs = isInit ? tree.fieldText(classScope!.node, 'name') : name;
    if (!calledAs) return;
    const facts: Evidence[] = [];
    for (const call of tree.descendantsOfType(this.model.module.node, 'call')) {
      const fn = tree.field(call, 'function');
      const fnText = tree.textOf(fn);
      if (!fn || !(fnText === calledAs || fnText.endsWith(`.${calledAs}`))) continue;
      const callee = this.inference.evalExpr(fn, this.model.scopeAt(call));
      const isCall = (callee.t === 'func' && callee.fn.node === def) || (isInit && callee.t === 'class' && callee.cls.node === classScope!.node);
      if (!isCall) continue;
      const skipsSelf = isInit || (callee.t === 'func' && callee.bound !== undefined);
      const arg = argumentFor(tree, call, param.name, param.paramIndex - (skipsSelf ? 1 : 0));
      if (!arg || this.verdict(this.inference.evalExpr(arg, this.model.scopeAt(call))) !== 'loop') return;
      facts.push({ text: `${quoted(param.name)} is given an event loop by ${quoted(tree.textOf(call))}`, at: positionOf(tree, call) });
    }
    if (!facts.length) return;
    found.facts.push(...facts.slice(0, 2));
    found.strong = true;
  }

  /** A method only event loops have — unless a class of this file that is no event loop defines one too. */
  private isLoopOnly(method: string): boolean {
    if (!LOOP_ONLY_METHODS.has(method)) return false;
    if (!this.ownMethods) {
      const tree = this.tree;
      this.ownMethods = new Set();
      for (const def of tree.descendantsOfType(this.model.module.node, 'function_definition')) {
        const name = tree.fieldText(def, 'name');
        const classNode = enclosingClassOf(tree, def);
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
      const tree = this.tree;
      this.keepingCreateTask = tree.descendantsOfType(this.model.module.node, 'function_definition').some((def) => {
        if (tree.fieldText(def, 'name') !== 'create_task') return false;
        return enclosingClassOf(tree, def) !== undefined && taskBodyOf(tree, def) !== 'plain';
      });
    }
    return this.keepingCreateTask;
  }
}

/** The class whose body holds this def directly (as a method). */
function enclosingClassOf(tree: SyntaxTree, def: Node): Node | undefined {
  let n = tree.parent(def);
  if (tree.type(n) === 'decorated_definition') n = tree.parent(n);
  const classNode = tree.parent(n);
  return tree.type(n) === 'block' && tree.type(classNode) === 'class_definition' ? classNode : undefined;
}

/** The first parameter of the method of `classNode` whose body holds `node` (nested functions included). */
function selfNameAt(tree: SyntaxTree, node: Node, classNode: Node): string | undefined {
  for (let n = tree.parent(node); n && n !== classNode; n = tree.parent(n)) {
    const type = tree.type(n);
    if (type === 'class_definition') return undefined;
    if (type === 'function_definition' && enclosingClassOf(tree, n) === classNode) return firstParameterName(tree, n);
  }
  return undefined;
}

/** The argument a call passes for a parameter: by keyword, else by position when no `*args` comes first. */
function argumentFor(tree: SyntaxTree, call: Node, name: string, index: number): Node | undefined {
  const args = tree.namedChildren(tree.field(call, 'arguments')).filter((a) => tree.type(a) !== 'comment');
  const keyword = args.find((a) => tree.type(a) === 'keyword_argument' && tree.fieldText(a, 'name') === name);
  if (keyword) return tree.field(keyword, 'value') || undefined;
  const positional: Node[] = [];
  for (const a of args) {
    const type = tree.type(a);
    if (type === 'list_splat' || type === 'dictionary_splat') return undefined;
    if (type !== 'keyword_argument') positional.push(a);
  }
  return index >= 0 ? positional[index] : undefined;
}
