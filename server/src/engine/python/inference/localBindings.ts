// The names of the analysed file: what each binding holds (an assignment's value or annotation, a
// parameter's annotation or the class of `self`, an import, a def, a class, `with ... as`), the
// classes of this file with their members and `self.x = ...` attributes, and names that only a
// star import can bind.
import type { Binding, Scope } from '../scopes';
import { decoratorNames, defSymOf, dottedName, importedModuleOf, typeExprOf } from '../summary';
import { starImportStatements } from '../syntax';
import type { Node } from '../tree';
import { iterationOf, unpackedItemOf } from './containers';
import type { Evaluator, InferenceFile } from './evaluator';
import { merge, UNKNOWN, type ClassInfo, type NameContext, type Value } from './values';

export class LocalBindings {
  private readonly inProgress = new Set<Binding>();
  private readonly bindingValues = new Map<Binding, Value>();
  private readonly localClasses = new Map<Node, ClassInfo>();
  private readonly instanceAttributeCache = new Map<Scope, Map<string, Binding[]>>();
  private starModules: Array<string | undefined> | undefined;

  constructor(
    private readonly file: InferenceFile,
    private readonly e: Evaluator,
  ) {}

  localContext(scope: Scope): NameContext {
    return {
      moduleName: this.file.moduleName,
      lookup: (name) => {
        const owner = scope.resolve(name);
        if (!owner) return this.starImported(name) ?? this.e.builtin(name);
        const bindings = owner.bindings.get(name) ?? [];
        return merge(bindings.map((b) => this.bindingValue(b)));
      },
    };
  }

