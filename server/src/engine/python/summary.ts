// A module's summary: what it binds at module level and in its classes, in a plain JSON-friendly
// shape. The same summary describes the file being analysed, a typeshed stub of the standard
// library (see scripts/gen-stdlib.mjs) and, later, other modules of the project.
import { lastStatement, ownedBy } from './syntax';
import { returnsFirstParameter, taskBodyOf, type TaskBody } from './taskKeeping';
import { NO_NODE, type Node, type SyntaxTree } from './tree';

/** A type as written in an annotation: `Task[int]` is {n: 'Task', a: [{n: 'int'}]}; `A | B` is {n: '|', a: [A, B]}. */
export interface TypeExpr {
  n: string;
  a?: TypeExpr[];
}

/**
 * The few module-level right-hand sides worth following: `x = y.z`, `x = f(...)`, `X = Union[...]`;
 * for `T = TypeVar("T", A, B, bound=C)` also its constraints and bound.
 */
export type ValueExpr = { ref: string } | { call: string; bound?: TypeExpr; constraints?: TypeExpr[] } | { type: TypeExpr };

export type Sym =
  /** `import a.b as c` binds c to module a.b; `import a.b` binds a to module a. */
  | { k: 'module'; m: string }
  /** `from m import n` (relative imports already made absolute). */
  | { k: 'from'; m: string; n: string }
  | DefSym
  | ClassSym
  | { k: 'var'; t?: TypeExpr; v?: ValueExpr };

export interface DefSym {
  k: 'def';
  async?: 1;
  /** Contains `yield`: a generator, or with `async`, an async generator. */
  gen?: 1;
  ret?: TypeExpr;
  /** Decorators as dotted names; a called decorator ends in `()`. */
  deco?: string[];
  /**
   * An unannotated sync function whose every path returns a call (`def f(): return g()`): the
   * dotted names of those callees, resolved in the module; when they all return coroutines, so does f.
   */
  retCalls?: string[];
  /** The first parameter's annotation when it is a bare name (`def __aenter__(self: U) -> U` returns the instance). */
  selfAnn?: string;
  /**
   * An unannotated `__await__` that hands on another method's awaitable (`return self.m(...).__await__()`):
   * the method `m`, whose awaited result awaiting the instance gives.
   */
  awaits?: string;
  /** Unannotated, and every path returns its first parameter (`async def __aenter__(self): return self`). */
  retSelf?: 1;
  /** A method named `create_task`: whether its body hands out a task it keeps no reference to (see taskKeeping.ts). */
  task?: TaskBody;
}

export interface ClassSym {
  k: 'class';
  bases: TypeExpr[];
  members: Record<string, Sym[]>;
}

export interface ModuleSummary {
  name: string;
  symbols: Record<string, Sym[]>;
  /** `__all__` when it is a literal list or tuple of strings. */
  all?: string[];
  /** Modules star-imported (`from m import *`), absolute. */
  star?: string[];
}

/** Python version that `sys.version_info` comparisons in stubs are evaluated against. */
const TARGET_VERSION: readonly number[] = [3, 13];

export function dottedName(tree: SyntaxTree, node: Node): string | undefined {
  switch (tree.type(node)) {
    case 'identifier':
      return tree.textOf(node);
    case 'dotted_name':
      return tree.namedChildren(node).map((c) => tree.textOf(c)).join('.');
    case 'attribute': {
      const obj = dottedName(tree, tree.field(node, 'object'));
      const attr = tree.field(node, 'attribute');
      return obj && attr ? `${obj}.${tree.textOf(attr)}` : undefined;
    }
    default:
      return undefined;
  }
}

