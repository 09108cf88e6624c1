// An open document, analysed again on every edit. The tree is re-parsed incrementally, and when an
// edit stays inside one function (a module-level def or a method) without changing what the rest of
// the file can see of it, only that function is analysed again: the other functions' findings are
// kept, moved with the text. Anything else is analysed whole — or, when the caller allows it, the
// edited function first (a partial result, for the editor to show at once) and the whole file when
// the same text is analysed again.
import { defaultRuleSettings } from '../rules';
import { dominantLineEnding } from '../text';
import type { AnalysisResult, Finding, Position, RuleSettings } from '../types';
import { activeRules, checkCalls, internalErrorNote, normalizeLineEnds, prepareFile, TOO_DEEP, type CheckedCalls, type PreparedFile, type PythonAnalysisOptions } from './index';
import { lowerTree, relowerUnit } from './lowering';
import { parsePython, parsePythonRange, type ParsedNode, type Tree } from './parser';
import { pointAt, textEditBetween, type TextChange } from './textChange';
import type { Node, SyntaxTree } from './tree';
import { unitInterface } from './unitInterface';

/** A function outside any other, and the findings of the calls in it. */
interface UnitState {
  start: number;
  end: number;
  checked: CheckedCalls;
}

interface State {
  text: string;
  /** tree-sitter's tree, kept for the next incremental parse. */
  parsed: Tree;
  /** Its lowered copy, which the analysis reads. */
  tree: SyntaxTree;
  optionsKey: string;
  units: UnitState[];
  /** Findings and notes outside every unit (module-level code, class bodies). */
  rest: CheckedCalls;
  notes: string[];
  /** The other functions' findings may depend on what an edit changed: analyse the same text again, whole. */
  partial: boolean;
  /** Units (indices) re-parsed alone since `parsed` was last parsed: tree-sitter's tree holds only their edits, not their new syntax. */
  parsedAlone: number[];
}

export interface DocumentAnalysis extends AnalysisResult {
  /** True when only the edited function was analysed again. */
  incremental: boolean;
  /**
   * True when the edit changed what the rest of the file sees of the edited function (its signature,
   * returns, `self.x = ...`) and only that function was analysed: findings elsewhere may be out of
   * date until the same text is analysed again (which analyses it whole).
   */
  partial: boolean;
}

export interface DocumentUpdateOptions {
  /** Runs when the whole file is about to be analysed (so a project index can take the new text first). */
  beforeWholeAnalysis?: () => void;
  /** A partial result may be returned (see DocumentAnalysis.partial). */
  allowPartial?: boolean;
}

export class PythonDocument {
  private state: State | undefined;

  /**
   * Analyses the document's new text. An edit inside one function whose interface is unchanged
   * cannot change what other modules see of this one: only a whole analysis calls `beforeWholeAnalysis`.
   */
  update(text: string, options: PythonAnalysisOptions = {}, { beforeWholeAnalysis, allowPartial = false }: DocumentUpdateOptions = {}): DocumentAnalysis {
    const rules = options.rules ?? defaultRuleSettings();
    const source = normalizeLineEnds(text);
    // lone `\r` line ends are gone from `source`: fixes take the line ending from the text as it is
    options = { ...options, eol: options.eol ?? dominantLineEnding(text) };
    const optionsKey = keyOf(options, rules);
    try {
      const previous = this.state;
      // The same text again means something else changed (settings, another module): analyse it all.
      let reparsed: Reparsed | undefined;
      if (previous && previous.optionsKey === optionsKey && previous.text !== source) {
        const outcome = this.tryIncremental(previous, source, options, rules, allowPartial);
        if (!('parsed' in outcome)) return outcome;
        reparsed = outcome;
      }
      beforeWholeAnalysis?.();
      return this.analyzeWhole(source, options, rules, optionsKey, reparsed);
    } catch (error) {
      this.dispose();
      if (error instanceof RangeError) return { findings: [], notes: [TOO_DEEP], incremental: false, partial: false };
      throw error;
    }
  }

  /** The lowered tree of the last analysis when it was of `text` (line ends normalised). */
  treeOf(text: string): SyntaxTree | undefined {
    return this.state?.text === text ? this.state.tree : undefined;
  }

  dispose(): void {
    this.state?.parsed.delete();
    this.state = undefined;
  }

