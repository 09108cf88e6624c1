// A module's summary: what it binds at module level and in its classes, in a plain JSON-friendly
// shape. The same summary describes the file being analysed, a typeshed stub of the standard
// library (see scripts/gen-stdlib.mjs) and, later, other modules of the project.
import type { Node } from './parser';
import { lastStatement, ownedBy } from './syntax';
import { returnsFirstParameter, taskBodyOf, type TaskBody } from './taskKeeping';

export { lastStatement };

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

/** The children in a field, without the nulls web-tree-sitter's typings allow. */
export function fieldChildren(node: Node, field: string): Node[] {
  return node.childrenForFieldName(field).filter((c): c is Node => c !== null);
}

export function dottedName(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'dotted_name':
      return node.namedChildren.map((c) => c!.text).join('.');
    case 'attribute': {
      const obj = dottedName(node.childForFieldName('object'));
      const attr = node.childForFieldName('attribute');
      return obj && attr ? `${obj}.${attr.text}` : undefined;
    }
    default:
      return undefined;
  }
}

export function typeExprOf(node: Node | null): TypeExpr | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'type':
      return typeExprOf(node.namedChild(0));
    case 'identifier':
    case 'attribute':
    case 'dotted_name': {
      const n = dottedName(node);
      return n ? { n } : undefined;
    }
    case 'none':
      return { n: 'None' };
    case 'ellipsis':
      return { n: '...' };
    case 'string':
      return forwardReference(node);
    case 'generic_type': {
      const head = typeExprOf(node.namedChild(0));
      const params = node.namedChildren.find((c) => c!.type === 'type_parameter');
      if (!head) return undefined;
      return { n: head.n, a: params ? params.namedChildren.map((c) => typeExprOf(c) ?? { n: '?' }) : [] };
    }
    case 'subscript': {
      const head = typeExprOf(node.childForFieldName('value'));
      if (!head) return undefined;
      const args = fieldChildren(node, 'subscript').map((c) => typeExprOf(c) ?? { n: '?' });
      // `Tuple[A, B]` parses as one subscript holding a tuple expression.
      const flat = args.length === 1 && args[0].n === 'tuple()' ? args[0].a ?? [] : args;
      return { n: head.n, a: flat };
    }
    case 'tuple':
      return { n: 'tuple()', a: node.namedChildren.map((c) => typeExprOf(c) ?? { n: '?' }) };
    case 'union_type':
    case 'binary_operator': {
      if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text !== '|') return undefined;
      const parts = node.namedChildren.map((c) => typeExprOf(c) ?? { n: '?' });
      return { n: '|', a: parts.flatMap((p) => (p.n === '|' ? p.a ?? [] : [p])) };
    }
    case 'parenthesized_expression':
      return typeExprOf(node.namedChild(0));
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

export function importedModuleOf(node: Node, moduleName: string, isPackage: boolean): string | undefined {
  const mod = node.childForFieldName('module_name');
  if (!mod) return undefined;
  if (mod.type === 'relative_import') {
    const prefix = mod.namedChildren.find((c) => c!.type === 'import_prefix');
    const rest = mod.namedChildren.find((c) => c!.type === 'dotted_name');
    return resolveRelative(moduleName, isPackage, prefix?.text.length ?? 1, rest ? dottedName(rest)! : '');
  }
  return dottedName(mod);
}