export function typeExprOf(tree: SyntaxTree, node: Node): TypeExpr | undefined {
  switch (tree.type(node)) {
    case 'type':
      return typeExprOf(tree, tree.namedChild(node, 0));
    case 'identifier':
    case 'attribute':
    case 'dotted_name': {
      const n = dottedName(tree, node);
      return n ? { n } : undefined;
    }
    case 'none':
      return { n: 'None' };
    case 'ellipsis':
      return { n: '...' };
    case 'string':
      return forwardReference(tree, node);
    case 'generic_type': {
      const head = typeExprOf(tree, tree.namedChild(node, 0));
      const params = tree.namedChildren(node).find((c) => tree.type(c) === 'type_parameter');
      if (!head) return undefined;
      return { n: head.n, a: params ? tree.namedChildren(params).map((c) => typeExprOf(tree, c) ?? { n: '?' }) : [] };
    }
    case 'subscript': {
      const head = typeExprOf(tree, tree.field(node, 'value'));
      if (!head) return undefined;
      const args = tree.fieldChildren(node, 'subscript').map((c) => typeExprOf(tree, c) ?? { n: '?' });
      // `Tuple[A, B]` parses as one subscript holding a tuple expression.
      const flat = args.length === 1 && args[0].n === 'tuple()' ? args[0].a ?? [] : args;
      return { n: head.n, a: flat };
    }
    case 'tuple':
      return { n: 'tuple()', a: tree.namedChildren(node).map((c) => typeExprOf(tree, c) ?? { n: '?' }) };
    case 'union_type':
    case 'binary_operator': {
      if (tree.type(node) === 'binary_operator' && tree.textOf(tree.field(node, 'operator')) !== '|') return undefined;
      const parts = tree.namedChildren(node).map((c) => typeExprOf(tree, c) ?? { n: '?' });
      return { n: '|', a: parts.flatMap((p) => (p.n === '|' ? p.a ?? [] : [p])) };
    }
    case 'parenthesized_expression':
      return typeExprOf(tree, tree.namedChild(node, 0));
    default:
      return undefined;
  }
}

/** Absolute module name of `from ..x import y` seen in `moduleName` (a package's own name for __init__). */
export function resolveRelative(moduleName: string, isPackage: boolean, dots: number, rest: string): string | undefined {
  const parts = moduleName ? moduleName.split('.') : [];
  const base = isPackage ? parts : parts.slice(0, -1);
  const up = dots - 1;
  if (up > base.length) return undefined;
  const kept = base.slice(0, base.length - up);
  return [...kept, ...(rest ? [rest] : [])].join('.');
}

export function importedModuleOf(tree: SyntaxTree, node: Node, moduleName: string, isPackage: boolean): string | undefined {
  const mod = tree.field(node, 'module_name');
  if (!mod) return undefined;
  if (tree.type(mod) === 'relative_import') {
    const prefix = tree.namedChildren(mod).find((c) => tree.type(c) === 'import_prefix');
    const rest = tree.namedChildren(mod).find((c) => tree.type(c) === 'dotted_name');
    return resolveRelative(moduleName, isPackage, prefix ? tree.textOf(prefix).length : 1, rest ? dottedName(tree, rest)! : '');
  }
  return dottedName(tree, mod);
}

