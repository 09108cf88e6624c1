// The workspace's folders as the module finder sees them: read lazily (only the folders an import
// looks into), without what .gitignore files and the configured excludes leave out, plus files
// that exist only in the editor so far. Edits and file events invalidate the folders they touch.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { deepestFolderHolding } from '../workspace/folders';
import ignore, { type Ignore } from 'ignore';
import type { ExcludeMatcher } from '../workspace/configuration';
import { FsLister, type DirLister, type Listing } from './moduleFinder';

export class WorkspaceLister implements DirLister {
  private fs = new FsLister();
  private readonly listings = new Map<string, Listing | undefined>();
  private readonly gitignores = new Map<string, Ignore | null>();
  /** Files the editor has that may not be on disk yet. */
  private readonly extraFiles = new Set<string>();

  constructor(
    private readonly roots: readonly string[],
    private readonly isExcluded: ExcludeMatcher = () => false,
  ) {}

  /** The workspace folder holding a path, if any. */
  rootOf(path: string): string | undefined {
    return deepestFolderHolding(this.roots, path);
  }

  list(dir: string): Listing | undefined {
    if (this.listings.has(dir)) return this.listings.get(dir);
    const root = this.rootOf(dir);
    const raw = this.fs.list(dir);
    let listing: Listing | undefined = raw;
    if (root && raw) {
      const keep = (name: string, isDir: boolean) => !this.hidden(root, join(dir, name), isDir);
      listing = {
        files: new Set([...raw.files].filter((f) => keep(f, false))),
        dirs: new Set([...raw.dirs].filter((d) => keep(d, true))),
        extensions: new Set([...raw.extensions]),
      };
    }
    for (const extra of this.extraFiles) {
      if (dirname(extra) === dir) {
        listing ??= { files: new Set(), dirs: new Set(), extensions: new Set() };
        (listing.files as Set<string>).add(basename(extra));
      } else if (extra.startsWith(dir + sep)) {
        listing ??= { files: new Set(), dirs: new Set(), extensions: new Set() };
        (listing.dirs as Set<string>).add(relative(dir, extra).split(sep)[0]);
      }
    }
    this.listings.set(dir, listing);
    return listing;
  }

  /** A file now exists (on disk or in the editor); `inEditorOnly` keeps it listed even when it is not on disk. */
  added(path: string, inEditorOnly: boolean): void {
    if (inEditorOnly) this.extraFiles.add(path);
    this.invalidate(path);
  }

  removed(path: string): void {
    this.extraFiles.delete(path);
    this.invalidate(path);
  }

  /** Forgets every folder listing (the disk may have changed); .gitignore rules are kept unless one changes. */
  refresh(): void {
    this.listings.clear();
    this.fs = new FsLister();
  }

  /** Forgets what is known of the folders around a path (a .gitignore change forgets everything). */
  invalidate(path: string): void {
    if (basename(path) === '.gitignore') {
      this.listings.clear();
      this.gitignores.clear();
      this.fs = new FsLister();
      return;
    }
    this.fs = new FsLister();
    for (let d = dirname(path); ; d = dirname(d)) {
      this.listings.delete(d);
      if (dirname(d) === d || !this.rootOf(d)) break;
    }
  }

  private hidden(root: string, path: string, isDir: boolean): boolean {
    if (this.isExcluded(path)) return true;
    // git's rule: the deepest .gitignore that says anything about a path decides
    let ignored = false;
    for (let d = dirname(path); ; d = dirname(d)) {
      const rules = this.gitignoreOf(d);
      if (rules) {
        const rel = relative(d, path).split(sep).join('/');
        const verdict = rules.test(isDir ? `${rel}/` : rel);
        if (verdict.ignored || verdict.unignored) {
          ignored = verdict.ignored;
          break;
        }
      }
      if (d === root || dirname(d) === d) break;
    }
    return ignored;
  }

  private gitignoreOf(dir: string): Ignore | null {
    let rules = this.gitignores.get(dir);
    if (rules === undefined) {
      rules = null;
      try {
        rules = ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
      } catch {
        // no .gitignore here
      }
      this.gitignores.set(dir, rules);
    }
    return rules;
  }
}