/** Evaluates `sys.version_info >= (3, 11)` and `sys.platform == "win32"` style tests; undefined when unknown. */
export function staticCondition(node: Node | null): boolean | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression') return staticCondition(node.namedChild(0));
  if (node.type === 'not_operator') {
    const v = staticCondition(node.childForFieldName('argument'));
    return v === undefined ? undefined : !v;
  }
  if (node.type === 'boolean_operator') {
    const l = staticCondition(node.childForFieldName('left'));
    const r = staticCondition(node.childForFieldName('right'));
    const op = node.childForFieldName('operator')?.text;
    if (op === 'and') return l === false || r === false ? false : l && r ? true : undefined;
    return l === true || r === true ? true : l === false && r === false ? false : undefined;
  }
  if (node.type !== 'comparison_operator' || node.namedChildCount !== 2) return undefined;
  const [left, right] = [node.namedChild(0)!, node.namedChild(1)!];
  const op = node.children.find((c) => !c!.isNamed)?.text;
  const lhs = dottedName(left);
  if (lhs === 'sys.version_info' && right.type === 'tuple') {
    const want = right.namedChildren.map((c) => Number(c!.text));
    const cmp = compareVersions(TARGET_VERSION, want);
    switch (op) {
      case '>=': return cmp >= 0;
      case '>': return cmp > 0;
      case '<': return cmp < 0;
      case '<=': return cmp <= 0;
    }
    return undefined;
  }
  if (lhs === 'sys.platform' && right.type === 'string') {
    const value = right.text.slice(1, -1);
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
export function hasYield(body: Node): boolean {
  // descendantsOfType searches inside the WebAssembly parser, without creating a JS object per node;
  // walking namedChildren here cost ~15% of the engine's time on the standard library (profiled).
  for (const y of body.descendantsOfType('yield')) {
    let n = y?.parent;
    while (n && n.id !== body.id && n.type !== 'function_definition' && n.type !== 'class_definition' && n.type !== 'lambda') n = n.parent;
    if (n?.id === body.id) return true;
  }
  return false;
}

export function isAsyncDef(def: Node): boolean {
  return def.child(0)?.type === 'async';
}

export function decoratorNames(def: Node): string[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren
    .filter((c) => c!.type === 'decorator')
    .map((d) => {
      const expr = d!.namedChild(0);
      if (!expr) return '?';
      if (expr.type === 'call') return `${dottedName(expr.childForFieldName('function')) ?? '?'}()`;
      return dottedName(expr) ?? '?';
    });
}

export function defSymOf(def: Node): DefSym {
  const sym: DefSym = { k: 'def' };
  if (isAsyncDef(def)) sym.async = 1;
  const body = def.childForFieldName('body');
  if (body && hasYield(body)) sym.gen = 1;
  const ret = typeExprOf(def.childForFieldName('return_type'));
  if (ret) sym.ret = ret;
  const deco = decoratorNames(def);
  if (deco.length) sym.deco = deco;
  const first = def.childForFieldName('parameters')?.namedChild(0);
  if (first?.type === 'typed_parameter' || first?.type === 'typed_default_parameter') {
    const t = typeExprOf(first.childForFieldName('type'));
    if (t && !t.a && t.n !== '?' && sym.ret?.n === t.n) sym.selfAnn = t.n;
  }
  if (!sym.ret && !sym.gen && body && returnsFirstParameter(def, body)) sym.retSelf = 1;
  if (body && def.childForFieldName('name')?.text === 'create_task') {
    const task = taskBodyOf(def);
    if (task) sym.task = task;
  }
  if (!sym.async && !sym.gen && !sym.ret && body) {
    const calls = returnedCalls(def, body);
    if (calls) sym.retCalls = calls;
    const delegate = def.childForFieldName('name')?.text === '__await__' ? awaitDelegate(def, body) : undefined;
    if (delegate) sym.awaits = delegate;
  }
  return sym;
}


/** `def __await__(self): return self.m(...).__await__()` as its only return: `m`. */
function awaitDelegate(def: Node, body: Node): string | undefined {
  const last = lastStatement(body);
  const returns = body.descendantsOfType('return_statement').filter((r) => r !== null && ownedBy(r, def));
  if (last?.type !== 'return_statement' || returns.length !== 1) return undefined;
  const value = last.namedChild(0);
  const method = value?.type === 'call' ? value.childForFieldName('function') : null;
  const inner = method?.type === 'attribute' && method.childForFieldName('attribute')?.text === '__await__' ? method.childForFieldName('object') : null;
  const callee = inner?.type === 'call' ? dottedName(inner.childForFieldName('function'))?.split('.') : undefined;
  const self = def.childForFieldName('parameters')?.namedChild(0);
  return callee?.length === 2 && self?.type === 'identifier' && callee[0] === self.text ? callee[1] : undefined;
}

function valueExprOf(node: Node | null): ValueExpr | undefined {
  if (!node) return undefined;
  if (node.type === 'call') {
    const f = dottedName(node.childForFieldName('function'));
    if (!f) return undefined;
    return f === 'TypeVar' || f.endsWith('.TypeVar') ? { call: f, ...typeVarDeclaration(node) } : { call: f };
  }
  if (node.type === 'identifier' || node.type === 'attribute') {
    const r = dottedName(node);
    return r ? { ref: r } : undefined;
  }
  if (node.type === 'subscript' || (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '|')) {
    const t = typeExprOf(node);
    return t ? { type: t } : undefined;
  }
  return undefined;
}

/** The constraints and bound of `TypeVar("T", A, B)` / `TypeVar("T", bound="C")`. */
export function typeVarDeclaration(call: Node): { bound?: TypeExpr; constraints?: TypeExpr[] } {
  const out: { bound?: TypeExpr; constraints?: TypeExpr[] } = {};
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const constraints: TypeExpr[] = [];
  args.forEach((arg, i) => {
    if (arg!.type === 'keyword_argument') {
      if (arg!.childForFieldName('name')?.text !== 'bound') return;
      const bound = typeExprOf(arg!.childForFieldName('value'));
      if (bound && bound.n !== '?') out.bound = bound;
    } else if (i > 0) constraints.push(typeExprOf(arg) ?? { n: '?' });
  });
  if (constraints.length) out.constraints = constraints;
  return out;
}

function stringList(node: Node | null): string[] | undefined {
  if (!node || (node.type !== 'list' && node.type !== 'tuple')) return undefined;
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (c!.type !== 'string') return undefined;
    out.push(c!.text.slice(1, -1));
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
function collectBlock(block: Node, table: Record<string, Sym[]>, opts: SummarizeOptions, summary: ModuleSummary | undefined): void {
  for (const stmt of block.namedChildren) collectStatement(stmt!, table, opts, summary);
}

function collectStatement(stmt: Node, table: Record<string, Sym[]>, opts: SummarizeOptions, summary: ModuleSummary | undefined): void {
  switch (stmt.type) {
    case 'decorated_definition': {
      const def = stmt.childForFieldName('definition');
      if (def) collectStatement(def, table, opts, summary);
      return;
    }
    case 'function_definition': {
      const name = stmt.childForFieldName('name')?.text;
      if (name) add(table, name, defSymOf(stmt));
      return;
    }
    case 'class_definition': {
      const name = stmt.childForFieldName('name')?.text;
      if (!name) return;
      const members: Record<string, Sym[]> = {};
      const body = stmt.childForFieldName('body');
      if (body) collectBlock(body, members, opts, undefined);
      if (body) collectInstanceAttributes(body, members);
      const supers = stmt.childForFieldName('superclasses');
      const bases = (supers?.namedChildren ?? [])
        .filter((c) => c!.type !== 'keyword_argument')
        .map((c) => typeExprOf(c) ?? { n: '?' });
      add(table, name, { k: 'class', bases, members });
      return;
    }
    case 'import_statement':
      for (const c of stmt.namedChildren) {
        if (c!.type === 'dotted_name') {
          const full = dottedName(c)!;
          add(table, full.split('.')[0], { k: 'module', m: full.split('.')[0] });
        } else if (c!.type === 'aliased_import') {
          const full = dottedName(c!.childForFieldName('name'));
          const alias = c!.childForFieldName('alias')?.text;
          if (full && alias) add(table, alias, { k: 'module', m: full });
        }
      }
      return;
    case 'import_from_statement': {
      const m = importedModuleOf(stmt, opts.moduleName, opts.isPackage);
      if (!m) return;
      for (const c of fieldChildren(stmt, 'name')) {
        if (c.type === 'dotted_name') add(table, c.text, { k: 'from', m, n: c.text });
        else if (c.type === 'aliased_import') {
          const n = dottedName(c.childForFieldName('name'));
          const alias = c.childForFieldName('alias')?.text;
          if (n && alias) add(table, alias, { k: 'from', m, n });
        }
      }
      if (summary && stmt.namedChildren.some((c) => c!.type === 'wildcard_import')) (summary.star ??= []).push(m);
      return;
    }
    case 'expression_statement': {
      const expr = stmt.namedChild(0);
      if (expr?.type === 'assignment') collectAssignment(expr, table, summary);
      else if (expr?.type === 'augmented_assignment' && summary && expr.childForFieldName('left')?.text === '__all__') {
        const more = stringList(expr.childForFieldName('right'));
        if (more && summary.all) summary.all.push(...more);
      } else if (expr?.type === 'call' && summary) collectLazyImports(expr, table, opts);
      return;
    }
    case 'if_statement': {
      const verdict = staticCondition(stmt.childForFieldName('condition'));
      const consequence = stmt.childForFieldName('consequence');
      if (verdict !== false && consequence) collectBlock(consequence, table, opts, summary);
      if (verdict === true) return;
      for (const alt of fieldChildren(stmt, 'alternative')) {
        if (alt.type === 'else_clause') {
          const body = alt.childForFieldName('body');
          if (body) collectBlock(body, table, opts, summary);
        } else if (alt.type === 'elif_clause') {
          const v = staticCondition(alt.childForFieldName('condition'));
          const body = alt.childForFieldName('consequence');
          if (v !== false && body) collectBlock(body, table, opts, summary);
          if (v === true) return;
        }
      }
      return;
    }
    case 'try_statement':
    case 'with_statement':
    case 'block':
      for (const c of stmt.namedChildren) {
        if (c!.type === 'block') collectBlock(c!, table, opts, summary);
        else if (c!.type === 'except_clause' || c!.type === 'else_clause' || c!.type === 'finally_clause' || c!.type === 'with_statement') {
          for (const b of c!.namedChildren) if (b!.type === 'block') collectBlock(b!, table, opts, summary);
        }
      }
      return;
    default:
      return;
  }
}

function collectAssignment(expr: Node, table: Record<string, Sym[]>, summary: ModuleSummary | undefined): void {
  const left = expr.childForFieldName('left');
  const right = expr.childForFieldName('right');
  if (left?.type !== 'identifier') return;
  const name = left.text;
  if (name === '__all__' && summary) {
    const list = stringList(right);
    if (list) summary.all = list;
    return;
  }
  const sym: { k: 'var'; t?: TypeExpr; v?: ValueExpr } = { k: 'var' };
  const t = typeExprOf(expr.childForFieldName('type'));
  if (t && t.n !== 'TypeAlias' && !t.n.endsWith('.TypeAlias')) sym.t = t;
  const v = valueExprOf(right);
  if (v) sym.v = t && (t.n === 'TypeAlias' || t.n.endsWith('.TypeAlias')) ? { type: typeExprOf(right) ?? { n: '?' } } : v;
  add(table, name, sym);
}

export function summarizeModule(root: Node, opts: SummarizeOptions): ModuleSummary {
  const summary: ModuleSummary = { name: opts.moduleName, symbols: {} };
  collectBlock(root, summary.symbols, opts, summary);
  return summary;
}

// ----- forward references, instance attributes and evident returns (for summaries of project and library code) -----

/** `"Foo"`, `"mod.Foo[int]"`, `"A | None"` in an annotation: parsed as the type they spell, `?` when unsure. */
function forwardReference(node: Node): TypeExpr {
  const content = node.namedChildren.filter((c) => c!.type === 'string_content');
  if (content.length !== 1 || node.namedChildren.some((c) => c!.type === 'interpolation')) return { n: '?' };
  return parseTypeText(content[0]!.text) ?? { n: '?' };
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
function localNames(def: Node): Set<string> {
  const names = new Set<string>();
  const addTarget = (n: Node | null) => {
    if (!n) return;
    if (n.type === 'identifier') names.add(n.text);
    else if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'list_splat_pattern', 'parenthesized_expression'].includes(n.type)) {
      for (const c of n.namedChildren) addTarget(c!);
    }
  };
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p!.type === 'identifier') names.add(p!.text);
    else {
      const name = p!.childForFieldName('name') ?? p!.namedChildren.find((c) => c!.type === 'identifier');
      if (name) names.add(name.text);
    }
  }
  const body = def.childForFieldName('body');
  if (!body) return names;
  // one query into the tree (walking every node from JS is slow), then only the binders' ancestors
  const binders = body.descendantsOfType([
    'function_definition', 'class_definition', 'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause',
    'named_expression', 'as_pattern', 'import_statement', 'import_from_statement', 'except_clause', 'global_statement',
  ]);
  for (const n of binders) {
    if (!n || !ownedBy(n, def)) continue;
    switch (n.type) {
      case 'function_definition':
      case 'class_definition':
      case 'named_expression':
        addTarget(n.childForFieldName('name'));
        break;
      case 'as_pattern':
        addTarget(n.childForFieldName('alias')?.namedChild(0) ?? null);
        break;
      case 'import_statement':
      case 'import_from_statement':
        for (const c of n.namedChildren) {
          if (c!.type === 'aliased_import') addTarget(c!.childForFieldName('alias'));
          else if (c!.type === 'dotted_name' && c!.id !== n.childForFieldName('module_name')?.id) addTarget(c!.namedChild(0));
        }
        break;
      case 'except_clause':
      case 'global_statement':
        for (const c of n.namedChildren) if (c!.type === 'identifier') names.add(c!.text);
        break;
      default:
        addTarget(n.childForFieldName('left'));
    }
  }
  return names;
}

