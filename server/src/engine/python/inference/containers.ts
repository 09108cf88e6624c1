// The builtin containers and their typing / collections.abc aliases, with declared element types:
// `handlers: dict[str, Handler]` makes `handlers["a"]`, `handlers.get(name)`, `handlers.pop(name)`,
// `for h in handlers.values()` and `for name, h in handlers.items()` each a Handler. Only declared
// element types are used: a literal `[on_a]` may be appended anything later, a declared
// `list[Handler]` may not (a type checker would say so).
import type { TypeExpr } from '../summary';
import { lazy, merge, UNKNOWN, type ContainerShape, type ContainerValue, type Value } from './values';

/** What a container's type arguments are: the key and item of a mapping, the item of the others. */
interface ContainerType {
  shape: ContainerShape;
  /** `ItemsView[K, V]` iterates over `(K, V)` pairs. */
  pairs?: boolean;
}

const MAPPING: ContainerType = { shape: 'mapping' };
const SEQUENCE: ContainerType = { shape: 'sequence' };
const SET: ContainerType = { shape: 'set' };
const ITERATOR: ContainerType = { shape: 'iterator' };

/** By the qualified name the head of an annotation resolves to (a class, or a special form of `typing`). */
const CONTAINER_TYPES = new Map<string, ContainerType>([
  ['builtins.dict', MAPPING],
  ['typing.Dict', MAPPING],
  ['typing.Mapping', MAPPING],
  ['typing.MutableMapping', MAPPING],
  ['typing.DefaultDict', MAPPING],
  ['typing.OrderedDict', MAPPING],
  ['typing.ChainMap', MAPPING],
  ['collections.defaultdict', MAPPING],
  ['collections.OrderedDict', MAPPING],
  ['collections.ChainMap', MAPPING],
  ['types.MappingProxyType', MAPPING],
  ['weakref.WeakValueDictionary', MAPPING],
  ['builtins.list', SEQUENCE],
  ['typing.List', SEQUENCE],
  ['typing.Sequence', SEQUENCE],
  ['typing.MutableSequence', SEQUENCE],
  ['typing.Deque', SEQUENCE],
  ['collections.deque', SEQUENCE],
  ['builtins.set', SET],
  ['builtins.frozenset', SET],
  ['typing.Set', SET],
  ['typing.FrozenSet', SET],
  ['typing.AbstractSet', SET],
  ['typing.MutableSet', SET],
  ['weakref.WeakSet', SET],
  ['typing.Iterable', ITERATOR],
  ['typing.Iterator', ITERATOR],
  ['typing.Collection', ITERATOR],
  ['typing.Reversible', ITERATOR],
  ['typing.Generator', ITERATOR],
  ['typing.KeysView', ITERATOR],
  ['typing.ValuesView', ITERATOR],
  ['typing.ItemsView', { shape: 'iterator', pairs: true }],
]);

/** Names from `typing` that alias a builtin or `collections` container (`List[int]` is `list[int]`). */
export const TYPING_CONTAINER_ALIASES = ['List', 'Dict', 'Set', 'FrozenSet', 'DefaultDict', 'OrderedDict', 'Deque', 'ChainMap'];

/**
 * The container an annotation `head[args]` describes, or undefined when `head` is no container
 * (or no element type is declared: a bare `dict` says nothing about its values).
 */
export function containerOf(head: string, args: readonly TypeExpr[], toValue: (t: TypeExpr) => Value): ContainerValue | undefined {
  const type = CONTAINER_TYPES.get(head);
  if (!type || !args.length) return undefined;
  if (type.shape === 'mapping') {
    if (args.length < 2) return undefined;
    return container('mapping', lazy(() => toValue(args[0])), lazy(() => toValue(args[1])));
  }
  if (type.pairs) {
    if (args.length < 2) return undefined;
    const key = lazy(() => toValue(args[0]));
    const value = lazy(() => toValue(args[1]));
    return container('iterator', () => UNKNOWN, lazy(() => ({ t: 'tuple', items: [key(), value()] })));
  }
  return container(type.shape, () => UNKNOWN, lazy(() => toValue(args[0])));
}

function container(shape: ContainerShape, key: () => Value, item: () => Value): ContainerValue {
  return { t: 'container', shape, key, item };
}

/** `tuple[X, ...]`: a sequence of X. */
export function homogeneousTuple(item: () => Value): ContainerValue {
  return container('sequence', () => UNKNOWN, item);
}

/** `c[i]`; a slice of a sequence is a sequence of the same items. */
export function subscriptOf(c: ContainerValue, isSlice: boolean): Value {
  switch (c.shape) {
    case 'mapping':
      return c.item();
    case 'sequence':
      return isSlice ? c : c.item();
    default:
      return UNKNOWN;
  }
}

/** What `for x in c` binds to x. */
export function iterationOf(c: ContainerValue): Value {
  return c.shape === 'mapping' ? c.key() : c.item();
}

/** What unpacking `a, b = c` binds to each name: any item of the sequence. */
export function unpackedItemOf(c: ContainerValue): Value {
  return c.shape === 'mapping' ? c.key() : c.item();
}

const METHODS: Record<ContainerShape, ReadonlySet<string>> = {
  mapping: new Set(['get', 'pop', 'setdefault', 'values', 'keys', 'items', 'copy', 'popitem']),
  sequence: new Set(['pop', 'popleft', 'copy']),
  set: new Set(['pop', 'copy']),
  iterator: new Set(),
};

export function hasContainerMethod(c: ContainerValue, name: string): boolean {
  return METHODS[c.shape].has(name);
}

/**
 * The result of `c.name(args...)`. `argument(i)` is the value of the i-th positional argument,
 * `count` how many there are. `d.get(k, default)` is a V or the default: known only when they agree.
 */
export function containerMethodResult(c: ContainerValue, name: string, count: number, argument: (i: number) => Value): Value {
  if (name === 'copy') return c;
  if (c.shape === 'mapping') {
    switch (name) {
      case 'get':
      case 'pop':
        return count >= 2 ? merge([c.item(), argument(1)]) : c.item();
      case 'setdefault':
        return c.item();
      case 'values':
        return container('iterator', () => UNKNOWN, c.item);
      case 'keys':
        return container('iterator', () => UNKNOWN, c.key);
      case 'items':
        return container('iterator', () => UNKNOWN, lazy(() => ({ t: 'tuple', items: [c.key(), c.item()] })));
      case 'popitem':
        return { t: 'tuple', items: [c.key(), c.item()] };
      default:
        return UNKNOWN;
    }
  }
  return name === 'pop' || name === 'popleft' ? c.item() : UNKNOWN;
}
