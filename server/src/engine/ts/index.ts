// The TypeScript/JavaScript engine: floating-promise and misused-promise on the TypeScript
// compiler's own types, in-process (typescript@6). One language service per project (see
// projects.ts for which, and for how memory is bounded); open documents are fed from the
// caller's text, so a re-check after an edit re-parses only the edited region of that file
// (project.ts), and an edit inside one function checks only that function again (units.ts), or only
// the edited statements when nothing else can depend on them (statements.ts).
import * as ts from 'typescript';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultRuleSettings } from '../rules';
import type { AnalysisResult, Finding, Position, Range, Refactor, RuleSettings, Severity } from '../types';
import { lineAt, offsetAt, positionAt } from '../text';
import { changeBetween } from './project';
import { blankableUnits, hasDirective, isBlankable, outlineOf, sameUnitAfterEdit, skeletonText, unitAt, unitInterface, unitKey, unitsOf } from './units';
import { lineStartsAfterEdit, lineStartsOf, RuleContext } from './context';
import { isLayoutEdit, statementEditAt, statementsAfterEdit, statementsAtEdit, touchedAreIsolated } from './statements';
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

/**
 * The same edit moved as far left as it can go, when it only inserts or only removes text: the text
 * comparison finds a line break and an indentation typed after “{” after the next line's indentation,
 * inside that line; described right after the “{”, the lines after it move whole.
 */
function leftmost(change: ts.TextChangeRange, before: string, after: string): ts.TextChangeRange {
  const { start, length } = change.span;
  if ((length === 0) === (change.newLength === 0)) return change;
  let piece = length > 0 ? before.slice(start, start + length) : after.slice(start, start + change.newLength);
  let at = start;
  while (at > 0 && before[at - 1] === piece[piece.length - 1]) {
    piece = before[at - 1] + piece.slice(0, -1);
    at--;
  }
  return at === start ? change : ts.createTextChangeRange(ts.createTextSpan(at, length), change.newLength);
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
  /** The text's line starts. */
  starts: number[];
  /** What the program holds for the document: the text, or a skeleton of it (units.ts). */
  programText: string;
  /** Units whose bodies a skeleton may blank out. */
  blankable: Set<string>;
  /** The unit the skeleton keeps whole (the one edited last), if the program holds a skeleton. */
  kept?: string;
  rulesKey: string;
  findings: Finding[];
  /** Which findings may be out of date (see Stale). */
  stale: Stale;
}

/**
 * After a partial answer, which findings may be out of date: those of the other statements of the
 * unit edited last (`unit`: checking that unit again settles them), or those anywhere in the file.
 */
type Stale = 'none' | 'unit' | 'file';

/** How much of the document the last analyzeOpen checked: for tests and benchmarks. */
export type CheckedScope = 'file' | 'function' | 'statements';

