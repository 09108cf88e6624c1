// Project configuration: the `[tool.asyncguard]` table of the nearest pyproject.toml, turned into
// rule settings and exclude globs. Read with a real TOML parser; a bad file is reported, never thrown.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import { defaultRuleSettings, isRuleId, RULE_IDS } from '../rules';
import type { RuleId, RuleSettings, Severity } from '../types';

export type SeveritySetting = Severity | 'off';

/** One layer of rule configuration (editor settings, pyproject.toml or command-line flags). */
export interface RuleOverrides {
  /** When present, exactly these rules run (before `ignore` and `severity` of the same layer). */
  select?: RuleId[];
  ignore?: RuleId[];
  severity?: Partial<Record<RuleId, SeveritySetting>>;
}

export interface ProjectConfig extends RuleOverrides {
  /** The pyproject.toml this came from, or undefined when none was found. */
  file?: string;
  /** The directory relative exclude globs are matched from (the pyproject.toml's folder). */
  root: string;
  /** Globs that replace the default excludes, if given. */
  exclude: string[];
  extendExclude: string[];
}

export interface ConfigError {
  file: string;
  message: string;
}

export type ConfigResult = { ok: true; config: ProjectConfig } | { ok: false; error: ConfigError };

/** Folders nobody wants linted; `exclude` replaces this list, `extend-exclude` adds to it. */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '.bzr',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.ruff_cache',
  '.asyncguard_cache',
  '.pytest_cache',
  '__pycache__',
  '__pypackages__',
  'node_modules',
];

const SEVERITY_VALUES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const KNOWN_KEYS = new Set(['select', 'ignore', 'exclude', 'extend-exclude', 'severity']);

/** The configuration that applies when no pyproject.toml sets any. */
export function emptyConfig(root: string): ProjectConfig {
  return { root, exclude: [...DEFAULT_EXCLUDES], extendExclude: [] };
}

/**
 * Finds the nearest pyproject.toml with a `[tool.asyncguard]` table, from `path` (a file or a
 * folder) upward, and reads it. Files without the table are passed over, as ruff does. `cache`
 * (pyproject.toml path -> result) spares reading one file again for every path of a run.
 */
export function loadProjectConfig(path: string, cache?: Map<string, ConfigResult>): ConfigResult {
  const start = resolve(path);
  let dir = isDirectory(start) ? start : dirname(start);
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate)) {
      let result = cache?.get(candidate);
      if (!result) {
        result = readPyproject(candidate);
        cache?.set(candidate, result);
      }
      if (!result.ok || result.config.file) return result;
    }
    const parent = dirname(dir);
    if (parent === dir) return { ok: true, config: emptyConfig(isDirectory(start) ? start : dirname(start)) };
    dir = parent;
  }
}

/**
 * Reads one pyproject.toml. `config.file` is set only when it has a `[tool.asyncguard]` table;
 * otherwise the result is the empty configuration rooted at the file's folder.
 */
export function readPyproject(file: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: { file, message: `cannot read: ${(e as Error).message}` } };
  }
  return parsePyproject(text, file);
}

