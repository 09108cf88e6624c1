// Fix: make the enclosing `def` an `async def` and await the call. Unsafe: every caller of the
// function now receives a coroutine and must await it in turn.
import type { Fix } from '../../types';
import { hasYield, isAsyncDef } from '../summary';
import { insertAt, pointOf, type FixSite } from './context';
import { quoted } from '../../messages';

export function makeAsyncFix({ call, scope }: FixSite): Fix | undefined {
  if (scope.kind !== 'function' || isAsyncDef(scope.node)) return undefined;
  const def = scope.node;
  const name = def.childForFieldName('name')?.text ?? '';
  const body = def.childForFieldName('body');
  // dunder methods are called by Python itself; generators would become async generators
  if (/^__\w+__$/.test(name) || !body || hasYield(body)) return undefined;
  const decorators = def.parent?.type === 'decorated_definition' ? def.parent.namedChildren : [];
  if (decorators.some((d) => d?.type === 'decorator' && /property|setter/.test(d.text))) return undefined;
  return {
    kind: 'make-async',
    title: `Make ${quoted(name)} async and await the call`,
    safe: false,
    preferred: false,
    edits: [insertAt(pointOf(def), 'async '), insertAt(pointOf(call), 'await ')],
  };
}
