// One TypeScript LanguageService for one tsconfig/jsconfig (or one inferred project), fed with
// the editor's open documents and the files on disk.
//
// Memory: the program's roots are the documents that were analysed (at most MAX_OPEN_DOCUMENTS,
// least recently used dropped first) plus the project's declaration files, not every file the
// config includes. So one open file in a huge project loads only what that file imports,
// transitively, not a second copy of the whole program VS Code's own TypeScript server holds.
import * as ts from 'typescript';
import { statSync } from 'node:fs';

const MAX_OPEN_DOCUMENTS = 64;
/** Files on disk are re-stat'ed at most this often to notice changes made outside the editor. */
const DISK_RECHECK_MS = 2000;

export interface ProjectSpec {
  /** The config file, or `inferred:<dir>` for loose files. */
  key: string;
  configPath?: string;
  currentDirectory: string;
  options: ts.CompilerOptions;
  /** What the config includes; membership decides which project a file belongs to. */
  fileNames: ReadonlySet<string>;
  /** Configs the config extends (their changes change this project too). */
  extendedConfigs?: readonly string[];
  projectReferences?: readonly ts.ProjectReference[];
}

interface OpenDocument {
  text: string;
  /** Our own counter, what the language service sees. */
  version: number;
  snapshot: ts.IScriptSnapshot;
}

interface DiskEntry {
  mtimeMs: number;
  checkedAt: number;
}

/** The disk side, shared by every project: file versions from modification times. */
export class DiskVersions {
  private entries = new Map<string, DiskEntry>();

  version(path: string): string {
    const now = Date.now();
    let e = this.entries.get(path);
    if (!e || now - e.checkedAt > DISK_RECHECK_MS) {
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(path).mtimeMs;
      } catch {
        // missing file: version -1; getScriptSnapshot returns undefined for it
      }
      e = { mtimeMs, checkedAt: now };
      this.entries.set(path, e);
    }
    return `d${e.mtimeMs}`;
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class TsProject {
  readonly spec: ProjectSpec;
  lastUsed = Date.now();
  private readonly service: ts.LanguageService;
  private readonly open = new Map<string, OpenDocument>();
  /** The language service asks for every file's snapshot on each update: read each version once. */
  private readonly onDisk = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  private readonly declarationRoots: string[];
  private openVersion = 0;

  constructor(spec: ProjectSpec, registry: ts.DocumentRegistry, disk: DiskVersions, libDir: string) {
    this.spec = spec;
    this.declarationRoots = [...spec.fileNames].filter((f) => /\.d\.[cm]?ts$/.test(f));
    const host: ts.LanguageServiceHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
      getCompilationSettings: () => spec.options,
      getProjectReferences: () => spec.projectReferences,
      getScriptFileNames: () => [...this.declarationRoots, ...this.open.keys()],
      getScriptVersion: (path) => {
        const doc = this.open.get(path);
        return doc ? `o${doc.version}` : disk.version(path);
      },
      getScriptSnapshot: (path) => this.open.get(path)?.snapshot ?? this.diskSnapshot(path, disk.version(path)),
      getCurrentDirectory: () => spec.currentDirectory,
      getDefaultLibFileName: (options) => `${libDir}/${ts.getDefaultLibFileName(options)}`,
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      // Imports into referenced projects read their sources, as tsserver does, not stale .d.ts output.
      useSourceOfProjectReferenceRedirect: () => true,
    };
    this.service = ts.createLanguageService(host, registry);
  }

  /**
   * Makes `text` what the program sees for `path`. A document whose text equals what the current
   * program already holds changes nothing, so analysing file after file of one project (the CLI)
   * keeps one program and one type checker.
   */
  setDocument(path: string, text: string): void {
    this.lastUsed = Date.now();
    const doc = this.open.get(path);
    if (doc) {
      this.open.delete(path); // re-insert: most recently used last
      // The text, not the caller's version number, decides: a caller that reuses a version for
      // new text still gets it checked, and comparing strings costs far less than a type check.
      if (doc.text !== text) {
        doc.text = text;
        doc.version = ++this.openVersion;
        doc.snapshot = ts.ScriptSnapshot.fromString(text);
      }
      this.open.set(path, doc);
      return;
    }
    const current = this.service.getProgram()?.getSourceFile(path);
    if (current && current.text === text) return;
    this.open.set(path, { text, version: ++this.openVersion, snapshot: ts.ScriptSnapshot.fromString(text) });
    while (this.open.size > MAX_OPEN_DOCUMENTS) {
      const oldest = this.open.keys().next().value as string;
      this.open.delete(oldest);
    }
  }

  private diskSnapshot(path: string, version: string): ts.IScriptSnapshot | undefined {
    const cached = this.onDisk.get(path);
    if (cached?.version === version) return cached.snapshot;
    const text = ts.sys.readFile(path);
    if (text === undefined) {
      this.onDisk.delete(path);
      return undefined;
    }
    const snapshot = ts.ScriptSnapshot.fromString(text);
    this.onDisk.set(path, { version, snapshot });
    return snapshot;
  }

  program(): ts.Program | undefined {
    this.lastUsed = Date.now();
    return this.service.getProgram();
  }

  openDocumentCount(): number {
    return this.open.size;
  }

  /** The documents analysed in this project (the program's roots besides declaration files). */
  openPaths(): IterableIterator<string> {
    return this.open.keys();
  }

  dispose(): void {
    this.service.dispose();
    this.open.clear();
    this.onDisk.clear();
  }
}
