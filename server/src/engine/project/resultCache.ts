// Findings kept between CLI runs: a Python file whose text, rule settings and imported modules are
// what they were at the last run is not analysed again. One JSON file in the cache folder beside the
// module summaries; entries of another engine build are not trusted, and a missing, corrupt or
// malformed file or entry only costs the time of analysing again.
import { createHash } from 'node:crypto';
import type { ModuleSummary } from '../python/summary';
import type { AnalysisResult, Position, Range, RuleSettings } from '../types';
import { readCacheEntries, writeCacheEntries } from './cacheFile';

const FILE_NAME = 'python-results.json';

interface Entry {
  /** sha1 of the text and the rule settings. */
  key: string;
  /** Each module the analysis asked for, with a fingerprint of what it got (`-` for nothing). */
  modules: Record<string, string>;
  result: AnalysisResult;
}

/** What the analysis of a file learnt about the modules it imports. */
export type ModulesSeen = Map<string, ModuleSummary | undefined>;

const fingerprints = new WeakMap<ModuleSummary, string>();

/** A short digest of a module summary; the same object is digested once. */
export function fingerprintOf(summary: ModuleSummary | undefined): string {
  if (!summary) return '-';
  let f = fingerprints.get(summary);
  if (f === undefined) {
    f = createHash('sha1').update(JSON.stringify(summary)).digest('base64');
    fingerprints.set(summary, f);
  }
  return f;
}

export class ResultCache {
  private entries: Record<string, Entry> | undefined;
  private dirty = false;

  constructor(
    private readonly dir: string,
    /** The engine build: results of another one are not used. */
    private readonly build: string,
  ) {}

  /** The stored result, if the file, its settings and every module it saw are unchanged. */
  get(path: string, text: string, rules: RuleSettings, moduleNow: (name: string) => ModuleSummary | undefined): AnalysisResult | undefined {
    const entries = this.load();
    const e = Object.hasOwn(entries, path) ? entries[path] : undefined;
    if (!e || e.key !== keyOf(text, rules) || !isEntry(e)) return undefined;
    for (const [name, fingerprint] of Object.entries(e.modules)) if (fingerprintOf(moduleNow(name)) !== fingerprint) return undefined;
    return e.result;
  }

  set(path: string, text: string, rules: RuleSettings, seen: ModulesSeen, result: AnalysisResult): void {
    const modules: Record<string, string> = {};
    for (const [name, summary] of seen) modules[name] = fingerprintOf(summary);
    this.load()[path] = { key: keyOf(text, rules), modules, result };
    this.dirty = true;
  }

  /** Writes the cache if anything changed, merged with what another thread saved meanwhile (ours win). */
  save(): void {
    if (!this.dirty || !this.entries) return;
    this.dirty = false;
    writeCacheEntries(this.dir, FILE_NAME, { build: this.build }, this.entries);
  }

  private load(): Record<string, Entry> {
    this.entries ??= readCacheEntries<Entry>(this.dir, FILE_NAME, { build: this.build });
    return this.entries;
  }
}

function keyOf(text: string, rules: RuleSettings): string {
  return createHash('sha1').update(JSON.stringify(rules)).update('\0').update(text).digest('base64');
}

function isEntry(e: Entry): boolean {
  return !!e.modules && typeof e.modules === 'object' && isResult(e.result);
}

/** A result as the engine makes them, down to every fix's edits (the CLI prints and applies them). */
function isResult(r: AnalysisResult): boolean {
  return (
    !!r && Array.isArray(r.notes) && r.notes.every((n) => typeof n === 'string') &&
    Array.isArray(r.findings) &&
    r.findings.every(
      (f) =>
        !!f && typeof f.rule === 'string' && typeof f.message === 'string' && typeof f.severity === 'string' && isRange(f.range) &&
        Array.isArray(f.fixes) &&
        f.fixes.every((fix) => !!fix && typeof fix.title === 'string' && Array.isArray(fix.edits) && fix.edits.every((e) => !!e && typeof e.newText === 'string' && isRange(e.range))),
    )
  );
}

function isRange(r: Range): boolean {
  const ok = (p: Position) => !!p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
  return !!r && ok(r.start) && ok(r.end);
}
