// The TypeScript/JavaScript engine: floating-promise and misused-promise on the TypeScript
// compiler's own types, in-process (typescript@6). One language service per project (see
// projects.ts for which, and for how memory is bounded); open documents are fed from the
// caller's text, so a re-check after an edit re-parses only the edited region of that file
// (project.ts), and an edit inside one function checks only that function again (units.ts).
import * as ts from 'typescript';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultRuleSettings } from '../rules';
import type { AnalysisResult, Finding, Position, Range, Refactor, RuleSettings, Severity } from '../types';
import { offsetAt, positionAt } from '../text';
import { changeBetween } from './project';
import { blankableUnits, isBlankable, outlineOf, sameUnitAfterEdit, skeletonText, unitAt, unitInterface, unitKey } from './units';
import { lineStartsOf, RuleContext } from './context';
import { checkFloatingPromise } from './floating-promise';
import { resolveMakeAsync } from './fixes';
import { createMisusedPromiseCheck } from './misused-promise';
import { normalizePath, ProjectRegistry } from './projects';
import { runConcurrently } from './refactors/run-concurrently';
import { ServiceFixes } from './serviceFixes';
import { Suppressions } from './suppressions';
import { SYNTAX_ERROR_NOTE } from '../messages';

/** Where the lib.*.d.ts files are: beside the compiler, or found through node's resolution when bundled. */
function typescriptLibDir(): string {
  const beside = dirname(ts.getDefaultLibFilePath({}));
  if (ts.sys.fileExists(join(beside, 'lib.es5.d.ts'))) return normalizePath(beside);
  return normalizePath(dirname(createRequire(__filename).resolve('typescript/lib/lib.es5.d.ts')));
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'information', 'hint'];

/** The less severe of the configured severity and the finding's cap. */
function capped(configured: Severity, cap: Severity | undefined): Severity {
  return cap && SEVERITY_ORDER.indexOf(cap) > SEVERITY_ORDER.indexOf(configured) ? cap : configured;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function notesOf(sf: ts.SourceFile): string[] {
  const syntaxErrors = (sf as ts.SourceFile & { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics?.length ?? 0;
  return syntaxErrors > 0 ? [SYNTAX_ERROR_NOTE] : [];
}

/** A finding of the old text in the new one: offsets at or after `from` move by `delta`. */
function moveFinding(f: Finding, oldStarts: number[], oldLength: number, newStarts: number[], from: number, delta: number): Finding {
  const move = (r: Range): Range => {
    const at = (p: Position) => {
      const offset = offsetAt(oldStarts, oldLength, p);
      return positionAt(newStarts, offset >= from ? offset + delta : offset);
    };
    return { start: at(r.start), end: at(r.end) };
  };
  return { ...f, range: move(f.range), fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: move(e.range) })) })) };
}

export interface EngineStats {
  projects: { key: string; openDocuments: number; sourceFiles: number }[];
}

export interface TypeScriptEngineOptions {
  /**
   * Build each tsconfig's program from every file it includes, once, instead of from the documents
   * analysed so far: for a batch run (the CLI) that analyses a whole project file after file.
   */
  wholePrograms?: boolean;
}

/** An open document's analysis, edit by edit (see analyzeOpen). */
export interface OpenDocumentAnalysis extends AnalysisResult {
  /** Only the edited function was checked again; the other findings were kept, moved with the text. */
  incremental: boolean;
  /**
   * The edit changed what the rest of the file sees of the edited function (its type, signature or
   * the facts the rules learn from it) and only that function was checked: findings elsewhere may be
   * out of date until the same text is analysed again, which checks the whole file.
   */
  partial: boolean;
}

interface OpenState {
  text: string;
  /** What the program holds for the document: the text, or a skeleton of it (units.ts). */
  programText: string;
  /** Units whose bodies a skeleton may blank out. */
  blankable: Set<string>;
  /** The unit the skeleton keeps whole (the one edited last), if the program holds a skeleton. */
  kept?: string;
  rulesKey: string;
  findings: Finding[];
  /** The findings outside the last edited function may be out of date (see OpenDocumentAnalysis.partial). */
  partial: boolean;
}

