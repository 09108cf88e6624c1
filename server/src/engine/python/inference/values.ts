// The values the inference works with: a small abstract domain, just rich enough to answer
// "what does this call return?" for the rules.
import type { AwaitableKind } from '../../types';
import type { DefSym, TypeExpr } from '../summary';
import type { Node } from '../tree';

export interface NameContext {
  lookup(name: string): Value;
  /** The module whose relative imports and qualified names this context uses. */
  readonly moduleName: string;
}

export interface FuncInfo {
  qualname: string;
  name: string;
  /** Every definition (overloads, or one per branch of a version check). */
  syms: DefSym[];
  /** Where its annotations resolve. */
  ctx: NameContext;
  /** The definition in the analysed file, when it is there (enables return inference). */
  node?: Node;
  /** The class it was found in, for methods. */
  owner?: ClassInfo;
}

export interface ClassInfo {
  qualname: string;
  node?: Node;
  bases(): Value[];
  /** A member defined on this class itself (not inherited); undefined when it has none. */
  ownMember(name: string): Value | undefined;
  /** [project index] The bases as written (`Base[Resp]`) and where they resolve: for type variables of generic bases. */
  baseTypes?(): Array<{ t: TypeExpr; ctx: NameContext }>;
}

export type Value =
  | { t: 'module'; name: string }
  | { t: 'func'; fn: FuncInfo; bound?: 'instance' | 'class'; self?: ClassInfo }
  | { t: 'class'; cls: ClassInfo }
  | { t: 'inst'; cls: ClassInfo }
  | { t: 'super'; cls: ClassInfo; bound: 'instance' | 'class' }
  | { t: 'coroutine'; result?: () => Value }
  | { t: 'awaitable' }
  | { t: 'special'; name: string }
  | { t: 'alias'; type: TypeExpr; ctx: NameContext }
  | { t: 'tuple'; items: Value[] }
  /** A builtin or typing container whose element types are declared (`dict[str, Handler]`): see containers.ts. */
  | { t: 'container'; shape: ContainerShape; key: () => Value; item: () => Value }
  /** A method of such a container, before it is called (`handlers.get`). */
  | { t: 'container-method'; of: ContainerValue; name: string }
  /** Something callable whose call returns `result` (`Callable[..., Awaitable[None]]`, a lambda). */
  | { t: 'callable'; result: () => Value }
  /** A type variable: what is declared of it (`TypeVar("T", bound=Client)`) stands for it where it is not solved. */
  | { t: 'typevar'; name: string; bound?: TypeExpr; constraints?: TypeExpr[]; ctx: NameContext }
  /** One of several known values (a TypeVar's constraints): what is asked of it is known when every one agrees. */
  | { t: 'union'; options: Value[] }
  /** What calling an `async def` that yields gives: an async generator, whose body runs only when iterated. */
  | { t: 'asyncgen' }
  /** What calling an `@asynccontextmanager` (or `@contextmanager`) function gives; `entered` is what `with ... as x` binds. */
  | { t: 'context-manager'; async: boolean; entered: () => Value }
  | { t: 'none' }
  | { t: 'other' }
  | { t: 'unknown' };

export type ContainerShape = 'sequence' | 'mapping' | 'set' | 'iterator';
export type ContainerValue = Extract<Value, { t: 'container' }>;

export const UNKNOWN: Value = { t: 'unknown' };
export const NONE: Value = { t: 'none' };
export const OTHER: Value = { t: 'other' };

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'module':
      return a.name === (b as typeof a).name;
    case 'func': {
      const other = b as typeof a;
      return a.fn.qualname === other.fn.qualname && a.bound === other.bound && sameAsync(a.fn, other.fn);
    }
    case 'class':
    case 'inst':
      return a.cls.qualname === (b as typeof a).cls.qualname;
    case 'special':
      return a.name === (b as typeof a).name;
    case 'tuple': {
      const other = b as typeof a;
      return a.items.length === other.items.length && a.items.every((item, i) => sameValue(item, other.items[i]));
    }
    case 'typevar': {
      const other = b as typeof a;
      return a.name === other.name && a.ctx.moduleName === other.ctx.moduleName;
    }
    case 'coroutine':
    case 'awaitable':
    case 'asyncgen':
    case 'none':
    case 'other':
      return true;
    default:
      return false;
  }
}

function sameAsync(a: FuncInfo, b: FuncInfo): boolean {
  const flags = (f: FuncInfo) => f.syms.map((s) => `${s.async ?? 0}${s.gen ?? 0}`).join();
  return flags(a) === flags(b);
}

/**
 * The value of something bound several times (or with several overloads): known only when every
 * binding agrees. `None` bindings are set aside when others exist (`loop = None` ... `loop = get_loop()`).
 */
export function merge(values: Value[]): Value {
  const meaningful = values.filter((v) => v.t !== 'none');
  const candidates = meaningful.length ? meaningful : values;
  if (!candidates.length) return UNKNOWN;
  const first = candidates[0];
  return candidates.every((v) => sameValue(first, v)) ? first : UNKNOWN;
}

export const TASK_CLASSES = new Set(['_asyncio.Task', 'asyncio.tasks.Task', 'asyncio.Task']);
export const FUTURE_CLASSES = new Set(['_asyncio.Future', 'asyncio.futures.Future', 'asyncio.Future']);
export const EVENT_LOOP_CLASS = 'asyncio.events.AbstractEventLoop';
/** `ensure_future(coro)` is a Task, `ensure_future(future)` the future itself: what calling it gives depends on its argument. */
export const ENSURE_FUTURE = 'asyncio.tasks.ensure_future';

/** Several values at once: one when they agree, unknown when any is, else a union to ask further. */
export function unionOf(values: Value[]): Value {
  if (!values.length || values.some((v) => v.t === 'unknown')) return UNKNOWN;
  const merged = merge(values);
  return merged.t !== 'unknown' ? merged : { t: 'union', options: values };
}

/** A thunk evaluated once: element and result types are only worked out when something asks. */
export function lazy(compute: () => Value): () => Value {
  let value: Value | undefined;
  let busy = false;
  return () => {
    if (value) return value;
    if (busy) return UNKNOWN; // a type that refers to itself (`Tree = dict[str, "Tree"]`)
    busy = true;
    try {
      value = compute();
    } finally {
      busy = false;
    }
    return value;
  };
}

export type { AwaitableKind };
