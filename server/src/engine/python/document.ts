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
import { parsePython, type Node, type Tree } from './parser';
import { textEditBetween, type TextChange } from './textChange';
import { unitInterface } from './unitInterface';

/** A function outside any other, and the findings of the calls in it. */
interface UnitState {
  start: number;
  end: number;
  checked: CheckedCalls;
}

interface State {
  text: string;
  tree: Tree;
  optionsKey: string;
  units: UnitState[];
  /** Findings and notes outside every unit (module-level code, class bodies). */
  rest: CheckedCalls;
  notes: string[];
  /** The other functions' findings may depend on what an edit changed: analyse the same text again, whole. */
  partial: boolean;
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
      let tree: Tree | undefined;
      if (previous && previous.optionsKey === optionsKey && previous.text !== source) {
        const outcome = this.tryIncremental(previous, source, options, rules, allowPartial);
        if (!('tree' in outcome)) return outcome;
        tree = outcome.tree;
      }
      beforeWholeAnalysis?.();
      return this.analyzeWhole(source, options, rules, optionsKey, tree);
    } catch (error) {
      this.dispose();
      if (error instanceof RangeError) return { findings: [], notes: [TOO_DEEP], incremental: false, partial: false };
      throw error;
    }
  }

  /** The tree of the last analysis when it was of `text` (line ends normalised): borrowed, never to be deleted. */
  treeOf(text: string): Tree | undefined {
    return this.state?.text === text ? this.state.tree : undefined;
  }

  dispose(): void {
    this.state?.tree.delete();
    this.state = undefined;
  }

  private analyzeWhole(source: string, options: PythonAnalysisOptions, rules: RuleSettings, optionsKey: string, tree?: Tree): DocumentAnalysis {
    const active = activeRules(rules);
    if (!active.length || !source) {
      tree?.delete();
      this.dispose();
      return { findings: [], notes: [], incremental: false, partial: false };
    }
    if (!tree) {
      const previous = this.state;
      tree = previous ? reparse(previous, source) : parsePython(source);
    }
    this.dispose();
    let file: PreparedFile;
    let checked: CheckedCalls;
    try {
      file = prepareFile(tree.rootNode, source, options);
      file.model.completeAll();
      checked = checkCalls(file, file.model.calls, rules, active);
    } catch (error) {
      tree.delete();
      throw error;
    }
    const units = file.model.units.map((u) => unitState(u, emptyChecked()));
    // each finding and note goes with the unit that holds its call
    const rest = emptyChecked();
    for (const f of checked.findings) (unitAt(units, f.at)?.checked ?? rest).findings.push(f);
    for (const n of checked.notes) (unitAt(units, n.at)?.checked ?? rest).notes.push(n);
    this.state = { text: source, tree, optionsKey, units, rest, notes: file.notes, partial: false };
    return { ...this.result(), incremental: false, partial: false };
  }

  /** The analysis of the edited function alone, or the re-parsed tree when the whole file needs analysing. */
  private tryIncremental(previous: State, source: string, options: PythonAnalysisOptions, rules: RuleSettings, allowPartial: boolean): DocumentAnalysis | { tree: Tree } {
    const change = textEditBetween(previous.text, source);
    const oldUnit = unitAround(previous.tree.rootNode, change.startIndex, change.oldEndIndex);
    const index = oldUnit ? previous.units.findIndex((u) => u.start === oldUnit.startIndex && u.end === oldUnit.endIndex) : -1;
    // What the rest of the file sees of the edited function, read before the old tree moves. Syntax
    // errors elsewhere may be recovered differently after any edit: then the whole file is analysed.
    const before = index >= 0 && !errorOutside(oldUnit!) ? unitInterface(oldUnit!) : undefined;
    const tree = reparse(previous, source, change);
    if (before === undefined) return { tree };
    try {
      const unit = unitAround(tree.rootNode, change.startIndex, change.newEndIndex);
      const delta = change.newEndIndex - change.oldEndIndex;
      const inside =
        unit !== undefined &&
        unit.startIndex === previous.units[index].start &&
        unit.endIndex === previous.units[index].end + delta &&
        previous.tree.getChangedRanges(tree).every((r) => r.startIndex >= unit.startIndex && r.endIndex <= unit.endIndex) &&
        !errorOutside(unit);
      if (!inside) return { tree };
      const partial = previous.partial || unitInterface(unit) !== before;
      if (partial && !allowPartial) return { tree };
      return this.analyzeUnit(previous, tree, index, unit, change, source, options, rules, partial);
    } catch (error) {
      tree.delete();
      throw error;
    }
  }

  private analyzeUnit(previous: State, tree: Tree, index: number, unit: Node, change: TextChange, source: string, options: PythonAnalysisOptions, rules: RuleSettings, partial: boolean): DocumentAnalysis {
    const file = prepareFile(tree.rootNode, source, options);
    const def = unit.type === 'decorated_definition' ? unit.childForFieldName('definition')! : unit;
    file.model.completeAround(def);
    const first = file.model.calls.length;
    file.model.functionScope(def);
    const checked = checkCalls(file, file.model.calls.slice(first), rules, activeRules(rules));
    const delta = change.newEndIndex - change.oldEndIndex;
    const moved = (c: CheckedCalls) => moveChecked(c, change);
    this.state = {
      text: source,
      tree,
      optionsKey: previous.optionsKey,
      units: previous.units.map((u, i) =>
        i < index ? u : i === index ? { start: u.start, end: u.end + delta, checked } : { start: u.start + delta, end: u.end + delta, checked: moved(u.checked) },
      ),
      rest: moved(previous.rest),
      notes: file.notes,
      partial,
    };
    previous.tree.delete();
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

/** Whether the tree has a syntax error outside `unit` (a unit's ancestors are the module and classes). */
function errorOutside(unit: Node): boolean {
  const path: Node[] = [];
  for (let n: Node | null = unit; n; n = n.parent) path.push(n);
  const root = path[path.length - 1];
  if (!root.hasError) return false;
  for (let i = path.length - 1; i > 0; i--) {
    const node = path[i];
    const inner = path[i - 1];
    if (node.type === 'ERROR' || node.isMissing) return true;
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.id !== inner.id && (c.hasError || c.isMissing)) return true;
  }
  return false;
}

function reparse(previous: State, source: string, change: TextChange = textEditBetween(previous.text, source)): Tree {
  previous.tree.edit(change);
  return parsePython(source, previous.tree);
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

function unitState(unit: Node, checked: CheckedCalls): UnitState {
  return { start: unit.startIndex, end: unit.endIndex, checked };
}

/**
 * The function outside any other (a module-level def or a method, with its decorators) that holds
 * the range, if one does.
 */
function unitAround(root: Node, start: number, end: number): Node | undefined {
  const path: Node[] = [];
  for (let n = root.descendantForIndex(start, end); n; n = n.parent) path.push(n);
  // outermost first: the first def met whose ancestors are all modules, classes and their blocks
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (n.type === 'function_definition') {
      const parent = path[i + 1];
      return parent?.type === 'decorated_definition' ? parent : n;
    }
    if (n.type !== 'module' && n.type !== 'class_definition' && n.type !== 'block' && n.type !== 'decorated_definition') return undefined;
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