/** Evaluates `sys.version_info >= (3, 11)` and `sys.platform == "win32"` style tests; undefined when unknown. */
export function staticCondition(tree: SyntaxTree, node: Node): boolean | undefined {
  if (!node) return undefined;
  const type = tree.type(node);
  if (type === 'parenthesized_expression') return staticCondition(tree, tree.namedChild(node, 0));
  if (type === 'not_operator') {
    const v = staticCondition(tree, tree.field(node, 'argument'));
    return v === undefined ? undefined : !v;
  }
  if (type === 'boolean_operator') {
    const l = staticCondition(tree, tree.field(node, 'left'));
    const r = staticCondition(tree, tree.field(node, 'right'));
    const op = tree.textOf(tree.field(node, 'operator'));
    if (op === 'and') return l === false || r === false ? false : l && r ? true : undefined;
    return l === true || r === true ? true : l === false && r === false ? false : undefined;
  }
  if (type !== 'comparison_operator' || tree.namedChildCount(node) !== 2) return undefined;
  const [left, right] = [tree.namedChild(node, 0), tree.namedChild(node, 1)];
  const operator = tree.children(node).find((c) => !tree.isNamed(c));
  const op = operator ? tree.textOf(operator) : undefined;
  const lhs = dottedName(tree, left);
  if (lhs === 'sys.version_info' && tree.type(right) === 'tuple') {
    const want = tree.namedChildren(right).map((c) => Number(tree.textOf(c)));
    const cmp = compareVersions(TARGET_VERSION, want);
    switch (op) {
      case '>=': return cmp >= 0;
      case '>': return cmp > 0;
      case '<': return cmp < 0;
      case '<=': return cmp <= 0;
    }
    return undefined;
  }
  if (lhs === 'sys.platform' && tree.type(right) === 'string') {
    const value = tree.textOf(right).slice(1, -1);
    if (op === '==') return value === 'linux';
    if (op === '!=') return value !== 'linux';
  }
  return undefined;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether the body yields (a `yield` not inside a nested def, class or lambda). */
export function hasYield(tree: SyntaxTree, body: Node): boolean {
  for (const y of tree.descendantsOfType(body, 'yield')) {
    let n = tree.parent(y);
    while (n && n !== body) {
      const type = tree.type(n);
      if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') break;
      n = tree.parent(n);
    }
    if (n === body) return true;
  }
  return false;
}

export function isAsyncDef(tree: SyntaxTree, def: Node): boolean {
  return tree.type(tree.firstChild(def)) === 'async';
}

export function decoratorNames(tree: SyntaxTree, def: Node): string[] {
  const parent = tree.parent(def);
  if (tree.type(parent) !== 'decorated_definition') return [];
  return tree
    .namedChildren(parent)
    .filter((c) => tree.type(c) === 'decorator')
    .map((d) => {
      const expr = tree.namedChild(d, 0);
      if (!expr) return '?';
      if (tree.type(expr) === 'call') return `${dottedName(tree, tree.field(expr, 'function')) ?? '?'}()`;
      return dottedName(tree, expr) ?? '?';
    });
}

export function defSymOf(tree: SyntaxTree, def: Node): DefSym {
  const sym: DefSym = { k: 'def' };
  if (isAsyncDef(tree, def)) sym.async = 1;
  const body = tree.field(def, 'body');
  if (body && hasYield(tree, body)) sym.gen = 1;
  const ret = typeExprOf(tree, tree.field(def, 'return_type'));
  if (ret) sym.ret = ret;
  const deco = decoratorNames(tree, def);
  if (deco.length) sym.deco = deco;
  const first = tree.namedChild(tree.field(def, 'parameters'), 0);
  if (tree.type(first) === 'typed_parameter' || tree.type(first) === 'typed_default_parameter') {
    const t = typeExprOf(tree, tree.field(first, 'type'));
    if (t && !t.a && t.n !== '?' && sym.ret?.n === t.n) sym.selfAnn = t.n;
  }
  if (!sym.ret && !sym.gen && body && returnsFirstParameter(tree, def, body)) sym.retSelf = 1;
  const name = tree.field(def, 'name');
  if (body && name && tree.textOf(name) === 'create_task') {
    const task = taskBodyOf(tree, def);
    if (task) sym.task = task;
  }
  if (!sym.async && !sym.gen && !sym.ret && body) {
    const calls = returnedCalls(tree, def, body);
    if (calls) sym.retCalls = calls;
    const delegate = name && tree.textOf(name) === '__await__' ? awaitDelegate(tree, def, body) : undefined;
    if (delegate) sym.awaits = delegate;
  }
  return sym;
}

/** `def __await__(self): return self.m(...).__await__()` as its only return: `m`. */
function awaitDelegate(tree: SyntaxTree, def: Node, body: Node): string | undefined {
  const last = lastStatement(tree, body);
  const returns = tree.descendantsOfType(body, 'return_statement').filter((r) => ownedBy(tree, r, def));
  if (tree.type(last) !== 'return_statement' || returns.length !== 1) return undefined;
  const value = tree.namedChild(last, 0);
  const method = tree.type(value) === 'call' ? tree.field(value, 'function') : NO_NODE;
  const attribute = tree.field(method, 'attribute');
  const inner = tree.type(method) === 'attribute' && attribute && tree.textOf(attribute) === '__await__' ? tree.field(method, 'object') : NO_NODE;
  const callee = tree.type(inner) === 'call' ? dottedName(tree, tree.field(inner, 'function'))?.split('.') : undefined;
  const self = tree.namedChild(tree.field(def, 'parameters'), 0);
  return callee?.length === 2 && tree.type(self) === 'identifier' && callee[0] === tree.textOf(self) ? callee[1] : undefined;
}

function valueExprOf(tree: SyntaxTree, node: Node): ValueExpr | undefined {
  const type = tree.type(node);
  if (type === 'call') {
    const f = dottedName(tree, tree.field(node, 'function'));
    if (!f) return undefined;
    return f === 'TypeVar' || f.endsWith('.TypeVar') ? { call: f, ...typeVarDeclaration(tree, node) } : { call: f };
  }
  if (type === 'identifier' || type === 'attribute') {
    const r = dottedName(tree, node);
    return r ? { ref: r } : undefined;
  }
  if (type === 'subscript' || (type === 'binary_operator' && tree.textOf(tree.field(node, 'operator')) === '|')) {
    const t = typeExprOf(tree, node);
    return t ? { type: t } : undefined;
  }
  return undefined;
}

/** The constraints and bound of `TypeVar("T", A, B)` / `TypeVar("T", bound="C")`. */
export function typeVarDeclaration(tree: SyntaxTree, call: Node): { bound?: TypeExpr; constraints?: TypeExpr[] } {
  const out: { bound?: TypeExpr; constraints?: TypeExpr[] } = {};
  const args = tree.namedChildren(tree.field(call, 'arguments'));
  const constraints: TypeExpr[] = [];
  args.forEach((arg, i) => {
    if (tree.type(arg) === 'keyword_argument') {
      const name = tree.field(arg, 'name');
      if (!name || tree.textOf(name) !== 'bound') return;
      const bound = typeExprOf(tree, tree.field(arg, 'value'));
      if (bound && bound.n !== '?') out.bound = bound;
    } else if (i > 0) constraints.push(typeExprOf(tree, arg) ?? { n: '?' });
  });
  if (constraints.length) out.constraints = constraints;
  return out;
}

function stringList(tree: SyntaxTree, node: Node): string[] | undefined {
  if (tree.type(node) !== 'list' && tree.type(node) !== 'tuple') return undefined;
  const out: string[] = [];
  for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
    if (tree.type(c) !== 'string') return undefined;
    out.push(tree.textOf(c).slice(1, -1));
  }
  return out;
}