function headOf(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
}

/** The callees of `return callee(...)` when every path of the function ends in one, else undefined. */
function returnedCalls(def: Node, body: Node): string[] | undefined {
  const last = lastStatement(body);
  if (last?.type !== 'return_statement' && last?.type !== 'raise_statement') return undefined;
  const returns = body.descendantsOfType('return_statement').filter((r): r is Node => r !== null && ownedBy(r, def));
  if (!returns.length) return undefined;
  const callees: string[] = [];
  for (const r of returns) {
    const value = r.namedChild(0);
    if (value?.type !== 'call') return undefined;
    const callee = dottedName(value.childForFieldName('function'));
    if (!callee) return undefined;
    callees.push(callee);
  }
  const locals = localNames(def);
  if (callees.some((c) => locals.has(headOf(c)))) return undefined;
  return [...new Set(callees)];
}

/**
 * `self.x = ...` in the methods of a class body, as members (what the class body itself binds wins):
 * `self.s = aiohttp.ClientSession()` is {call}, `self.repo = repo` with `repo: OrderRepo` is that type,
 * `self.x = None` is None (set aside when other assignments agree), anything else an unknown var.
 */
function collectInstanceAttributes(classBody: Node, members: Record<string, Sym[]>): void {
  const found: Record<string, Sym[]> = {};
  const declarations: Record<string, Sym[]> = {};
  for (const stmt of classBody.namedChildren) {
    const def = stmt!.type === 'decorated_definition' ? stmt!.childForFieldName('definition') : stmt;
    if (def?.type !== 'function_definition') continue;
    const decos = decoratorNames(def);
    if (decos.some((d) => d === 'staticmethod' || d === 'classmethod')) continue;
    const params = def.childForFieldName('parameters')?.namedChildren ?? [];
    const first = params[0];
    const selfName = first?.type === 'identifier' ? first.text : undefined;
    if (!selfName) continue;
    const annotations = new Map<string, TypeExpr>();
    for (const p of params) {
      if (p!.type !== 'typed_parameter' && p!.type !== 'typed_default_parameter') continue;
      const name = p!.childForFieldName('name') ?? p!.namedChildren.find((c) => c!.type === 'identifier');
      const t = typeExprOf(p!.childForFieldName('type'));
      if (name && t) annotations.set(name.text, t);
    }
    let locals: Set<string> | undefined;
    const body = def.childForFieldName('body');
    const assignments = body ? body.descendantsOfType(['assignment', 'augmented_assignment']) : [];
    for (const n of assignments) {
      if (!n || !ownedBy(n, def)) continue;
      {
        for (const target of attributeTargets(n.childForFieldName('left'), selfName)) {
          const sym: { k: 'var'; t?: TypeExpr; v?: ValueExpr } = { k: 'var' };
          const declared = n.type === 'assignment' ? typeExprOf(n.childForFieldName('type')) : undefined;
          const right = n.childForFieldName('right');
          const single = n.type === 'assignment' && n.childForFieldName('left')?.type === 'attribute';
          if (declared) {
            sym.t = declared;
            add(declarations, target, sym);
          }
          else if (single && right) {
            if (right.type === 'none') sym.t = { n: 'None' };
            else if (right.type === 'identifier' && annotations.has(right.text)) sym.t = annotations.get(right.text);
            else {
              const v = right.type === 'call' || right.type === 'identifier' || right.type === 'attribute' ? valueExprOf(right) : undefined;
              const name = v && ('call' in v ? v.call : 'ref' in v ? v.ref : undefined);
              if (v && name && !(locals ??= localNames(def)).has(headOf(name))) sym.v = v;
            }
          }
          add(found, target, sym);
        }
      }
    }
  }
  // as for a type checker, a declared type (`self.loop: AbstractEventLoop = ...`) is the attribute's type
  // wherever else it is assigned (`self.loop = MISSING`)
  for (const [name, syms] of Object.entries(found)) {
    if (!Object.hasOwn(members, name)) members[name] = Object.hasOwn(declarations, name) ? declarations[name] : syms;
  }
}

