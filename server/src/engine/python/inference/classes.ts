// Classes and their members: attribute lookup along the bases (a simplified method resolution
// order), how a member binds to an instance or a class, and what kind of awaitable an instance is
// (a Task, a Future, a coroutine, something with `__await__`).
import type { AwaitableKind } from '../../types';
import { hasContainerMethod } from './containers';
import type { Evaluator } from './evaluator';
import { EVENT_LOOP_CLASS, FUTURE_CLASSES, TASK_CLASSES, unionOf, UNKNOWN, type ClassInfo, type Value } from './values';

export class Classes {
  private readonly memberCache = new Map<string, Value | undefined>();

  constructor(private readonly e: Evaluator) {}

  kindOf(v: Value): AwaitableKind {
    switch (v.t) {
      case 'coroutine':
        return 'coroutine';
      case 'awaitable':
        return 'awaitable';
      case 'asyncgen':
        return 'async-generator';
      case 'union': {
        const kinds = new Set(v.options.map((o) => this.kindOf(o)));
        return kinds.size === 1 ? [...kinds][0] : 'unknown';
      }
      case 'unknown':
      case 'special':
      case 'alias':
      case 'typevar':
        return 'unknown';
      case 'inst': {
        const flags = this.classFlags(v.cls);
        if (flags.task) return 'task';
        if (flags.future) return 'future';
        if (flags.coroutine) return 'coroutine';
        if (flags.awaitable) return 'awaitable';
        return flags.complete ? 'not-awaitable' : 'unknown';
      }
      default:
        return 'not-awaitable';
    }
  }

  isEventLoop(cls: ClassInfo): boolean {
    return this.isSubclassOf(cls, EVENT_LOOP_CLASS);
  }

  getAttr(v: Value, name: string): Value {
    switch (v.t) {
      case 'module':
        return this.e.moduleMember(v.name, name) ?? UNKNOWN;
      case 'inst':
        return this.bindMember(this.lookupMember(v.cls, name, false), 'instance', v.cls);
      case 'class':
        return this.bindMember(this.lookupMember(v.cls, name, false), 'class', v.cls);
      case 'super':
        return this.bindMember(this.lookupMember(v.cls, name, true), v.bound, v.cls);
      case 'container':
        return hasContainerMethod(v, name) ? { t: 'container-method', of: v, name } : UNKNOWN;
      case 'union':
        return unionOf(v.options.map((o) => this.getAttr(o, name)));
      default:
        return UNKNOWN;
    }
  }

  bindMember(member: Value | undefined, via: 'instance' | 'class', cls: ClassInfo): Value {
    if (!member) return UNKNOWN;
    if (member.t !== 'func') return member;
    const decos = member.fn.syms[0]?.deco ?? [];
    if (decos.some((d) => d === 'property' || d.endsWith('cached_property') || d.endsWith('.setter'))) {
      return via === 'instance' ? this.e.callResult(member, cls) : UNKNOWN;
    }
    if (decos.includes('staticmethod')) return member;
    if (decos.includes('classmethod')) return { t: 'func', fn: member.fn, bound: 'class', self: cls };
    return via === 'instance' ? { t: 'func', fn: member.fn, bound: 'instance', self: cls } : member;
  }

  /** Method resolution order, simplified to depth-first left-to-right; `undefined` marks an unknown base. */
  private mro(cls: ClassInfo): Array<ClassInfo | undefined | { special: string }> {
    const out: Array<ClassInfo | undefined | { special: string }> = [];
    const seen = new Set<string>();
    const walk = (c: ClassInfo, depth: number) => {
      if (seen.has(c.qualname) || depth > 30) return;
      seen.add(c.qualname);
      out.push(c);
      for (const b of c.bases()) {
        if (b.t === 'class') walk(b.cls, depth + 1);
        else if (b.t === 'special') out.push({ special: b.name });
        else out.push(undefined);
      }
    };
    walk(cls, 0);
    return out;
  }

  lookupMember(cls: ClassInfo, name: string, skipSelf: boolean): Value | undefined {
    const key = `${cls.qualname}\0${name}\0${skipSelf}`;
    if (this.memberCache.has(key)) return this.memberCache.get(key);
    this.memberCache.set(key, undefined);
    let found: Value | undefined;
    for (const entry of this.mro(cls).slice(skipSelf ? 1 : 0)) {
      if (entry === undefined) break; // an unknown base may define it
      if ('special' in entry) continue;
      const m = entry.ownMember(name);
      if (m) {
        found = m;
        break;
      }
    }
    this.memberCache.set(key, found);
    return found;
  }

  private classFlags(cls: ClassInfo) {
    const flags = { task: false, future: false, coroutine: false, awaitable: false, complete: true };
    for (const entry of this.mro(cls)) {
      if (entry === undefined) flags.complete = false;
      else if ('special' in entry) {
        if (entry.special === 'typing.Coroutine') flags.coroutine = true;
        if (entry.special === 'typing.Awaitable') flags.awaitable = true;
      } else {
        if (TASK_CLASSES.has(entry.qualname)) flags.task = true;
        if (FUTURE_CLASSES.has(entry.qualname)) flags.future = true;
        if (entry.qualname === 'typing.Coroutine') flags.coroutine = true;
        if (entry.qualname === 'typing.Awaitable' || entry.ownMember('__await__')) flags.awaitable = true;
      }
    }
    return flags;
  }

  isSubclassOf(cls: ClassInfo, qualname: string): boolean {
    return this.mro(cls).some((e) => e !== undefined && !('special' in e) && e.qualname === qualname);
  }
}
