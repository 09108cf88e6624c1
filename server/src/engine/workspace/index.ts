// The workspace layer: the one answer both front ends (the CLI and the language server) give to
// "which files belong here, with which settings, and how are they read and fixed". The CLI walks
// the paths it is given; the language server walks its workspace folders and asks about each open
// document; both get each file's settings, its exclusion, the reason it is skipped and the fix-all
// loop from here, so a tree gives the same findings whichever way it is checked.
import { sourceFilesUnder } from './walk';
import { readSourceFile, textSkipReason, type SkippedFile, type SourceFile } from './sourceFiles';
import { WorkspaceSettings, type EditorSettings, type FileSettings, type SettingsOptions } from './settings';

export { fixAll, chooseFix, appliesAutomatically, minimalEdit, type FixAllOutcome, type AnalyzeText } from './fixAll';
export { MAX_FILE_BYTES, encodeSource, writeFileAtomic, readSourceFile, type SourceFile, type SkippedFile } from './sourceFiles';
export { deepestFolderHolding } from './folders';
export type { EditorSettings, FileSettings } from './settings';
export { mergeRuleSettings, type ConfigError, type Configuration, type RuleOverrides, type SeveritySetting } from './configuration';

export interface WorkspaceOptions extends SettingsOptions {
  /** Leave out what .gitignore files ignore while walking (default true, as ruff does). */
  respectGitignore?: boolean;
}

/** A file met while walking, with its settings. */
export interface WalkedFile {
  path: string;
  settings: FileSettings;
}

export class Workspace {
  readonly settings: WorkspaceSettings;

  constructor(private readonly options: WorkspaceOptions = {}) {
    this.settings = new WorkspaceSettings(options);
  }

  /**
   * The source files under a folder, in order, each with its settings: what .gitignore files and
   * the excludes (of each file's configuration, and of `editor`) leave out is not among them.
   * Throws when the folder cannot be read.
   */
  *filesUnder(folder: string, editor: EditorSettings = {}): Generator<WalkedFile> {
    const walk = sourceFilesUnder(folder, {
      respectGitignore: this.options.respectGitignore,
      isExcluded: (path, isDir) => this.settings.isExcludedWhileWalking(path, isDir, editor),
    });
    for (const path of walk) {
      const settings = this.settings.settingsFor(path, editor);
      if (settings) yield { path, settings };
    }
  }

  /** Whether a folder holds source files when .gitignore files are not honoured (asked when a walk found none). */
  hasGitignoredFiles(folder: string): boolean {
    if (this.options.respectGitignore === false) return false;
    const isExcluded = (path: string, isDir: boolean) => this.settings.isExcludedWhileWalking(path, isDir);
    return !sourceFilesUnder(folder, { isExcluded, respectGitignore: false }).next().done;
  }

  /** The settings of one file (an open document, a file named on the command line). */
  settingsFor(path: string, editor?: EditorSettings): FileSettings | undefined {
    return this.settings.settingsFor(path, editor);
  }

  /** A file's text as the engine reads it, or why it is not analysed (too large, binary, not UTF-8, unreadable). */
  read(path: string): SourceFile | SkippedFile {
    return readSourceFile(path);
  }

  /** Why an editor's text is not analysed (over the size limit), or undefined. */
  textSkipReason(text: string): string | undefined {
    return textSkipReason(text);
  }
}