export class TypeScriptEngine {
  private readonly projects: ProjectRegistry;
  /** Created on the first make-async fix. */
  private serviceFixes: ServiceFixes | undefined;
  /** The last analysis of each document analysed through analyzeOpen. */
  private readonly open = new Map<string, OpenState>();

  constructor(options: TypeScriptEngineOptions = {}) {
    this.projects = new ProjectRegistry(typescriptLibDir(), options.wholePrograms);
  }

  /**
   * Analyses one document. `version` is the editor's document version; the text decides whether
   * anything changed, so an unchanged document re-analyses without re-checking anything.
   */
  analyze(path: string, text: string, version?: number, rules: RuleSettings = defaultRuleSettings()): AnalysisResult {
    void version; // the snapshot cache is keyed by our own per-document version, bumped when the text changes
    if (!rules.enabled['floating-promise'] && !rules.enabled['misused-promise']) return { findings: [], notes: [] };
    const file = normalizePath(path);
    const loaded = this.load(file, text);
    if (!loaded) return { findings: [], notes: ['TypeScript could not load this file'] };
    return { findings: this.check(loaded.program, loaded.sf, rules), notes: notesOf(loaded.sf) };
  }

  /**
   * Analyses an open document that will be analysed again after each edit. When the edit stays
   * inside one function (a top-level function or a member of a top-level class; see units.ts), only
   * that function is checked again on the language service's updated program (the file re-parsed
   * incrementally) and the other findings are kept, moved with the text. When the edit changes what
   * the rest of the file sees of that function, the whole file is checked, or, with `allowPartial`,
   * the function's findings are returned at once marked partial. The same text again is checked whole.
   */
  analyzeOpen(path: string, text: string, rules: RuleSettings = defaultRuleSettings(), options: { allowPartial?: boolean } = {}): OpenDocumentAnalysis {
    const file = normalizePath(path);
    const rulesKey = JSON.stringify(rules);
    const previous = this.open.get(file);
    this.open.delete(file);
    const incremental = previous && previous.rulesKey === rulesKey && previous.text !== text ? this.tryIncremental(file, previous, text, rules, !!options.allowPartial) : undefined;
    if (incremental) {
      const { findings, sf, partial, programText, blankable, kept } = incremental;
      this.open.set(file, { text, programText, blankable, kept, rulesKey, findings, partial });
      return { findings, notes: notesOf(sf), incremental: true, partial };
    }
    const result = this.analyze(path, text, undefined, rules);
    const loaded = this.projects.projectFor(file).program();
    const sf = loaded?.getSourceFile(file);
    const blankable = loaded && sf?.text === text ? blankableUnits(loaded.getTypeChecker(), sf) : new Set<string>();
    this.open.set(file, { text, programText: text, blankable, rulesKey, findings: result.findings, partial: false });
    return { ...result, incremental: false, partial: false };
  }

  /** Forgets what analyzeOpen kept for the document. */
  close(path: string): void {
    this.open.delete(normalizePath(path));
  }

