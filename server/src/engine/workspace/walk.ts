// Finds the source files under a folder: Python and TS/JS files, honouring .gitignore files and the
// configuration's excludes. Symbolic links are followed while they stay inside the folder walked
// (a link out of it is not: checking, and --fix, stay inside what was asked for), never around a loop.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { languageOf } from '../languages';

export interface WalkOptions {
  /** Whether a file or folder met while walking is left out by an exclude glob. */
  isExcluded?: (path: string, isDir: boolean) => boolean;
  /** Honour .gitignore files (default true). */
  respectGitignore?: boolean;
}

/** A .gitignore's rules and the folder its patterns are relative to. */
interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

/**
 * The source files a path stands for, sorted: the file itself when the user named a file (whatever
 * its excludes say, as ruff does), or every Python/TS/JS file below a folder. Throws when the path
 * does not exist.
 */
export function walkSourceFiles(path: string, options: WalkOptions = {}): string[] {
  return [...sourceFilesUnder(path, options)];
}

/** walkSourceFiles, one file at a time: a caller can pause between files (the language server does). */
export function* sourceFilesUnder(path: string, options: WalkOptions = {}): Generator<string> {
  const start = resolve(path);
  const st = statSync(start);
  if (!st.isDirectory()) {
    yield start;
    return;
  }
  const isExcluded = options.isExcluded ?? (() => false);
  const levels = options.respectGitignore === false ? [] : ancestorGitignores(start);
  const visited = new Set<string>();
  const rootReal = realpathSync(start);

  function* visit(dir: string, inherited: IgnoreLevel[]): Generator<string> {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (visited.has(real)) return; // a symlink back to a folder already walked
    visited.add(real);
    const here = options.respectGitignore === false ? inherited : withGitignoreOf(dir, inherited);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to report on
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          // a link out of the folder being walked is not followed: checking (and --fix) stay inside it
          if (!isInside(realpathSync(child), rootReal)) continue;
          const target = statSync(child);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (!isDir && !isFile) continue;
      if (isDir && entry.name === '.git') continue; // whatever the excludes say
      if (!isDir && !languageOf(child)) continue;
      if (isGitignored(here, child, isDir) || isExcluded(child, isDir)) continue;
      if (isDir) yield* visit(child, here);
      else yield child;
    }
  }
  yield* visit(start, levels);
}

/** The .gitignore files above `dir` that still apply to it: those up to the repository's root. */
function ancestorGitignores(dir: string): IgnoreLevel[] {
  const chain: string[] = [];
  let cur = dirname(dir);
  let foundRepoRoot = existsSync(join(dir, '.git'));
  while (!foundRepoRoot) {
    chain.unshift(cur);
    if (existsSync(join(cur, '.git'))) foundRepoRoot = true;
    const parent = dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  if (!foundRepoRoot) return [];
  let levels: IgnoreLevel[] = [];
  for (const d of chain) levels = withGitignoreOf(d, levels);
  return levels;
}

function withGitignoreOf(dir: string, inherited: IgnoreLevel[]): IgnoreLevel[] {
  const sources = [join(dir, '.gitignore')];
  if (existsSync(join(dir, '.git'))) sources.push(join(dir, '.git', 'info', 'exclude'));
  let rules: Ignore | undefined;
  for (const file of sources) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    rules ??= ignore();
    rules.add(text);
  }
  return rules ? [...inherited, { dir, rules }] : inherited;
}

/** Git's rule: the deepest .gitignore that says anything about a path decides. */
function isGitignored(levels: IgnoreLevel[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = relative(level.dir, path).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    const verdict = level.rules.test(isDir ? rel + '/' : rel);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}
