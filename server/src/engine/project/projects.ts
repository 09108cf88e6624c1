// The Python projects of a session, each with its module index. A file's project is the nearest
// folder above it that a pyproject.toml, setup.py, setup.cfg or .git marks, looking no higher than
// the folder holding it (a workspace folder of the language server, the CLI's working folder),
// which is the project when nothing nearer marks one. So the CLI run in a workspace folder and the
// editor resolve a file's imports from the same root. The Analyzer asks for each Python file's
// importable modules and module name.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deepestFolderHolding } from '../workspace/folders';
import { interpreterChoice, type ProbeCache, type ProbeRecord } from './interpreter';
import { InterpreterCache } from './interpreterCache';
import { engineBuild, type ModuleProvider } from '../python/modules';
import { PythonProject } from './pythonProject';
import type { PythonVersion } from '../types';
import { ResultCache } from './resultCache';

export type { ModulesSeen, ResultCache } from './resultCache';
export type { ProbeRecord } from './interpreter';
export { userCacheDir } from './interpreterCache';

/** What the Analyzer needs to analyse a Python file in its project. */
export interface PythonContextSource {
  contextFor(path: string): { modules: ModuleProvider; moduleName: string } | undefined;
  /** The major.minor of the interpreter the file's project runs under, when one may be asked. */
  pythonVersion?(path: string): PythonVersion | undefined;
}

export interface PythonProjectsOptions {
  /** May run the Python interpreter (its sys.path). False for an untrusted workspace. */
  trusted: boolean;
  /** The interpreter setting. */
  interpreter?: string;
  /** The persistent cache folder of a project root; undefined keeps summaries in memory only. */
  cacheDirFor?: (root: string) => string | undefined;
  /** Workspace folders; a file outside all of them gets the project its markers say. */
  roots?: string[];
  log?: (message: string) => void;
  /** See PythonProjectOptions.info; also told each project root as it is found. */
  info?: (message: string) => void;
  /** See PythonProjectOptions.revalidate; on unless said otherwise (the CLI turns it off). */
  revalidate?: boolean;
  /** See PythonProjectOptions.autoSave; on unless said otherwise (the CLI turns it off). */
  autoSave?: boolean;
  /** See PythonProjectOptions.interpreterCache. */
  interpreterCache?: ProbeCache;
  onProbe?: (record: ProbeRecord) => void;
}

const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

export class PythonProjects implements PythonContextSource {
  private readonly projects = new Map<string, PythonProject>();
  private readonly results = new Map<string, ResultCache | undefined>();
  private roots: string[];

  constructor(private readonly options: PythonProjectsOptions) {
    this.roots = (options.roots ?? []).map((r) => resolve(r));
  }

  /** The language server's folders changed: projects of folders that went away are dropped. */
  setRoots(roots: string[]): void {
    this.roots = roots.map((r) => resolve(r));
    for (const [root, project] of this.projects) {
      if (!this.roots.includes(root)) {
        project.saveCache();
        this.projects.delete(root);
      }
    }
  }

  projectFor(path: string): PythonProject {
    const file = resolve(path);
    const folder = this.folderOf(file);
    const root = discoverRoot(file, folder);
    let project = this.projects.get(root);
    if (!project) {
      this.options.info?.(`Python project root: ${root} (${root === folder ? 'a workspace folder' : `found from ${file}`})`);
      const choice = interpreterChoice({ setting: this.options.interpreter, roots: [root], trusted: this.options.trusted });
      this.options.info?.(
        choice
          ? `Python interpreter for ${root}: ${choice.interpreter}, chosen by ${choice.how}; asked for its sys.path when an import is in neither the workspace nor the standard library`
          : `Python interpreter for ${root}: none is run (the workspace is not trusted); imports of installed libraries are not followed`,
      );
      project = new PythonProject({
        roots: [root],
        trusted: this.options.trusted,
        interpreter: this.options.interpreter,
        cacheDir: this.options.cacheDirFor?.(root),
        log: this.options.log,
        info: this.options.info,
        revalidate: this.options.revalidate ?? true,
        autoSave: this.options.autoSave,
        interpreterCache: this.options.interpreterCache,
        onProbe: this.options.onProbe,
      });
      this.projects.set(root, project);
    }
    return project;
  }

  contextFor(path: string): { modules: ModuleProvider; moduleName: string } {
    return this.projectFor(path).contextFor(path);
  }

  pythonVersion(path: string): PythonVersion | undefined {
    return this.projectFor(path).environment()?.version;
  }

  /** See PythonProject.updateFile: the modules whose exports changed. */
  updateFile(path: string, text?: string): string[] {
    return this.projectFor(path).updateFile(path, text);
  }

  removeFile(path: string): string[] {
    return this.projectFor(path).removeFile(path);
  }

  /** Of `files` (open documents), those whose imports reach a changed module of `path`'s project. */
  affectedBy(path: string, changed: readonly string[], files: readonly string[]): string[] {
    const project = this.projectFor(path);
    return project.affectedBy(
      changed,
      files.filter((f) => this.projectFor(f) === project),
    );
  }

  /** [CLI] The findings kept between runs in the cache folder of the file's project, if it has one. */
  resultCacheFor(path: string): ResultCache | undefined {
    const root = this.projectFor(path).roots[0];
    if (!this.results.has(root)) {
      const dir = this.options.cacheDirFor?.(root);
      this.results.set(root, dir ? new ResultCache(dir, engineBuild()) : undefined);
    }
    return this.results.get(root);
  }

  saveCaches(): void {
    for (const p of this.projects.values()) p.saveCache();
    for (const r of this.results.values()) r?.save();
  }

  private folderOf(file: string): string | undefined {
    return deepestFolderHolding(this.roots, file);
  }
}

/**
 * The nearest folder above a file that a project marker names, up to `folder` (the folder holding
 * the file, which is the project when nothing nearer is marked); with no folder and no marker, the
 * folder holding the file's top-level package.
 */
export function discoverRoot(file: string, folder?: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (dir === folder || PROJECT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) break;
  }
  let base = dirname(file);
  while (dirname(base) !== base && (existsSync(join(base, '__init__.py')) || existsSync(join(base, '__init__.pyi')))) base = dirname(base);
  return base;
}

/**
 * The CLI's projects: the user ran it on their own code, so the interpreter may be asked; caches in
 * `.asyncguard_cache`, saved by saveCaches() when a thread's work is done; the interpreter's answer
 * in `probeCacheDir` (a per-user folder), when given.
 */
export function cliPythonProjects(
  options: { interpreter?: string; noCache?: boolean; probeCacheDir?: string; onProbe?: (record: ProbeRecord) => void; roots?: string[]; log?: (m: string) => void } = {},
): PythonProjects {
  return new PythonProjects({
    interpreterCache: options.probeCacheDir ? new InterpreterCache(options.probeCacheDir) : undefined,
    onProbe: options.onProbe,
    trusted: true,
    roots: options.roots,
    interpreter: options.interpreter,
    cacheDirFor: options.noCache ? undefined : (root) => join(root, '.asyncguard_cache'),
    log: options.log,
    revalidate: false,
    autoSave: false,
  });
}
