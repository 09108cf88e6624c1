// The semantic model of one file: scopes, the bindings in each, and where each name is read.
import { computeFlow, type FlowInfo } from './flow';
import type { FieldName, NodeType } from './grammar';
import type { Node, SyntaxTree } from './tree';

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
    private readonly tree: SyntaxTree,
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

  /** The type of the node that makes the scope (`generator_expression`, `lambda`...). */
  get nodeType(): NodeType {
    return this.tree.type(this.node);
  }

  get isAsyncFunction(): boolean {
    return this.kind === 'function' && this.tree.type(this.tree.firstChild(this.node)) === 'async';
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
  /** The file's lowered syntax tree: every node below is one of its nodes. */
  tree: SyntaxTree;
  module: Scope;
  /**
   * The scope of every scope-creating node. The bodies of classes and functions outside any
   * function are visited on first need: call `complete()` on such a scope before reading it.
   */
  scopeOfNode: Map<Node, Scope>;
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

const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list']);

export function buildSemanticModel(tree: SyntaxTree): SemanticModel {
  const root = tree.root;
  const module = new Scope('module', root, undefined, tree);
  const scopeOfNode = new Map<Node, Scope>([[root, module]]);
  const pendingReads: Array<{ scope: Scope; node: Node }> = [];
  const calls: CallRecord[] = [];
  const comments: Node[] = [];
  const units: Node[] = [];
  const type = (n: Node) => tree.type(n);
  const text = (n: Node) => tree.textOf(n);
  const field = (n: Node, name: FieldName) => tree.field(n, name);

  const bind = (scope: Scope, b: Omit<Binding, 'scope'>): Binding => {
    const binding = { ...b, scope } as Binding;
    const list = scope.bindings.get(b.name);
    if (list) list.push(binding);
    else scope.bindings.set(b.name, [binding]);
    return binding;
  };

  const bindTarget = (scope: Scope, target: Node, kind: BindingKind, value: Node | undefined, path: number[], extra: Partial<Binding> = {}): void => {
    const targetType = type(target);
    if (targetType === 'identifier') {
      bind(scope, { name: text(target), kind, node: target, value, path: path.length ? path : undefined, ...extra });
      return;
    }
    if (TARGET_LISTS.has(targetType)) {
      const items = tree.namedChildren(target);
      const star = items.findIndex((c) => type(c) === 'list_splat_pattern' || type(c) === 'list_splat');
      items.forEach((c, i) => bindTarget(scope, c, kind, value, [...path, star >= 0 && i > star ? i - items.length : i], extra));
      return;
    }
    switch (targetType) {
      case 'parenthesized_expression': {
        const inner = tree.namedChild(target, 0);
        if (inner) bindTarget(scope, inner, kind, value, path, extra);
        return;
      }
      case 'list_splat_pattern':
      case 'list_splat': {
        const inner = tree.namedChild(target, 0);
        if (inner) bindTarget(scope, inner, 'other', undefined, [], {});
        return;
      }
      default:
        // attribute / subscript targets bind nothing but read their object
        visit(target, scope);
    }
  };

  const bindParameters = (scope: Scope, params: Node): void => {
    if (!params) return;
    let index = 0;
    for (let p = tree.firstNamedChild(params); p; p = tree.nextNamedSibling(p)) {
      let nameNode = 0 as Node;
      let annotation = 0 as Node;
      switch (type(p)) {
        case 'identifier':
          nameNode = p;
          break;
        case 'typed_parameter': {
          const children = tree.namedChildren(p);
          nameNode = children.find((c) => type(c) === 'identifier') ?? nameNode;
          annotation = field(p, 'type');
          if (!nameNode) {
            const splat = children.find((c) => type(c) === 'list_splat_pattern' || type(c) === 'dictionary_splat_pattern');
            nameNode = splat ? tree.namedChild(splat, 0) : nameNode;
            annotation = 0 as Node; // *args: T is a tuple of T, **kw: T a dict: neither is a T
          }
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          nameNode = field(p, 'name');
          annotation = field(p, 'type');
          visit(field(p, 'value'), scope.parent ?? scope);
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          nameNode = tree.namedChild(p, 0);
          break;
      }
      if (annotation) visit(annotation, scope.parent ?? scope);
      if (type(nameNode) === 'identifier') {
        bind(scope, { name: text(nameNode), kind: 'param', node: nameNode, annotation: annotation || undefined, paramIndex: index });
      }
      index++;
    }
  };

  const visitChildren = (node: Node, scope: Scope): void => {
    for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) visit(c, scope);
  };

  // The nodes being visited, outermost first: a call's ancestors as the walk met them.
  const stack: Node[] = [];

  function visit(node: Node, scope: Scope): void {
    if (!node) return;
    stack.push(node);
    try {
      visitNode(node, scope);
    } finally {
      stack.pop();
    }
  }

  function visitNode(node: Node, scope: Scope): void {
    const nodeType = type(node);
    switch (nodeType) {
      case 'identifier':
        pendingReads.push({ scope, node });
        return;
      case 'comment':
        comments.push(node);
        return;
      case 'string_content':
        return;
      case 'decorated_definition': {
        const definition = field(node, 'definition');
        if (type(definition) === 'function_definition' && outsideFunctions(scope)) {
          // decorators are visited with the deferred body (they are evaluated in `scope` all the same)
          visit(definition, scope);
          return;
        }
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) if (type(c) === 'decorator') visit(c, scope);
        visit(definition, scope);
        return;
      }
      case 'function_definition': {
        const name = field(node, 'name');
        const inner = new Scope('function', node, scope, tree);
        scopeOfNode.set(node, inner);
        if (name) bind(scope, { name: text(name), kind: 'def', node });
        if (outsideFunctions(scope)) {
          // Such a function is a unit of its own: nothing outside it reads its locals, so its
          // decorators, signature and body are visited when something first needs them.
          const ancestors = stack.slice();
          const decorated = ancestors[ancestors.length - 2];
          units.push(decorated !== undefined && type(decorated) === 'decorated_definition' ? decorated : node);
          inner.defer(() => visitDeferred(ancestors, inner, () => visitFunction(node, scope, inner, true)));
        } else visitFunction(node, scope, inner, false);
        return;
      }
      case 'class_definition': {
        const name = field(node, 'name');
        visit(field(node, 'superclasses'), scope);
        visitHeaderComments(node, scope);
        const inner = new Scope('class', node, scope, tree);
        scopeOfNode.set(node, inner);
        if (name) bind(scope, { name: text(name), kind: 'class', node });
        const body = field(node, 'body');
        if (outsideFunctions(scope)) {
          // its members are bound when something first looks into the class
          const ancestors = stack.slice();
          inner.defer(() => visitDeferred(ancestors, inner, () => visit(body, inner)));
        } else visit(body, inner);
        return;
      }
      case 'lambda': {
        const inner = new Scope('lambda', node, scope, tree);
        scopeOfNode.set(node, inner);
        bindParameters(inner, field(node, 'parameters'));
        visit(field(node, 'body'), inner);
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        const inner = new Scope(SCOPE_NODES[nodeType], node, scope, tree);
        scopeOfNode.set(node, inner);
        // for-clauses first so that their targets are bound before the body's reads resolve
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          if (type(c) === 'for_in_clause') {
            const right = field(c, 'right') || undefined;
            const isAsync = type(tree.firstChild(c)) === 'async';
            bindTarget(inner, field(c, 'left'), isAsync ? 'other' : 'for', isAsync ? undefined : right, []);
            visit(right ?? (0 as Node), inner);
          }
        }
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) if (type(c) !== 'for_in_clause') visit(c, inner);
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          if (type(c) === 'identifier') (nodeType === 'global_statement' ? scope.globals : scope.nonlocals).add(text(c));
        }
        return;
      case 'import_statement':
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          if (type(c) === 'dotted_name') bind(scope, { name: text(tree.namedChild(c, 0)), kind: 'import', node });
          else if (type(c) === 'aliased_import') {
            const alias = field(c, 'alias');
            if (alias) bind(scope, { name: text(alias), kind: 'import', node });
          }
        }
        return;
      case 'import_from_statement':
        for (const c of tree.fieldChildren(node, 'name')) {
          const alias = type(c) === 'aliased_import' ? field(c, 'alias') : c;
          if (alias) bind(scope, { name: text(alias), kind: 'from-import', node });
        }
        return;
      case 'future_import_statement':
        return;
      case 'assignment': {
        const right = field(node, 'right');
        const annotation = field(node, 'type');
        visit(right, scope);
        visit(annotation, scope);
        const left = field(node, 'left');
        if (!left) return;
        // `a = b = value` nests: the inner assignment is the right-hand side
        const value = type(right) === 'assignment' ? innermostValue(tree, right) : right || undefined;
        if (type(left) === 'attribute') {
          const object = field(left, 'object');
          const attr = field(left, 'attribute');
          if (type(object) === 'identifier' && attr) {
            scope.attributeAssignments.push({
              object: text(object),
              attr: text(attr),
              target: left,
              value: type(right) === 'assignment' ? undefined : value,
              annotation: annotation || undefined,
            });
          }
        }
        bindTarget(scope, left, 'assign', value, [], { annotation: annotation || undefined });
        return;
      }
      case 'augmented_assignment': {
        const left = field(node, 'left');
        visit(field(node, 'right'), scope);
        if (type(left) === 'identifier') {
          pendingReads.push({ scope, node: left });
          bind(scope, { name: text(left), kind: 'other', node: left });
        } else visit(left, scope);
        return;
      }
      case 'named_expression': {
        const name = field(node, 'name');
        const value = field(node, 'value');
        visit(value, scope);
        let target = scope;
        while (target.kind === 'comprehension' && target.parent) target = target.parent;
        if (name) bind(target, { name: text(name), kind: 'walrus', node: name, value: value || undefined });
        return;
      }
      case 'for_statement': {
        const right = field(node, 'right') || undefined;
        visit(right ?? (0 as Node), scope);
        const left = field(node, 'left');
        const isAsync = type(tree.firstChild(node)) === 'async';
        if (left) bindTarget(scope, left, isAsync ? 'other' : 'for', isAsync ? undefined : right, []);
        visit(field(node, 'body'), scope);
        visit(field(node, 'alternative'), scope);
        return;
      }
      case 'with_statement': {
        const isAsync = type(tree.firstChild(node)) === 'async';
        const clause = tree.namedChildren(node).find((c) => type(c) === 'with_clause');
        for (let item = clause ? tree.firstNamedChild(clause) : (0 as Node); item; item = tree.nextNamedSibling(item)) {
          const value = field(item, 'value');
          if (type(value) === 'as_pattern') {
            const expr = tree.namedChild(value, 0);
            visit(expr, scope);
            const alias = field(value, 'alias');
            const target = tree.namedChild(alias, 0) || alias;
            if (target && expr) bindTarget(scope, target, 'with', expr, [], { async: isAsync });
          } else visit(value, scope);
        }
        visit(field(node, 'body'), scope);
        return;
      }
      case 'except_clause': {
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          if (type(c) === 'as_pattern') {
            visit(tree.namedChild(c, 0), scope);
            const aliasField = field(c, 'alias');
            const alias = tree.namedChild(aliasField, 0) || aliasField;
            if (type(alias) === 'identifier') bind(scope, { name: text(alias), kind: 'other', node: alias });
          } else visit(c, scope);
        }
        return;
      }
      case 'delete_statement':
        // `del x` unbinds; it is not a use that keeps a value alive
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) if (type(c) !== 'identifier') visit(c, scope);
        return;
      case 'attribute':
        visit(field(node, 'object'), scope);
        return;
      case 'keyword_argument':
        visit(field(node, 'value'), scope);
        return;
      case 'call': {
        calls.push({ node, scope, ancestors: stack.slice(Math.max(0, stack.length - 12), -1), topLevel: stack[1] ?? node });
        const fn = field(node, 'function');
        if (type(fn) === 'identifier' && DYNAMIC_CALLS.has(text(fn))) scope.dynamic = true;
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
    for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
      const t = type(c);
      if (t === 'identifier') bind(scope, { name: text(c), kind: 'other', node: c });
      else if (t === 'dotted_name') pendingReads.push({ scope, node: tree.namedChild(c, 0) });
      else visitPattern(c, scope);
    }
  };

  // Reads resolve once every binding they may refer to is known: those of the module and class
  // bodies after the first pass, those of a deferred body when it is visited.
  const resolveReads = (): void => {
    for (const { scope, node } of pendingReads.splice(0)) {
      const name = text(node);
      const owner = scope.resolve(name);
      if (!owner) continue;
      if (owner !== scope) owner.closureReads.add(name);
      const list = owner.reads.get(name);
      if (list) list.push(node);
      else owner.reads.set(name, [node]);
    }
  };
  // A dynamic scope may read any of its own names and its enclosing functions' names.
  const markDynamic = (s: Scope) => {
    if (s.dynamic) for (let p: Scope | undefined = s; p && p.kind !== 'module'; p = p.parent) p.dynamic = true;
    s.children.forEach(markDynamic);
  };

  function visitFunction(node: Node, scope: Scope, inner: Scope, deferred: boolean): void {
    const decorated = stack[stack.length - 2];
    if (deferred && decorated !== undefined && type(decorated) === 'decorated_definition') {
      // a deferred function's decorators, visited as children of the decorated definition
      stack.pop();
      for (let c = tree.firstNamedChild(decorated); c; c = tree.nextNamedSibling(c)) if (type(c) === 'decorator') visit(c, scope);
      stack.push(node);
    }
    visit(field(node, 'return_type'), scope);
    bindParameters(inner, field(node, 'parameters'));
    visitHeaderComments(node, scope);
    visit(field(node, 'body'), inner);
  }

  /** Comments between a def's or class's name and its body (`def f():  # ...`): their suppressions count too. */
  function visitHeaderComments(node: Node, scope: Scope): void {
    for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) if (type(c) === 'comment') visit(c, scope);
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
    for (let n = tree.parent(node); n; n = tree.parent(n)) around.push(n);
    for (let i = around.length - 1; i >= 0; i--) scopeOfNode.get(around[i])?.complete();
  };

  const scopeAt = (node: Node): Scope => {
    completeAround(node);
    for (let n = tree.parent(node); n; n = tree.parent(n)) {
      const s = scopeOfNode.get(n);
      if (!s) continue;
      // a def's name, decorators, defaults and annotations belong to the enclosing scope
      const t = type(n);
      if (t === 'function_definition' || t === 'lambda' || t === 'class_definition') {
        const body = field(n, 'body');
        if (body && !isWithin(tree, node, body)) continue;
      }
      return s;
    }
    return module;
  };

  const flows = new Map<Scope, FlowInfo<Binding>>();
  const flow = (scope: Scope): FlowInfo<Binding> => {
    let info = flows.get(scope);
    if (!info) {
      info = computeFlow(tree, scope);
      flows.set(scope, info);
    }
    return info;
  };

  const functionScope = (def: Node): Scope | undefined => {
    if (!scopeOfNode.has(def)) completeAround(def);
    return scopeOfNode.get(def)?.complete();
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
    // node numbers are in source order
    calls.sort((a, b) => a.node - b.node);
    comments.sort((a, b) => a - b);
    units.sort((a, b) => a - b);
  };

  return { tree, module, scopeOfNode, scopeAt, completeAround, functionScope, completeAll, units, calls, comments, flow };
}

/** True for the module and the class bodies directly in it (or in such classes). */
function outsideFunctions(scope: Scope): boolean {
  let s: Scope | undefined = scope;
  while (s?.kind === 'class') s = s.parent;
  return s?.kind === 'module';
}

function innermostValue(tree: SyntaxTree, node: Node): Node | undefined {
  let n = node;
  while (tree.type(n) === 'assignment') n = tree.field(n, 'right');
  return n || undefined;
}

function isWithin(tree: SyntaxTree, node: Node, container: Node): boolean {
  return tree.startIndex(node) >= tree.startIndex(container) && tree.endIndex(node) <= tree.endIndex(container);
}
