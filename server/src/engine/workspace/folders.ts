// Which of several folders holds a path.
import { isAbsolute, relative } from 'node:path';

/** The deepest of `folders` that holds `path` (or is it), if any. */
export function deepestFolderHolding(folders: Iterable<string>, path: string): string | undefined {
  let best: string | undefined;
  for (const folder of folders) {
    const rel = relative(folder, path);
    if (!rel.startsWith('..') && !isAbsolute(rel) && (best === undefined || folder.length > best.length)) best = folder;
  }
  return best;
}
