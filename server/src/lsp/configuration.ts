// What decides how a document is analysed in the editor: the workspace folders and their trust, the
// editor's `asyncguard.*` settings (settingsStore.ts), and the engine's workspace layer, which gives
// each file its configuration file's settings on top of the editor's, and its exclusion, exactly as
// the CLI does. The server watches the configuration files and asks for everything again when one
// changes.
import { basename, dirname } from 'node:path';
import type { Connection, WorkspaceFolder } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { mergeRuleSettings, Workspace, type EditorSettings, type FileSettings } from '../engine/workspace/index';
import type { RuleSettings } from '../engine/types';
import type { DocumentPath } from './documentPath';
import type { Output } from './output';
import type { ServerSettings } from './settings';
import { SettingsStore } from './settingsStore';

/** The files whose changes the server watches for besides sources: AsyncGuard's configuration and the TypeScript projects'. */
export const CONFIG_GLOBS = ['**/pyproject.toml', '**/asyncguard.json', '**/package.json', '**/tsconfig*.json', '**/jsconfig.json'];

/** What a changed file configures: AsyncGuard's rules (`asyncguard`), a TypeScript project (`typescript`), or nothing. */
export function configKind(path: string): { asyncguard: boolean; typescript: boolean } | undefined {
  if (/[\\/]node_modules[\\/]/.test(path)) return undefined;
  const name = basename(path);
  if (name === 'pyproject.toml' || name === 'asyncguard.json') return { asyncguard: true, typescript: false };
  if (name === 'package.json') return { asyncguard: true, typescript: true };
  if (/^tsconfig.*\.json$/.test(name) || name === 'jsconfig.json') return { asyncguard: false, typescript: true };
  return undefined;
}

/** How one document is analysed: its rules, and whether (and why) it is not analysed. */
export interface DocumentSettings {
  rules: RuleSettings;
  /** Not analysed, and nothing to say about it: AsyncGuard is off, or the document is in no language of ours. */
  off?: boolean;
  /** Not analysed: why, as the output says it (an exclude glob matches it). */
  skipped?: string;
}

/** The editor's settings as the workspace layer takes them. */
export function editorLayer(settings: ServerSettings): EditorSettings {
  return { rules: settings.rules, exclude: settings.exclude };
}

export class ServerConfiguration {
  readonly store: SettingsStore;
  trusted = true;
  private foldersValue: WorkspaceFolder[] = [];
  private workspaceValue: Workspace;

  constructor(private readonly output: Output, connection: Connection, onSettings: (settings: ServerSettings) => void) {
    this.store = new SettingsStore(connection, (what, e) => output.error(what, e), onSettings);
    this.workspaceValue = this.createWorkspace();
  }

  /** The engine's workspace layer over the current folders. */
  get workspace(): Workspace {
    return this.workspaceValue;
  }

  get folders(): readonly WorkspaceFolder[] {
    return this.foldersValue;
  }

  set folders(folders: readonly WorkspaceFolder[]) {
    this.foldersValue = [...folders];
    this.workspaceValue = this.createWorkspace();
  }

  /** The folders that are on disk, as paths. */
  folderPaths(): string[] {
    return this.foldersValue.filter((f) => f.uri.startsWith('file:')).map((f) => URI.parse(f.uri).fsPath);
  }

  settingsFor(uri: string): Promise<ServerSettings> {
    return this.store.get(uri);
  }

  /** A configuration file changed on disk: every file's settings are looked up again. */
  configurationFilesChanged(): void {
    this.workspaceValue.settings.clear();
    this.output.forgetOnce();
  }

  /** The settings a document is analysed with. A text with no place on disk gets the editor's settings alone. */
  documentSettings(doc: DocumentPath, settings: ServerSettings): DocumentSettings {
    const file = doc.onDisk ? this.workspaceValue.settingsFor(doc.path, editorLayer(settings)) : undefined;
    const rules = file?.rules ?? mergeRuleSettings([{ severity: settings.rules }]);
    if (!settings.enable || !doc.language) return { rules, off: true };
    if (file) this.announce(doc.path, file);
    return file?.excluded ? { rules, skipped: file.excluded } : { rules };
  }

  /** The interpreter the settings name, or undefined in an untrusted workspace (it would run a program). */
  interpreterFor(settings: ServerSettings): string | undefined {
    if (!settings.interpreterPath) return undefined;
    if (!this.trusted) {
      this.output.once(`Ignoring asyncguard.interpreterPath "${settings.interpreterPath}": the workspace is not trusted.`, 'warn');
      return undefined;
    }
    return settings.interpreterPath;
  }

  /** Says, once per configuration file (or folder without one), which configuration a file takes. */
  private announce(path: string, file: FileSettings): void {
    const config = file.configuration.file;
    if (config) {
      this.output.once(`Read the configuration in ${config}`);
      return;
    }
    const folder = dirname(path);
    this.output.once(
      file.language === 'typescript'
        ? `No configuration file for the TS/JS files in ${folder} (no asyncguard.json, package.json "asyncguard" key or pyproject.toml [tool.asyncguard] above it): the editor settings apply`
        : `No configuration file for the Python files in ${folder} (no pyproject.toml with [tool.asyncguard] above it): the editor settings apply`,
    );
  }

  private createWorkspace(): Workspace {
    return new Workspace({
      roots: this.folderPaths(),
      onConfigError: (error) => this.output.once(`Ignoring ${error.file}: ${error.message}; the default configuration applies`, 'warn'),
    });
  }
}
