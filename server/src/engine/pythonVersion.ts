// Python versions as projects declare them: `target-version` ("py38", as ruff spells it, or "3.8")
// and the floor of a version specifier (`requires-python`, Poetry's `python`). Which declaration
// applies to a file is the workspace settings' business (workspace/settings.ts); code the engine
// writes (fixes, the "Run concurrently" refactoring) must run on the version it gives.
import type { PythonVersion } from './types';

export type { PythonVersion };

/** `"py39"`, `"py310"`, `"3.9"`: undefined for anything else. */
export function parseTargetVersion(value: string): PythonVersion | undefined {
  const m = /^(?:py(\d)(\d+)|(\d+)\.(\d+))$/.exec(value.trim());
  if (!m) return undefined;
  return m[1] !== undefined ? [Number(m[1]), Number(m[2])] : [Number(m[3]), Number(m[4])];
}

/**
 * The lowest major.minor a version specifier admits: `>=3.11` and `~=3.11.2` give 3.11, `>3.10`
 * 3.10 (3.10.1 is greater), `==3.12.*` 3.12, Poetry's `^3.9` 3.9; clauses joined by commas all
 * hold (the highest floor wins), alternatives joined by `||` any (the lowest wins). Upper bounds
 * and exclusions say nothing about the floor. undefined when no clause gives one.
 */
export function specifierFloor(spec: string): PythonVersion | undefined {
  let lowest: PythonVersion | undefined;
  for (const alternative of spec.split('||')) {
    let floor: PythonVersion | undefined;
    for (const clause of alternative.split(',')) {
      // `<`, `<=` and `!=` do not match: they bound nothing from below
      const m = /^\s*(?:===|==|>=|>|~=|\^|~)?\s*v?(\d+)(?:\.(\d+|\*))?/.exec(clause);
      if (!m) continue;
      const version: PythonVersion = [Number(m[1]), m[2] === undefined || m[2] === '*' ? 0 : Number(m[2])];
      if (!floor || compareVersions(version, floor) > 0) floor = version;
    }
    if (!floor) return undefined; // an alternative without a floor admits anything
    if (!lowest || compareVersions(floor, lowest) < 0) lowest = floor;
  }
  return lowest;
}

export function compareVersions(a: PythonVersion, b: PythonVersion): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function atLeast(version: PythonVersion | undefined, wanted: PythonVersion): boolean {
  return version !== undefined && compareVersions(version, wanted) >= 0;
}