  private analyzeWhole(source: string, options: PythonAnalysisOptions, rules: RuleSettings, optionsKey: string, reparsed?: Reparsed): DocumentAnalysis {
    const active = activeRules(rules);
    if (!active.length || !source) {
      reparsed?.parsed.delete();
      this.dispose();
      return { findings: [], notes: [], incremental: false, partial: false };
    }
    const previous = this.state;
    const parsed = reparsed?.parsed ?? (previous ? reparse(previous, source) : parsePython(source));
    this.dispose();
    let tree: SyntaxTree;
    let file: PreparedFile;
    let checked: CheckedCalls;
    try {
      tree = reparsed?.tree ?? lowerTree(parsed, source);
      file = prepareFile(tree, options);
      file.model.completeAll();
      checked = checkCalls(file, file.model.calls, rules, active);
    } catch (error) {
      parsed.delete();
      throw error;
    }
    const units = file.model.units.map((u) => unitState(tree, u, emptyChecked()));
    // each finding and note goes with the unit that holds its call
    const rest = emptyChecked();
    for (const f of checked.findings) (unitAt(units, f.at)?.checked ?? rest).findings.push(f);
    for (const n of checked.notes) (unitAt(units, n.at)?.checked ?? rest).notes.push(n);
    this.state = { text: source, parsed, tree, optionsKey, units, rest, notes: file.notes, partial: false, parsedAlone: [] };
    return { ...this.result(), incremental: false, partial: false };
  }

  /**
   * The analysis of the edited function alone, or the re-parsed tree when the whole file needs
   * analysing (with its lowered copy when only the function had to be lowered again).
   */
  private tryIncremental(previous: State, source: string, options: PythonAnalysisOptions, rules: RuleSettings, allowPartial: boolean): DocumentAnalysis | Reparsed {
    const change = textEditBetween(previous.text, source);
    const old = previous.tree;
    const unit = unitAround(old, change.startIndex, change.oldEndIndex);
    const index = unit ? previous.units.findIndex((u) => u.start === old.startIndex(unit) && u.end === old.endIndex(unit)) : -1;
    // What the rest of the file sees of the edited function, read from the tree before the edit.
    // Syntax errors elsewhere may be recovered differently after any edit: then the whole file is analysed.
    const before = index >= 0 && !errorOutside(old, unit!) ? unitInterface(old, unit!) : undefined;
    if (before !== undefined) {
      const alone = parseUnitAlone(old, unit!, source, change, allowPartial);
      if (alone) {
        // tree-sitter's tree of the whole text only takes the edit; it is re-parsed when the whole file is next needed
        previous.parsed.edit(change);
        let tree: SyntaxTree;
        try {
          tree = relowerUnit(old, unit!, alone.rootNode.firstChild!, source, change.newEndIndex - change.oldEndIndex);
        } finally {
          alone.delete();
        }
        // with a syntax error, a parse of the whole text may recover differently: the answer is partial
        const partial = previous.partial || tree.hasError(unit!) || unitInterface(tree, unit!) !== before;
        const parsedAlone = previous.parsedAlone.includes(index) ? previous.parsedAlone : [...previous.parsedAlone, index];
        if (!partial || allowPartial) return this.analyzeUnit(previous, previous.parsed, tree, index, unit!, change, options, rules, partial, parsedAlone);
        return { parsed: parsePython(source, previous.parsed), tree };
      }
    }
    const parsed = reparse(previous, source, change);
    if (before === undefined) return { parsed };
    try {
      const parsedUnit = parsedUnitAround(parsed.rootNode, change.startIndex, change.newEndIndex);
      const delta = change.newEndIndex - change.oldEndIndex;
      // besides the edited unit, tree-sitter's tree differs where units were re-parsed alone since it was parsed
      const spans = previous.parsedAlone.map((i) => previous.units[i]).map((u) => (u.start >= change.oldEndIndex ? { start: u.start + delta, end: u.end + delta } : { start: u.start, end: u.end + (u === previous.units[index] ? delta : 0) }));
      const same =
        parsedUnit !== undefined &&
        parsedUnit.startIndex === previous.units[index].start &&
        parsedUnit.endIndex === previous.units[index].end + delta &&
        previous.parsed
          .getChangedRanges(parsed)
          .every((r) => (r.startIndex >= parsedUnit.startIndex && r.endIndex <= parsedUnit.endIndex) || spans.some((u) => r.startIndex >= u.start && r.endIndex <= u.end));
      if (!same) return { parsed };
      // the rest of the tree is as it was, moved: only the function is lowered again (its node number stays)
      const tree = relowerUnit(old, unit!, parsedUnit, source, delta);
      if (errorOutside(tree, unit!)) return { parsed, tree };
      const partial = previous.partial || unitInterface(tree, unit!) !== before;
      if (partial && !allowPartial) return { parsed, tree };
      return this.analyzeUnit(previous, parsed, tree, index, unit!, change, options, rules, partial);
    } catch (error) {
      parsed.delete();
      throw error;
    }
  }

