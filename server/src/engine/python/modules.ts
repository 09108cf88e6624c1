// Where module summaries come from. The standard library's are generated from typeshed stubs
// (scripts/gen-stdlib.ts); a project resolver (workspace, site-packages) plugs in beside it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleSummary } from './summary';

export interface ModuleProvider {
  /** The summary of an absolute module name, or undefined when it is not known. */
  getModule(name: string): ModuleSummary | undefined;
}

/** Raw JSON of each stdlib module, parsed on first use. */
let stdlibText: Map<string, string> | undefined;
const stdlibParsed = new Map<string, ModuleSummary>();

/** stdlib.tsv sits next to the bundle (server/out) or, from source, in ./stdlib. */
function stdlibTablePath(): string {
  const candidates = [join(__dirname, 'stdlib.tsv'), join(__dirname, 'stdlib', 'stdlib.tsv')];
  const file = candidates.find((c) => existsSync(c));
  if (!file) throw new Error('stdlib.tsv (standard library summaries) is missing from the installation');
  return file;
}

/**
 * Names this build of the engine (each build writes stdlib.tsv beside its bundles anew), so that
 * what an older engine computed and cached is not taken for this one's.
 */
export function engineBuild(): string {
  const file = stdlibTablePath();
  const { size, mtimeMs } = statSync(file);
  return `${file}:${size}:${mtimeMs}`;
}

function stdlibTable(): Map<string, string> {
  if (stdlibText) return stdlibText;
  const file = stdlibTablePath();
  stdlibText = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && !line.startsWith('#')) stdlibText.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return stdlibText;
}

export const stdlibProvider: ModuleProvider = {
  getModule(name) {
    let summary = stdlibParsed.get(name);
    if (!summary) {
      const raw = stdlibTable().get(name);
      if (raw === undefined) return undefined;
      summary = JSON.parse(raw) as ModuleSummary;
      stdlibParsed.set(name, summary);
    }
    return summary;
  },
};
