// The code cells of a notebook as the one Python module IPython runs, in cell order: what a cell
// defines or imports is known in every cell after it. A line between two cells marks the boundary,
// so that the module text, once fixes have edited it, splits back into the cells' new sources.
import { lineStarts } from '../text';
import type { Position } from '../types';
import type { NotebookCell } from './notebook';

/** Where one code cell sits in the module: its lines start at `line`. */
export interface CellSpan {
  /** The cell's index among all the cells of the notebook. */
  cell: number;
  line: number;
  /** Lines the cell takes in the module (a last line without a line end gets one). */
  lines: number;
  /** The cell's source ends with a line end of its own (else the module adds one). */
  endsWithNewline: boolean;
}

export interface NotebookModule {
  text: string;
  cells: CellSpan[];
}

/** The boundary line: a comment, so the module means what the cells mean. */
export const CELL_BOUNDARY = '# %% asyncguard: next cell';
const SEPARATOR = `\n${CELL_BOUNDARY}\n`;

/**
 * An IPython line magic (`%timeit f()`) or shell escape (`!pip install x`) is not Python: it stays a
 * comment in the module (spelled so that it turns back into itself), keeping every other line's place.
 */
const MAGIC_LINE = /^([ \t]*)([%!][^\r\n]*)$/gm;
const MAGIC_MARK = '#asyncguard-magic:';
const MARKED_LINE = new RegExp(`^([ \\t]*)${MAGIC_MARK}`, 'gm');

/** The Python of a code cell, or undefined for a cell magic (`%%bash`, `%%time`): its body is not plain Python. */
export function pythonOfCell(source: string): string | undefined {
  if (/^\s*%%/.test(source)) return undefined;
  return source.replace(MAGIC_LINE, `$1${MAGIC_MARK}$2`);
}

function sourceOfPython(python: string): string {
  return python.replace(MARKED_LINE, '$1');
}

export function notebookModule(cells: readonly Pick<NotebookCell, 'index' | 'kind' | 'source'>[]): NotebookModule {
  const spans: CellSpan[] = [];
  const parts: string[] = [];
  let line = 0;
  for (const cell of cells) {
    if (cell.kind !== 'code') continue;
    const python = pythonOfCell(cell.source);
    if (python === undefined) continue;
    if (parts.length) line += 1; // the boundary line
    const endsWithNewline = python.endsWith('\n');
    const body = endsWithNewline ? python : `${python}\n`;
    const lines = lineStarts(body).length - 1;
    spans.push({ cell: cell.index, line, lines, endsWithNewline });
    parts.push(body);
    line += lines;
  }
  return { text: parts.map((p, i) => (i ? `${CELL_BOUNDARY}\n${p}` : p)).join(''), cells: spans };
}

/** The cell holding a module position, and the position within the cell. */
export function cellPosition(module: NotebookModule, at: Position): { cell: number; position: Position } | undefined {
  const span = module.cells.find((s) => at.line >= s.line && at.line < s.line + s.lines);
  return span && { cell: span.cell, position: { line: at.line - span.line, character: at.character } };
}

/** The module position of a position in a cell. */
export function modulePosition(module: NotebookModule, cell: number, at: Position): Position | undefined {
  const span = module.cells.find((s) => s.cell === cell);
  if (!span || at.line >= span.lines) return undefined;
  return { line: span.line + at.line, character: at.character };
}

/**
 * The cells' sources in an edited module text: undefined when the boundaries are no longer there as
 * they were (an edit that crossed one), so that nothing is written from a text that cannot be split.
 */
export function cellSources(module: NotebookModule, text: string): Map<number, string> | undefined {
  const bodies = text.split(SEPARATOR);
  if (bodies.length !== module.cells.length || !module.cells.length) return undefined;
  const last = bodies.length - 1;
  if (!bodies[last].endsWith('\n')) return undefined;
  bodies[last] = bodies[last].slice(0, -1);
  const sources = new Map<number, string>();
  module.cells.forEach((span, i) => {
    // every body but the last lost its line end to the separator; it is the module's own when the cell had none
    const body = span.endsWithNewline ? `${bodies[i]}\n` : bodies[i];
    sources.set(span.cell, sourceOfPython(body));
  });
  return sources;
}
