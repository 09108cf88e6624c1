// One TypeScript LanguageService for one tsconfig/jsconfig (or one inferred project), fed with
// the editor's open documents and the files on disk.
//
// Memory: in the editor the program's roots are the documents that were analysed (at most
// MAX_OPEN_DOCUMENTS, least recently used dropped first) plus the project's declaration files, not
// every file the config includes. So one open file in a huge project loads only what that file
// imports, transitively, not a second copy of the whole program VS Code's own TypeScript server
// holds. A batch run (the CLI) that will analyse every file asks for the whole program at once
// (`wholeProgram`): one program and one type checker serve every file, instead of a new program
// each time a file outside the current one's import graph comes up.
import * as ts from 'typescript';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

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

/**
 * A document's text that knows what changed since the text before it, so the language service
 * re-parses only the edited region (TypeScript's incremental parser) instead of the whole file.
 */
class EditedSnapshot implements ts.IScriptSnapshot {
  constructor(
    private readonly text: string,
    private previous: ts.IScriptSnapshot | undefined,
    private readonly change: ts.TextChangeRange | undefined,
  ) {
    // Only the latest edit is ever asked for: do not keep a chain of every earlier text alive.
    if (previous instanceof EditedSnapshot) previous.previous = undefined;
  }

  getText(start: number, end: number): string {
    return this.text.substring(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  getChangeRange(old: ts.IScriptSnapshot): ts.TextChangeRange | undefined {
    return old === this.previous ? this.change : undefined;
  }
}

/** The one region that differs between two texts (common prefix and suffix), as TypeScript describes an edit. */
export function changeBetween(before: string, after: string): ts.TextChangeRange {
  const max = Math.min(before.length, after.length);
  // whole blocks first (a native comparison), then character by character
  const BLOCK = 256;
  let start = 0;
  while (start + BLOCK <= max && before.substr(start, BLOCK) === after.substr(start, BLOCK)) start += BLOCK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail + BLOCK <= max - start && before.substr(before.length - tail - BLOCK, BLOCK) === after.substr(after.length - tail - BLOCK, BLOCK)) tail += BLOCK;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - tail - start), after.length - tail - start);
}

interface DiskEntry {
  mtimeMs: number;
  checkedAt: number;
  version: string;
}

/**
 * The disk side, shared by every project: a file's version is a digest of its content, re-read when
 * its modification time changes. Not the modification time itself: two copies of one package in
 * different node_modules folders become one source file in a program (a redirect, which answers
 * with the first copy's version), and copies installed at different times would then never look
 * up to date, so every analysis would build a new program.
 */
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
        // missing file: getScriptSnapshot returns undefined for it
      }
      if (e && e.mtimeMs === mtimeMs) e.checkedAt = now;
      else {
        e = { mtimeMs, checkedAt: now, version: mtimeMs < 0 ? 'missing' : digestOf(path) };
        this.entries.set(path, e);
      }
    }
    return e.version;
  }

  forget(path: string): void {
    this.entries.delete(path);
  }

  clear(): void {
    this.entries.clear();
  }
}

function digestOf(path: string): string {
  try {
    return `d${createHash('sha1').update(readFileSync(path)).digest('base64url').slice(0, 20)}`;
  } catch {
    return 'missing';
  }
}

export class TsProject {
  readonly spec: ProjectSpec;
  lastUsed = Date.now();
  private readonly service: ts.LanguageService;
  private readonly open = new Map<string, OpenDocument>();
  /** The language service asks for every file's snapshot on each update: read each version once. */
  private readonly onDisk = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  /** The project's declaration files, or every file of its config for a whole program. */
  private readonly configRoots: string[];
  private openVersion = 0;

  constructor(spec: ProjectSpec, registry: ts.DocumentRegistry, disk: DiskVersions, libDir: string, wholeProgram = false) {
    this.spec = spec;
    this.configRoots = wholeProgram ? [...spec.fileNames] : [...spec.fileNames].filter((f) => /\.d\.[cm]?ts$/.test(f));
    const host: ts.LanguageServiceHost & { useSourceOfProjectReferenceRedirect(): boolean } = {
      getCompilationSettings: () => spec.options,
      getProjectReferences: () => spec.projectReferences,
      getScriptFileNames: () => this.rootNames(),
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
   * keeps one program and one type checker. `change`, when the caller knows it, is the one region
   * that differs from the document's text before.
   */
  setDocument(path: string, text: string, change?: ts.TextChangeRange): void {
    this.lastUsed = Date.now();
    const doc = this.open.get(path);
    if (doc) {
      this.open.delete(path); // re-insert: most recently used last
      // The text, not the caller's version number, decides: a caller that reuses a version for
      // new text still gets it checked, and comparing strings costs far less than a type check.
      if (doc.text !== text) {
        doc.snapshot = new EditedSnapshot(text, doc.snapshot, change ?? changeBetween(doc.text, text));
        doc.text = text;
        doc.version = ++this.openVersion;
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

  /** The declaration roots (or, for a whole program, every file of the config) and the documents analysed. */
  private rootNames(): string[] {
    if (this.open.size === 0) return this.configRoots;
    const roots = [...this.configRoots];
    const known = new Set(roots);
    for (const path of this.open.keys()) if (!known.has(path)) roots.push(path);
    return roots;
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
