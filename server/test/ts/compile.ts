// Type-checks one file of a fixture project with an alternative text, with the compiler itself:
// how the fix tests know that a fix leaves the file type-checking as well as before.
import * as ts from 'typescript';

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
        let sf = this.cache.get(fileName);
        if (!sf) {
          sf = this.baseHost.getSourceFile(fileName, languageVersion);
          if (sf) this.cache.set(fileName, sf);
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
