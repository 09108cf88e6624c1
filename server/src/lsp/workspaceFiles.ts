// The files a workspace analysis visits: every Python/TS/JS file (not notebooks) under a folder that no exclude
// glob (editor settings or pyproject.toml) matches. Symlinked folders are not followed, so a
// symlink loop cannot trap the walk.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { languageOf } from '../engine/analyzer';
import type { ExcludeMatcher } from '../engine/project/config';

export async function* workspaceFiles(
  folder: string,
  excluded: ExcludeMatcher,
  onError: (path: string, error: Error) => void,
): AsyncGenerator<string> {
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      onError(dir, e as Error);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (excluded(path)) continue;
      if (entry.isDirectory()) subdirs.push(path);
      // notebooks are analysed when open, cell by cell (notebooks.ts)
      else if (entry.isFile() && languageOf(path) && languageOf(path) !== 'notebook') yield path;
    }
    pending.push(...subdirs.reverse());
  }
}
