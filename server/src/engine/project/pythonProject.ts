// A Python project and its module index: knows every importable module's summary for the Python engine, resolving names
// in the order Python does — the workspace (its folders, their `src/`, extra paths), the standard
// library (typeshed-derived summaries, as the interpreter's own library precedes site-packages),
// then the interpreter's library paths with stub-only packages first. Files are read and summarised
// only when imported; summaries are cached in memory and, given a cache folder, on disk.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { deepestFolderHolding } from '../workspace/folders';
import { stdlibProvider, type ModuleProvider } from '../python/modules';
import { parseSyntax } from '../python/lowering';
import { summarizeModule, type ModuleSummary } from '../python/summary';
import { emptyConfig, excludeMatcher, loadPyprojectConfig, type ExcludeMatcher } from '../workspace/configuration';
import { readSourceFile } from '../workspace/sourceFiles';
import { importedModules } from './imports';
import { interpreterChoice, probeEnvironment, type ProbeCache, type ProbeRecord, type PythonEnvironment } from './interpreter';
import { findModule, findWithStubPackages, FsLister, type FoundModule } from './moduleFinder';
import { PersistentSummaryCache } from './summaryCache';
import { WorkspaceLister } from './workspaceLister';

export interface PythonProjectOptions {
  /** Workspace folders (absolute). */
  roots: string[];
  /** May run the interpreter to learn its sys.path. Never true for an untrusted workspace. */
  trusted: boolean;
  /** The interpreter setting; otherwise a workspace `.venv`/`venv`, else `python3` on PATH. */
  interpreter?: string;
  /** Folder for the persistent summary cache; none means memory only. */
  cacheDir?: string;
  /** More folders to import from, after the workspace folders (like pyright's extraPaths). */
  extraPaths?: string[];
  /** What the workspace leaves out; by default the excludes of each root's pyproject.toml. */
  isExcluded?: ExcludeMatcher;
  /** The library environment, when the caller already knows it (null: none). Skips probing. */
  environment?: PythonEnvironment | null;
  /** Where problems (an interpreter that fails) are told. */
  log?: (message: string) => void;
  /** Where what was found is told (the interpreter and how it was chosen): the editor's output, not the CLI's. */
  info?: (message: string) => void;
  /** Keeps the interpreter's answer between runs (the CLI's). */
  interpreterCache?: ProbeCache;
  /** Told how the interpreter's environment was learnt and how long it took. */
  onProbe?: (record: ProbeRecord) => void;
  /**
   * Look at the disk again at each analysis (`contextFor`): workspace files changed or created since
   * are picked up even when no one reports them. Off for a CLI run, where nothing changes meanwhile.
   */
  revalidate?: boolean;
  /**
   * Write the cache by itself shortly after changes and before exit (default). Off for the CLI, which
   * saves once at the end: the timed saves of its worker threads would race each other.
   */
  autoSave?: boolean;
}

interface Stamp {
  size: number;
  mtimeMs: number;
  generation: number;
}

export interface ModuleIdentity {
  moduleName: string;
  isPackage: boolean;
}

interface Entry {
  summary: ModuleSummary;
  imports: string[];
}

const PYTHON_SOURCE = new Set(['.py', '.pyi', '.pyw']);
/** Library files larger than this are not summarised (generated tables, vendored bundles). */
const MAX_LIBRARY_FILE = 4 * 1024 * 1024;

export class PythonProject implements ModuleProvider {
  readonly roots: string[];
  /** Where absolute imports of workspace code start: each root's `src/` (when it is not a package), the root, extra paths. */
  readonly importRoots: string[];
  private readonly lister: WorkspaceLister;
  private readonly libraryLister = new FsLister();
  private readonly overlays = new Map<string, string>();
  private readonly entries = new Map<string, Entry | null>();
  private readonly resolved = new Map<string, ModuleSummary | null>();
  private readonly persistent: PersistentSummaryCache | undefined;
  private env: PythonEnvironment | null | undefined;
  /**
   * The workspace is the standard library itself (a CPython `Lib/`): its modules are then known
   * from the typeshed summaries, which say more than the sources (C accelerators, version branches).
   */
  private readonly isStdlibCheckout: boolean;
  private generation = 0;
  /** When each workspace file's summary was read from disk, and as of which analysis that was checked. */
  private readonly stamps = new Map<string, Stamp>();
  /** Files parsed and summarised, and summaries taken from the persistent cache, since creation. */
  readonly stats = { parsed: 0, fromCache: 0 };

