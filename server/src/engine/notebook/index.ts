// Notebooks through the Python engine: the code cells are analysed as one module (IPython's
// semantics: `await` is legal at a cell's top level), and every finding, fix edit and piece of
// evidence is given back relative to the cell it is in. Fix-all runs on the module and writes back
// only the `source` of the cells it changed.
import { fixAll, type FixAllOptions, type FixAllOutcome } from '../workspace/fixAll';
import type { AnalysisResult, Finding, Fix, Position, TextEdit } from '../types';
import { cellPosition, cellSources, modulePosition, notebookModule, type NotebookModule } from './module';
import { isPythonNotebook, parseNotebook, withCellSources, type Notebook } from './notebook';

export { fileLineOf, parseNotebook } from './notebook';

/** Analyses the Python text of a notebook's module (the Python engine with top-level await allowed). */
export type AnalyzeModule = (python: string) => AnalysisResult;

/** A notebook file's text analysed: findings relative to their cells, or `error` for a file that is no notebook. */
export function analyzeNotebook(text: string, analyzeModule: AnalyzeModule): AnalysisResult {
  const parsed = parseNotebook(text);
  if (!parsed.ok) return { findings: [], notes: [], error: parsed.error };
  return analyzeParsed(parsed.notebook, analyzeModule);
}

function analyzeParsed(notebook: Notebook, analyzeModule: AnalyzeModule): AnalysisResult {
  if (!isPythonNotebook(notebook)) return { findings: [], notes: [`not analysed: the notebook's language is ${notebook.language}, not Python`] };
  const module = notebookModule(notebook.cells);
  if (!module.cells.length) return { findings: [], notes: [] };
  const result = analyzeModule(module.text);
  return { ...result, findings: result.findings.map((f) => inCells(module, f)).filter((f) => f !== undefined) };
}

/** A module finding relative to its cell; its fixes whose edits all fall inside cells. */
function inCells(module: NotebookModule, finding: Finding): Finding | undefined {
  const start = cellPosition(module, finding.range.start);
  const end = cellPosition(module, finding.range.end);
  if (!start || !end || start.cell !== end.cell) return undefined;
  const fixes: Fix[] = [];
  for (const fix of finding.fixes) {
    const edits = fix.edits.map((e) => editInCell(module, e));
    if (edits.every((e) => e !== undefined)) fixes.push({ ...fix, edits });
  }
  if (finding.fixes.some((f) => f.preferred) && !fixes.some((f) => f.preferred) && fixes.length) fixes[0] = { ...fixes[0], preferred: true };
  const mapped: Finding = { ...finding, cell: start.cell, range: { start: start.position, end: end.position }, fixes };
  if (finding.evidence) {
    mapped.evidence = finding.evidence.map((e) => {
      const at = e.at && cellPosition(module, e.at);
      return at?.cell === start.cell ? { ...e, at: at.position } : { text: e.text };
    });
  }
  return mapped;
}

function editInCell(module: NotebookModule, edit: TextEdit): TextEdit | undefined {
  const start = cellPosition(module, edit.range.start);
  const end = cellPosition(module, edit.range.end);
  if (!start || !end || start.cell !== end.cell) return undefined;
  return { range: { start: start.position, end: end.position }, newText: edit.newText, cell: start.cell };
}

/** A cell finding back in module coordinates (what fix-all works on). */
function inModule(module: NotebookModule, finding: Finding): Finding | undefined {
  if (finding.cell === undefined) return undefined;
  const at = (cell: number, p: Position) => modulePosition(module, cell, p);
  const start = at(finding.cell, finding.range.start);
  const end = at(finding.cell, finding.range.end);
  if (!start || !end) return undefined;
  const fixes: Fix[] = [];
  for (const fix of finding.fixes) {
    const edits = fix.edits.map((e) => {
      const s = at(e.cell ?? finding.cell!, e.range.start);
      const t = at(e.cell ?? finding.cell!, e.range.end);
      return s && t ? { range: { start: s, end: t }, newText: e.newText } : undefined;
    });
    if (edits.every((e) => e !== undefined)) fixes.push({ ...fix, edits });
  }
  return { ...finding, cell: undefined, range: { start, end }, fixes };
}

export interface NotebookFixOutcome extends FixAllOutcome {
  /** The cells (0-based) whose source the fixes changed. */
  changedCells: number[];
}

/**
 * Fix-all on a notebook file: the loop of engine/fixAll.ts over the module, each intermediate module
 * analysed as the notebook it stands for. The outcome's text is the notebook file with only the
 * changed cells' `source` rewritten; `initial` and `result` are relative to cells. A file that is not
 * a valid notebook is returned unchanged with its error.
 */
export async function fixNotebook(
  text: string,
  analyze: (notebookText: string) => AnalysisResult | Promise<AnalysisResult>,
  options: FixAllOptions,
): Promise<NotebookFixOutcome> {
  const initial = await analyze(text);
  const parsed = parseNotebook(text);
  const unchanged = { text, applied: 0, passes: 0, converged: true, initial, result: initial, changedCells: [] };
  if (!parsed.ok || initial.error) return unchanged;
  const notebook = parsed.notebook;
  const module = notebookModule(notebook.cells);
  if (!module.cells.length) return unchanged;
  const byModuleText = new Map<string, AnalysisResult>([[module.text, initial]]);
  const notebookText = (python: string): string => {
    const sources = cellSources(module, python);
    if (!sources) throw new Error('a fix crossed the boundary between two cells');
    return withCellSources(notebook, sources);
  };
  const outcome = await fixAll(
    module.text,
    async (python) => {
      let result = byModuleText.get(python);
      if (!result) {
        result = await analyze(notebookText(python));
        byModuleText.set(python, result);
      }
      // the cells keep their order and boundaries, so the module laid out from the new cells has the same shape
      const layout = notebookModule([...notebook.cells].map((c) => ({ ...c, source: cellSources(module, python)?.get(c.index) ?? c.source })));
      return { ...result, findings: result.findings.map((f) => inModule(layout, f)).filter((f) => f !== undefined) };
    },
    options,
  );
  if (outcome.text === module.text) return unchanged;
  const sources = cellSources(module, outcome.text)!;
  const changedCells = [...sources].filter(([index, source]) => notebook.cells[index].source !== source).map(([index]) => index);
  return {
    ...outcome,
    text: notebookText(outcome.text),
    initial,
    result: byModuleText.get(outcome.text) ?? (await analyze(notebookText(outcome.text))),
    changedCells,
  };
}