function add(table: Record<string, Sym[]>, name: string, sym: Sym): void {
  if (Object.hasOwn(table, name)) table[name].push(sym);
  else table[name] = [sym];
}

/** The bindings of `name` in a summary table (tables come from JSON: never trust the prototype). */
export function symbolsOf(table: Record<string, Sym[]>, name: string): Sym[] | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export interface SummarizeOptions {
  moduleName: string;
  isPackage: boolean;
}

/** Collects the bindings of a block (module body or class body), descending into if/try/with blocks. */
function collectBlock(tree: SyntaxTree, block: Node, table: Record<string, Sym[]>, opts: SummarizeOptions, summary: ModuleSummary | undefined): void {
  for (let stmt = tree.firstNamedChild(block); stmt; stmt = tree.nextNamedSibling(stmt)) collectStatement(tree, stmt, table, opts, summary);
}

/** A name's text, undefined for no node or an empty (missing) name. */
function nameText(tree: SyntaxTree, node: Node): string | undefined {
  return tree.textOf(node) || undefined;
}

function collectStatement(tree: SyntaxTree, stmt: Node, table: Record<string, Sym[]>, opts: SummarizeOptions, summary: ModuleSummary | undefined): void {
  switch (tree.type(stmt)) {
    case 'decorated_definition': {
      const def = tree.field(stmt, 'definition');
      if (def) collectStatement(tree, def, table, opts, summary);
      return;
    }
    case 'function_definition': {
      const name = nameText(tree, tree.field(stmt, 'name'));
      if (name) add(table, name, defSymOf(tree, stmt));
      return;
    }
    case 'class_definition': {
      const name = nameText(tree, tree.field(stmt, 'name'));
      if (!name) return;
      const members: Record<string, Sym[]> = {};
      const body = tree.field(stmt, 'body');
      if (body) collectBlock(tree, body, members, opts, undefined);
      if (body) collectInstanceAttributes(tree, body, members);
      const bases = tree
        .namedChildren(tree.field(stmt, 'superclasses'))
        .filter((c) => tree.type(c) !== 'keyword_argument')
        .map((c) => typeExprOf(tree, c) ?? { n: '?' });
      add(table, name, { k: 'class', bases, members });
      return;
    }
    case 'import_statement':
      for (let c = tree.firstNamedChild(stmt); c; c = tree.nextNamedSibling(c)) {
        if (tree.type(c) === 'dotted_name') {
          const full = dottedName(tree, c)!;
          add(table, full.split('.')[0], { k: 'module', m: full.split('.')[0] });
        } else if (tree.type(c) === 'aliased_import') {
          const full = dottedName(tree, tree.field(c, 'name'));
          const alias = nameText(tree, tree.field(c, 'alias'));
          if (full && alias) add(table, alias, { k: 'module', m: full });
        }
      }
      return;
    case 'import_from_statement': {
      const m = importedModuleOf(tree, stmt, opts.moduleName, opts.isPackage);
      if (!m) return;
      for (const c of tree.fieldChildren(stmt, 'name')) {
        if (tree.type(c) === 'dotted_name') add(table, tree.textOf(c), { k: 'from', m, n: tree.textOf(c) });
        else if (tree.type(c) === 'aliased_import') {
          const n = dottedName(tree, tree.field(c, 'name'));
          const alias = nameText(tree, tree.field(c, 'alias'));
          if (n && alias) add(table, alias, { k: 'from', m, n });
        }
      }
      if (summary && tree.namedChildren(stmt).some((c) => tree.type(c) === 'wildcard_import')) (summary.star ??= []).push(m);
      return;
    }
    case 'expression_statement': {
      const expr = tree.namedChild(stmt, 0);
      const type = tree.type(expr);
      if (type === 'assignment') collectAssignment(tree, expr, table, summary);
      else if (type === 'augmented_assignment' && summary && tree.textOf(tree.field(expr, 'left')) === '__all__') {
        const more = stringList(tree, tree.field(expr, 'right'));
        if (more && summary.all) summary.all.push(...more);
      } else if (type === 'call' && summary) collectLazyImports(tree, expr, table, opts);
      return;
    }
    case 'if_statement': {
      const verdict = staticCondition(tree, tree.field(stmt, 'condition'));
      const consequence = tree.field(stmt, 'consequence');
      if (verdict !== false && consequence) collectBlock(tree, consequence, table, opts, summary);
      if (verdict === true) return;
      for (const alt of tree.fieldChildren(stmt, 'alternative')) {
        if (tree.type(alt) === 'else_clause') {
          const body = tree.field(alt, 'body');
          if (body) collectBlock(tree, body, table, opts, summary);
        } else if (tree.type(alt) === 'elif_clause') {
          const v = staticCondition(tree, tree.field(alt, 'condition'));
          const body = tree.field(alt, 'consequence');
          if (v !== false && body) collectBlock(tree, body, table, opts, summary);
          if (v === true) return;
        }
      }
      return;
    }
    case 'try_statement':
    case 'with_statement':
    case 'block':
      for (let c = tree.firstNamedChild(stmt); c; c = tree.nextNamedSibling(c)) {
        const type = tree.type(c);
        if (type === 'block') collectBlock(tree, c, table, opts, summary);
        else if (type === 'except_clause' || type === 'else_clause' || type === 'finally_clause' || type === 'with_statement') {
          for (let b = tree.firstNamedChild(c); b; b = tree.nextNamedSibling(b)) if (tree.type(b) === 'block') collectBlock(tree, b, table, opts, summary);
        }
      }
      return;
    default:
      return;
  }
}