export class TypeScriptEngine {
  /** What the last analyzeOpen checked (see CheckedScope). */
  lastScope: CheckedScope = 'file';
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
   * incrementally) and the other findings are kept, moved with the text; when nothing else can depend
   * on the edited statements, only they are checked (statements.ts). When the edit changes what the
   * rest of the file sees of that function, the whole file is checked, or, with `allowPartial`, the
   * function's findings are returned at once marked partial; with `allowPartial`, statements that
   * others may depend on are also answered alone, marked partial. The same text again completes a
   * partial answer: the function checked again, or the whole file.
   */
  analyzeOpen(path: string, text: string, rules: RuleSettings = defaultRuleSettings(), options: { allowPartial?: boolean } = {}): OpenDocumentAnalysis {
    const file = normalizePath(path);
    const rulesKey = JSON.stringify(rules);
    const previous = this.open.get(file);
    this.open.delete(file);
    const incremental = previous && previous.rulesKey === rulesKey && previous.text !== text ? this.tryIncremental(file, previous, text, rules, !!options.allowPartial) : undefined;
    if (incremental) {
      const { findings, sf, stale, programText, blankable, kept, starts, scope } = incremental;
      this.open.set(file, { text, starts, programText, blankable, kept, rulesKey, findings, stale });
      this.lastScope = scope;
      return { findings, notes: notesOf(sf), incremental: true, partial: stale !== 'none' };
    }
    const settled = previous && previous.rulesKey === rulesKey && previous.text === text && previous.stale === 'unit' ? this.settleUnit(file, previous, rules) : undefined;
    if (settled) {
      this.open.set(file, { ...previous!, findings: settled.findings, stale: 'none' });
      this.lastScope = 'function';
      return { findings: settled.findings, notes: notesOf(settled.sf), incremental: true, partial: false };
    }
    this.lastScope = 'file';
    const result = this.analyze(path, text, undefined, rules);
    const loaded = this.projects.projectFor(file).program();
    const sf = loaded?.getSourceFile(file);
    const blankable = loaded && sf?.text === text ? blankableUnits(loaded.getTypeChecker(), sf) : new Set<string>();
    this.open.set(file, { text, starts: lineStartsOf(text), programText: text, blankable, rulesKey, findings: result.findings, stale: 'none' });
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
  ):
    | { findings: Finding[]; sf: ts.SourceFile; stale: Stale; programText: string; blankable: Set<string>; kept: string; starts: number[]; scope: CheckedScope }
    | undefined {
    if (!rules.enabled['floating-promise'] && !rules.enabled['misused-promise']) return undefined;
    const project = this.projects.projectFor(file);
    const before = project.program();
    const oldSf = before?.getSourceFile(file);
    if (!before || !oldSf || oldSf.text !== previous.programText) return undefined;
    const change = leftmost(changeBetween(previous.text, text), previous.text, text);
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
    // Typing on in the unit kept last time: the same edit applied to the skeleton is the new skeleton,
    // and the program holds the unit's statements, so the edited ones may be all that needs checking.
    const typingOn = previous.kept === unitKey(unit);
    const oldStarts = previous.starts;
    const newStarts = lineStartsAfterEdit(oldStarts, text, start, oldEnd, change.newLength);
    // Whether the line of a new offset after the edit starts where the findings' move puts it, with the
    // same text before the offset (what a suppression fix of a finding kept there reads).
    const sameLineBefore = (offset: number): boolean => {
      const newLineStart = newStarts[lineAt(newStarts, offset)];
      const oldLineStart = oldStarts[lineAt(oldStarts, offset - delta)];
      return (
        (oldLineStart >= oldEnd ? oldLineStart + delta : oldLineStart) === newLineStart &&
        text.slice(newLineStart, offset) === previous.text.slice(oldLineStart, offset - delta)
      );
    };
    const byStatement = !/\.[cm]?jsx?$/i.test(file) && !hasDirective(previous.text.slice(unitStart, unitEnd)) && !hasDirective(text.slice(unitStart, unitEnd + delta));
    const layout = byStatement && isLayoutEdit(oldSf, unit, start, oldEnd, text, change.newLength, sameLineBefore);
    const statementEdit = byStatement && typingOn && !layout ? statementEditAt(oldSf, unit, start, oldEnd) : undefined;
    const statementsIsolated = !!statementEdit && touchedAreIsolated(before.getTypeChecker(), unit, statementEdit);
    const programText = typingOn
      ? previous.programText.slice(0, start) + text.slice(start, start + change.newLength) + previous.programText.slice(oldEnd)
      : skeletonText(text, oldSf, unit, previous.blankable, delta);
    project.setDocument(file, programText, typingOn ? change : undefined);
    const program = project.program();
    const sf = program?.getSourceFile(file);
    if (!program || !sf) return undefined;
    const edited = sameUnitAfterEdit(sf, outline, unit, delta);
    if (!edited) return undefined;
    const key = unitKey(edited);
    const interfaceChanged = unitInterface(program.getTypeChecker(), sf, edited) !== oldInterface;
    // After a partial answer the findings kept from before may already be out of date.
    let stale: Stale = interfaceChanged || (previous.stale === 'unit' && previous.kept !== key) ? 'file' : previous.stale;
    // The edited statements alone when nothing else can depend on them (statements.ts); or, for an
    // answer marked partial, the new statements the edit touches, the rest of the unit when typing pauses.
    let statements =
      layout && !interfaceChanged
        ? { nodes: [], replacedStart: start, replacedEnd: oldEnd }
        : statementEdit && statementsIsolated && !interfaceChanged
          ? statementsAfterEdit(program.getTypeChecker(), sf, edited, statementEdit, delta, sameLineBefore)
          : undefined;
    if (!statements && allowPartial && !interfaceChanged && byStatement) {
      statements = statementsAtEdit(sf, edited, start, start + change.newLength, delta);
      if (statements && stale === 'none') stale = 'unit';
    }
    if (!statements && stale === 'unit') stale = 'none'; // the unit is checked whole
    if (stale !== 'none' && !allowPartial) return undefined; // the caller checks the whole file on the program just updated
    const fresh = this.check(program, sf, rules, statements ? statements.nodes : [edited.node], newStarts);
    // Findings that start in the checked range are replaced; those after the edit move with the text.
    const [replacedStart, replacedEnd, movedFrom] = statements ? [statements.replacedStart, statements.replacedEnd, oldEnd] : [unitStart, unitEnd, unitEnd];
    const kept = previous.findings.flatMap((f) => {
      const at = offsetAt(oldStarts, previous.text.length, f.range.start);
      return at >= replacedStart && at < replacedEnd ? [] : [moveFinding(f, oldStarts, previous.text.length, newStarts, movedFrom, delta)];
    });
    const findings = [...kept, ...fresh].sort(byPosition);
    const blankable = new Set(previous.blankable);
    if (isBlankable(program.getTypeChecker(), sf, edited)) blankable.add(unitKey(edited));
    else blankable.delete(unitKey(edited));
    return { findings, sf, stale, programText, blankable, kept: key, starts: newStarts, scope: statements ? 'statements' : 'function' };
  }

  /** The unit edited last checked whole again, on the program that already holds the text: the answer after a partial one. */
  private settleUnit(file: string, previous: OpenState, rules: RuleSettings): { findings: Finding[]; sf: ts.SourceFile } | undefined {
    const program = this.projects.projectFor(file).program();
    const sf = program?.getSourceFile(file);
    if (!program || !sf || sf.text !== previous.programText) return undefined;
    const unit = unitsOf(sf).find((u) => unitKey(u) === previous.kept);
    if (!unit) return undefined;
    const from = unit.node.getStart(sf);
    const to = unit.node.end;
    const fresh = this.check(program, sf, rules, [unit.node], previous.starts);
    const kept = previous.findings.filter((f) => {
      const at = offsetAt(previous.starts, previous.text.length, f.range.start);
      return at < from || at >= to;
    });
    return { findings: [...kept, ...fresh].sort(byPosition), sf };
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

  /**
   * Runs the rules on the file, or on one unit of it, or on some statements of one unit, and returns
   * what is not suppressed. `starts` are the text's line starts, when the caller has them.
   */
  private check(program: ts.Program, sf: ts.SourceFile, rules: RuleSettings, only?: readonly ts.Node[], starts?: number[]): Finding[] {
    const runFloating = rules.enabled['floating-promise'];
    const ctx = new RuleContext(sf, program, starts);
    const misused = rules.enabled['misused-promise'] ? createMisusedPromiseCheck(ctx) : undefined;
    const visit = (node: ts.Node): void => {
      if (runFloating) checkFloatingPromise(ctx, node);
      misused?.visit(node);
      ts.forEachChild(node, visit);
    };
    for (const node of only ?? [sf]) {
      visit(node);
      if (ts.isClassElement(node)) misused?.member(node);
    }
    if (ctx.makeAsyncRequests.length) resolveMakeAsync(ctx, (this.serviceFixes ??= new ServiceFixes()));
    if (ctx.findings.length === 0) return [];
    const suppressions = new Suppressions(sf, starts);
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
