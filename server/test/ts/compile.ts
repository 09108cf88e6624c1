// Type-checks one file of a fixture project with an alternative text, with the compiler itself:
// how the fix tests know that a fix leaves the file type-checking as well as before.
import { dirname } from 'node:path';
import * as ts from 'typescript';

// The standard library's declarations (lib.dom.d.ts alone is 2 MB) never change: parsed once per
// process and shared by every compiler, as an editor's document registry shares them.
const libDir = dirname(ts.getDefaultLibFilePath({}));
const libFiles = new Map<string, ts.SourceFile>();

export class FixtureCompiler {
  private readonly options: ts.CompilerOptions;
  private readonly rootNames: string[];
  private readonly baseHost: ts.CompilerHost;
  private readonly cache = new Map<string, ts.SourceFile>();
  private old: ts.Program | undefined;

  constructor(configPath: string) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!parsed) throw new Error(`cannot read ${configPath}`);
    this.options = parsed.options;
    this.rootNames = parsed.fileNames;
    this.baseHost = ts.createCompilerHost(this.options);
  }

  /** `code message` of every diagnostic of `path` when its text is `text`, positions left out. */
  diagnostics(path: string, text: string): string[] {
    const host: ts.CompilerHost = {
      ...this.baseHost,
      getSourceFile: (fileName, languageVersion) => {
        if (fileName === path) return ts.createSourceFile(fileName, text, languageVersion, true);
        const cache = dirname(fileName) === libDir ? libFiles : this.cache;
        const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
        let sf = cache.get(key);
        if (!sf) {
          sf = this.baseHost.getSourceFile(fileName, languageVersion);
          if (sf) cache.set(key, sf);
        }
        return sf;
      },
    };
    const rootNames = this.rootNames.includes(path) ? this.rootNames : [...this.rootNames, path];
    const program = ts.createProgram({ rootNames, options: this.options, host, oldProgram: this.old });
    this.old = program;
    const sf = program.getSourceFile(path)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .map((d) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`)
      .sort();
  }
}

/** Diagnostics in `after` that `before` did not have (as a multiset). */
export function newDiagnostics(before: string[], after: string[]): string[] {
  const remaining = [...before];
  return after.filter((d) => {
    const i = remaining.indexOf(d);
    if (i < 0) return true;
    remaining.splice(i, 1);
    return false;
  });
}