  private analyzeUnit(
    previous: State,
    parsed: Tree,
    tree: SyntaxTree,
    index: number,
    unit: Node,
    change: TextChange,
    options: PythonAnalysisOptions,
    rules: RuleSettings,
    partial: boolean,
    parsedAlone: number[] = [],
  ): DocumentAnalysis {
    const file = prepareFile(tree, options);
    const def = tree.type(unit) === 'decorated_definition' ? tree.field(unit, 'definition') : unit;
    file.model.completeAround(def);
    const first = file.model.calls.length;
    file.model.functionScope(def);
    const checked = checkCalls(file, file.model.calls.slice(first), rules, activeRules(rules));
    const delta = change.newEndIndex - change.oldEndIndex;
    const moved = (c: CheckedCalls) => moveChecked(c, change);
    this.state = {
      text: tree.text,
      parsed,
      tree,
      optionsKey: previous.optionsKey,
      units: previous.units.map((u, i) =>
        i < index ? u : i === index ? { start: u.start, end: u.end + delta, checked } : { start: u.start + delta, end: u.end + delta, checked: moved(u.checked) },
      ),
      rest: moved(previous.rest),
      notes: file.notes,
      partial,
      parsedAlone,
    };
    if (previous.parsed !== parsed) previous.parsed.delete();
    return { ...this.result(), incremental: true, partial };
  }

  private result(): AnalysisResult {
    const state = this.state!;
    const all = [state.rest, ...state.units.map((u) => u.checked)];
    const findings = all.flatMap((c) => c.findings).sort((a, b) => a.at - b.at);
    const notes = all.flatMap((c) => c.notes).sort((a, b) => a.at - b.at);
    return { findings: findings.map((f) => f.finding), notes: [...state.notes, ...notes.map(internalErrorNote)] };
  }
}

/** A re-parsed text, and its lowered tree when lowering it took only the edited function. */
interface Reparsed {
  parsed: Tree;
  tree?: SyntaxTree;
}

/** Whether the tree has a syntax error outside `unit` (a unit's ancestors are the module and classes). */
function errorOutside(tree: SyntaxTree, unit: Node): boolean {
  const path: Node[] = [];
  for (let n = unit; n; n = tree.parent(n)) path.push(n);
  const root = path[path.length - 1];
  if (!tree.hasError(root)) return false;
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i];
    const inner = path[i - 1];
    if (tree.type(node) === 'ERROR' || tree.isMissing(node)) return true;
    for (let c = tree.firstChild(node); c; c = tree.nextSibling(c)) if (c !== inner && (tree.hasError(c) || tree.isMissing(c))) return true;
  }
  return false;
}

/**
 * The edited unit parsed alone (tree-sitter's included ranges), when that is sure to give what a
 * parse of the whole text gives there: the unit stands alone on its lines, nothing but whitespace
 * follows it before a line indented no deeper than it (no comment or continuation the whole parse
 * could attach to it; spaces only, no tabs), and the unit parses as one definition spanning exactly its new
 * extent. With a syntax error in it, tree-sitter's recovery may differ with the text around the unit:
 * such a unit is parsed alone only when a partial answer is allowed (the whole text is parsed when the
 * same text is analysed again). A whole-text re-parse costs tens of milliseconds on a long file after some edits (tree-sitter
 * re-reduces much of what follows); the unit alone costs well under one.
 */
function parseUnitAlone(old: SyntaxTree, unit: Node, source: string, change: TextChange, allowError: boolean): Tree | undefined {
  const start = old.startIndex(unit);
  const oldEnd = old.endIndex(unit);
  if (change.startIndex <= start || change.oldEndIndex > oldEnd) return undefined;
  const end = oldEnd + change.newEndIndex - change.oldEndIndex;
  const startPosition = old.pointAt(start);
  // indentation of spaces only: with tabs, columns are not the widths Python compares
  for (let i = start - startPosition.column; i < start; i++) if (source.charCodeAt(i) !== 32) return undefined;
  let next = end;
  let newline = false;
  for (; next < source.length; next++) {
    const c = source.charCodeAt(next);
    if (c === 10) newline = true;
    else if (c !== 32 && c !== 9 && c !== 12 && c !== 13) break;
  }
  if (next < source.length) {
    if (!newline || source.charCodeAt(next) === 35) return undefined;
    const lineStart = source.lastIndexOf('\n', next) + 1;
    if (next - lineStart > startPosition.column) return undefined;
    for (let i = lineStart; i < next; i++) if (source.charCodeAt(i) !== 32) return undefined;
  }
  const endPosition = pointAt(source, end, startPosition, start);
  const tree = parsePythonRange(source, { startIndex: start, endIndex: end, startPosition, endPosition });
  const root = tree.rootNode;
  const def = root.firstChild;
  if (root.childCount !== 1 || !def || (def.type !== 'function_definition' && def.type !== 'decorated_definition') || def.startIndex !== start || def.endIndex !== end || (root.hasError && !allowError)) {
    tree.delete();
    return undefined;
  }
  return tree;
}

