// Which bindings of a scope's names reach which reads: a small reaching-definitions pass over one
// function (or module) body, run only when a rule or a lookup needs it. It decides "never read"
// (`t = create_task(...)` overwritten before any read is dropped) and "which value does this name
// hold here" (`lock = asyncio.Lock()` ... `lock = threading.Lock()`).
import { NO_NODE, type Node, type SyntaxTree } from './tree';

/** What the flow reads of a binding and of a scope (scopes.ts's Binding and Scope, which run the flow). */
export interface FlowBinding {
  name: string;
  kind: string;
  node: Node;
}

export interface FlowScope<B extends FlowBinding> {
  kind: string;
  node: Node;
  bindings: ReadonlyMap<string, readonly B[]>;
  closureReads: ReadonlySet<string>;
  globals: ReadonlySet<string>;
  nonlocals: ReadonlySet<string>;
  dynamic: boolean;
}

type State = Map<string, Set<FlowBinding>> | null; // null: this point is unreachable

export interface FlowInfo<B extends FlowBinding> {
  /** Bindings some read may observe. */
  read: Set<B>;
  /** For each read identifier of this scope, the bindings that may reach it. */
  reaching: Map<Node, B[]>;
}

const NESTED_SCOPES = new Set([
  'function_definition', 'class_definition', 'lambda', 'list_comprehension', 'set_comprehension',
  'dictionary_comprehension', 'generator_expression',
]);

function union(...states: State[]): State {
  const live = states.filter((s): s is Map<string, Set<FlowBinding>> => s !== null);
  if (!live.length) return null;
  const out = new Map<string, Set<FlowBinding>>();
  for (const s of live) for (const [k, v] of s) {
    const set = out.get(k);
    if (set) v.forEach((b) => set.add(b));
    else out.set(k, new Set(v));
  }
  return out;
}

function copy(s: State): State {
  return s === null ? null : union(s);
}

