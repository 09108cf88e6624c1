// Configuration files: the `[tool.asyncguard]` table of a pyproject.toml (Python and TS/JS files),
// and for TS/JS files an `asyncguard.json` or the `asyncguard` key of a package.json, turned into
// rule settings and exclude globs. Every file kind has the same keys; a bad file is reported, never
// thrown. Which file applies to which source file is settings.ts's business.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseToml, TomlError } from 'smol-toml';
import { defaultRuleSettings, isRuleId, RULE_IDS } from '../rules';
import type { PythonVersion, RuleId, RuleSettings, Severity } from '../types';
import { parseTargetVersion, specifierFloor } from '../pythonVersion';

export type SeveritySetting = Severity | 'off';

/** One layer of rule configuration (editor settings, pyproject.toml or command-line flags). */
export interface RuleOverrides {
  /** When present, exactly these rules run (before `ignore` and `severity` of the same layer). */
  select?: RuleId[];
  ignore?: RuleId[];
  severity?: Partial<Record<RuleId, SeveritySetting>>;
  /** See RuleSettings.pythonTarget. */
  pythonTarget?: PythonVersion;
}

export interface Configuration extends RuleOverrides {
  /** The configuration file this came from, or undefined when none was found. */
  file?: string;
  /** The directory relative exclude globs are matched from (the configuration file's folder). */
  root: string;
  /** Globs that replace the default excludes, if given. */
  exclude: string[];
  extendExclude: string[];
  /** [pyproject.toml] The floor of the file's own `requires-python` (or Poetry's `python`). */
  declaredFloor?: PythonVersion;
}

export interface ConfigError {
  file: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Configuration } | { ok: false; error: ConfigError };

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
  '.ipynb_checkpoints',
  'node_modules',
];

const SEVERITY_VALUES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const KNOWN_KEYS = ['select', 'ignore', 'exclude', 'extend-exclude', 'severity'];
/** JSON files also take `rules` shaped as in the editor settings: `{ "floating-promise": "error" }` or `{ ..: { "severity": .. } }`. */
const JSON_KEYS = [...KNOWN_KEYS, 'rules'];

/** How messages name the configuration and its tables, and which keys it takes. */
interface Where {
  table: string;
  /** `severity` -> `[tool.asyncguard.severity]`, `"asyncguard.severity" in package.json`, ... */
  sub(key: string): string;
  keys: readonly string[];
}
const PYPROJECT: Where = { table: '[tool.asyncguard]', sub: (key) => `[tool.asyncguard.${key}]`, keys: [...KNOWN_KEYS, 'target-version'] };

/** The configuration that applies when no configuration file sets any. */
export function emptyConfig(root: string): Configuration {
  return { root, exclude: [...DEFAULT_EXCLUDES], extendExclude: [] };
}

/**
 * Finds the nearest pyproject.toml with a `[tool.asyncguard]` table, from `path` (a file or a
 * folder) upward, and reads it. Files without the table are passed over, as ruff does. The Python
 * target is the table's `target-version`, else the floor the nearest pyproject.toml declaring one
 * gives (`requires-python`, Poetry's `python`). `cache` (pyproject.toml path -> result) spares
 * reading one file again for every path of a run.
 */
export function loadPyprojectConfig(path: string, cache?: Map<string, ConfigResult>): ConfigResult {
  const start = resolve(path);
  let dir = isDirectory(start) ? start : dirname(start);
  let floor: PythonVersion | undefined;
  for (;;) {
    const candidate = join(dir, 'pyproject.toml');
    if (existsSync(candidate)) {
      let result = cache?.get(candidate);
      if (!result) {
        result = readPyproject(candidate);
        cache?.set(candidate, result);
      }
      if (!result.ok) return result;
      floor ??= result.config.declaredFloor;
      if (result.config.file) return withTarget(result.config, floor);
    }
    const parent = dirname(dir);
    if (parent === dir) return withTarget(emptyConfig(isDirectory(start) ? start : dirname(start)), floor);
    dir = parent;
  }
}

function withTarget(config: Configuration, floor: PythonVersion | undefined): ConfigResult {
  const pythonTarget = config.pythonTarget ?? floor;
  return { ok: true, config: pythonTarget && pythonTarget !== config.pythonTarget ? { ...config, pythonTarget } : config };
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
  const floor = declaredFloor(doc);
  const tool = doc.tool;
  if (!isTable(tool) || tool.asyncguard === undefined) {
    const config = emptyConfig(root);
    if (floor) config.declaredFloor = floor;
    return { ok: true, config };
  }
  const table = tool.asyncguard;
  if (!isTable(table)) return fail(file, '[tool.asyncguard] must be a table');
  const result = configFromTable(table, file, PYPROJECT);
  if (result.ok && floor) result.config.declaredFloor = floor;
  return result;
}

/** The floor of `[project] requires-python`, else of Poetry's `python` dependency. */
function declaredFloor(doc: Record<string, unknown>): PythonVersion | undefined {
  const project = doc.project;
  const tool = doc.tool;
  const poetry = isTable(tool) && isTable(tool.poetry) && isTable(tool.poetry.dependencies) ? tool.poetry.dependencies.python : undefined;
  const declared = isTable(project) && typeof project['requires-python'] === 'string' ? project['requires-python'] : poetry;
  return typeof declared === 'string' ? specifierFloor(declared) : undefined;
}

