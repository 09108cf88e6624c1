// The settings of each file, as ruff decides them: looked up per file, from the file's own nearest
// configuration, never from the path a command was given. A Python file takes the nearest
// pyproject.toml with `[tool.asyncguard]`; a TS/JS file the nearest asyncguard.json or package.json
// "asyncguard" key, else the Python one. Layers, later ones winning: the defaults, the editor's
// settings, the configuration file, the command line's flags.
//
// Excludes follow the same file: a file is left out when its configuration's globs match it or a
// folder above it (up to the configuration's folder), or when the editor's globs do (up to the
// workspace folder), or the command line's (up to the folder it runs in; `--exclude` replaces the
// configurations' `exclude` and the default one, `--extend-exclude` adds to them, as ruff's do). A walk leaves out a folder only when every file below it would be left out,
// so walking from any folder gives each file the answer it gets on its own.
import { dirname, isAbsolute, relative } from 'node:path';
import { languageOf, type Language } from '../languages';
import type { RuleId, RuleSettings } from '../types';
import {
  emptyConfig,
  excludeMatcher,
  loadJsonConfig,
  loadPyprojectConfig,
  mergeRuleSettings,
  readJsonConfig,
  readPyproject,
  type ConfigError,
  type ConfigResult,
  type Configuration,
  type ExcludeMatcher,
  type RuleOverrides,
  type SeveritySetting,
} from './configuration';
import { deepestFolderHolding } from './folders';

/** What the editor's settings say about a file (the language server's `asyncguard.*` settings). */
export interface EditorSettings {
  rules?: Partial<Record<RuleId, SeveritySetting>>;
  /** Globs relative to the workspace folder holding the file. */
  exclude?: readonly string[];
}

export interface SettingsOptions {
  /** Folders a file without a configuration file is seen from (workspace folders; the CLI's working folder). */
  roots?: readonly string[];
  /** `--select`/`--ignore`: over every configuration file. */
  commandLine?: RuleOverrides;
  /** `--exclude`/`--extend-exclude`: globs relative to `root` (the CLI's working folder). */
  commandLineExclude?: CommandLineExclude;
  /** `--config FILE`: this configuration file for every source file. */
  configFile?: string;
  /** `--isolated`: no configuration file at all. */
  isolated?: boolean;
  /** Told once for each configuration file that cannot be used (its file's defaults apply instead). */
  onConfigError?: (error: ConfigError) => void;
}

export interface CommandLineExclude {
  root: string;
  /** In place of every configuration's `exclude` (and the default one). */
  exclude?: readonly string[];
  /** Added to every configuration's excludes. */
  extendExclude?: readonly string[];
}

export interface FileSettings {
  language: Language;
  /** The configuration that applies; `configuration.file` is undefined when no file sets any. */
  configuration: Configuration;
  rules: RuleSettings;
  /** When the file is left out: why (which configuration's or setting's exclude matched it). */
  excluded?: string;
}

const LANGUAGES: readonly Language[] = ['python', 'typescript'];

export class WorkspaceSettings {
  /** Configuration file path -> what it says, shared by every lookup. */
  private readonly files = new Map<string, ConfigResult>();
  /** `language:folder` -> the configuration files of that folder's files of that language use. */
  private readonly byFolder = new Map<string, Configuration>();
  private readonly told = new Set<string>();
  private readonly matchers = new WeakMap<Configuration, { matches: ExcludeMatcher; memo: Map<string, boolean> }>();
  private readonly editorMatchers = new Map<string, { matches: ExcludeMatcher; memo: Map<string, boolean> }>();
  private readonly commandLineMatcher: { root: string; matches: ExcludeMatcher; memo: Map<string, boolean> } | undefined;
  /** The configurations of files no configuration file sets, one per root and Python target. */
  private readonly defaults = new Map<string, Configuration>();
  private readonly fixed: ConfigResult | undefined;

  constructor(private readonly options: SettingsOptions = {}) {
    const cli = options.commandLineExclude;
    if (cli && (cli.exclude?.length || cli.extendExclude?.length)) {
      const globs = { root: cli.root, exclude: [...(cli.exclude ?? [])], extendExclude: [...(cli.extendExclude ?? [])] };
      this.commandLineMatcher = { root: cli.root, matches: excludeMatcher(globs), memo: new Map() };
    }
    if (options.configFile) {
      const file = options.configFile;
      this.fixed = /\.json$/i.test(file) ? readJsonConfig(file) : readPyproject(file);
    }
  }

  /** Configuration files changed on disk: everything is read again. */
  clear(): void {
    this.files.clear();
    this.byFolder.clear();
    this.defaults.clear();
    this.told.clear();
  }

  /** The `--config` file's problem, if it has one (the CLI stops on it). */
  get configFileError(): ConfigError | undefined {
    return this.fixed && !this.fixed.ok ? this.fixed.error : undefined;
  }

  /**
   * The configuration a file of `language` in `folder` takes. A file that cannot be used is told once
   * (onConfigError) and the defaults apply in its place.
   */
  configurationIn(folder: string, language: Language): Configuration {
    const key = `${language}:${folder}`;
    let config = this.byFolder.get(key);
    if (!config) {
      config = this.lookUp(folder, language);
      this.byFolder.set(key, config);
    }
    return config;
  }