  constructor(private readonly options: PythonProjectOptions) {
    this.roots = options.roots.map((r) => resolve(r));
    this.importRoots = [];
    for (const root of this.roots) {
      const src = join(root, 'src');
      if (isDir(src) && !existsSync(join(src, '__init__.py'))) this.importRoots.push(src);
      this.importRoots.push(root);
    }
    for (const p of options.extraPaths ?? []) this.importRoots.push(resolve(this.roots[0] ?? '.', p));
    this.lister = new WorkspaceLister([...this.roots, ...this.importRoots], options.isExcluded ?? defaultExcludes(this.roots));
    this.persistent = options.cacheDir ? new PersistentSummaryCache(options.cacheDir, undefined, options.autoSave ?? true) : undefined;
    this.isStdlibCheckout = this.importRoots.some((r) => existsSync(join(r, 'asyncio', 'base_events.py')) || (existsSync(join(r, 'os.py')) && existsSync(join(r, 'abc.py'))));
    if (options.environment !== undefined) this.env = options.environment;
  }

  // ----- module names -----

  /** The module a file is, seen from the import roots (or, outside them, from its top-level package's folder). */
  moduleNameOf(path: string): ModuleIdentity {
    const file = resolve(path);
    const base = this.importRootOf(file) ?? this.packageBase(file);
    return identityFrom(base, file);
  }

  /** What analyzePython needs for a file: the modules it can import and its own module name. */
  contextFor(path: string): { modules: ModuleProvider; moduleName: string } {
    const file = resolve(path);
    if (this.options.revalidate) {
      this.generation++;
      this.resolved.clear();
      this.lister.refresh();
    }
    const { moduleName } = this.moduleNameOf(file);
    return { modules: this.providerFor(file), moduleName };
  }

  /**
   * The modules a file sees: the project's, and — as when it runs as a script or under pytest — the
   * modules next to it when it does not sit directly in an import root.
   */
  providerFor(path: string): ModuleProvider {
    const base = this.packageBase(resolve(path));
    if (this.importRoots.includes(base)) return this;
    return { getModule: (name) => this.resolveName(name, [...this.importRoots, base]) };
  }

  // ----- ModuleProvider -----

  getModule(name: string): ModuleSummary | undefined {
    return this.resolveName(name, this.importRoots);
  }

  /** The file a module name resolves to (for tests, hovers and reports), or undefined. */
  locate(name: string): FoundModule | undefined {
    const ws = findModule(name, this.importRoots, this.lister);
    if (ws && ws.kind !== 'namespace') return ws;
    if (this.isStdlib(name)) return undefined;
    const env = this.environment();
    return (env && this.findInLibrary(name, env)) ?? ws;
  }

  private resolveName(name: string, searchPaths: string[]): ModuleSummary | undefined {
    const key = searchPaths === this.importRoots ? name : `${searchPaths[searchPaths.length - 1]}\0${name}`;
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const summary = this.resolveUncached(name, searchPaths);
    this.resolved.set(key, summary ?? null);
    return summary;
  }

  private resolveUncached(name: string, searchPaths: string[]): ModuleSummary | undefined {
    // A namespace package of the workspace gives way to a real module anywhere later, as in Python.
    if (this.isStdlibCheckout && this.isStdlib(name)) {
      const std = stdlibProvider.getModule(name);
      if (std) return std;
    }
    const ws = findModule(name, searchPaths, this.lister);
    if (ws && ws.kind !== 'namespace') return this.summaryOfFound(name, ws);
    if (this.isStdlib(name)) {
      const std = stdlibProvider.getModule(name);
      if (std) return std;
    }
    const env = this.environment();
    const lib = env ? this.findInLibrary(name, env) : undefined;
    if (lib && lib.kind !== 'namespace') return this.summaryOfFound(name, lib);
    if (ws || lib) return { name, symbols: {} };
    return undefined;
  }

  private isStdlib(name: string): boolean {
    return stdlibProvider.getModule(name.split('.')[0]) !== undefined;
  }

  private findInLibrary(name: string, env: PythonEnvironment): FoundModule | undefined {
    const site = findWithStubPackages(name, env.sitePaths, this.libraryLister, (d) => isPartialStubPackage(d));
    if (site) return site;
    return findModule(name, env.stdlibPaths, this.libraryLister);
  }

