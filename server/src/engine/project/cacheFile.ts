// One JSON file of cache entries in a cache folder, shared by the summary and result caches: read
// only when it was written by the same format or engine build, written atomically and merged with
// what another thread or process saved meanwhile. A cache that cannot be read or written only costs
// the time of computing again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The header field that must match for the entries to be trusted, e.g. `{ version: 'x-3' }`. */
export type CacheStamp = Record<string, string>;

/** The entries on disk; none when the file is missing, corrupt or of another stamp. */
export function readCacheEntries<T>(dir: string, name: string, stamp: CacheStamp): Record<string, T> {
  const entries = Object.create(null) as Record<string, T>;
  try {
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown> | null;
    const sameStamp = !!data && Object.entries(stamp).every(([k, v]) => data[k] === v);
    if (sameStamp && data!.entries && typeof data!.entries === 'object' && !Array.isArray(data!.entries)) return Object.assign(entries, data!.entries);
  } catch {
    // missing or corrupt: nothing
  }
  return entries;
}

/** Writes the entries over what is on disk (ours win), atomically: a reader sees the old file or the new one. */
export function writeCacheEntries<T>(dir: string, name: string, stamp: CacheStamp, entries: Record<string, T>): void {
  try {
    mkdirSync(dir, { recursive: true });
    // like other tools' caches: the folder ignores itself, so it is never committed or walked
    writeFileSync(join(dir, '.gitignore'), '*\n');
    const target = join(dir, name);
    const merged = Object.assign(readCacheEntries<T>(dir, name, stamp), entries);
    // worker threads of one process may save at once: the temporary name must be theirs alone
    const temp = `${target}.${process.pid}-${threadId}-${Math.random().toString(36).slice(2, 10)}.tmp`;
    writeFileSync(temp, JSON.stringify({ ...stamp, entries: merged }));
    renameSync(temp, target);
  } catch {
    // a cache that cannot be written only costs time
  }
}