  /** Everything about one source file, or undefined when it is neither Python nor TS/JS. */
  settingsFor(path: string, editor: EditorSettings = {}): FileSettings | undefined {
    const language = languageOf(path);
    if (!language) return undefined;
    const configuration = this.configurationIn(dirname(path), language);
    const rules = mergeRuleSettings([{ severity: editor.rules }, configuration, this.options.commandLine]);
    const settings: FileSettings = { language, configuration, rules };
    const excluded = this.exclusionOf(path, language, editor);
    if (excluded) settings.excluded = excluded;
    return settings;
  }

  /** While walking: whether the file or folder is left out (a folder only when all below it would be). */
  isExcludedWhileWalking(path: string, isDir: boolean, editor: EditorSettings = {}): boolean {
    if (this.excludedByEditor(path, editor) || this.excludedByCommandLine(path)) return true;
    if (!isDir) {
      const language = languageOf(path);
      return !!language && this.excludedByConfiguration(path, this.configurationIn(dirname(path), language));
    }
    return LANGUAGES.every((language) => this.excludedByConfiguration(path, this.configurationIn(path, language)));
  }

  /** Why the file is left out, if it is. */
  private exclusionOf(path: string, language: Language, editor: EditorSettings): string | undefined {
    if (this.excludedByEditor(path, editor)) return 'it matches a glob of the asyncguard.exclude setting';
    if (this.excludedByCommandLine(path)) return 'it matches a glob of --exclude or --extend-exclude';
    const configuration = this.configurationIn(dirname(path), language);
    if (!this.excludedByConfiguration(path, configuration)) return undefined;
    return configuration.file ? `it matches an exclude glob of ${configuration.file}` : 'it is in a folder excluded by default';
  }

  private excludedByConfiguration(path: string, configuration: Configuration): boolean {
    let m = this.matchers.get(configuration);
    if (!m) {
      const replaced = this.options.commandLineExclude?.exclude !== undefined;
      m = { matches: excludeMatcher(replaced ? { ...configuration, exclude: [] } : configuration), memo: new Map() };
      this.matchers.set(configuration, m);
    }
    return excludedUpTo(m.matches, m.memo, configuration.root, path);
  }

  private excludedByCommandLine(path: string): boolean {
    const m = this.commandLineMatcher;
    return !!m && excludedUpTo(m.matches, m.memo, m.root, path);
  }

  private excludedByEditor(path: string, editor: EditorSettings): boolean {
    if (!editor.exclude?.length) return false;
    const root = this.rootOf(path);
    const key = JSON.stringify([root, editor.exclude]);
    let m = this.editorMatchers.get(key);
    if (!m) {
      m = { matches: excludeMatcher({ root, exclude: [...editor.exclude], extendExclude: [] }), memo: new Map() };
      this.editorMatchers.set(key, m);
    }
    return excludedUpTo(m.matches, m.memo, root, path);
  }

  /** The folder a file without a configuration file is seen from: the deepest root holding it. */
  private rootOf(path: string): string {
    return deepestFolderHolding(this.options.roots ?? [], path) ?? dirname(path);
  }

  private lookUp(folder: string, language: Language): Configuration {
    if (this.options.isolated) return this.defaultsAt(this.rootOf(folder));
    if (this.fixed) return this.usable(this.fixed, folder);
    if (language === 'typescript') {
      const own = loadJsonConfig(folder, this.files);
      if (own) return this.usable(own, folder);
    }
    return this.usable(loadPyprojectConfig(folder, this.files), folder);
  }

  /** The configuration, re-rooted at the workspace root when no file sets it; the defaults when it is broken. */
  private usable(result: ConfigResult, folder: string): Configuration {
    if (!result.ok) {
      if (!this.told.has(result.error.file)) {
        this.told.add(result.error.file);
        this.options.onConfigError?.(result.error);
      }
      return this.defaultsAt(this.rootOf(folder));
    }
    return result.config.file ? result.config : this.defaultsAt(this.rootOf(folder), result.config);
  }

  /** The defaults seen from `root`, keeping the Python target a pyproject.toml without the table declares. */
  private defaultsAt(root: string, found?: Configuration): Configuration {
    const key = `${root}\0${found?.pythonTarget?.join('.') ?? ''}`;
    let config = this.defaults.get(key);
    if (!config) {
      config = emptyConfig(root);
      if (found?.pythonTarget) config.pythonTarget = found.pythonTarget;
      this.defaults.set(key, config);
    }
    return config;
  }
}

/** `path` or a folder above it, up to `root` (not included), matches; answers remembered per path. */
function excludedUpTo(matches: ExcludeMatcher, memo: Map<string, boolean>, root: string, path: string): boolean {
  const known = memo.get(path);
  if (known !== undefined) return known;
  const rel = relative(root, path);
  let excluded = false;
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) excluded = matches(path) || excludedUpTo(matches, memo, root, dirname(path));
  memo.set(path, excluded);
  return excluded;
}