  private summaryOfFound(name: string, found: FoundModule): ModuleSummary | undefined {
    if (found.kind === 'opaque') return undefined;
    if (found.kind === 'namespace') return { name, symbols: {} };
    return this.entryFor(found.path, name, found.isPackage)?.summary;
  }

  // ----- the interpreter's library -----

  /** The library environment, found on first need (never for an untrusted workspace). */
  environment(): PythonEnvironment | undefined {
    if (this.env === undefined) {
      this.env = null;
      const choice = interpreterChoice({ setting: this.options.interpreter, roots: this.roots, trusted: this.options.trusted });
      if (choice) {
        const { interpreter } = choice;
        const probed = probeEnvironment(interpreter, { cache: this.options.interpreterCache, onProbe: this.options.onProbe });
        if (probed instanceof Error) this.options.log?.(`Python interpreter "${interpreter}" could not be asked for its sys.path: ${probed.message}`);
        else {
          this.env = probed;
          this.options.info?.(`Python interpreter ${interpreter} is Python ${probed.version.join('.')}, with ${probed.sitePaths.length} library folders`);
        }
      }
    }
    return this.env ?? undefined;
  }

  // ----- summaries -----

  private entryFor(path: string, moduleName: string, isPackage: boolean): Entry | undefined {
    const key = `${path}\0${moduleName}`;
    const known = this.entries.get(key);
    if (known !== undefined && !this.isStale(path)) return known ?? undefined;
    const entry = this.summarise(path, moduleName, isPackage);
    this.entries.set(key, entry ?? null);
    return entry;
  }

  /** With `revalidate`, a workspace file read from disk is checked once per analysis for a new size or mtime. */
  private isStale(path: string): boolean {
    const stamp = this.stamps.get(path);
    if (!stamp || stamp.generation === this.generation || this.overlays.has(path)) return false;
    stamp.generation = this.generation;
    try {
      const st = statSync(path);
      return st.size !== stamp.size || st.mtimeMs !== stamp.mtimeMs;
    } catch {
      return true;
    }
  }

