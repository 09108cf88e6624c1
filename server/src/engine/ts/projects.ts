// Which project does a file belong to? The nearest tsconfig.json/jsconfig.json upward that
// includes it (following project references, as tsserver does), else an inferred project for
// loose files. Keeps a bounded, least-recently-used set of live language services.
import * as ts from 'typescript';
import { dirname, join } from 'node:path';
import { DiskVersions, TsProject, type ProjectSpec } from './project';

/** Language services kept alive at once; the least recently used is disposed beyond this. */
const MAX_PROJECTS = 3;
/** A project not analysed for this long is disposed at the next analysis. */
const IDLE_DISPOSE_MS = 10 * 60 * 1000;

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** What tsserver assumes for a jsconfig.json. */
const JSCONFIG_DEFAULTS: ts.CompilerOptions = {
  allowJs: true,
  maxNodeModuleJsDepth: 2,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Options for loose files, close to what VS Code uses for its implicit projects. */
export const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  allowNonTsExtensions: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
  strict: true,
  noImplicitAny: false,
  allowSyntheticDefaultImports: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  noEmit: true,
};

export function normalizePath(path: string): string {
  return ts.sys.resolvePath(path).replace(/\\/g, '/');
}

function parseConfig(configPath: string): ProjectSpec | undefined {
  const existing = configPath.endsWith('jsconfig.json') ? JSCONFIG_DEFAULTS : {};
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, existing, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => {},
  });
  if (!parsed) return undefined;
  return {
    key: configPath,
    configPath,
    currentDirectory: dirname(configPath),
    options: { ...parsed.options, noEmit: true },
    fileNames: new Set(parsed.fileNames.map(normalizePath)),
    projectReferences: parsed.projectReferences,
    extendedConfigs: (parsed.options.configFile as ts.TsConfigSourceFile | undefined)?.extendedSourceFiles?.map(normalizePath),
  };
}

export class ProjectRegistry {
  private readonly documentRegistry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
  private readonly disk = new DiskVersions();
  private readonly live = new Map<string, TsProject>();
  private readonly specs = new Map<string, { version: string; spec: ProjectSpec | undefined }>();
  private readonly configOfDir = new Map<string, string | undefined>();
  private readonly libDir: string;
  /** Programs of every file their config includes (a batch run), not only of the documents analysed. */
  private readonly wholePrograms: boolean;

  constructor(libDir: string, wholePrograms = false) {
    this.libDir = libDir;
    this.wholePrograms = wholePrograms;
  }

  /** The project for `path` (normalised), creating its language service when needed. */
  projectFor(path: string): TsProject {
    return this.liveProject(this.specFor(path));
  }

  /** The inferred project of `path`'s folder: for files their config's program cannot hold. */
  inferredFor(path: string): TsProject {
    return this.liveProject(this.inferredSpec(path));
  }

  private liveProject(spec: ProjectSpec): TsProject {
    this.disposeIdle();
    let project = this.live.get(spec.key);
    if (project && project.spec !== spec && spec.configPath) {
      project.dispose(); // its config changed
      this.live.delete(spec.key);
      project = undefined;
    }
    if (project) {
      this.live.delete(spec.key); // re-insert as most recently used
    } else {
      project = new TsProject(spec, this.documentRegistry, this.disk, this.libDir, this.wholePrograms);
    }
    this.live.set(spec.key, project);
    while (this.live.size > MAX_PROJECTS) {
      const [oldestKey, oldest] = this.live.entries().next().value as [string, TsProject];
      oldest.dispose();
      this.live.delete(oldestKey);
    }
    return project;
  }