function collectAssignment(tree: SyntaxTree, expr: Node, table: Record<string, Sym[]>, summary: ModuleSummary | undefined): void {
  const left = tree.field(expr, 'left');
  const right = tree.field(expr, 'right');
  if (tree.type(left) !== 'identifier') return;
  const name = tree.textOf(left);
  if (name === '__all__' && summary) {
    const list = stringList(tree, right);
    if (list) summary.all = list;
    return;
  }
  const sym: { k: 'var'; t?: TypeExpr; v?: ValueExpr } = { k: 'var' };
  const t = typeExprOf(tree, tree.field(expr, 'type'));
  if (t && t.n !== 'TypeAlias' && !t.n.endsWith('.TypeAlias')) sym.t = t;
  const v = valueExprOf(tree, right);
  if (v) sym.v = t && (t.n === 'TypeAlias' || t.n.endsWith('.TypeAlias')) ? { type: typeExprOf(tree, right) ?? { n: '?' } } : v;
  add(table, name, sym);
}

export function summarizeModule(tree: SyntaxTree, opts: SummarizeOptions): ModuleSummary {
  const summary: ModuleSummary = { name: opts.moduleName, symbols: {} };
  collectBlock(tree, tree.root, summary.symbols, opts, summary);
  return summary;
}

// ----- forward references, instance attributes and evident returns (for summaries of project and library code) -----

