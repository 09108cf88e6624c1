// Fix: make the enclosing `def` an `async def` and await the call. Unsafe: every caller of the
// function now receives a coroutine and must await it in turn.
import type { Fix } from '../../types';
import { hasYield, isAsyncDef } from '../summary';
import { insertAt, pointOf, type FixSite } from './context';
import { quoted } from '../../messages';

export function makeAsyncFix({ ctx, call, scope }: FixSite): Fix | undefined {
  const tree = ctx.tree;
  if (scope.kind !== 'function' || isAsyncDef(tree, scope.node)) return undefined;
  const def = scope.node;
  const name = tree.fieldText(def, 'name') ?? '';
  const body = tree.field(def, 'body');
  // dunder methods are called by Python itself; generators would become async generators
  if (/^__\w+__$/.test(name) || !body || hasYield(tree, body)) return undefined;
  const parent = tree.parent(def);
  const decorators = tree.type(parent) === 'decorated_definition' ? tree.namedChildren(parent) : [];
  if (decorators.some((d) => tree.type(d) === 'decorator' && /property|setter/.test(tree.textOf(d)))) return undefined;
  return {
    kind: 'make-async',
    title: `Make ${quoted(name)} async and await the call`,
    safe: false,
    preferred: false,
    edits: [insertAt(pointOf(tree, def), 'async '), insertAt(pointOf(tree, call), 'await ')],
  };
}
