// The semantic model of one file: scopes, the bindings in each, and where each name is read.
import type { Node } from './parser';
import { computeFlow, type FlowInfo } from './flow';
import { fieldChildren } from './summary';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

export type BindingKind =
  | 'def'
  | 'class'
  | 'import'
  | 'from-import'
  | 'assign'
  | 'param'
  | 'with'
  | 'walrus'
  /** `for x in <value>` (and a comprehension's `for` clause): x is an item of the value. */
  | 'for'
  | 'other';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that is bound (or the def/class/import node). */
  node: Node;
  /** `x = <value>`, `with <value> as x`, `(x := <value>)`. */
  value?: Node;
  annotation?: Node;
  /** For `a, (b, c) = value`: the path of indexes into nested tuples (negative: from the end, after a `*rest`). */
  path?: number[];
  /** For `with`: whether it is `async with`. */
  async?: boolean;
  /** For `param`: its position among the parameters (0 = first). */
  paramIndex?: number;
  scope: Scope;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  /** Identifier nodes read anywhere whose name resolves to a binding of this scope. */
  readonly reads = new Map<string, Node[]>();
  /** Names of this scope read from a nested scope (a closure may run at any time). */
  readonly closureReads = new Set<string>();
  readonly children: Scope[] = [];
  /** True when `locals()`, `vars()`, `eval` or `exec` is called here: every local may be read. */
  dynamic = false;
  /** `obj.attr = value` statements directly in this scope (a method's `self.x = ...`). */
  readonly attributeAssignments: Array<{ object: string; attr: string; target: Node; value?: Node; annotation?: Node }> = [];

  /** Visits a deferred function body; set while the body has not been visited. */
  private pending: (() => void) | undefined;

  constructor(
    readonly kind: ScopeKind,
    readonly node: Node,
    readonly parent: Scope | undefined,
  ) {
    parent?.children.push(this);
  }

  /** Defers visiting this function's body until something needs what is in it. */
  defer(visitBody: () => void): void {
    this.pending = visitBody;
  }

  /** Visits the body if it was deferred: bindings, reads, calls and nested scopes are complete after this. */
  complete(): this {
    const pending = this.pending;
    this.pending = undefined;
    pending?.();
    return this;
  }

  get isAsyncFunction(): boolean {
    return this.kind === 'function' && this.node.child(0)?.type === 'async';
  }

  /** The scope a read of `name` here refers to, by Python's rules (class bodies are skipped by nested scopes). */
  resolve(name: string): Scope | undefined {
    if (this.globals.has(name)) return this.module();
    if (this.nonlocals.has(name)) {
      for (let s = this.parent; s; s = s.parent) if (s.kind === 'function' && s.bindings.has(name)) return s;
      return undefined;
    }
    if (this.bindings.has(name)) return this;
    for (let s = this.parent; s; s = s.parent) {
      if (s.kind === 'class') continue;
      if (s.bindings.has(name) && !s.globals.has(name)) return s;
      if (s.globals.has(name)) return s.module();
    }
    return undefined;
  }

  module(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

export interface CallRecord {
  node: Node;
  scope: Scope;
  ancestors: Node[];
  /** The module-level statement that holds the call. */
  topLevel: Node;
}

export interface SemanticModel {
  module: Scope;
  /**
   * The scope of every scope-creating node, by node id. The bodies of classes and functions outside
   * any function are visited on first need: call `complete()` on such a scope before reading it.
   */
  scopeOfNode: Map<number, Scope>;
  /** Visits the deferred bodies (classes, functions) that hold `node`. */
  completeAround(node: Node): void;
  /** The completed scope of a `def`. */
  functionScope(def: Node): Scope | undefined;
  /** Visits every deferred body; `calls` and `comments` are then whole and in source order. */
  completeAll(): void;
  /** The scope each binding identifier and each read identifier belongs to. */
  scopeAt(node: Node): Scope;
  /**
   * The functions outside any other function (module-level defs and methods) visited so far (all,
   * in source order, after `completeAll`), each
   * each as its outermost node (the decorated definition when it has decorators): units whose bodies
   * nothing else reads, which an editor can re-analyse on their own.
   */
  units: Node[];
  /** Every call visited so far, with the scope it is evaluated in and its nearest ancestors (parent last). */
  calls: CallRecord[];
  /** Every comment node visited so far. */
  comments: Node[];
  /** Which bindings reach which reads in a scope; computed on first use. */
  flow(scope: Scope): FlowInfo<Binding>;
}

const SCOPE_NODES: Record<string, ScopeKind> = {
  function_definition: 'function',
  class_definition: 'class',
  lambda: 'lambda',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

const DYNAMIC_CALLS = new Set(['locals', 'vars', 'eval', 'exec']);

export function buildSemanticModel(root: Node): SemanticModel {
  const module = new Scope('module', root, undefined);
  const scopeOfNode = new Map<number, Scope>([[root.id, module]]);
  const pendingReads: Array<{ scope: Scope; node: Node }> = [];
  const calls: CallRecord[] = [];
  const comments: Node[] = [];
  const units: Node[] = [];

  const bind = (scope: Scope, b: Omit<Binding, 'scope'>): Binding => {
    const binding = { ...b, scope } as Binding;
    const list = scope.bindings.get(b.name);
    if (list) list.push(binding);
    else scope.bindings.set(b.name, [binding]);
    return binding;
  };

  const bindTarget = (scope: Scope, target: Node, kind: BindingKind, value: Node | undefined, path: number[], extra: Partial<Binding> = {}): void => {
    switch (target.type) {
      case 'identifier':
        bind(scope, { name: target.text, kind, node: target, value, path: path.length ? path : undefined, ...extra });
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const items = target.namedChildren;
        const star = items.findIndex((c) => c!.type === 'list_splat_pattern' || c!.type === 'list_splat');
        items.forEach((c, i) => bindTarget(scope, c!, kind, value, [...path, star >= 0 && i > star ? i - items.length : i], extra));
        return;
      }
      case 'parenthesized_expression':
        if (target.namedChild(0)) bindTarget(scope, target.namedChild(0)!, kind, value, path, extra);
        return;
      case 'list_splat_pattern':
      case 'list_splat':
        if (target.namedChild(0)) bindTarget(scope, target.namedChild(0)!, 'other', undefined, [], {});
        return;
      default:
        // attribute / subscript targets bind nothing but read their object
        visit(target, scope);
    }
  };

  const bindParameters = (scope: Scope, params: Node | null): void => {
    if (!params) return;
    let index = 0;
    for (const p of params.namedChildren) {
      let nameNode: Node | null = null;
      let annotation: Node | null = null;
      switch (p!.type) {
        case 'identifier':
          nameNode = p;
          break;
        case 'typed_parameter':
          nameNode = p!.namedChildren.find((c) => c!.type === 'identifier') ?? null;
          annotation = p!.childForFieldName('type');
          if (!nameNode) {
            const splat = p!.namedChildren.find((c) => c!.type === 'list_splat_pattern' || c!.type === 'dictionary_splat_pattern');
            nameNode = splat?.namedChild(0) ?? null;
            annotation = null; // *args: T is a tuple of T, **kw: T a dict: neither is a T
          }
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          nameNode = p!.childForFieldName('name');
          annotation = p!.childForFieldName('type');
          visit(p!.childForFieldName('value'), scope.parent ?? scope);
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          nameNode = p!.namedChild(0);
          break;
      }
      if (annotation) visit(annotation, scope.parent ?? scope);
      if (nameNode?.type === 'identifier') {
        bind(scope, { name: nameNode.text, kind: 'param', node: nameNode, annotation: annotation ?? undefined, paramIndex: index });
      }
      index++;
    }
  };

  const visitChildren = (node: Node, scope: Scope): void => {
    for (const c of node.namedChildren) visit(c, scope);
  };

  // The nodes being visited, outermost first: a call's ancestors, without asking tree-sitter
  // for parents (which it finds by walking down from the root).
  const stack: Node[] = [];

  function visit(node: Node | null, scope: Scope): void {
    if (!node) return;
    stack.push(node);
    try {
      visitNode(node, scope);
    } finally {
      stack.pop();
    }
  }

  function visitNode(node: Node, scope: Scope): void {
    switch (node.type) {
      case 'identifier':
        pendingReads.push({ scope, node });
        return;
      case 'comment':
        comments.push(node);
        return;
      case 'string_content':
        return;
      case 'decorated_definition': {
        const definition = node.childForFieldName('definition');
        if (definition?.type === 'function_definition' && outsideFunctions(scope)) {
          // decorators are visited with the deferred body (they are evaluated in `scope` all the same)
          visit(definition, scope);
          return;
        }
        for (const c of node.namedChildren) if (c!.type === 'decorator') visit(c, scope);
        visit(definition, scope);
        return;
      }
      case 'function_definition': {
        const name = node.childForFieldName('name');
        const inner = new Scope('function', node, scope);
        scopeOfNode.set(node.id, inner);
        if (name) bind(scope, { name: name.text, kind: 'def', node });
        if (outsideFunctions(scope)) {
          // Such a function is a unit of its own: nothing outside it reads its locals, so its
          // decorators, signature and body are visited when something first needs them.
          const ancestors = stack.slice();
          const decorated = ancestors[ancestors.length - 2];
          units.push(decorated?.type === 'decorated_definition' ? decorated : node);
          inner.defer(() => visitDeferred(ancestors, inner, () => visitFunction(node, scope, inner, true)));
        } else visitFunction(node, scope, inner, false);
        return;
      }
      case 'class_definition': {
        const name = node.childForFieldName('name');
        visit(node.childForFieldName('superclasses'), scope);
        visitHeaderComments(node, scope);
        const inner = new Scope('class', node, scope);
        scopeOfNode.set(node.id, inner);
        if (name) bind(scope, { name: name.text, kind: 'class', node });
        const body = node.childForFieldName('body');
        if (outsideFunctions(scope)) {
          // its members are bound when something first looks into the class
          const ancestors = stack.slice();
          inner.defer(() => visitDeferred(ancestors, inner, () => visit(body, inner)));
        } else visit(body, inner);
        return;
      }
      case 'lambda': {
        const inner = new Scope('lambda', node, scope);
        scopeOfNode.set(node.id, inner);
        bindParameters(inner, node.childForFieldName('parameters'));
        visit(node.childForFieldName('body'), inner);
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const inner = new Scope(SCOPE_NODES[node.type], node, scope);
        scopeOfNode.set(node.id, inner);
        // for-clauses first so that their targets are bound before the body's reads resolve
        for (const c of node.namedChildren) {
          if (c!.type === 'for_in_clause') {
            const right = c!.childForFieldName('right') ?? undefined;
            const isAsync = c!.child(0)?.type === 'async';
            bindTarget(inner, c!.childForFieldName('left')!, isAsync ? 'other' : 'for', isAsync ? undefined : right, []);
            visit(right ?? null, inner);
          }
        }
        for (const c of node.namedChildren) if (c!.type !== 'for_in_clause') visit(c, inner);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (const c of node.namedChildren) {
          if (c!.type === 'identifier') (node.type === 'global_statement' ? scope.globals : scope.nonlocals).add(c!.text);
        }
        return;
      case 'import_statement':
        for (const c of node.namedChildren) {
          if (c!.type === 'dotted_name') bind(scope, { name: c!.namedChild(0)!.text, kind: 'import', node });
          else if (c!.type === 'aliased_import') {
            const alias = c!.childForFieldName('alias');
            if (alias) bind(scope, { name: alias.text, kind: 'import', node });
          }
        }
        return;
      case 'import_from_statement':
        for (const c of fieldChildren(node, 'name')) {
          const alias = c.type === 'aliased_import' ? c.childForFieldName('alias') : c;
          if (alias) bind(scope, { name: alias.text, kind: 'from-import', node });
        }
        return;
      case 'future_import_statement':
        return;
      case 'assignment': {
        const right = node.childForFieldName('right');
        const type = node.childForFieldName('type');
        visit(right, scope);
        visit(type, scope);
        const left = node.childForFieldName('left');
        if (!left) return;
        // `a = b = value` nests: the inner assignment is the right-hand side
        const value = right?.type === 'assignment' ? innermostValue(right) : right ?? undefined;
        if (left.type === 'attribute') {
          const object = left.childForFieldName('object');
          const attr = left.childForFieldName('attribute');
          if (object?.type === 'identifier' && attr) {
            scope.attributeAssignments.push({ object: object.text, attr: attr.text, target: left, value: right?.type === 'assignment' ? undefined : value, annotation: type ?? undefined });
          }
        }
        bindTarget(scope, left, 'assign', value ?? undefined, [], { annotation: type ?? undefined });
        return;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        visit(node.childForFieldName('right'), scope);
        if (left?.type === 'identifier') {
          pendingReads.push({ scope, node: left });
          bind(scope, { name: left.text, kind: 'other', node: left });
        } else visit(left, scope);
        return;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        visit(value, scope);
        let target = scope;
        while (target.kind === 'comprehension' && target.parent) target = target.parent;
        if (name) bind(target, { name: name.text, kind: 'walrus', node: name, value: value ?? undefined });
        return;
      }
      case 'for_statement': {
        const right = node.childForFieldName('right') ?? undefined;
        visit(right ?? null, scope);
        const left = node.childForFieldName('left');
        const isAsync = node.child(0)?.type === 'async';
        if (left) bindTarget(scope, left, isAsync ? 'other' : 'for', isAsync ? undefined : right, []);
        visit(node.childForFieldName('body'), scope);
        visit(node.childForFieldName('alternative'), scope);
        return;
      }
      case 'with_statement': {
        const isAsync = node.child(0)?.type === 'async';
        const clause = node.namedChildren.find((c) => c!.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const value = item!.childForFieldName('value');
          if (value?.type === 'as_pattern') {
            const expr = value.namedChild(0);
            visit(expr, scope);
            const target = value.childForFieldName('alias')?.namedChild(0) ?? value.childForFieldName('alias');
            if (target && expr) bindTarget(scope, target, 'with', expr, [], { async: isAsync });
          } else visit(value, scope);
        }
        visit(node.childForFieldName('body'), scope);
        return;
      }
      case 'except_clause': {
        for (const c of node.namedChildren) {
          if (c!.type === 'as_pattern') {
            visit(c!.namedChild(0), scope);
            const alias = c!.childForFieldName('alias')?.namedChild(0) ?? c!.childForFieldName('alias');
            if (alias?.type === 'identifier') bind(scope, { name: alias.text, kind: 'other', node: alias });
          } else visit(c, scope);
        }
        return;
      }
      case 'delete_statement':
        // `del x` unbinds; it is not a use that keeps a value alive
        for (const c of node.namedChildren) if (c!.type !== 'identifier') visit(c, scope);
        return;
      case 'attribute':
        visit(node.childForFieldName('object'), scope);
        return;
      case 'keyword_argument':
        visit(node.childForFieldName('value'), scope);
        return;
      case 'call': {
        calls.push({ node, scope, ancestors: stack.slice(Math.max(0, stack.length - 12), -1), topLevel: stack[1] ?? node });
        const fn = node.childForFieldName('function');
        if (fn?.type === 'identifier' && DYNAMIC_CALLS.has(fn.text)) scope.dynamic = true;
        visitChildren(node, scope);
        return;
      }
      case 'as_pattern': // match-statement captures: bind them without types
      case 'case_pattern':
        visitPattern(node, scope);
        return;
      default:
        visitChildren(node, scope);
    }
  }

  const visitPattern = (node: Node, scope: Scope): void => {
    for (const c of node.namedChildren) {
      if (c!.type === 'identifier') bind(scope, { name: c!.text, kind: 'other', node: c! });
      else if (c!.type === 'dotted_name') pendingReads.push({ scope, node: c!.namedChild(0)! });
      else visitPattern(c!, scope);
    }
  };

  // Reads resolve once every binding they may refer to is known: those of the module and class
  // bodies after the first pass, those of a deferred body when it is visited.
  const resolveReads = (): void => {
    for (const { scope, node } of pendingReads.splice(0)) {
      const owner = scope.resolve(node.text);
      if (!owner) continue;
      if (owner !== scope) owner.closureReads.add(node.text);
      const list = owner.reads.get(node.text);
      if (list) list.push(node);
      else owner.reads.set(node.text, [node]);
    }
  };
  // A dynamic scope may read any of its own names and its enclosing functions' names.
  const markDynamic = (s: Scope) => {
    if (s.dynamic) for (let p: Scope | undefined = s; p && p.kind !== 'module'; p = p.parent) p.dynamic = true;
    s.children.forEach(markDynamic);
  };

  function visitFunction(node: Node, scope: Scope, inner: Scope, deferred: boolean): void {
    const decorated = stack[stack.length - 2];
    if (deferred && decorated?.type === 'decorated_definition') {
      // a deferred function's decorators, visited as children of the decorated definition
      stack.pop();
      for (const c of decorated.namedChildren) if (c!.type === 'decorator') visit(c, scope);
      stack.push(node);
    }
    visit(node.childForFieldName('return_type'), scope);
    bindParameters(inner, node.childForFieldName('parameters'));
    visitHeaderComments(node, scope);
    visit(node.childForFieldName('body'), inner);
  }

  /** Comments between a def's or class's name and its body (`def f():  # ...`): their suppressions count too. */
  function visitHeaderComments(node: Node, scope: Scope): void {
    for (const c of node.namedChildren) if (c!.type === 'comment') visit(c, scope);
  }

  function visitDeferred(ancestors: Node[], inner: Scope, visitUnit: () => void): void {
    const outer = stack.splice(0, stack.length, ...ancestors);
    try {
      visitUnit();
    } finally {
      stack.splice(0, stack.length, ...outer);
    }
    resolveReads();
    markDynamic(inner);
  }

  visit(root, module);
  resolveReads();
  markDynamic(module);

  /** Visits the deferred bodies around `node`, outermost first (a method's scope exists once its class is visited). */
  const completeAround = (node: Node): void => {
    const around: Node[] = [];
    for (let n: Node | null = node.parent; n; n = n.parent) around.push(n);
    for (let i = around.length - 1; i >= 0; i--) scopeOfNode.get(around[i].id)?.complete();
  };

  const scopeAt = (node: Node): Scope => {
    completeAround(node);
    for (let n: Node | null = node.parent; n; n = n.parent) {
      const s = scopeOfNode.get(n.id);
      if (!s) continue;
      // a def's name, decorators, defaults and annotations belong to the enclosing scope
      if (n.type === 'function_definition' || n.type === 'lambda') {
        const body = n.childForFieldName('body');
        if (body && !isWithin(node, body)) continue;
      }
      if (n.type === 'class_definition') {
        const body = n.childForFieldName('body');
        if (body && !isWithin(node, body)) continue;
      }
      return s;
    }
    return module;
  };

  const flows = new Map<Scope, FlowInfo<Binding>>();
  const flow = (scope: Scope): FlowInfo<Binding> => {
    let info = flows.get(scope);
    if (!info) {
      info = computeFlow(scope);
      flows.set(scope, info);
    }
    return info;
  };

  const functionScope = (def: Node): Scope | undefined => {
    if (!scopeOfNode.has(def.id)) completeAround(def);
    return scopeOfNode.get(def.id)?.complete();
  };

  const completeAll = (): void => {
    const before = calls.length + comments.length;
    const visitAll = (s: Scope) => {
      s.complete();
      // completing adds children; iterate over a snapshot taken after it
      [...s.children].forEach(visitAll);
    };
    visitAll(module);
    if (calls.length + comments.length === before) return;
    const bySource = (a: { startIndex: number }, b: { startIndex: number }) => a.startIndex - b.startIndex;
    calls.sort((a, b) => bySource(a.node, b.node));
    comments.sort(bySource);
    units.sort(bySource);
  };

  return { module, scopeOfNode, scopeAt, completeAround, functionScope, completeAll, units, calls, comments, flow };
}

/** True for the module and the class bodies directly in it (or in such classes). */
function outsideFunctions(scope: Scope): boolean {
  let s: Scope | undefined = scope;
  while (s?.kind === 'class') s = s.parent;
  return s?.kind === 'module';
}

function innermostValue(node: Node): Node | undefined {
  let n: Node | null = node;
  while (n?.type === 'assignment') n = n.childForFieldName('right');
  return n ?? undefined;
}

function isWithin(node: Node, container: Node): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}
