// Finds the file of an absolute module name the way Python's path finder does: search paths in
// order, a package (`pkg/__init__`) before a module (`pkg.py`), namespace packages made of every
// folder without `__init__` when nothing else matches, and — as type checkers do — `.pyi` before `.py`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a folder holds, as far as imports care. */
export interface Listing {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
  /** Names of compiled extension modules (`_speedups` for `_speedups.cpython-311-x86_64-linux-gnu.so`). */
  extensions: ReadonlySet<string>;
}

export interface DirLister {
  list(dir: string): Listing | undefined;
}

export type FoundModule =
  /** A source or stub file; `dirs` is a package's `__path__`. */
  | { kind: 'file'; path: string; isPackage: boolean; dirs: string[] }
  | { kind: 'namespace'; dirs: string[] }
  /** A compiled module: it exists, but nothing can be read from it. */
  | { kind: 'opaque' };

const EXTENSION_SUFFIX = /\.(so|pyd)$/;

/** Lists real folders once and remembers them (library folders do not change while we run). */
export class FsLister implements DirLister {
  private readonly cache = new Map<string, Listing | undefined>();

  list(dir: string): Listing | undefined {
    if (this.cache.has(dir)) return this.cache.get(dir);
    let listing: Listing | undefined;
    try {
      const files = new Set<string>();
      const dirs = new Set<string>();
      const extensions = new Set<string>();
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const st = statSync(join(dir, entry.name));
            isDir = st.isDirectory();
            isFile = st.isFile();
          } catch {
            continue;
          }
        }
        if (isDir) dirs.add(entry.name);
        else if (isFile) {
          files.add(entry.name);
          if (EXTENSION_SUFFIX.test(entry.name)) extensions.add(entry.name.slice(0, entry.name.indexOf('.')));
        }
      }
      listing = { files, dirs, extensions };
    } catch {
      listing = undefined;
    }
    this.cache.set(dir, listing);
    return listing;
  }
}

/** Resolves `a.b.c` on the search paths: the top level on them, each further part in its package's folders. */
export function findModule(name: string, searchPaths: readonly string[], lister: DirLister): FoundModule | undefined {
  const parts = name.split('.');
  if (parts.some((p) => !p)) return undefined;
  let found = findIn(parts[0], searchPaths, lister);
  for (const part of parts.slice(1)) {
    if (!found || found.kind === 'opaque' || (found.kind === 'file' && !found.isPackage)) return undefined;
    found = findIn(part, found.dirs, lister);
  }
  return found;
}

/** One step of the path finder: the first folder that has `name` as a package or module wins. */
export function findIn(name: string, dirs: readonly string[], lister: DirLister): FoundModule | undefined {
  const portions: string[] = [];
  for (const dir of dirs) {
    const here = lister.list(dir);
    if (!here) continue;
    if (here.dirs.has(name)) {
      const pkg = join(dir, name);
      const inner = lister.list(pkg);
      const init = inner && ['__init__.pyi', '__init__.py'].find((f) => inner.files.has(f));
      if (init) return { kind: 'file', path: join(pkg, init), isPackage: true, dirs: [pkg] };
      if (inner?.extensions.has('__init__')) return { kind: 'opaque' };
    }
    for (const ext of ['.pyi', '.py']) {
      if (here.files.has(name + ext)) return { kind: 'file', path: join(dir, name + ext), isPackage: false, dirs: [] };
    }
    if (here.extensions.has(name)) return { kind: 'opaque' };
    if (here.dirs.has(name)) portions.push(join(dir, name));
  }
  return portions.length ? { kind: 'namespace', dirs: portions } : undefined;
}

/**
 * PEP 561: a stub-only distribution (`foo-stubs`) anywhere on the library paths answers for `foo`
 * before the package itself; a partial one (`partial` in its py.typed) only for what it contains.
 */
export function findWithStubPackages(
  name: string,
  searchPaths: readonly string[],
  lister: DirLister,
  isPartial: (stubDir: string) => boolean,
): FoundModule | undefined {
  const [top, ...rest] = name.split('.');
  const stubDirs = searchPaths.filter((d) => lister.list(d)?.dirs.has(`${top}-stubs`)).map((d) => join(d, `${top}-stubs`));
  if (stubDirs.length) {
    const init = stubDirs.find((d) => lister.list(d)?.files.has('__init__.pyi'));
    let found: FoundModule | undefined = init
      ? { kind: 'file', path: join(init, '__init__.pyi'), isPackage: true, dirs: [init] }
      : { kind: 'namespace', dirs: stubDirs };
    for (const part of rest) {
      if (!found || found.kind === 'opaque' || (found.kind === 'file' && !found.isPackage)) {
        found = undefined;
        break;
      }
      found = findIn(part, found.dirs, lister);
    }
    if (found) return found;
    if (!stubDirs.every(isPartial)) return undefined;
  }
  return findModule(name, searchPaths, lister);
}