  private summarise(path: string, moduleName: string, isPackage: boolean): Entry | undefined {
    const overlay = this.overlays.get(path);
    if (overlay !== undefined) {
      this.stats.parsed++;
      return summariseText(overlay, moduleName, isPackage);
    }
    let size: number;
    let mtimeMs: number;
    try {
      const st = statSync(path);
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch {
      return undefined;
    }
    const inWorkspace = this.lister.rootOf(path) !== undefined;
    if (inWorkspace && this.options.revalidate) this.stamps.set(path, { size, mtimeMs, generation: this.generation });
    if (!inWorkspace && size > MAX_LIBRARY_FILE) return undefined;
    const cached = this.persistent?.get(path, moduleName, size, mtimeMs);
    if (cached) {
      this.stats.fromCache++;
      return { summary: cached.summary, imports: cached.imports };
    }
    const source = readSourceFile(path);
    if (source.kind !== 'source') return undefined;
    this.stats.parsed++;
    const entry = summariseText(source.text, moduleName, isPackage);
    if (entry) this.persistent?.set(path, moduleName, { size, mtimeMs, ...entry });
    return entry;
  }

  /** Writes the persistent cache now (with autoSave, it is also written shortly after changes and before exit). */
  saveCache(): void {
    this.persistent?.save();
  }

  // ----- incremental updates -----

  /**
   * A workspace file's text changed (in the editor, `text` given) or changed on disk / was closed
   * (`text` undefined: read it again). Re-summarises it and returns the modules whose summary — what
   * they export — changed: empty when an edit changed only function bodies.
   */
  updateFile(path: string, text?: string): string[] {
    const file = resolve(path);
    if (!PYTHON_SOURCE.has(extname(file))) return [];
    if (text === undefined && !existsSync(file)) return this.removeFile(file);
    const wasKnown = this.overlays.has(file) || this.lister.list(dirname(file))?.files.has(basename(file)) === true;
    if (text === undefined) this.overlays.delete(file);
    else this.overlays.set(file, text);
    if (!wasKnown) {
      this.lister.added(file, text !== undefined && !existsSync(file));
      this.forgetFile(file);
      this.resolved.clear();
      return this.namesOf(file);
    }
    const names = this.namesOf(file);
    const changed: string[] = [];
    for (const name of names) {
      const key = `${file}\0${name}`;
      const before = this.entries.get(key);
      this.entries.delete(key);
      this.stamps.delete(file);
      // never summarised in this session: nothing anyone has analysed can depend on it
      if (before === undefined) continue;
      const after = this.entryFor(file, name, basename(file).startsWith('__init__.'));
      if (JSON.stringify(before?.summary) !== JSON.stringify(after?.summary)) changed.push(name);
    }
    if (changed.length) this.resolved.clear();
    return changed;
  }

  /** A workspace file was deleted (or renamed away): returns the modules it was. */
  removeFile(path: string): string[] {
    const file = resolve(path);
    if (!PYTHON_SOURCE.has(extname(file))) return [];
    const names = this.namesOf(file);
    this.overlays.delete(file);
    this.lister.removed(file);
    this.forgetFile(file);
    this.resolved.clear();
    return names;
  }

  /**
   * Of the given files (the open documents), those that import — directly or through other
   * workspace modules — one of the changed modules (or a package or submodule of one).
   */
  affectedBy(changed: readonly string[], files: readonly string[]): string[] {
    if (!changed.length) return [];
    const hit = (m: string) => changed.some((c) => m === c || m.startsWith(`${c}.`) || c.startsWith(`${m}.`));
    const closureHits = new Map<string, boolean>();
    const reaches = (moduleImports: string[], seen: Set<string>): boolean => {
      for (const m of moduleImports) {
        if (hit(m)) return true;
        if (seen.has(m)) continue;
        seen.add(m);
        const known = closureHits.get(m);
        if (known !== undefined) {
          if (known) return true;
          continue;
        }
        const found = findModule(m, this.importRoots, this.lister);
        if (found?.kind !== 'file') continue;
        const entry = this.entryFor(found.path, m, found.isPackage);
        if (entry && reaches(entry.imports, seen)) {
          closureHits.set(m, true);
          return true;
        }
      }
      return false;
    };
    return files.filter((f) => {
      const file = resolve(f);
      const { moduleName, isPackage } = this.moduleNameOf(file);
      const entry = this.entryFor(file, moduleName, isPackage);
      return entry !== undefined && reaches(entry.imports, new Set([moduleName]));
    });
  }

  // ----- helpers -----

  private namesOf(file: string): string[] {
    const names = new Set([this.moduleNameOf(file).moduleName]);
    for (const key of this.entries.keys()) {
      const [p, n] = key.split('\0');
      if (p === file) names.add(n);
    }
    return [...names];
  }

  private forgetFile(file: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${file}\0`)) this.entries.delete(key);
  }

  private importRootOf(file: string): string | undefined {
    return deepestFolderHolding(this.importRoots, file);
  }

  /** The first folder above a file that is not a package (`__init__.py(i)`): where its top-level package sits. */
  private packageBase(file: string): string {
    let dir = dirname(file);
    for (;;) {
      const listing = this.lister.list(dir);
      const isPackage = listing?.files.has('__init__.py') || listing?.files.has('__init__.pyi');
      const parent = dirname(dir);
      if (!isPackage || parent === dir || this.importRoots.includes(dir)) return dir;
      dir = parent;
    }
  }
}

function identityFrom(base: string, file: string): ModuleIdentity {
  const parts = relative(base, file).split(sep);
  const last = parts.pop()!;
  const stem = last.slice(0, last.length - extname(last).length);
  const isPackage = stem === '__init__';
  if (!isPackage) parts.push(stem);
  return { moduleName: parts.join('.') || (isPackage ? basename(base) : stem), isPackage };
}

function summariseText(text: string, moduleName: string, isPackage: boolean): Entry | undefined {
  let tree;
  try {
    tree = parseSyntax(text);
  } catch {
    return undefined; // parser not loaded: nothing is known
  }
  const summary = summarizeModule(tree, { moduleName, isPackage });
  return { summary, imports: importedModules(tree, moduleName, isPackage) };
}

function isPartialStubPackage(dir: string): boolean {
  try {
    return /^\s*partial\s*$/m.test(readFileSync(join(dir, 'py.typed'), 'utf8'));
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Each root's pyproject.toml excludes (the default excludes when it has none or cannot be read). */
function defaultExcludes(roots: string[]): ExcludeMatcher {
  const matchers = roots.map((root) => {
    const loaded = loadPyprojectConfig(root);
    return excludeMatcher(loaded.ok ? loaded.config : emptyConfig(root));
  });
  return (path) => matchers.some((m) => m(path));
}
