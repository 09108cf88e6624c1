// Whether a file is left out: by the editor's `exclude` globs (relative to its workspace folder) or
// by its pyproject.toml's (relative to that file's folder). Matchers are compiled once per glob set.
import { dirname, relative } from 'node:path';
import { excludeMatcher, type ExcludeMatcher, type ProjectConfig } from '../engine/project/config';

export class Exclusion {
  private readonly editorMatchers = new Map<string, ExcludeMatcher>();
  private readonly projectMatchers = new WeakMap<ProjectConfig, ExcludeMatcher>();

  /** `root` is the workspace folder holding `path` (the editor's globs are relative to it). */
  excluded(path: string, root: string, editorGlobs: readonly string[], project?: ProjectConfig): boolean {
    const matchers: Array<[string, ExcludeMatcher]> = [];
    if (editorGlobs.length > 0) matchers.push([root, this.editorMatcher(root, editorGlobs)]);
    if (project) matchers.push([project.root, this.projectMatcher(project)]);
    for (const [base, matches] of matchers) {
      // A folder's name glob (`.venv`) excludes everything under it, so each ancestor is tried.
      for (let p = path; ; p = dirname(p)) {
        const rel = relative(base, p);
        if (rel === '' || rel.startsWith('..')) break;
        if (matches(p)) return true;
      }
    }
    return false;
  }

  private editorMatcher(root: string, globs: readonly string[]): ExcludeMatcher {
    const key = JSON.stringify([root, globs]);
    let matcher = this.editorMatchers.get(key);
    if (!matcher) {
      matcher = excludeMatcher({ root, exclude: [...globs], extendExclude: [] });
      this.editorMatchers.set(key, matcher);
    }
    return matcher;
  }

  private projectMatcher(project: ProjectConfig): ExcludeMatcher {
    let matcher = this.projectMatchers.get(project);
    if (!matcher) {
      matcher = excludeMatcher(project);
      this.projectMatchers.set(project, matcher);
    }
    return matcher;
  }
}
