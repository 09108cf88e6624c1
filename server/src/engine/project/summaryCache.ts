// Module summaries kept between runs: one JSON file in the cache folder, each entry keyed by the
// file's path and module name and checked against its size and mtime. The whole file is dropped when
// the engine's summary format changed; an unreadable or malformed file, or a malformed entry, is
// simply ignored (and rewritten on the next save).
import type { ModuleSummary } from '../python/summary';
import { readCacheEntries, writeCacheEntries } from './cacheFile';

/** Bump when summarizeModule's output changes meaning, so older caches are not trusted. */
export const SUMMARY_FORMAT = 'asyncguard-summaries-4';

export interface CachedSummary {
  size: number;
  mtimeMs: number;
  summary: ModuleSummary;
  /** Every module the file imports, anywhere in it (for deciding what an edit affects). */
  imports: string[];
}

const FILE_NAME = 'python-summaries.json';

export class PersistentSummaryCache {
  private entries: Record<string, CachedSummary> | undefined;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly onExit = () => this.save();

  constructor(
    private readonly dir: string,
    private readonly version: string = SUMMARY_FORMAT,
    /** Save by itself shortly after changes and before exit; off when the owner alone calls save(). */
    private readonly autoSave = true,
  ) {}

  get(path: string, moduleName: string, size: number, mtimeMs: number): CachedSummary | undefined {
    const entries = this.load();
    const key = `${path}\0${moduleName}`;
    const e = Object.hasOwn(entries, key) ? entries[key] : undefined;
    if (!e || e.size !== size || e.mtimeMs !== mtimeMs || !isSummary(e.summary) || !Array.isArray(e.imports)) return undefined;
    return e;
  }

  set(path: string, moduleName: string, entry: CachedSummary): void {
    this.load()[`${path}\0${moduleName}`] = entry;
    this.dirty = true;
    this.scheduleSave();
  }

  /** Writes the cache now if anything changed (atomically, merged with what another thread saved meanwhile). */
  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    process.off('beforeExit', this.onExit);
    if (!this.dirty || !this.entries) return;
    this.dirty = false;
    writeCacheEntries(this.dir, FILE_NAME, { version: this.version }, this.entries);
  }

  private scheduleSave(): void {
    if (this.timer || !this.autoSave) return;
    this.timer = setTimeout(() => this.save(), 2000);
    this.timer.unref();
    process.once('beforeExit', this.onExit);
  }

  private load(): Record<string, CachedSummary> {
    this.entries ??= readCacheEntries<CachedSummary>(this.dir, FILE_NAME, { version: this.version });
    return this.entries;
  }
}

function isSummary(s: unknown): s is ModuleSummary {
  const m = s as ModuleSummary | undefined;
  return !!m && typeof m === 'object' && typeof m.name === 'string' && !!m.symbols && typeof m.symbols === 'object';
}
