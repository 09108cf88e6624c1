// Names a fix binds. A new local must change no other read: it is bound nowhere the statement's
// scope can see, and it appears nowhere in its function. Other functions do not matter, so every
// function gets the plain name (`task`), numbered only when its own code already uses it.
import type { Scope } from '../scopes';
import type { FixContext } from './context';

/** `base`, else `base_1`, `base_2`, ...; undefined where a fix should not bind a name (a class body). */
export function freshLocalName(ctx: FixContext, scope: Scope, base: string): string | undefined {
  if (scope.kind === 'class') return undefined; // the name would become a class attribute
  const taken = scope.kind === 'function' ? (name: string) => mentionedIn(ctx, scope, name) : (name: string) => ctx.facts.usedNames().has(name);
  for (let i = 0; i < 100; i++) {
    const name = i === 0 ? base : `${base}_${i}`;
    if (!scope.resolve(name) && !scope.globals.has(name) && !scope.nonlocals.has(name) && !taken(name)) return name;
  }
  return undefined;
}

/** The function uses `name` somewhere (nested functions included): a read, a binding, a parameter. */
function mentionedIn(ctx: FixContext, scope: Scope, name: string): boolean {
  return ctx.facts.variableNamesIn(scope.node).has(name);
}
