// Fix: write `await` before the call. The call is a primary expression, and `await` binds
// tighter than every operator around it, so no parentheses are ever needed.
import type { Fix } from '../../types';
import type { Node } from '../parser';
import { awaitAllowedAt, insertAt, pointOf, type FixContext } from './context';

export function addAwaitFix(ctx: FixContext, call: Node, safe: boolean): Fix | undefined {
  if (!awaitAllowedAt(call, ctx.model)) return undefined;
  return {
    kind: 'add-await',
    title: 'Add `await`',
    safe,
    preferred: false,
    edits: [insertAt(pointOf(call), 'await ')],
  };
}
