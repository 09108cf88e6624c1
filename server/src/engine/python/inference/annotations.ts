// What an annotation describes (`Task[int]` is a Task instance, `Callable[..., Awaitable[T]]` a
// callable whose result is awaitable, `Optional[X]` an X), and the type variables of generic bases.
import type { TypeExpr } from '../summary';
import { containerOf, homogeneousTuple } from './containers';
import type { Evaluator } from './evaluator';
import { lazy, merge, NONE, OTHER, unionOf, UNKNOWN, type ClassInfo, type NameContext, type Value } from './values';

const CONTEXT_MANAGER_TYPES = new Map([
  ['typing.AsyncContextManager', true],
  ['contextlib.AbstractAsyncContextManager', true],
  ['typing.ContextManager', false],
  ['contextlib.AbstractContextManager', false],
]);

export class Annotations {
  constructor(private readonly e: Evaluator) {}

  resolveDotted(dotted: string, ctx: NameContext): Value {
    const parts = dotted.split('.');
    let v = ctx.lookup(parts[0]);
    for (const p of parts.slice(1)) v = this.e.getAttr(v, p);
    return v;
  }

  /** The class (or special form) an annotation's head names. */
  resolveTypeHead(t: TypeExpr, ctx: NameContext): Value {
    if (t.n === '?' || t.n === '|' || t.n === 'None') return UNKNOWN;
    const head = this.resolveDotted(t.n, ctx);
    if (head.t === 'special' && t.n !== 'Generic' && t.n !== 'Protocol') return head;
    return head;
  }

  /** The value an annotation describes: `Task[int]` is a Task instance. */
  typeToValue(t: TypeExpr, ctx: NameContext, self?: ClassInfo): Value {
    if (t.n === '?') return UNKNOWN;
    if (t.n === 'None') return NONE;
    const args = t.a ?? [];
    if (t.n === '|') return merge(args.map((a) => this.typeToValue(a, ctx, self)));
    const head = this.resolveDotted(t.n, ctx);
    const arg = (a: TypeExpr) => this.typeToValue(a, ctx, self);
    const headName = head.t === 'class' ? head.cls.qualname : head.t === 'special' ? head.name : undefined;
    if (headName) {
      const declaredContainer = containerOf(headName, args, arg);
      if (declaredContainer) return declaredContainer;
      const asyncManager = CONTEXT_MANAGER_TYPES.get(headName);
      if (asyncManager !== undefined && args[0]) return { t: 'context-manager', async: asyncManager, entered: lazy(() => arg(args[0])) };
      if ((headName === 'builtins.type' || headName === 'typing.Type') && args.length === 1) {
        const cls = this.resolveDotted(args[0].n, ctx);
        return cls.t === 'class' ? cls : UNKNOWN;
      }
    }
    switch (head.t) {
      case 'class':
        return { t: 'inst', cls: head.cls };
      case 'alias':
        return this.typeToValue(head.type, head.ctx, self);
      case 'typevar':
        // not solved here: what is declared of it stands for it
        if (head.bound) return this.typeToValue(head.bound, head.ctx, self);
        if (head.constraints) return unionOf(head.constraints.map((c) => this.typeToValue(c, head.ctx, self)));
        return UNKNOWN;
      case 'special':
        switch (head.name) {
          case 'typing.Optional':
          case 'typing.Annotated':
          case 'typing.Final':
          case 'typing.ClassVar':
            return args[0] ? this.typeToValue(args[0], ctx, self) : UNKNOWN;
          case 'typing.Union':
            return merge(args.map((a) => this.typeToValue(a, ctx, self)));
          case 'typing.Coroutine': {
            const ret = args[2];
            return { t: 'coroutine', result: ret ? () => this.typeToValue(ret, ctx, self) : undefined };
          }
          case 'typing.Awaitable':
            return { t: 'awaitable' };
          case 'typing.Self':
            return self ? { t: 'inst', cls: self } : UNKNOWN;
          case 'typing.Tuple':
            if (args.length === 2 && (args[1].n === '...' || args[1].n === 'Ellipsis')) return homogeneousTuple(lazy(() => arg(args[0])));
            if (!args.length || args.some((a) => a.n === '...' || a.n === 'Ellipsis')) return OTHER;
            return { t: 'tuple', items: args.map((a) => this.typeToValue(a, ctx, self)) };
          case 'typing.Callable': {
            // `Callable[[A, B], R]`, `Callable[..., R]`: calling it gives an R
            const result = args.length >= 2 ? args[args.length - 1] : undefined;
            return result ? { t: 'callable', result: lazy(() => arg(result)) } : OTHER;
          }
          case 'typing.Generator':
          case 'typing.AsyncGenerator':
          case 'typing.AsyncIterator':
          case 'typing.Iterator':
          case 'typing.Literal':
          case 'typing.Type':
            return OTHER;
          default:
            return UNKNOWN;
        }
      default:
        return UNKNOWN;
    }
  }

  isTypeVar(name: string, ctx: NameContext): boolean {
    const v = this.resolveDotted(name, ctx);
    return v.t === 'typevar' || (v.t === 'special' && v.name === 'typing.TypeVar');
  }

  /** [project index] What `cls` passes for `owner`'s type variable `name` (`class R(Base[Resp])`), through any depth of bases. */
  typeArgument(cls: ClassInfo, owner: ClassInfo, name: string, depth: number): { t: TypeExpr; ctx: NameContext } | undefined {
    if (depth > 10) return undefined;
    for (const base of cls.baseTypes?.() ?? []) {
      const head = this.resolveDotted(base.t.n, base.ctx);
      if (head.t !== 'class') continue;
      let wanted = name;
      if (head.cls.qualname !== owner.qualname) {
        const inner = this.typeArgument(head.cls, owner, name, depth + 1);
        if (!inner) continue;
        if (inner.t.a || !this.typeParameters(head.cls).includes(inner.t.n)) return inner;
        wanted = inner.t.n;
      }
      const index = this.typeParameters(head.cls).indexOf(wanted);
      const arg = index >= 0 ? base.t.a?.[index] : undefined;
      if (arg && arg.n !== '?') return { t: arg, ctx: base.ctx };
    }
    return undefined;
  }

  /** [project index] A generic class's type variables: those of `Generic[...]`/`Protocol[...]`, else those its bases use, in order. */
  private typeParameters(cls: ClassInfo): string[] {
    const bases = cls.baseTypes?.() ?? [];
    const explicit = bases.find((b) => {
      const head = this.resolveDotted(b.t.n, b.ctx);
      return head.t === 'special' && (head.name === 'typing.Generic' || head.name === 'typing.Protocol') && b.t.a?.length;
    });
    const out: string[] = [];
    for (const b of explicit ? [explicit] : bases) {
      for (const a of b.t.a ?? []) if (!a.a && !out.includes(a.n) && this.isTypeVar(a.n, b.ctx)) out.push(a.n);
    }
    return out;
  }
}
