// Fix: write `await` before the call. The call is a primary expression, and `await` binds
// tighter than every operator around it, so no parentheses are ever needed.
import type { Fix } from '../../types';
import { awaitAllowedIn, insertAt, pointOf, type FixSite } from './context';

export function addAwaitFix({ ctx, call, scope }: FixSite, safe: boolean): Fix | undefined {
  if (!awaitAllowedIn(scope, ctx.topLevelAwait)) return undefined;
  return {
    kind: 'add-await',
    title: 'Add “await”',
    safe,
    preferred: false,
    edits: [insertAt(pointOf(ctx.tree, call), 'await ')],
  };
}
