// "What does this call give?" — the inference over one file, for the rules and the refactorings to
// ask. Local code is evaluated on the semantic model, imported modules through their summaries.
// The work is split by concern, each part in its own module written against the Evaluator
// interface (evaluator.ts); this class wires them together and is what the rest of the engine holds:
//   expressions.ts    what an expression of the file evaluates to
//   localBindings.ts  what a name of the file holds; the file's classes and their attributes
//   calls.ts          what calling and awaiting give (declared and inferred returns, decorators)
//   classes.ts        members, bases and the kind of awaitable an instance is
//   annotations.ts    what an annotation describes; type variables of generic bases
//   moduleMembers.ts  what imported modules hold, from their summaries
//   values.ts         the values all of them work with; containers.ts, declared containers
// Which asyncio calls create tasks or hand out futures is the rules' business (rules/asyncio-roles.ts).
import type { AwaitableKind } from '../../types';
import type { ModuleProvider } from '../modules';
import type { Binding, Scope, SemanticModel } from '../scopes';
import type { TypeExpr } from '../summary';
import type { Node } from '../tree';
import { Annotations } from './annotations';
import { Calls } from './calls';
import { Classes } from './classes';
import type { Evaluator, InferenceFile } from './evaluator';
import { Expressions } from './expressions';
import { LocalBindings } from './localBindings';
import { ModuleMembers } from './moduleMembers';
import { UNKNOWN, type ClassInfo, type NameContext, type Value } from './values';

/** A call as the inference sees it: what is called, what the call gives, and the kind of awaitable that is. */
export interface CallFacts {
  callee: Value;
  result: Value;
  /** `d.pop(k)`, `d[k]`-style retrievals hand back an awaitable made elsewhere: they create nothing ('unknown'). */
  kind: AwaitableKind;
}

export class Inference implements Evaluator {
  private readonly expressions: Expressions;
  private readonly calls: Calls;
  private readonly classes: Classes;
  private readonly annotations: Annotations;
  private readonly moduleMembers: ModuleMembers;
  private readonly localBindings: LocalBindings;

  constructor(
    readonly model: SemanticModel,
    modules: ModuleProvider,
    moduleName: string,
    isPackage: boolean,
    /** Without a project index the file's package is unknown, so relative imports are too. */
    packageKnown = true,
  ) {
    const file: InferenceFile = { model, tree: model.tree, modules, moduleName, isPackage, packageKnown };
    this.expressions = new Expressions(file, this);
    this.calls = new Calls(file, this);
    this.classes = new Classes(this);
    this.annotations = new Annotations(this);
    this.moduleMembers = new ModuleMembers(file, this);
    this.localBindings = new LocalBindings(file, this);
  }

  /** What the rules ask first of a call: its callee, its result, and the result's kind. */
  describeCall(call: Node, scope: Scope = this.model.scopeAt(call)): CallFacts {
    const fn = this.model.tree.field(call, 'function');
    const callee = fn ? this.evalExpr(fn, scope) : UNKNOWN;
    const result = this.evalExpr(call, scope);
    const kind = this.kindOf(result);
    return { callee, result, kind: callee.t === 'container-method' ? 'unknown' : kind };
  }

  evalExpr(node: Node, scope: Scope): Value {
    return this.expressions.evalExpr(node, scope);
  }

  callResult(callee: Value, selfClass?: ClassInfo): Value {
    return this.calls.callResult(callee, selfClass);
  }

  awaitResult(v: Value): Value {
    return this.calls.awaitResult(v);
  }

  kindOf(v: Value): AwaitableKind {
    return this.classes.kindOf(v);
  }

  getAttr(v: Value, name: string): Value {
    return this.classes.getAttr(v, name);
  }

  lookupMember(cls: ClassInfo, name: string, skipSelf: boolean): Value | undefined {
    return this.classes.lookupMember(cls, name, skipSelf);
  }

  bindMember(member: Value | undefined, via: 'instance' | 'class', cls: ClassInfo): Value {
    return this.classes.bindMember(member, via, cls);
  }

  isSubclassOf(cls: ClassInfo, qualname: string): boolean {
    return this.classes.isSubclassOf(cls, qualname);
  }

  isEventLoop(cls: ClassInfo): boolean {
    return this.classes.isEventLoop(cls);
  }

  resolveDotted(dotted: string, ctx: NameContext): Value {
    return this.annotations.resolveDotted(dotted, ctx);
  }

  resolveTypeHead(t: TypeExpr, ctx: NameContext): Value {
    return this.annotations.resolveTypeHead(t, ctx);
  }

  typeToValue(t: TypeExpr, ctx: NameContext, self?: ClassInfo): Value {
    return this.annotations.typeToValue(t, ctx, self);
  }

  isTypeVar(name: string, ctx: NameContext): boolean {
    return this.annotations.isTypeVar(name, ctx);
  }

  typeArgument(cls: ClassInfo, owner: ClassInfo, name: string, depth: number): { t: TypeExpr; ctx: NameContext } | undefined {
    return this.annotations.typeArgument(cls, owner, name, depth);
  }

  moduleMember(moduleName: string, name: string): Value | undefined {
    return this.moduleMembers.moduleMember(moduleName, name);
  }

  builtin(name: string): Value {
    return this.moduleMembers.builtin(name);
  }

  localContext(scope: Scope): NameContext {
    return this.localBindings.localContext(scope);
  }

  bindingValue(b: Binding): Value {
    return this.localBindings.bindingValue(b);
  }

  localClass(node: Node): ClassInfo {
    return this.localBindings.localClass(node);
  }

  /** What binds `attr` on instances of a class of this file: its class body, then `self.attr = ...` in its methods. */
  attributeBindings(classNode: Node, attr: string): Binding[] {
    return this.localBindings.attributeBindings(classNode, attr);
  }
}
