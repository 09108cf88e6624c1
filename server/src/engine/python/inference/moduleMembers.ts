// The members of imported modules, from their summaries (the standard library's typeshed stubs,
// the project's own modules): functions, classes, variables, re-exports and star imports.
import type { ClassSym, DefSym, Sym } from '../summary';
import { symbolsOf } from '../summary';
import { TYPING_CONTAINER_ALIASES } from './containers';
import type { Evaluator, InferenceFile } from './evaluator';
import { merge, UNKNOWN, type ClassInfo, type NameContext, type Value } from './values';

/** Names from `typing` that are type constructors rather than classes. */
const TYPING_SPECIALS = new Set([
  'Optional', 'Union', 'Annotated', 'Coroutine', 'Awaitable', 'Self', 'Tuple', 'Any', 'Final', 'ClassVar',
  'Generator', 'AsyncGenerator', 'AsyncIterator', 'Iterator', 'Callable', 'TypeAlias', 'Protocol', 'Generic',
  'Never', 'NoReturn', 'Literal', 'TypeVar', 'ParamSpec', 'Type', 'AsyncContextManager', 'ContextManager',
  ...TYPING_CONTAINER_ALIASES,
]);
const TYPING_MODULES = new Set(['typing', 'typing_extensions']);

export class ModuleMembers {
  private readonly inProgress = new Set<string>();
  private readonly moduleContexts = new Map<string, NameContext>();
  private readonly summaryClasses = new Map<string, ClassInfo>();

  constructor(
    private readonly file: InferenceFile,
    private readonly e: Evaluator,
  ) {}

  moduleContext(moduleName: string): NameContext {
    let ctx = this.moduleContexts.get(moduleName);
    if (!ctx) {
      ctx = {
        moduleName,
        lookup: (name) => this.moduleMember(moduleName, name) ?? this.builtin(name),
      };
      this.moduleContexts.set(moduleName, ctx);
    }
    return ctx;
  }

  builtin(name: string): Value {
    if (name === 'tuple') return { t: 'special', name: 'typing.Tuple' };
    return this.moduleMember('builtins', name) ?? UNKNOWN;
  }

  moduleMember(moduleName: string, name: string, depth = 0): Value | undefined {
    if (TYPING_MODULES.has(moduleName) && TYPING_SPECIALS.has(name)) return { t: 'special', name: `typing.${name}` };
    const key = `${moduleName}\0${name}`;
    if (this.inProgress.has(key) || depth > 20) return undefined;
    const summary = this.file.modules.getModule(moduleName);
    if (!summary) return undefined;
    this.inProgress.add(key);
    try {
      const syms = symbolsOf(summary.symbols, name);
      if (syms) return this.evalSyms(syms, name, moduleName, this.moduleContext(moduleName), undefined);
      for (const star of summary.star ?? []) {
        const target = this.file.modules.getModule(star);
        if (!target) continue;
        const exported = target.all ? target.all.includes(name) : !name.startsWith('_');
        if (!exported) continue;
        const v = this.moduleMember(star, name, depth + 1);
        if (v) return v;
      }
      if (this.file.modules.getModule(`${moduleName}.${name}`)) return { t: 'module', name: `${moduleName}.${name}` };
      return undefined;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private evalSyms(syms: Sym[], name: string, prefix: string, ctx: NameContext, owner: ClassInfo | undefined): Value {
    const defs = syms.filter((s): s is DefSym => s.k === 'def');
    if (defs.length === syms.length) {
      // overloads: an implementation without annotations says less than the overloads
      const annotated = defs.filter((d) => d.ret || d.async);
      const used = annotated.length ? annotated : defs;
      return { t: 'func', fn: { qualname: `${prefix}.${name}`, name, syms: used, ctx, owner } };
    }
    return merge(syms.map((s) => this.evalSym(s, name, prefix, ctx, owner)));
  }

  private evalSym(sym: Sym, name: string, prefix: string, ctx: NameContext, owner: ClassInfo | undefined): Value {
    switch (sym.k) {
      case 'module':
        return { t: 'module', name: sym.m };
      case 'from':
        return (
          this.moduleMember(sym.m, sym.n) ??
          (this.file.modules.getModule(`${sym.m}.${sym.n}`) ? { t: 'module', name: `${sym.m}.${sym.n}` } : UNKNOWN)
        );
      case 'def':
        return { t: 'func', fn: { qualname: `${prefix}.${name}`, name, syms: [sym], ctx, owner } };
      case 'class':
        return { t: 'class', cls: this.summaryClass(`${prefix}.${name}`, sym, ctx) };
      case 'var':
        if (sym.t) return this.e.typeToValue(sym.t, ctx, owner);
        if (sym.v && 'ref' in sym.v) return this.e.resolveDotted(sym.v.ref, ctx);
        if (sym.v && 'call' in sym.v) {
          const callee = this.e.resolveDotted(sym.v.call, ctx);
          // [project index] `T = TypeVar("T", bound=C)` stays recognisable, for generic bases' type variables and bounds
          if (callee.t === 'special' && callee.name === 'typing.TypeVar') {
            return { t: 'typevar', name, bound: sym.v.bound, constraints: sym.v.constraints, ctx };
          }
          return this.e.callResult(callee);
        }
        if (sym.v && 'type' in sym.v) return { t: 'alias', type: sym.v.type, ctx };
        return UNKNOWN;
    }
  }

  private summaryClass(qualname: string, sym: ClassSym, ctx: NameContext): ClassInfo {
    const cached = this.summaryClasses.get(qualname);
    if (cached) return cached;
    let bases: Value[] | undefined;
    const members = new Map<string, Value | undefined>();
    const info: ClassInfo = {
      qualname,
      bases: () => (bases ??= sym.bases.map((b) => this.e.resolveTypeHead(b, ctx))),
      baseTypes: () => sym.bases.map((t) => ({ t, ctx })),
      ownMember: (name) => {
        if (!members.has(name)) {
          const syms = symbolsOf(sym.members, name);
          members.set(name, syms ? this.evalSyms(syms, name, qualname, ctx, info) : undefined);
        }
        return members.get(name);
      },
    };
    this.summaryClasses.set(qualname, info);
    return info;
  }
}
