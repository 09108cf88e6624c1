// The oldest Python a project promises to run on: `[tool.asyncguard] target-version` ("py38", as
// ruff spells it, or "3.8") in the nearest pyproject.toml, else the floor of its `requires-python`
// (or Poetry's `python` dependency), else what the interpreter says. Code the engine writes (fixes,
// the "Run concurrently" refactoring) must run on that version.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';

import type { PythonVersion } from '../types';

export type { PythonVersion };

/** `"py39"`, `"py310"`, `"3.9"`: undefined for anything else. */
export function parseTargetVersion(value: string): PythonVersion | undefined {
  const m = /^(?:py(\d)(\d+)|(\d+)\.(\d+))$/.exec(value.trim());
  if (!m) return undefined;
  return m[1] !== undefined ? [Number(m[1]), Number(m[2])] : [Number(m[3]), Number(m[4])];
}

export interface PythonTarget {
  /** undefined when neither the project nor an interpreter says. */
  version?: PythonVersion;
  /** Where it came from: the pyproject.toml's path, or `interpreter`. */
  source?: string;
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

/** What one pyproject.toml says: a version, nothing (no such key, or unreadable TOML). */
function floorOfPyproject(file: string): PythonVersion | undefined {
  let doc: Record<string, any>;
  try {
    doc = parseToml(readFileSync(file, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
  const target = doc.tool?.asyncguard?.['target-version'];
  const explicit = typeof target === 'string' ? parseTargetVersion(target) : undefined;
  if (explicit) return explicit;
  const declared = doc.project?.['requires-python'] ?? doc.tool?.poetry?.dependencies?.python;
  return typeof declared === 'string' ? specifierFloor(declared) : undefined;
}

const cache = new Map<string, { mtimeMs: number; floor: PythonVersion | undefined }>();

/** The nearest pyproject.toml at or above `path`'s folder and the floor it declares. */
export function declaredPythonFloor(path: string): { file: string; version: PythonVersion | undefined } | undefined {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const file = join(dir, 'pyproject.toml');
    if (existsSync(file)) {
      let mtimeMs = -1;
      try {
        mtimeMs = statSync(file).mtimeMs;
      } catch {
        // vanished meanwhile: read as having nothing to say
      }
      let entry = cache.get(file);
      if (!entry || entry.mtimeMs !== mtimeMs) {
        entry = { mtimeMs, floor: floorOfPyproject(file) };
        cache.set(file, entry);
      }
      return { file, version: entry.floor };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The version code written into `path` must run on: the nearest pyproject.toml's floor, or (when it
 * declares none) the interpreter's version, asked for only then.
 */
export function pythonTargetFor(path: string, interpreterVersion: () => PythonVersion | undefined): PythonTarget {
  const declared = declaredPythonFloor(path);
  if (declared?.version) return { version: declared.version, source: declared.file };
  const version = interpreterVersion();
  return version ? { version, source: 'interpreter' } : {};
}