function attributeTargets(left: Node | null, selfName: string): string[] {
  if (!left) return [];
  if (left.type === 'attribute') {
    const obj = left.childForFieldName('object');
    const attr = left.childForFieldName('attribute');
    return obj?.type === 'identifier' && obj.text === selfName && attr ? [attr.text] : [];
  }
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern'].includes(left.type)) {
    return left.namedChildren.flatMap((c) => attributeTargets(c!, selfName));
  }
  return [];
}

/**
 * `lazy_import(globals(), aliases={"connect": ".legacy.client", ...})` (websockets' PEP 562 table):
 * each name is bound as if `from .legacy.client import connect` had been written.
 */
function collectLazyImports(call: Node, table: Record<string, Sym[]>, opts: SummarizeOptions): void {
  const callee = dottedName(call.childForFieldName('function'));
  if (callee !== 'lazy_import' && !callee?.endsWith('.lazy_import')) return;
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg!.type !== 'keyword_argument' || !['aliases', 'deprecated_aliases'].includes(arg!.childForFieldName('name')?.text ?? '')) continue;
    const dict = arg!.childForFieldName('value');
    if (dict?.type !== 'dictionary') continue;
    for (const pair of dict.namedChildren) {
      if (pair!.type !== 'pair') continue;
      const key = pair!.childForFieldName('key');
      const value = pair!.childForFieldName('value');
      if (key?.type !== 'string' || value?.type !== 'string') continue;
      const name = key.text.slice(1, -1);
      const target = value.text.slice(1, -1);
      const dots = /^\.*/.exec(target)![0].length;
      const m = dots ? resolveRelative(opts.moduleName, opts.isPackage, dots, target.slice(dots)) : target;
      if (m && !Object.hasOwn(table, name)) add(table, name, { k: 'from', m, n: name });
    }
  }
}