export function parsePyproject(text: string, file: string): ConfigResult {
  const root = dirname(file);
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const reason = e.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      return { ok: false, error: { file, message: `${e.line}:${e.column}: invalid TOML: ${reason}` } };
    }
    return { ok: false, error: { file, message: `invalid TOML: ${(e as Error).message}` } };
  }
  const tool = doc.tool;
  if (!isTable(tool) || tool.asyncguard === undefined) return { ok: true, config: emptyConfig(root) };
  const table = tool.asyncguard;
  if (!isTable(table)) return fail(file, '[tool.asyncguard] must be a table');

  const config: ProjectConfig = { file, root, exclude: [...DEFAULT_EXCLUDES], extendExclude: [] };
  for (const [key, value] of Object.entries(table)) {
    if (!KNOWN_KEYS.has(key)) {
      return fail(file, `unknown option "${key}" in [tool.asyncguard] (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
    if (key === 'severity') {
      if (!isTable(value)) return fail(file, '[tool.asyncguard.severity] must be a table of rule = level');
      const severity: Partial<Record<RuleId, SeveritySetting>> = {};
      for (const [rule, level] of Object.entries(value)) {
        if (!isRuleId(rule)) return fail(file, unknownRule(rule, '[tool.asyncguard.severity]'));
        if (typeof level !== 'string' || !(SEVERITY_VALUES as readonly string[]).includes(level)) {
          return fail(file, `severity of "${rule}" must be one of ${SEVERITY_VALUES.map((s) => `"${s}"`).join(', ')}`);
        }
        severity[rule] = level as SeveritySetting;
      }
      config.severity = severity;
      continue;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return fail(file, `"${key}" in [tool.asyncguard] must be an array of strings`);
    }
    const strings = value as string[];
    if (key === 'select' || key === 'ignore') {
      const bad = strings.find((r) => !isRuleId(r));
      if (bad !== undefined) return fail(file, unknownRule(bad, `"${key}"`));
      config[key] = strings as RuleId[];
    } else if (key === 'exclude') {
      config.exclude = strings;
    } else {
      config.extendExclude = strings;
    }
  }
  return { ok: true, config };
}

/**
 * Applies layers of overrides to the defaults, later layers winning where they set the same rule.
 * The language server passes [editorSettings, pyproject]: pyproject.toml wins, as in ruff.
 */
export function mergeRuleSettings(layers: readonly (RuleOverrides | undefined)[], base = defaultRuleSettings()): RuleSettings {
  const enabled = { ...base.enabled };
  const severity = { ...base.severity };
  for (const layer of layers) {
    if (!layer) continue;
    const decided = new Set<RuleId>();
    if (layer.select) {
      for (const id of RULE_IDS) enabled[id] = layer.select.includes(id);
      RULE_IDS.forEach((id) => decided.add(id));
    }
    for (const id of layer.ignore ?? []) {
      enabled[id] = false;
      decided.add(id);
    }
    for (const [id, level] of Object.entries(layer.severity ?? {}) as [RuleId, SeveritySetting][]) {
      if (level === 'off') {
        enabled[id] = false;
      } else {
        severity[id] = level;
        // Naming a level turns on a rule an earlier layer turned off; this layer's select/ignore still rule.
        if (!decided.has(id)) enabled[id] = true;
      }
    }
  }
  return { enabled, severity };
}

/** Decides whether a path met while walking is excluded by the configuration's globs. */
export type ExcludeMatcher = (absolutePath: string) => boolean;

/**
 * Globs without a slash match any file or folder of that name (`.venv`, `*_pb2.py`); globs with a
 * slash match the path relative to the configuration's root (`src/generated/**`), as in ruff.
 */
export function excludeMatcher(config: ProjectConfig): ExcludeMatcher {
  const globs = [...config.exclude, ...config.extendExclude].map((g) => g.replace(/\/+$/, '')).filter((g) => g);
  const nameGlobs = globs.filter((g) => !g.includes('/'));
  const pathGlobs = globs.filter((g) => g.includes('/')).map((g) => g.replace(/^\.\//, ''));
  const matchName = nameGlobs.length ? picomatch(nameGlobs, { dot: true }) : () => false;
  const matchPath = pathGlobs.length ? picomatch(pathGlobs, { dot: true }) : () => false;
  return (absolutePath) => {
    const rel = relative(config.root, absolutePath).split(sep).join('/');
    const name = rel.slice(rel.lastIndexOf('/') + 1) || absolutePath.slice(absolutePath.lastIndexOf(sep) + 1);
    if (matchName(name)) return true;
    if (rel.startsWith('../') || rel === '..') return false;
    return matchPath(rel) || matchPath(rel + '/');
  };
}

function fail(file: string, message: string): ConfigResult {
  return { ok: false, error: { file, message } };
}

function unknownRule(rule: string, where: string): string {
  return `unknown rule "${rule}" in ${where} (known rules: ${RULE_IDS.join(', ')})`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
