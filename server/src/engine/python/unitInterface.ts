// What the rest of a file can learn about one function by analysing it: its decorators and
// signature, what it returns, whether it yields, the attributes a method assigns (`self.x = ...`), the
// names it declares global, and the same of the functions and classes defined inside it; and what
// other functions' findings may take as evidence that an undeclared value is an event loop (a use of
// a method only event loops have, a `loop=` argument, a call that passes a loop, the body of a
// `create_task`). An edit that leaves all of this unchanged cannot change a finding outside the function.
import { LOOP_ONLY_METHODS } from './rules/loop-evidence';
import { NO_NODE, type Node, type SyntaxTree } from './tree';

const RECORDED = new Set(['return_statement', 'yield', 'global_statement', 'nonlocal_statement', 'decorator']);

export function unitInterface(tree: SyntaxTree, unit: Node): string {
  const parts: string[] = [];
  const selfName = methodSelf(tree, unit);
  const end = tree.arrays.after[unit];
  // the subtree in source order; a recorded node's own subtree is skipped unless it is a `yield`
  for (let n = unit as number; n < end; ) {
    const node = n as Node;
    const type = tree.type(node);
    let descend = true;
    if (RECORDED.has(type)) {
      parts.push(tree.textOf(node));
      descend = type === 'yield';
    } else if (type === 'function_definition' || type === 'class_definition') {
      parts.push(tree.fieldText(node, 'name') === 'create_task' ? tree.textOf(node) : headerOf(tree, node));
    } else if (type === 'attribute' || type === 'keyword_argument' || type === 'call') {
      const evidence = loopEvidenceText(tree, node);
      if (evidence) parts.push(evidence);
    } else if (selfName && (type === 'assignment' || type === 'augmented_assignment')) {
      const left = tree.field(node, 'left');
      if (tree.type(left) === 'attribute' && tree.fieldText(left, 'object') === selfName) parts.push(tree.textOf(node));
    }
    n = descend ? n + 1 : tree.arrays.after[n];
  }
  return parts.join('\n');
}

/** What rules/loop-evidence.ts may read in this node: `x.call_soon`, `loop=x`, a call with a loop among its arguments. */
function loopEvidenceText(tree: SyntaxTree, node: Node): string | undefined {
  const type = tree.type(node);
  if (type === 'attribute') {
    const name = tree.fieldText(node, 'attribute');
    return name && LOOP_ONLY_METHODS.has(name) ? tree.textOf(node) : undefined;
  }
  if (type === 'keyword_argument') return tree.fieldText(node, 'name') === 'loop' ? tree.textOf(node) : undefined;
  const args = tree.field(node, 'arguments');
  return args && /loop/i.test(tree.textOf(args)) ? `${tree.fieldText(node, 'function')}${tree.textOf(args)}` : undefined;
}

/** A method's first parameter, whose attributes it may assign (`self.x = ...`). */
function methodSelf(tree: SyntaxTree, unit: Node): string | undefined {
  const def = tree.type(unit) === 'decorated_definition' ? tree.field(unit, 'definition') : unit;
  if (tree.type(tree.parent(tree.parent(unit))) !== 'class_definition') return undefined;
  const first = tree.namedChild(tree.field(def, 'parameters'), 0);
  const name = tree.type(first) === 'identifier' ? first : tree.namedChildren(first).find((c) => tree.type(c) === 'identifier') ?? NO_NODE;
  return name ? tree.textOf(name) : undefined;
}

/** A definition up to its body, and for a function whether its body ends in `return`/`raise` (return inference asks). */
function headerOf(tree: SyntaxTree, def: Node): string {
  const body = tree.field(def, 'body');
  if (!body) return tree.textOf(def);
  // Up to the parameters and return type, the name for a class: a half-typed line may leave an
  // ERROR between them and the body, and layout changes nothing.
  const signature = tree.field(def, 'return_type') || tree.field(def, 'parameters') || tree.field(def, 'superclasses') || tree.field(def, 'name');
  const end = signature ? tree.endIndex(signature) : tree.startIndex(body);
  const header = tree.textOf(def).slice(0, end - tree.startIndex(def)).replace(/\s+/g, ' ').trim();
  if (tree.type(def) !== 'function_definition') return header;
  let last = NO_NODE;
  for (let i = tree.namedChildCount(body) - 1; i >= 0 && !last; i--) {
    const c = tree.namedChild(body, i);
    if (c && tree.type(c) !== 'comment') last = c;
  }
  const lastType = tree.type(last);
  const endsInReturn = lastType === 'return_statement' || lastType === 'raise_statement';
  return endsInReturn ? `${header} (ends in ${lastType})` : header;
}
