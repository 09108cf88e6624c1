// pyproject.toml `[tool.asyncguard]` for the files the server analyses, read once per folder and
// forgotten when a pyproject.toml changes. A broken file is reported once and then ignored.
import { dirname } from 'node:path';
import { loadProjectConfig, type ProjectConfig } from '../engine/project/config';

export class ProjectConfigCache {
  private readonly byFolder = new Map<string, ProjectConfig | undefined>();
  private readonly reported = new Set<string>();

  constructor(private readonly log: (message: string) => void) {}

  /** The configuration that applies to `filePath`, or undefined when none can be read. */
  forFile(filePath: string): ProjectConfig | undefined {
    const folder = dirname(filePath);
    if (this.byFolder.has(folder)) return this.byFolder.get(folder);
    let config: ProjectConfig | undefined;
    try {
      const result = loadProjectConfig(filePath);
      if (result.ok) config = result.config;
      else {
        const key = `${result.error.file}: ${result.error.message}`;
        if (!this.reported.has(key)) {
          this.reported.add(key);
          this.log(`Ignoring ${key}`);
        }
      }
    } catch (e) {
      this.log(`Cannot read the project configuration for ${filePath}: ${(e as Error).message}`);
    }
    this.byFolder.set(folder, config);
    return config;
  }

  clear(): void {
    this.byFolder.clear();
    this.reported.clear();
  }
}