/** Validates one configuration table (the same keys in every file kind) into a Configuration. */
function configFromTable(table: Record<string, unknown>, file: string, where: Where): ConfigResult {
  const config: Configuration = { file, root: dirname(file), exclude: [...DEFAULT_EXCLUDES], extendExclude: [] };
  for (const [key, value] of Object.entries(table)) {
    if (!where.keys.includes(key)) {
      return fail(file, `unknown option "${key}" in ${where.table} (known: ${where.keys.join(', ')})`);
    }
    if (key === 'severity' || key === 'rules') {
      if (!isTable(value)) return fail(file, `${where.sub(key)} must be a table of rule = level`);
      const severity = { ...config.severity };
      for (const [rule, raw] of Object.entries(value)) {
        if (!isRuleId(rule)) return fail(file, unknownRule(rule, where.sub(key)));
        const level = key === 'rules' && isTable(raw) ? raw.severity : raw;
        if (typeof level !== 'string' || !(SEVERITY_VALUES as readonly string[]).includes(level)) {
          return fail(file, `severity of "${rule}" must be one of ${SEVERITY_VALUES.map((s) => `"${s}"`).join(', ')}`);
        }
        severity[rule] = level as SeveritySetting;
      }
      config.severity = severity;
      continue;
    }
    if (key === 'target-version') {
      const target = typeof value === 'string' ? parseTargetVersion(value) : undefined;
      if (!target) return fail(file, `"target-version" in ${where.table} must be a Python version such as "py39" or "3.9"`);
      config.pythonTarget = target;
      continue;
    }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      return fail(file, `"${key}" in ${where.table} must be an array of strings`);
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

/** The JSON configuration files of a folder, in the order they win when several are present. */
const JSON_CONFIG_NAMES = ['asyncguard.json', 'package.json'] as const;

/**
 * Finds the JSON configuration of a TS/JS file: from `path` upward, the first folder with an
 * `asyncguard.json` or a package.json with an `asyncguard` key (asyncguard.json first, as eslint
 * prefers its own file to package.json). Undefined when there is none: then pyproject.toml's
 * configuration applies, as to Python files.
 */
export function loadJsonConfig(path: string, cache?: Map<string, ConfigResult>): ConfigResult | undefined {
  const start = resolve(path);
  for (let dir = isDirectory(start) ? start : dirname(start); ; dir = dirname(dir)) {
    for (const name of JSON_CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (!existsSync(candidate)) continue;
      let result = cache?.get(candidate);
      if (!result) {
        result = readJsonConfig(candidate);
        cache?.set(candidate, result);
      }
      if (!result.ok || result.config.file) return result;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function readJsonConfig(file: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail(file, `cannot read: ${(e as Error).message}`);
  }
  return parseJsonConfig(text, file);
}

/**
 * An `asyncguard.json` (the whole object) or a package.json (its `asyncguard` key; without one,
 * `config.file` is unset and the file is passed over).
 */
export function parseJsonConfig(text: string, file: string): ConfigResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(file, `invalid JSON: ${jsonError(text, (e as Error).message)}`);
  }
  const isPackage = basename(file) === 'package.json';
  if (isPackage && (!isTable(doc) || doc.asyncguard === undefined)) return { ok: true, config: emptyConfig(dirname(file)) };
  const table = isPackage ? (doc as Record<string, unknown>).asyncguard : doc;
  const where: Where = isPackage
    ? { table: '"asyncguard" in package.json', sub: (key) => `"asyncguard.${key}" in package.json`, keys: JSON_KEYS }
    : { table: basename(file), sub: (key) => `"${key}" in ${basename(file)}`, keys: JSON_KEYS };
  if (!isTable(table)) return fail(file, `${where.table} must be an object`);
  return configFromTable(table, file, where);
}

/** `LINE:COLUMN: reason` from JSON.parse's "... at position N". */
function jsonError(text: string, message: string): string {
  const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  const at = /at position (\d+)/.exec(message);
  if (!at) return reason;
  const before = text.replace(/^\uFEFF/, '').slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${line}:${column}: ${reason}`;
}

/**
 * Applies layers of overrides to the defaults, later layers winning where they set the same rule.
 * The language server passes [editorSettings, projectFile]: the project's file wins, as in ruff.
 */
export function mergeRuleSettings(layers: readonly (RuleOverrides | undefined)[], base: RuleSettings = defaultRuleSettings()): RuleSettings {
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
  const pythonTarget = [...layers].reverse().find((layer) => layer?.pythonTarget)?.pythonTarget ?? base.pythonTarget;
  return pythonTarget ? { enabled, severity, pythonTarget } : { enabled, severity };
}

/** Decides whether a path met while walking is excluded by the configuration's globs. */
export type ExcludeMatcher = (absolutePath: string) => boolean;

/**
 * Globs without a slash match any file or folder of that name (`.venv`, `*_pb2.py`); globs with a
 * slash match the path relative to the configuration's root (`src/generated/**`), as in ruff.
 */
export function excludeMatcher(config: Configuration): ExcludeMatcher {
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

/** `path` or a folder above it, up to `root`, is excluded: a folder's name glob (`dist`) excludes what is under it. */
export function isExcludedPath(isExcluded: ExcludeMatcher, root: string, path: string): boolean {
  for (let p = path; ; p = dirname(p)) {
    const rel = relative(root, p);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    if (isExcluded(p)) return true;
  }
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