/** `"Foo"`, `"mod.Foo[int]"`, `"A | None"` in an annotation: parsed as the type they spell, `?` when unsure. */
function forwardReference(tree: SyntaxTree, node: Node): TypeExpr {
  const children = tree.namedChildren(node);
  const content = children.filter((c) => tree.type(c) === 'string_content');
  if (content.length !== 1 || children.some((c) => tree.type(c) === 'interpolation')) return { n: '?' };
  return parseTypeText(tree.textOf(content[0])) ?? { n: '?' };
}

/** A small parser for the type expressions written inside strings: dotted names, `X[...]`, `A | B`, `None`. */
export function parseTypeText(text: string): TypeExpr | undefined {
  const tokens = text.match(/[A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*|\.\.\.|[[\],|]|\S/g) ?? [];
  let i = 0;
  const union = (): TypeExpr | undefined => {
    const parts: TypeExpr[] = [];
    for (;;) {
      const t = single();
      if (!t) return undefined;
      parts.push(...(t.n === '|' ? t.a ?? [] : [t]));
      if (tokens[i] !== '|') break;
      i++;
    }
    return parts.length === 1 ? parts[0] : { n: '|', a: parts };
  };
  const single = (): TypeExpr | undefined => {
    const tok = tokens[i++];
    if (tok === undefined) return undefined;
    if (tok === '...') return { n: '...' };
    if (!/^[A-Za-z_]/.test(tok)) return undefined;
    const name = tok.replace(/\s+/g, '');
    if (name === 'None') return { n: 'None' };
    if (tokens[i] !== '[') return { n: name };
    i++;
    const args: TypeExpr[] = [];
    if (tokens[i] === '[') {
      // `Callable[[A, B], R]`: the parameter list is not needed
      let depth = 0;
      do {
        if (tokens[i] === '[') depth++;
        else if (tokens[i] === ']') depth--;
        i++;
      } while (depth > 0 && i < tokens.length);
      args.push({ n: '?' });
      if (tokens[i] === ',') i++;
    }
    while (tokens[i] !== ']') {
      const a = union();
      if (!a) return undefined;
      args.push(a);
      if (tokens[i] === ',') i++;
      else if (tokens[i] !== ']') return undefined;
    }
    i++;
    return { n: name, a: args };
  };
  const result = union();
  return result && i === tokens.length ? result : undefined;
}



/** Names a function binds locally: its parameters and whatever its body assigns, imports or defines. */
function localNames(tree: SyntaxTree, def: Node): Set<string> {
  const names = new Set<string>();
  const addTarget = (n: Node) => {
    const type = tree.type(n);
    if (type === 'identifier') names.add(tree.textOf(n));
    else if (TARGET_LISTS.has(type)) {
      for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) addTarget(c);
    }
  };
  for (let p = tree.firstNamedChild(tree.field(def, 'parameters')); p; p = tree.nextNamedSibling(p)) {
    if (tree.type(p) === 'identifier') names.add(tree.textOf(p));
    else {
      const name = tree.field(p, 'name') || tree.namedChildren(p).find((c) => tree.type(c) === 'identifier');
      if (name) names.add(tree.textOf(name));
    }
  }
  const body = tree.field(def, 'body');
  if (!body) return names;
  const binders = tree.descendantsOfType(body, [
    'function_definition', 'class_definition', 'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause',
    'named_expression', 'as_pattern', 'import_statement', 'import_from_statement', 'except_clause', 'global_statement',
  ]);
  for (const n of binders) {
    if (!ownedBy(tree, n, def)) continue;
    switch (tree.type(n)) {
      case 'function_definition':
      case 'class_definition':
      case 'named_expression':
        addTarget(tree.field(n, 'name'));
        break;
      case 'as_pattern':
        addTarget(tree.namedChild(tree.field(n, 'alias'), 0));
        break;
      case 'import_statement':
      case 'import_from_statement': {
        const moduleName = tree.field(n, 'module_name');
        for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) {
          if (tree.type(c) === 'aliased_import') addTarget(tree.field(c, 'alias'));
          else if (tree.type(c) === 'dotted_name' && c !== moduleName) addTarget(tree.namedChild(c, 0));
        }
        break;
      }
      case 'except_clause':
      case 'global_statement':
        for (let c = tree.firstNamedChild(n); c; c = tree.nextNamedSibling(c)) if (tree.type(c) === 'identifier') names.add(tree.textOf(c));
        break;
      default:
        addTarget(tree.field(n, 'left'));
    }
  }
  return names;
}