  private tryIncremental(
    file: string,
    previous: OpenState,
    text: string,
    rules: RuleSettings,
    allowPartial: boolean,
  ): { findings: Finding[]; sf: ts.SourceFile; partial: boolean; programText: string; blankable: Set<string>; kept: string } | undefined {
    if (!rules.enabled['floating-promise'] && !rules.enabled['misused-promise']) return undefined;
    const project = this.projects.projectFor(file);
    const before = project.program();
    const oldSf = before?.getSourceFile(file);
    if (!before || !oldSf || oldSf.text !== previous.programText) return undefined;
    const change = changeBetween(previous.text, text);
    const start = change.span.start;
    const oldEnd = ts.textSpanEnd(change.span);
    const delta = change.newLength - change.span.length;
    const unit = unitAt(oldSf, start, oldEnd, previous.text.slice(start, oldEnd), text.slice(start, start + change.newLength));
    if (!unit) return undefined;
    // What the old tree says, read before the incremental parse reuses (and moves) its nodes.
    const outline = outlineOf(oldSf, unit);
    const oldInterface = unitInterface(before.getTypeChecker(), oldSf, unit);
    const unitStart = unit.node.getStart(oldSf);
    const unitEnd = unit.node.end;
    // Typing on in the unit kept last time: the same edit applied to the skeleton is the new skeleton.
    const programText =
      previous.kept === unitKey(unit)
        ? previous.programText.slice(0, start) + text.slice(start, start + change.newLength) + previous.programText.slice(oldEnd)
        : skeletonText(text, oldSf, unit, previous.blankable, delta);
    project.setDocument(file, programText);
    const program = project.program();
    const sf = program?.getSourceFile(file);
    if (!program || !sf) return undefined;
    const edited = sameUnitAfterEdit(sf, outline, unit, delta);
    if (!edited) return undefined;
    // After a partial answer the findings kept from before may already be out of date.
    const partial = previous.partial || unitInterface(program.getTypeChecker(), sf, edited) !== oldInterface;
    if (partial && !allowPartial) return undefined; // the caller checks the whole file on the program just updated
    const fresh = this.check(program, sf, rules, edited.node);
    const oldStarts = lineStartsOf(previous.text);
    const newStarts = lineStartsOf(text);
    const kept = previous.findings.flatMap((f) => {
      const moved = moveFinding(f, oldStarts, previous.text.length, newStarts, unitEnd, delta);
      const at = offsetAt(oldStarts, previous.text.length, f.range.start);
      return at >= unitStart && at < unitEnd ? [] : [moved];
    });
    const findings = [...kept, ...fresh].sort(byPosition);
    const blankable = new Set(previous.blankable);
    if (isBlankable(program.getTypeChecker(), sf, edited)) blankable.add(unitKey(edited));
    else blankable.delete(unitKey(edited));
    return { findings, sf, partial, programText, blankable, kept: unitKey(edited) };
  }

  /** The program holding `text` for `file`, and its source file (an inferred project when its config cannot hold it). */
  private load(file: string, text: string): { program: ts.Program; sf: ts.SourceFile } | undefined {
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
    return program && sf ? { program, sf } : undefined;
  }

  /** Runs the rules on the file, or on one unit of it, and returns what is not suppressed. */
  private check(program: ts.Program, sf: ts.SourceFile, rules: RuleSettings, only?: ts.Node): Finding[] {
    const runFloating = rules.enabled['floating-promise'];
    const ctx = new RuleContext(sf, program);
    const misused = rules.enabled['misused-promise'] ? createMisusedPromiseCheck(ctx) : undefined;
    const visit = (node: ts.Node): void => {
      if (runFloating) checkFloatingPromise(ctx, node);
      misused?.visit(node);
      ts.forEachChild(node, visit);
    };
    visit(only ?? sf);
    if (only && ts.isClassElement(only)) misused?.member(only);
    if (ctx.makeAsyncRequests.length) resolveMakeAsync(ctx, (this.serviceFixes ??= new ServiceFixes()));
    if (ctx.findings.length === 0) return [];
    const suppressions = new Suppressions(sf);
    return ctx.findings
      .filter((f) => !suppressions.isSuppressed(f.rule, f.node.getStart(sf)))
      .map((f) => ({
        rule: f.rule,
        severity: capped(rules.severity[f.rule], f.severityCap),
        message: f.message,
        range: ctx.range(f.node),
        fixes: f.fixes,
        awaitable: f.awaitable,
        ...(f.callee ? { callee: f.callee } : {}),
      }))
      .sort(byPosition);
  }

  /** The refactorings offered at a selection of the document ("Run concurrently"). */
  refactors(path: string, text: string, range: Range): Refactor[] {
    const loaded = this.load(normalizePath(path), text);
    if (!loaded) return [];
    const { program, sf } = loaded;
    const starts = lineStartsOf(sf.text);
    const at = (p: Range['start']) => offsetAt(starts, sf.text.length, p);
    return runConcurrently(sf, program, { start: at(range.start), end: at(range.end) });
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
    this.open.clear();
    this.projects.dispose();
    this.serviceFixes?.dispose();
    this.serviceFixes = undefined;
  }
}
