// Which bindings of a scope's names reach which reads: a small reaching-definitions pass over one
// function (or module) body, run only when a rule or a lookup needs it. It decides "never read"
// (`t = create_task(...)` overwritten before any read is dropped) and "which value does this name
// hold here" (`lock = asyncio.Lock()` ... `lock = threading.Lock()`).
import type { Node } from './parser';

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
  /** For each read identifier of this scope (by node id), the bindings that may reach it. */
  reaching: Map<number, B[]>;
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

export function computeFlow<B extends FlowBinding>(scope: FlowScope<B>): FlowInfo<B> {
  const read = new Set<B>();
  const reaching = new Map<number, B[]>();
  const byNode = new Map<number, B[]>();
  for (const [name, bindings] of scope.bindings) {
    if (scope.closureReads.has(name) || scope.dynamic) bindings.forEach((b) => read.add(b));
    for (const b of bindings) {
      const list = byNode.get(b.node.id);
      if (list) list.push(b);
      else byNode.set(b.node.id, [b]);
    }
  }
  const tracked = (name: string) => scope.bindings.has(name) && !scope.globals.has(name) && !scope.nonlocals.has(name);
  const loops: Array<{ breaks: State[]; continues: State[] }> = [];

  const bindNode = (node: Node, state: State): State => {
    if (state === null) return null;
    const bindings = byNode.get(node.id);
    if (!bindings) return state;
    for (const b of bindings) state.set(b.name, new Set([b]));
    return state;
  };

  const readIdentifier = (node: Node, state: State) => {
    if (state === null || !tracked(node.text)) return;
    const reach = state.get(node.text);
    const list = (reach ? [...reach] : []) as B[]; // the state holds the scope's own bindings
    const previous = reaching.get(node.id);
    reaching.set(node.id, previous ? [...new Set([...previous, ...list])] : list);
    list.forEach((b) => read.add(b));
  };

  /** Reads in evaluation order; binds the identifiers of targets it meets (walrus). */
  const expr = (node: Node | null, state: State): State => {
    if (!node || state === null) return state;
    switch (node.type) {
      case 'identifier':
        readIdentifier(node, state);
        return state;
      case 'attribute':
        return expr(node.childForFieldName('object'), state);
      case 'keyword_argument':
        return expr(node.childForFieldName('value'), state);
      case 'named_expression':
        state = expr(node.childForFieldName('value'), state);
        return bindNode(node.childForFieldName('name')!, state);
      case 'string_content':
      case 'comment':
        return state;
      default:
        if (NESTED_SCOPES.has(node.type)) return state; // covered by closure reads
        for (const c of node.namedChildren) state = expr(c, state);
        return state;
    }
  };

  /** A binding target: identifiers are bound, attribute and subscript targets are read. */
  const target = (node: Node | null, state: State): State => {
    if (!node || state === null) return state;
    switch (node.type) {
      case 'identifier':
        return bindNode(node, state);
      case 'attribute':
      case 'subscript':
        return expr(node, state);
      default:
        for (const c of node.namedChildren) state = target(c, state);
        return state;
    }
  };

  const block = (node: Node | null, state: State): State => {
    if (!node) return state;
    for (const c of node.namedChildren) state = stmt(c!, state);
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
    switch (node.type) {
      case 'expression_statement':
        for (const c of node.namedChildren) state = exprStatement(c!, state);
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
        for (const c of node.namedChildren) {
          if (c!.type === 'identifier' && tracked(c!.text)) state!.set(c!.text, new Set());
          else state = expr(c, state);
        }
        return state;
      case 'if_statement': {
        state = expr(node.childForFieldName('condition'), state);
        const outs: State[] = [block(node.childForFieldName('consequence'), copy(state))];
        let hasElse = false;
        for (const alt of node.childrenForFieldName('alternative')) {
          if (!alt) continue;
          if (alt.type === 'else_clause') {
            hasElse = true;
            outs.push(block(alt.childForFieldName('body'), copy(state)));
          } else {
            state = expr(alt.childForFieldName('condition'), state);
            outs.push(block(alt.childForFieldName('consequence'), copy(state)));
          }
        }
        return union(...outs, ...(hasElse ? [] : [state]));
      }
      case 'for_statement': {
        state = expr(node.childForFieldName('right'), state);
        const { exit, breaks } = loop(state, (s) => block(node.childForFieldName('body'), target(node.childForFieldName('left'), s)));
        const orelse = node.childForFieldName('alternative');
        return union(orelse ? block(orelse, exit) : exit, ...breaks);
      }
      case 'while_statement': {
        const condition = node.childForFieldName('condition');
        const { exit, breaks } = loop(state, (s) => block(node.childForFieldName('body'), expr(condition, s)));
        const afterCondition = expr(condition, exit);
        const orelse = node.childForFieldName('alternative');
        const infinite = condition?.type === 'true';
        return union(infinite ? null : orelse ? block(orelse, afterCondition) : afterCondition, ...breaks);
      }
      case 'try_statement': {
        const entry = copy(state);
        let body: State = null;
        const outs: State[] = [];
        let finallyBlock: Node | null = null;
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'block') body = block(c, copy(state));
          else if (c.type === 'except_clause' || c.type === 'except_group_clause') {
            let s = union(entry, body);
            for (const part of c.namedChildren) {
              if (part!.type === 'block') s = block(part, s);
              else if (part!.type === 'as_pattern') {
                s = expr(part!.namedChild(0), s);
                const alias = part!.childForFieldName('alias');
                s = target(alias?.namedChild(0) ?? alias, s);
              } else s = expr(part, s);
            }
            outs.push(s);
          } else if (c.type === 'else_clause') body = block(c.childForFieldName('body'), body);
          else if (c.type === 'finally_clause') finallyBlock = c;
        }
        let out = union(body, ...outs);
        if (finallyBlock) {
          const fin = block(finallyBlock.namedChildren.find((x) => x?.type === 'block') ?? null, union(out, entry));
          out = out === null ? null : fin;
        }
        return out;
      }
      case 'with_statement': {
        const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const value = item!.childForFieldName('value');
          if (value?.type === 'as_pattern') {
            state = expr(value.namedChild(0), state);
            const alias = value.childForFieldName('alias');
            state = target(alias?.namedChild(0) ?? alias, state);
          } else state = expr(value, state);
        }
        return block(node.childForFieldName('body'), state);
      }
      case 'match_statement': {
        state = expr(node.childForFieldName('subject'), state);
        const outs: State[] = [state];
        const body = node.childForFieldName('body');
        for (const c of body?.namedChildren ?? []) {
          if (c?.type !== 'case_clause') continue;
          let s = copy(state);
          for (const part of c.namedChildren) {
            if (part!.type === 'block') s = block(part, s);
            else s = patternBindings(part!, s);
          }
          outs.push(s);
        }
        return union(...outs);
      }
      case 'decorated_definition':
        for (const c of node.namedChildren) if (c!.type === 'decorator') state = expr(c, state);
        return stmt(node.childForFieldName('definition')!, state);
      case 'function_definition':
      case 'class_definition':
        state = expr(node.childForFieldName('superclasses'), state);
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
    if (node.type === 'identifier') return bindNode(node, state);
    for (const c of node.namedChildren) state = patternBindings(c!, state);
    return state;
  }

  function exprStatement(node: Node, state: State): State {
    if (node.type === 'assignment') {
      const right = node.childForFieldName('right');
      if (right) state = right.type === 'assignment' ? exprStatement(right, state) : expr(right, state);
      return right ? target(node.childForFieldName('left'), state) : state;
    }
    if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      state = expr(left, state);
      state = expr(node.childForFieldName('right'), state);
      return left?.type === 'identifier' ? bindNode(left, state) : state;
    }
    return expr(node, state);
  }

  let entry: State = new Map();
  for (const bindings of scope.bindings.values()) for (const b of bindings) if (b.kind === 'param') entry = bindNode(b.node, entry);
  const body = scope.kind === 'module' ? scope.node : scope.node.childForFieldName('body');
  block(body, entry);
  return { read, reaching };
}
