// The Python projects the analyzer resolves imports with, as the language server sees them: the
// workspace folders, workspace trust, the interpreter setting, and the unsaved text of open
// documents. Replaced whole when folders, trust or interpreter change.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PythonProjects, type PythonContextSource } from '../engine/project/projects';

export interface EditorPythonProjectsOptions {
  trusted: boolean;
  roots: string[];
  interpreter?: string;
  /** The client's storage folder for caches; without one, summaries stay in memory. */
  cacheDir?: string;
  log: (message: string) => void;
}

export class EditorPythonProjects implements PythonContextSource {
  private projects: PythonProjects;
  private key: string;

  constructor(private options: EditorPythonProjectsOptions) {
    this.projects = this.create();
    this.key = this.keyOf(options);
  }

  /** Applies new folders, trust or interpreter; true when the projects were rebuilt (every file must be analysed again). */
  reconfigure(changes: Partial<Pick<EditorPythonProjectsOptions, 'trusted' | 'roots' | 'interpreter'>>): boolean {
    const next = { ...this.options, ...changes };
    const key = this.keyOf(next);
    if (key === this.key) return false;
    this.projects.saveCaches();
    this.options = next;
    this.key = key;
    this.projects = this.create();
    return true;
  }

  contextFor(path: string) {
    return this.projects.contextFor(path);
  }

  pythonVersion(path: string) {
    return this.projects.pythonVersion(path);
  }

  /** An open document's text (or, with `text` undefined, the file on disk) is now what importers see; returns the modules whose exports changed. */
  updateFile(path: string, text?: string): string[] {
    return this.projects.updateFile(path, text);
  }

  removeFile(path: string): string[] {
    return this.projects.removeFile(path);
  }

  /** Of the open files, those that import one of `changed` (modules of `path`'s project). */
  affectedBy(path: string, changed: readonly string[], openFiles: readonly string[]): string[] {
    return this.projects.affectedBy(path, changed, openFiles);
  }

  saveCaches(): void {
    this.projects.saveCaches();
  }

  private keyOf(o: EditorPythonProjectsOptions): string {
    return JSON.stringify([o.trusted, [...o.roots].sort(), o.trusted ? (o.interpreter ?? '') : '']);
  }

  private create(): PythonProjects {
    const { trusted, roots, interpreter, cacheDir, log } = this.options;
    return new PythonProjects({
      trusted,
      // An untrusted workspace's interpreter setting is never handed on: it would be run.
      interpreter: trusted ? interpreter : undefined,
      roots,
      log,
      info: log,
      cacheDirFor: cacheDir ? (root) => join(cacheDir, createHash('sha1').update(root).digest('hex').slice(0, 16)) : undefined,
    });
  }
}
