// The project configuration of the files the server analyses, read once per folder and language and
// forgotten when a configuration file changes: pyproject.toml `[tool.asyncguard]` for Python files;
// for TS/JS files the nearest asyncguard.json or package.json `asyncguard`, else pyproject.toml's.
// A broken file is reported once and then ignored (the defaults apply).
import { dirname } from 'node:path';
import { languageOf } from '../engine/analyzer';
import { loadJsonConfig, loadProjectConfig, type ConfigResult, type ProjectConfig } from '../engine/project/config';

export class ProjectConfigCache {
  private readonly byFolder = new Map<string, ProjectConfig | undefined>();
  private readonly reported = new Set<string>();
  /** Configuration files already named in the output. */
  private readonly announced = new Set<string>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly info: (message: string) => void = log,
  ) {}

  /** The configuration that applies to `filePath`, or undefined when none can be read. */
  forFile(filePath: string): ProjectConfig | undefined {
    const typescript = languageOf(filePath) === 'typescript';
    const key = `${typescript ? 'ts' : 'py'}:${dirname(filePath)}`;
    if (this.byFolder.has(key)) return this.byFolder.get(key);
    let config: ProjectConfig | undefined;
    try {
      const result: ConfigResult = (typescript ? loadJsonConfig(filePath) : undefined) ?? loadProjectConfig(filePath);
      if (result.ok) {
        config = result.config;
        const said = config.file ?? `none:${key}`;
        if (!this.announced.has(said)) {
          this.announced.add(said);
          this.info(
            config.file
              ? `Read the configuration in ${config.file}`
              : typescript
                ? `No configuration file for the TS/JS files in ${dirname(filePath)} (no asyncguard.json, package.json "asyncguard" key or pyproject.toml [tool.asyncguard] above it): the editor settings apply`
                : `No configuration file for the Python files in ${dirname(filePath)} (no pyproject.toml with [tool.asyncguard] above it): the editor settings apply`,
          );
        }
      } else {
        const problem = `${result.error.file}: ${result.error.message}`;
        if (!this.reported.has(problem)) {
          this.reported.add(problem);
          this.log(`Ignoring ${problem}; the default configuration applies`);
        }
      }
    } catch (e) {
      this.log(`Cannot read the project configuration for ${filePath}: ${(e as Error).message}`);
    }
    this.byFolder.set(key, config);
    return config;
  }

  clear(): void {
    this.byFolder.clear();
    this.reported.clear();
    this.announced.clear();
  }
}