  /**
   * A tsconfig/jsconfig/package.json changed, appeared or went away (the language server watches
   * them): the live projects it may shape are disposed, so their files get a project built from
   * the new state at their next analysis. Those are the projects of that config (or of one that
   * extends or references it), rooted in its folder, or holding a document from under it (a new
   * tsconfig there may claim them). Other projects keep their language service.
   */
  configChanged(path: string): void {
    const file = normalizePath(path);
    const dir = dirname(file);
    const inside = (p: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
    const readsConfig = (spec: ProjectSpec | undefined) =>
      !!spec && (spec.configPath === file || !!spec.extendedConfigs?.includes(file));
    for (const [configPath, entry] of this.specs) if (configPath === file || readsConfig(entry.spec)) this.specs.delete(configPath);
    this.configOfDir.clear();
    this.disk.forget(file);
    for (const [key, project] of this.live) {
      const spec = project.spec;
      const shaped =
        readsConfig(spec) ||
        spec.projectReferences?.some((r) => normalizePath(ts.resolveProjectReferencePath(r)) === file) ||
        inside(spec.currentDirectory) ||
        [...project.openPaths()].some(inside);
      if (shaped) {
        project.dispose();
        this.live.delete(key);
      }
    }
  }

  liveProjects(): readonly TsProject[] {
    return [...this.live.values()];
  }

  dispose(): void {
    for (const p of this.live.values()) p.dispose();
    this.live.clear();
    this.specs.clear();
    this.configOfDir.clear();
    this.disk.clear();
  }

  private disposeIdle(): void {
    const now = Date.now();
    for (const [key, p] of this.live) {
      if (now - p.lastUsed > IDLE_DISPOSE_MS) {
        p.dispose();
        this.live.delete(key);
      }
    }
  }

  private specFor(path: string): ProjectSpec {
    for (let config = this.nearestConfig(dirname(path)); config; config = this.nearestConfig(dirname(dirname(config)))) {
      const owner = this.configIncluding(config, path, new Set());
      if (owner) return owner;
      if (dirname(config) === dirname(dirname(config))) break;
    }
    return this.inferredSpec(path);
  }

  /** `config` or one of the projects it references, transitively, that includes `path`. */
  private configIncluding(configPath: string, path: string, seen: Set<string>): ProjectSpec | undefined {
    if (seen.has(configPath)) return undefined;
    seen.add(configPath);
    const spec = this.spec(configPath);
    if (!spec) return undefined;
    if (spec.fileNames.has(path)) return spec;
    for (const ref of spec.projectReferences ?? []) {
      const refPath = normalizePath(ts.resolveProjectReferencePath(ref));
      const found = this.configIncluding(refPath, path, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** The parsed config, re-read when the file changed on disk. */
  private spec(configPath: string): ProjectSpec | undefined {
    const version = this.disk.version(configPath);
    let entry = this.specs.get(configPath);
    if (!entry || entry.version !== version) {
      entry = { version, spec: parseConfig(configPath) };
      this.specs.set(configPath, entry);
    }
    return entry.spec;
  }

  private nearestConfig(dir: string): string | undefined {
    const visited: string[] = [];
    let found: string | undefined;
    for (;;) {
      if (this.configOfDir.has(dir)) {
        found = this.configOfDir.get(dir);
        break;
      }
      visited.push(dir);
      const hit = CONFIG_NAMES.map((n) => join(dir, n)).find((p) => ts.sys.fileExists(p));
      if (hit) {
        found = normalizePath(hit);
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const d of visited) this.configOfDir.set(d, found);
    return found;
  }

  private inferredSpec(path: string): ProjectSpec {
    const root = this.inferredRoot(dirname(path));
    return {
      key: `inferred:${root}`,
      currentDirectory: root,
      options: INFERRED_OPTIONS,
      fileNames: new Set(),
    };
  }

  /** The nearest folder with a package.json (where node_modules and @types resolve), else the file's. */
  private inferredRoot(dir: string): string {
    for (let d = dir; ; d = dirname(d)) {
      if (ts.sys.fileExists(join(d, 'package.json'))) return normalizePath(d);
      if (dirname(d) === d) return normalizePath(dir);
    }
  }
}
