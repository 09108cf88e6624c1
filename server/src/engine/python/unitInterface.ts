// What the rest of a file can learn about one function by analysing it: its decorators and
// signature, what it returns, whether it yields, the attributes a method assigns (`self.x = ...`), the
// names it declares global, and the same of the functions and classes defined inside it; and what
// other functions' findings may take as evidence that an undeclared value is an event loop (a use of
// a method only event loops have, a `loop=` argument, a call that passes a loop, the body of a
// `create_task`). An edit that leaves all of this unchanged cannot change a finding outside the function.
import { LOOP_ONLY_METHODS } from './loopEvidence';
import type { Node } from './parser';

const RECORDED = new Set(['return_statement', 'yield', 'global_statement', 'nonlocal_statement', 'decorator']);

export function unitInterface(unit: Node): string {
  const parts: string[] = [];
  const selfName = methodSelf(unit);
  const cursor = unit.walk();
  try {
    let depth = 0;
    for (;;) {
      const type = cursor.nodeType;
      let descend = true;
      if (RECORDED.has(type)) {
        parts.push(cursor.currentNode.text);
        descend = type === 'yield';
      } else if (type === 'function_definition' || type === 'class_definition') {
        const node = cursor.currentNode;
        parts.push(node.childForFieldName('name')?.text === 'create_task' ? node.text : headerOf(node));
      } else if (type === 'attribute' || type === 'keyword_argument' || type === 'call') {
        const evidence = loopEvidenceText(cursor.currentNode);
        if (evidence) parts.push(evidence);
      } else if (selfName && (type === 'assignment' || type === 'augmented_assignment')) {
        const node = cursor.currentNode;
        const left = node.childForFieldName('left');
        if (left?.type === 'attribute' && left.childForFieldName('object')?.text === selfName) parts.push(node.text);
      }
      if (descend && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return parts.join('\n');
        depth--;
      }
      if (depth === 0) return parts.join('\n');
    }
  } finally {
    cursor.delete();
  }
}

/** What loopEvidence.ts may read in this node: `x.call_soon`, `loop=x`, a call with a loop among its arguments. */
function loopEvidenceText(node: Node): string | undefined {
  if (node.type === 'attribute') {
    const name = node.childForFieldName('attribute')?.text;
    return name && LOOP_ONLY_METHODS.has(name) ? node.text : undefined;
  }
  if (node.type === 'keyword_argument') return node.childForFieldName('name')?.text === 'loop' ? node.text : undefined;
  const args = node.childForFieldName('arguments');
  return args && /loop/i.test(args.text) ? `${node.childForFieldName('function')?.text}${args.text}` : undefined;
}

/** A method's first parameter, whose attributes it may assign (`self.x = ...`). */
function methodSelf(unit: Node): string | undefined {
  const def = unit.type === 'decorated_definition' ? unit.childForFieldName('definition') : unit;
  if (unit.parent?.parent?.type !== 'class_definition') return undefined;
  const first = def?.childForFieldName('parameters')?.namedChild(0);
  const name = first?.type === 'identifier' ? first : first?.namedChildren.find((c) => c?.type === 'identifier');
  return name?.text;
}

/** A definition up to its body, and for a function whether its body ends in `return`/`raise` (return inference asks). */
function headerOf(def: Node): string {
  const body = def.childForFieldName('body');
  if (!body) return def.text;
  // Up to the parameters and return type, the name for a class: a half-typed line may leave an
  // ERROR between them and the body, and layout changes nothing.
  const signature = def.childForFieldName('return_type') ?? def.childForFieldName('parameters') ?? def.childForFieldName('superclasses') ?? def.childForFieldName('name');
  const end = signature ? signature.endIndex : body.startIndex;
  const header = def.text.slice(0, end - def.startIndex).replace(/\s+/g, ' ').trim();
  if (def.type !== 'function_definition') return header;
  let last: Node | null = null;
  for (let i = body.namedChildCount - 1; i >= 0 && !last; i--) {
    const c = body.namedChild(i);
    if (c && c.type !== 'comment') last = c;
  }
  const endsInReturn = last?.type === 'return_statement' || last?.type === 'raise_statement';
  return endsInReturn ? `${header} (ends in ${last!.type})` : header;
}