function reparse(previous: State, source: string, change: TextChange = textEditBetween(previous.text, source)): Tree {
  previous.parsed.edit(change);
  return parsePython(source, previous.parsed);
}

/**
 * What decides the analysis besides the text. The module provider is not part of it: the project
 * index hands out a new one at each analysis, and a change in other modules comes as a request to
 * analyse the same text again, which always analyses the whole file.
 */
function keyOf(options: PythonAnalysisOptions, rules: RuleSettings): string {
  return JSON.stringify([options.path, options.moduleName, rules, options.modules !== undefined, options.eol]);
}

function emptyChecked(): CheckedCalls {
  return { findings: [], notes: [] };
}

function unitState(tree: SyntaxTree, unit: Node, checked: CheckedCalls): UnitState {
  return { start: tree.startIndex(unit), end: tree.endIndex(unit), checked };
}

/** What may hold a unit: a def is a unit when every node above it is one of these. */
const UNIT_CONTAINERS = new Set(['module', 'class_definition', 'block', 'decorated_definition']);

/**
 * The function outside any other (a module-level def or a method, with its decorators) that holds
 * the range, if one does.
 */
function unitAround(tree: SyntaxTree, start: number, end: number): Node | undefined {
  const path: Node[] = [];
  for (let n = tree.descendantForIndex(start, end); n; n = tree.parent(n)) path.push(n);
  // outermost first: the first def met whose ancestors are all modules, classes and their blocks
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    const type = tree.type(n);
    if (type === 'function_definition') {
      const parent = path[i + 1];
      return parent !== undefined && tree.type(parent) === 'decorated_definition' ? parent : n;
    }
    if (!UNIT_CONTAINERS.has(type)) return undefined;
  }
  return undefined;
}

/** The same unit in the re-parsed tree (tree-sitter's nodes: the one that is lowered again). */
function parsedUnitAround(root: ParsedNode, start: number, end: number): ParsedNode | undefined {
  const path: ParsedNode[] = [];
  for (let n = root.descendantForIndex(start, end); n; n = n.parent) path.push(n);
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (n.type === 'function_definition') {
      const parent = path[i + 1];
      return parent?.type === 'decorated_definition' ? parent : n;
    }
    if (!UNIT_CONTAINERS.has(n.type)) return undefined;
  }
  return undefined;
}

function unitAt(units: UnitState[], offset: number): UnitState | undefined {
  let lo = 0;
  let hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const u = units[mid];
    if (offset < u.start) hi = mid - 1;
    else if (offset >= u.end) lo = mid + 1;
    else return u;
  }
  return undefined;
}

/** Findings and notes after the edit, with every position moved as the edit moved the text. */
function moveChecked(checked: CheckedCalls, change: TextChange): CheckedCalls {
  const delta = change.newEndIndex - change.oldEndIndex;
  if (delta === 0 && change.oldEndPosition.row === change.newEndPosition.row) return checked;
  const rows = change.newEndPosition.row - change.oldEndPosition.row;
  const at = (offset: number) => (offset >= change.oldEndIndex ? offset + delta : offset);
  return {
    findings: checked.findings.map((f) => ({ at: at(f.at), finding: moveFinding(f.finding, change) })),
    notes: checked.notes.map((n) => (n.at >= change.oldEndIndex ? { ...n, at: n.at + delta, row: n.row + rows } : n)),
  };
}

function moveFinding(finding: Finding, change: TextChange): Finding {
  const move = (p: Position) => movePosition(p, change);
  return {
    ...finding,
    range: { start: move(finding.range.start), end: move(finding.range.end) },
    ...(finding.evidence ? { evidence: finding.evidence.map((e) => (e.at ? { ...e, at: move(e.at) } : e)) } : {}),
    fixes: finding.fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((e) => ({ ...e, range: { start: move(e.range.start), end: move(e.range.end) } })),
    })),
  };
}

function movePosition(p: Position, change: TextChange): Position {
  const oldEnd = change.oldEndPosition;
  const newEnd = change.newEndPosition;
  if (p.line < oldEnd.row || (p.line === oldEnd.row && p.character < oldEnd.column)) return p;
  if (p.line === oldEnd.row) return { line: newEnd.row, character: newEnd.column + p.character - oldEnd.column };
  return { line: p.line + newEnd.row - oldEnd.row, character: p.character };
}