const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'list_splat_pattern', 'parenthesized_expression']);

function headOf(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
}

/** The callees of `return callee(...)` when every path of the function ends in one, else undefined. */
function returnedCalls(tree: SyntaxTree, def: Node, body: Node): string[] | undefined {
  const last = tree.type(lastStatement(tree, body));
  if (last !== 'return_statement' && last !== 'raise_statement') return undefined;
  const returns = tree.descendantsOfType(body, 'return_statement').filter((r) => ownedBy(tree, r, def));
  if (!returns.length) return undefined;
  const callees: string[] = [];
  for (const r of returns) {
    const value = tree.namedChild(r, 0);
    if (tree.type(value) !== 'call') return undefined;
    const callee = dottedName(tree, tree.field(value, 'function'));
    if (!callee) return undefined;
    callees.push(callee);
  }
  const locals = localNames(tree, def);
  if (callees.some((c) => locals.has(headOf(c)))) return undefined;
  return [...new Set(callees)];
}

/**
 * `self.x = ...` in the methods of a class body, as members (what the class body itself binds wins):
 * `self.s = aiohttp.ClientSession()` is {call}, `self.repo = repo` with `repo: OrderRepo` is that type,
 * `self.x = None` is None (set aside when other assignments agree), anything else an unknown var.
 */