export function computeFlow<B extends FlowBinding>(tree: SyntaxTree, scope: FlowScope<B>): FlowInfo<B> {
  const read = new Set<B>();
  const reaching = new Map<Node, B[]>();
  const byNode = new Map<Node, B[]>();
  for (const [name, bindings] of scope.bindings) {
    if (scope.closureReads.has(name) || scope.dynamic) bindings.forEach((b) => read.add(b));
    for (const b of bindings) {
      const list = byNode.get(b.node);
      if (list) list.push(b);
      else byNode.set(b.node, [b]);
    }
  }
  const tracked = (name: string) => scope.bindings.has(name) && !scope.globals.has(name) && !scope.nonlocals.has(name);
  const loops: Array<{ breaks: State[]; continues: State[] }> = [];
  const type = (n: Node) => tree.type(n);

  const bindNode = (node: Node, state: State): State => {
    if (state === null) return null;
    const bindings = byNode.get(node);
    if (!bindings) return state;
    for (const b of bindings) state.set(b.name, new Set([b]));
    return state;
  };

  const readIdentifier = (node: Node, state: State) => {
    const name = tree.textOf(node);
    if (state === null || !tracked(name)) return;
    const reach = state.get(name);
    const list = (reach ? [...reach] : []) as B[]; // the state holds the scope's own bindings
    const previous = reaching.get(node);
    reaching.set(node, previous ? [...new Set([...previous, ...list])] : list);
    list.forEach((b) => read.add(b));
  };

  /** Reads in evaluation order; binds the identifiers of targets it meets (walrus). */
  const expr = (node: Node, state: State): State => {
    if (!node || state === null) return state;
    switch (type(node)) {
      case 'identifier':
        readIdentifier(node, state);
        return state;
      case 'attribute':
        return expr(tree.field(node, 'object'), state);
      case 'keyword_argument':
        return expr(tree.field(node, 'value'), state);
      case 'named_expression':
        state = expr(tree.field(node, 'value'), state);
        return bindNode(tree.field(node, 'name'), state);
      case 'string_content':
      case 'comment':
        return state;
      default:
        if (NESTED_SCOPES.has(type(node))) return state; // covered by closure reads
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) state = expr(c, state);
        return state;
    }
  };

  /** A binding target: identifiers are bound, attribute and subscript targets are read. */
  const target = (node: Node, state: State): State => {
    if (!node || state === null) return state;
    switch (type(node)) {
      case 'identifier':
        return bindNode(node, state);
      case 'attribute':
      case 'subscript':
        return expr(node, state);
      default:
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) state = target(c, state);
        return state;
    }
  };

  const block = (node: Node, state: State): State => {
    if (!node) return state;
    for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) state = stmt(c, state);
    return state;
  };

  const loop = (entry: State, body: (s: State) => State): { exit: State; breaks: State[] } => {
    let input = entry;
    let out: State = null;
    const frame = { breaks: [] as State[], continues: [] as State[] };
    loops.push(frame);
    for (let pass = 0; pass < 2; pass++) {
      frame.continues = [];
      out = body(copy(input));
      input = union(entry, out, ...frame.continues);
    }
    loops.pop();
    return { exit: union(entry, out, ...frame.continues), breaks: frame.breaks };
  };

  function stmt(node: Node, state: State): State {
    if (state === null) return null;
    switch (type(node)) {
      case 'expression_statement':
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) state = exprStatement(c, state);
        return state;
      case 'return_statement':
      case 'raise_statement':
        expr(node, state);
        return null;
      case 'break_statement':
        loops[loops.length - 1]?.breaks.push(copy(state));
        return null;
      case 'continue_statement':
        loops[loops.length - 1]?.continues.push(copy(state));
        return null;
      case 'delete_statement':
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          if (type(c) === 'identifier' && tracked(tree.textOf(c))) state!.set(tree.textOf(c), new Set());
          else state = expr(c, state);
        }
        return state;
      case 'if_statement': {
        state = expr(tree.field(node, 'condition'), state);
        const outs: State[] = [block(tree.field(node, 'consequence'), copy(state))];
        let hasElse = false;
        for (const alt of tree.fieldChildren(node, 'alternative')) {
          if (type(alt) === 'else_clause') {
            hasElse = true;
            outs.push(block(tree.field(alt, 'body'), copy(state)));
          } else {
            state = expr(tree.field(alt, 'condition'), state);
            outs.push(block(tree.field(alt, 'consequence'), copy(state)));
          }
        }
        return union(...outs, ...(hasElse ? [] : [state]));
      }
      case 'for_statement': {
        state = expr(tree.field(node, 'right'), state);
        const { exit, breaks } = loop(state, (s) => block(tree.field(node, 'body'), target(tree.field(node, 'left'), s)));
        const orelse = tree.field(node, 'alternative');
        return union(orelse ? block(orelse, exit) : exit, ...breaks);
      }
      case 'while_statement': {
        const condition = tree.field(node, 'condition');
        const { exit, breaks } = loop(state, (s) => block(tree.field(node, 'body'), expr(condition, s)));
        const afterCondition = expr(condition, exit);
        const orelse = tree.field(node, 'alternative');
        const infinite = type(condition) === 'true';
        return union(infinite ? null : orelse ? block(orelse, afterCondition) : afterCondition, ...breaks);
      }
      case 'try_statement': {
        const entry = copy(state);
        let body: State = null;
        const outs: State[] = [];
        let finallyBlock = NO_NODE;
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) {
          const t = type(c);
          if (t === 'block') body = block(c, copy(state));
          else if (t === 'except_clause') {
            let s = union(entry, body);
            for (let part = tree.firstNamedChild(c); part; part = tree.nextNamedSibling(part)) {
              if (type(part) === 'block') s = block(part, s);
              else if (type(part) === 'as_pattern') {
                s = expr(tree.namedChild(part, 0), s);
                const alias = tree.field(part, 'alias');
                s = target(tree.namedChild(alias, 0) || alias, s);
              } else s = expr(part, s);
            }
            outs.push(s);
          } else if (t === 'else_clause') body = block(tree.field(c, 'body'), body);
          else if (t === 'finally_clause') finallyBlock = c;
        }
        let out = union(body, ...outs);
        if (finallyBlock) {
          const finallyBody = tree.namedChildren(finallyBlock).find((x) => type(x) === 'block') ?? NO_NODE;
          const fin = block(finallyBody, union(out, entry));
          out = out === null ? null : fin;
        }
        return out;
      }
      case 'with_statement': {
        const clause = tree.namedChildren(node).find((c) => type(c) === 'with_clause') ?? NO_NODE;
        for (let item = tree.firstNamedChild(clause); item; item = tree.nextNamedSibling(item)) {
          const value = tree.field(item, 'value');
          if (type(value) === 'as_pattern') {
            state = expr(tree.namedChild(value, 0), state);
            const alias = tree.field(value, 'alias');
            state = target(tree.namedChild(alias, 0) || alias, state);
          } else state = expr(value, state);
        }
        return block(tree.field(node, 'body'), state);
      }
      case 'match_statement': {
        state = expr(tree.field(node, 'subject'), state);
        const outs: State[] = [state];
        const body = tree.field(node, 'body');
        for (let c = tree.firstNamedChild(body); c; c = tree.nextNamedSibling(c)) {
          if (type(c) !== 'case_clause') continue;
          let s = copy(state);
          for (let part = tree.firstNamedChild(c); part; part = tree.nextNamedSibling(part)) {
            if (type(part) === 'block') s = block(part, s);
            else s = patternBindings(part, s);
          }
          outs.push(s);
        }
        return union(...outs);
      }
      case 'decorated_definition':
        for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) if (type(c) === 'decorator') state = expr(c, state);
        return stmt(tree.field(node, 'definition'), state);
      case 'function_definition':
      case 'class_definition':
        state = expr(tree.field(node, 'superclasses'), state);
        return bindNode(node, state);
      case 'import_statement':
      case 'import_from_statement':
        return bindNode(node, state);
      case 'block':
        return block(node, state);
      case 'global_statement':
      case 'nonlocal_statement':
      case 'pass_statement':
      case 'future_import_statement':
      case 'comment':
        return state;
      default:
        return expr(node, state);
    }
  }

  function patternBindings(node: Node, state: State): State {
    if (type(node) === 'identifier') return bindNode(node, state);
    for (let c = tree.firstNamedChild(node); c; c = tree.nextNamedSibling(c)) state = patternBindings(c, state);
    return state;
  }

  function exprStatement(node: Node, state: State): State {
    if (type(node) === 'assignment') {
      const right = tree.field(node, 'right');
      if (right) state = type(right) === 'assignment' ? exprStatement(right, state) : expr(right, state);
      return right ? target(tree.field(node, 'left'), state) : state;
    }
    if (type(node) === 'augmented_assignment') {
      const left = tree.field(node, 'left');
      state = expr(left, state);
      state = expr(tree.field(node, 'right'), state);
      return type(left) === 'identifier' ? bindNode(left, state) : state;
    }
    return expr(node, state);
  }

  let entry: State = new Map();
  for (const bindings of scope.bindings.values()) for (const b of bindings) if (b.kind === 'param') entry = bindNode(b.node, entry);
  const body = scope.kind === 'module' ? scope.node : tree.field(scope.node, 'body');
  block(body, entry);
  return { read, reaching };
}
