// Where module summaries come from. The standard library's are generated from typeshed stubs
// (scripts/gen-stdlib.ts); a project resolver (workspace, site-packages) plugs in beside it.
import type { ModuleSummary } from './summary';

export interface ModuleProvider {
  /** The summary of an absolute module name, or undefined when it is not known. */
  getModule(name: string): ModuleSummary | undefined;
}

let stdlib: Record<string, ModuleSummary> | undefined;

function stdlibModules(): Record<string, ModuleSummary> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  stdlib ??= (require('./stdlib/stdlib.json') as { modules: Record<string, ModuleSummary> }).modules;
  return stdlib;
}

export const stdlibProvider: ModuleProvider = {
  getModule: (name) => (Object.hasOwn(stdlibModules(), name) ? stdlibModules()[name] : undefined),
};

/** Asks each provider in turn: the first that knows a module wins, as on sys.path. */
export function chainProviders(...providers: ModuleProvider[]): ModuleProvider {
  return {
    getModule(name) {
      for (const p of providers) {
        const m = p.getModule(name);
        if (m) return m;
      }
      return undefined;
    },
  };
}
