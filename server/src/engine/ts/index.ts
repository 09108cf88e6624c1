// The TypeScript/JavaScript engine: floating-promise and misused-promise on the TypeScript
// compiler's own types, in-process (typescript@6). One language service per project (see
// projects.ts for which, and for how memory is bounded); open documents are fed from the
// caller's text, so a re-check after an edit re-parses only that file and re-types only what the
// rules ask about.
import * as ts from 'typescript';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultRuleSettings } from '../rules';
import { lineStarts, offsetAt } from '../text';
import type { AnalysisResult, Finding, Range, Refactor, RuleSettings } from '../types';
import { RuleContext } from './context';
import { checkFloatingPromise } from './floating-promise';
import { resolveMakeAsync } from './fixes';
import { createMisusedPromiseCheck } from './misused-promise';
import { normalizePath, ProjectRegistry } from './projects';
import { runConcurrently } from './refactors/run-concurrently';
import { ServiceFixes } from './serviceFixes';
import { Suppressions } from './suppressions';

/** Where the lib.*.d.ts files are: beside the compiler, or found through node's resolution when bundled. */
function typescriptLibDir(): string {
  const beside = dirname(ts.getDefaultLibFilePath({}));
  if (ts.sys.fileExists(join(beside, 'lib.es5.d.ts'))) return normalizePath(beside);
  return normalizePath(dirname(createRequire(__filename).resolve('typescript/lib/lib.es5.d.ts')));
}

export interface EngineStats {
  projects: { key: string; openDocuments: number; sourceFiles: number }[];
}

export class TypeScriptEngine {
  private readonly projects = new ProjectRegistry(typescriptLibDir());
  /** Created on the first make-async fix. */
  private serviceFixes: ServiceFixes | undefined;

  /**
   * Analyses one document. `version` is the editor's document version; the text decides whether
   * anything changed, so an unchanged document re-analyses without re-checking anything.
   */
  analyze(path: string, text: string, version?: number, rules: RuleSettings = defaultRuleSettings()): AnalysisResult {
    void version; // the snapshot cache is keyed by our own per-document version, bumped when the text changes
    const runFloating = rules.enabled['floating-promise'];
    const runMisused = rules.enabled['misused-promise'];
    if (!runFloating && !runMisused) return { findings: [], notes: [] };
    const { program, sf } = this.load(path, text);
    if (!program || !sf) return { findings: [], notes: [`${path}: TypeScript could not load this file`] };

    const ctx = new RuleContext(sf, program.getTypeChecker(), program.getCompilerOptions());
    const misused = runMisused ? createMisusedPromiseCheck(ctx) : undefined;
    const visit = (node: ts.Node): void => {
      if (runFloating) checkFloatingPromise(ctx, node);
      misused?.(node);
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (ctx.makeAsyncRequests.length) resolveMakeAsync(ctx, (this.serviceFixes ??= new ServiceFixes()));

    const suppressions = new Suppressions(sf);
    const findings: Finding[] = ctx.findings
      .filter((f) => !suppressions.isSuppressed(f.rule, f.node.getStart(sf)))
      .map((f) => ({
        rule: f.rule,
        severity: rules.severity[f.rule],
        message: f.message,
        range: ctx.range(f.node),
        fixes: f.fixes,
        awaitable: f.awaitable,
        ...(f.callee ? { callee: f.callee } : {}),
      }))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const notes: string[] = [];
    const syntaxErrors = (sf as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.length ?? 0;
    if (syntaxErrors > 0) notes.push(`${path}: ${syntaxErrors} syntax error(s); findings may be incomplete`);
    return { findings, notes };
  }

  /** The refactorings offered at a selection of the document ("Run concurrently"). */
  refactors(path: string, text: string, range: Range): Refactor[] {
    const { program, sf } = this.load(path, text);
    if (!program || !sf) return [];
    const starts = lineStarts(sf.text);
    const at = (p: Range['start']) => offsetAt(starts, sf.text.length, p);
    return runConcurrently(sf, program, { start: at(range.start), end: at(range.end) });
  }

  /** The program of the document's project with `text` as the document's text. */
  private load(path: string, text: string): { program?: ts.Program; sf?: ts.SourceFile } {
    const file = normalizePath(path);
    let project = this.projects.projectFor(file);
    project.setDocument(file, text);
    let program = project.program();
    let sf = program?.getSourceFile(file);
    if (!sf && project.spec.configPath) {
      // Its config's options cannot hold this file (say a .js file without allowJs): tsserver
      // would give it an inferred project too.
      project = this.projects.inferredFor(file);
      project.setDocument(file, text);
      program = project.program();
      sf = program?.getSourceFile(file);
    }
    return { program, sf };
  }

  /** A tsconfig/jsconfig/package.json changed on disk: the projects it shapes are rebuilt at their next analysis. */
  configChanged(path: string): void {
    this.projects.configChanged(path);
  }

  /** What is held in memory now: for benchmarks and the server's status. */
  stats(): EngineStats {
    return {
      projects: this.projects.liveProjects().map((p) => ({
        key: p.spec.key,
        openDocuments: p.openDocumentCount(),
        sourceFiles: p.program()?.getSourceFiles().length ?? 0,
      })),
    };
  }

  /** Whether some live program holds `path` (what the memory bound promises to keep small). */
  holds(path: string): boolean {
    const file = normalizePath(path);
    return this.projects.liveProjects().some((p) => !!p.program()?.getSourceFile(file));
  }

  dispose(): void {
    this.projects.dispose();
    this.serviceFixes?.dispose();
    this.serviceFixes = undefined;
  }
}