function collectInstanceAttributes(tree: SyntaxTree, classBody: Node, members: Record<string, Sym[]>): void {
  const found: Record<string, Sym[]> = {};
  const declarations: Record<string, Sym[]> = {};
  for (let stmt = tree.firstNamedChild(classBody); stmt; stmt = tree.nextNamedSibling(stmt)) {
    const def = tree.type(stmt) === 'decorated_definition' ? tree.field(stmt, 'definition') : stmt;
    if (tree.type(def) !== 'function_definition') continue;
    const decos = decoratorNames(tree, def);
    if (decos.some((d) => d === 'staticmethod' || d === 'classmethod')) continue;
    const params = tree.namedChildren(tree.field(def, 'parameters'));
    const first = params.length ? params[0] : NO_NODE;
    const selfName = tree.type(first) === 'identifier' ? tree.textOf(first) : undefined;
    if (!selfName) continue;
    const annotations = new Map<string, TypeExpr>();
    for (const p of params) {
      if (tree.type(p) !== 'typed_parameter' && tree.type(p) !== 'typed_default_parameter') continue;
      const name = tree.field(p, 'name') || tree.namedChildren(p).find((c) => tree.type(c) === 'identifier');
      const t = typeExprOf(tree, tree.field(p, 'type'));
      if (name && t) annotations.set(tree.textOf(name), t);
    }
    let locals: Set<string> | undefined;
    const body = tree.field(def, 'body');
    const assignments = body ? tree.descendantsOfType(body, ['assignment', 'augmented_assignment']) : [];
    for (const n of assignments) {
      if (!ownedBy(tree, n, def)) continue;
      const left = tree.field(n, 'left');
      for (const target of attributeTargets(tree, left, selfName)) {
        const sym: { k: 'var'; t?: TypeExpr; v?: ValueExpr } = { k: 'var' };
        const isAssignment = tree.type(n) === 'assignment';
        const declared = isAssignment ? typeExprOf(tree, tree.field(n, 'type')) : undefined;
        const right = tree.field(n, 'right');
        const single = isAssignment && tree.type(left) === 'attribute';
        if (declared) {
          sym.t = declared;
          add(declarations, target, sym);
        } else if (single && right) {
          const type = tree.type(right);
          if (type === 'none') sym.t = { n: 'None' };
          else if (type === 'identifier' && annotations.has(tree.textOf(right))) sym.t = annotations.get(tree.textOf(right));
          else {
            const v = type === 'call' || type === 'identifier' || type === 'attribute' ? valueExprOf(tree, right) : undefined;
            const name = v && ('call' in v ? v.call : 'ref' in v ? v.ref : undefined);
            if (v && name && !(locals ??= localNames(tree, def)).has(headOf(name))) sym.v = v;
          }
        }
        add(found, target, sym);
      }
    }
  }
  // as for a type checker, a declared type (`self.loop: AbstractEventLoop = ...`) is the attribute's type
  // wherever else it is assigned (`self.loop = MISSING`)
  for (const [name, syms] of Object.entries(found)) {
    if (!Object.hasOwn(members, name)) members[name] = Object.hasOwn(declarations, name) ? declarations[name] : syms;
  }
}

const ATTRIBUTE_TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern']);

function attributeTargets(tree: SyntaxTree, left: Node, selfName: string): string[] {
  const type = tree.type(left);
  if (type === 'attribute') {
    const obj = tree.field(left, 'object');
    const attr = tree.field(left, 'attribute');
    return tree.type(obj) === 'identifier' && tree.textOf(obj) === selfName && attr ? [tree.textOf(attr)] : [];
  }
  if (ATTRIBUTE_TARGET_LISTS.has(type)) return tree.namedChildren(left).flatMap((c) => attributeTargets(tree, c, selfName));
  return [];
}

/**
 * `lazy_import(globals(), aliases={"connect": ".legacy.client", ...})` (websockets' PEP 562 table):
 * each name is bound as if `from .legacy.client import connect` had been written.
 */
function collectLazyImports(tree: SyntaxTree, call: Node, table: Record<string, Sym[]>, opts: SummarizeOptions): void {
  const callee = dottedName(tree, tree.field(call, 'function'));
  if (callee !== 'lazy_import' && !callee?.endsWith('.lazy_import')) return;
  for (let arg = tree.firstNamedChild(tree.field(call, 'arguments')); arg; arg = tree.nextNamedSibling(arg)) {
    if (tree.type(arg) !== 'keyword_argument' || !['aliases', 'deprecated_aliases'].includes(tree.textOf(tree.field(arg, 'name')))) continue;
    const dict = tree.field(arg, 'value');
    if (tree.type(dict) !== 'dictionary') continue;
    for (let pair = tree.firstNamedChild(dict); pair; pair = tree.nextNamedSibling(pair)) {
      if (tree.type(pair) !== 'pair') continue;
      const key = tree.field(pair, 'key');
      const value = tree.field(pair, 'value');
      if (tree.type(key) !== 'string' || tree.type(value) !== 'string') continue;
      const name = tree.textOf(key).slice(1, -1);
      const target = tree.textOf(value).slice(1, -1);
      const dots = /^\.*/.exec(target)![0].length;
      const m = dots ? resolveRelative(opts.moduleName, opts.isPackage, dots, target.slice(dots)) : target;
      if (m && !Object.hasOwn(table, name)) add(table, name, { k: 'from', m, n: name });
    }
  }
}
