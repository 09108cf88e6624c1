// Module summaries kept between runs: one JSON file in the cache folder, each entry keyed by the
// file's path and module name and checked against its size and mtime. The whole file is dropped when
// the engine's summary format changed; an unreadable or malformed file, or a malformed entry, is
// simply ignored (and rewritten on the next save).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { ModuleSummary } from '../python/summary';

/** Bump when summarizeModule's output changes meaning, so older caches are not trusted. */
export const SUMMARY_FORMAT = 'asyncguard-summaries-2';

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

  /** Writes the cache now if anything changed (atomically: a reader sees the old file or the new one). */
  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    process.off('beforeExit', this.onExit);
    if (!this.dirty || !this.entries) return;
    this.dirty = false;
    try {
      mkdirSync(this.dir, { recursive: true });
      // like other tools' caches: the folder ignores itself, so it is never committed or walked
      writeFileSync(join(this.dir, '.gitignore'), '*\n');
      const target = join(this.dir, FILE_NAME);
      // another process or thread may have saved meanwhile: keep its entries, ours win
      const merged = Object.assign(Object.create(null) as Record<string, CachedSummary>, this.readEntries(), this.entries);
      // worker threads of one process may save at once: the temporary name must be theirs alone
      const temp = `${target}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2, 10)}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: this.version, entries: merged }));
      renameSync(temp, target);
    } catch {
      // a cache that cannot be written only costs time
    }
  }

  private scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.save(), 2000);
    this.timer.unref();
    process.once('beforeExit', this.onExit);
  }

  private load(): Record<string, CachedSummary> {
    this.entries ??= Object.assign(Object.create(null) as Record<string, CachedSummary>, this.readEntries());
    return this.entries;
  }

  /** The entries on disk; none when the file is missing, corrupt or of another format version. */
  private readEntries(): Record<string, CachedSummary> {
    try {
      const data = JSON.parse(readFileSync(join(this.dir, FILE_NAME), 'utf8')) as { version?: unknown; entries?: unknown };
      if (data && data.version === this.version && data.entries && typeof data.entries === 'object' && !Array.isArray(data.entries)) {
        return data.entries as Record<string, CachedSummary>;
      }
    } catch {
      // missing or corrupt: nothing
    }
    return {};
  }
}

function isSummary(s: unknown): s is ModuleSummary {
  const m = s as ModuleSummary | undefined;
  return !!m && typeof m === 'object' && typeof m.name === 'string' && !!m.symbols && typeof m.symbols === 'object';
}
