// The Python version a project targets, from its pyproject.toml: `[tool.asyncguard] target-version`
// ("py38", as ruff spells it, or "3.8") or else the lower bound of `[project] requires-python`.
import type { PythonVersion } from '../types';

/** `"py39"`, `"py310"`, `"3.9"`: undefined for anything else. */
export function parseTargetVersion(value: string): PythonVersion | undefined {
  const m = /^(?:py(\d)(\d+)|(\d+)\.(\d+))$/.exec(value.trim());
  if (!m) return undefined;
  return m[1] !== undefined ? [Number(m[1]), Number(m[2])] : [Number(m[3]), Number(m[4])];
}

/**
 * The oldest version a PEP 440 specifier set admits, as far as its lower bounds tell:
 * `">=3.8"` -> 3.8, `">=3.8, <4"` -> 3.8, `"~=3.10"` -> 3.10, `"==3.11.*"` -> 3.11, `">3.9"` -> 3.9
 * (3.9.1 is above it). Undefined when no clause gives a lower bound (`"<4"`, `"!=3.5"`).
 */
export function requiresPythonLowerBound(spec: string): PythonVersion | undefined {
  let best: PythonVersion | undefined;
  for (const clause of spec.split(',')) {
    const m = /^\s*(>=|~=|==|===|>)\s*(\d+)(?:\.(\d+))?/.exec(clause);
    if (!m) continue;
    const version: PythonVersion = [Number(m[2]), Number(m[3] ?? 0)];
    // the clauses of a set must all hold: the highest lower bound wins
    if (!best || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

export function compareVersions(a: PythonVersion, b: PythonVersion): number {
  return a[0] - b[0] || a[1] - b[1];
}