  /**
   * A name this file binds nowhere, from its `from m import *` statements (the last that exports it
   * wins; `__all__` says what a module exports, else every name not starting with `_`). Unknown when
   * a star-imported module is unknown: the name may come from it.
   */
  private starImported(name: string): Value | undefined {
    const tree = this.file.tree;
    this.starModules ??= starImportStatements(tree, this.file.model.module.node).map((stmt) =>
      !this.file.packageKnown && tree.type(tree.field(stmt, 'module_name')) === 'relative_import' ? undefined : importedModuleOf(tree, stmt, this.file.moduleName, this.file.isPackage),
    );
    for (let i = this.starModules.length - 1; i >= 0; i--) {
      const m = this.starModules[i];
      const target = m && this.file.modules.getModule(m);
      if (!m || !target) return UNKNOWN;
      const exported = target.all ? target.all.includes(name) : !name.startsWith('_');
      if (exported) return this.e.moduleMember(m, name) ?? UNKNOWN;
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
        const prefix = owner ? owner.qualname : this.file.moduleName;
        return { t: 'func', fn: { qualname: `${prefix}.${b.name}`, name: b.name, syms: [defSymOf(this.file.tree, b.node)], ctx, node: b.node, owner } };
      }
      case 'class':
        return { t: 'class', cls: this.localClass(b.node) };
      case 'import': {
        const tree = this.file.tree;
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
        const tree = this.file.tree;
        if (!this.file.packageKnown && tree.type(tree.field(b.node, 'module_name')) === 'relative_import') return UNKNOWN;
        const m = importedModuleOf(tree, b.node, this.file.moduleName, this.file.isPackage);
        if (!m) return UNKNOWN;
        for (const c of tree.fieldChildren(b.node, 'name')) {
          const aliased = tree.type(c) === 'aliased_import';
          const alias = aliased ? tree.fieldText(c, 'alias') : tree.textOf(c);
          if (alias !== b.name) continue;
          const original = aliased ? dottedName(tree, tree.field(c, 'name')) : tree.textOf(c);
          if (!original) return UNKNOWN;
          return (
            this.e.moduleMember(m, original) ??
            (this.file.modules.getModule(`${m}.${original}`) ? { t: 'module', name: `${m}.${original}` } : UNKNOWN)
          );
        }
        return UNKNOWN;
      }
      case 'assign': {
        if (b.annotation && b.value && this.isTypeAliasAnnotation(b.annotation, b.scope)) {
          const type = typeExprOf(this.file.tree, b.value);
          return type ? { t: 'alias', type, ctx } : UNKNOWN;
        }
        const annotated = b.annotation ? this.annotationValue(b.annotation, b.scope) : UNKNOWN;
        if (annotated.t !== 'unknown') return annotated;
        if (!b.value) return UNKNOWN;
        return unpack(this.e.evalExpr(b.value, b.scope), b.path);
      }
      case 'for': {
        if (!b.value) return UNKNOWN;
        const iterable = this.e.evalExpr(b.value, b.scope);
        return iterable.t === 'container' ? unpack(iterationOf(iterable), b.path) : UNKNOWN;
      }
      case 'walrus':
        return b.value ? this.e.evalExpr(b.value, b.scope) : UNKNOWN;
      case 'param':
        return this.parameterValue(b);
      case 'with': {
        if (!b.value) return UNKNOWN;
        const manager = this.e.evalExpr(b.value, b.scope);
        if (manager.t === 'context-manager') return manager.async === !!b.async ? unpack(manager.entered(), b.path) : UNKNOWN;
        const enter = this.e.getAttr(manager, b.async ? '__aenter__' : '__enter__');
        const entered = this.e.callResult(enter);
        return unpack(b.async ? this.e.awaitResult(entered) : entered, b.path);
      }
      default:
        return UNKNOWN;
    }
  }

  /** `X: TypeAlias = ...` */
  private isTypeAliasAnnotation(annotation: Node, scope: Scope): boolean {
    const t = typeExprOf(this.file.tree, annotation);
    const head = t && !t.a ? this.e.resolveDotted(t.n, this.localContext(scope)) : undefined;
    return head?.t === 'special' && head.name === 'typing.TypeAlias';
  }

  private annotationValue(annotation: Node, scope: Scope): Value {
    const t = typeExprOf(this.file.tree, annotation);
    return t ? this.e.typeToValue(t, this.localContext(scope), this.enclosingClass(scope)) : UNKNOWN;
  }

  private enclosingClass(scope: Scope): ClassInfo | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.kind === 'class') return this.localClass(s.node);
    return undefined;
  }

  private parameterValue(b: Binding): Value {
    const fnScope = b.scope;
    if (b.annotation) return this.annotationValue(b.annotation, fnScope.parent ?? fnScope);
    if (b.paramIndex !== 0 || fnScope.kind !== 'function' || fnScope.parent?.kind !== 'class') return UNKNOWN;
    const decos = decoratorNames(this.file.tree, fnScope.node);
    if (decos.includes('staticmethod')) return UNKNOWN;
    const cls = this.localClass(fnScope.parent.node);
    return decos.includes('classmethod') ? { t: 'class', cls } : { t: 'inst', cls };
  }

  localClass(node: Node): ClassInfo {
    const tree = this.file.tree;
    const cached = this.localClasses.get(node);
    if (cached) return cached;
    const classScope = this.file.model.scopeOfNode.get(node)!.complete();
    const outer = classScope.parent ?? this.file.model.module;
    const name = tree.fieldText(node, 'name') ?? '?';
    let bases: Value[] | undefined;
    const members = new Map<string, Value | undefined>();
    const info: ClassInfo = {
      qualname: outer.kind === 'module' ? `${this.file.moduleName}.${name}` : `${this.file.moduleName}.<local>.${name}@${tree.startIndex(node)}`,
      node,
      bases: () =>
        (bases ??= tree
          .namedChildren(tree.field(node, 'superclasses'))
          .filter((c) => tree.type(c) !== 'keyword_argument')
          .map((c) => {
            const t = typeExprOf(tree, c);
            return t ? this.e.resolveTypeHead(t, this.localContext(outer)) : UNKNOWN;
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
    const classScope = this.file.model.scopeOfNode.get(classNode)?.complete();
    if (!classScope) return [];
    return classScope.bindings.get(attr) ?? this.instanceAttributesOf(classScope).get(attr) ?? [];
  }

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
