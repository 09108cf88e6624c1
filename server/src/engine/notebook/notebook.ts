// A Jupyter notebook (.ipynb, nbformat 4) as the engine reads it: its cells in order, and where in the
// file each cell's `source` is written, so that a fix rewrites only that value and leaves every other
// byte of the file (indentation, key order, outputs, metadata, the final newline) as it was.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export type CellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCell {
  /** 0-based position among all the cells of the notebook (markdown and raw ones too). */
  index: number;
  kind: CellKind;
  source: string;
  /** Where the `source` value is written in the file, and whether as one string or a list of lines. */
  span: { offset: number; length: number; form: 'string' | 'lines' };
}

export interface Notebook {
  text: string;
  cells: NotebookCell[];
  /** The kernel's language (`metadata.kernelspec.language` or `metadata.language_info.name`), when the file says. */
  language?: string;
}

export type NotebookParse = { ok: true; notebook: Notebook } | { ok: false; error: string };

/** Reads a notebook's text; an error says plainly what is wrong with the file. */
export function parseNotebook(text: string): NotebookParse {
  let data: unknown;
  try {
    // strict JSON first: a file Jupyter itself could not open is never rewritten
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `not a valid notebook: the file is not JSON (${(e as Error).message})` };
  }
  if (!isObject(data)) return { ok: false, error: 'not a valid notebook: the file is not a JSON object' };
  if (typeof data.nbformat === 'number' && data.nbformat < 4) {
    return { ok: false, error: `not a supported notebook: nbformat ${data.nbformat} (only nbformat 4 is read)` };
  }
  if (!Array.isArray(data.cells)) return { ok: false, error: 'not a valid notebook: it has no "cells" list' };
  const tree = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  if (!tree) return { ok: false, error: 'not a valid notebook: the file is not JSON' };
  const cells: NotebookCell[] = [];
  for (let index = 0; index < data.cells.length; index++) {
    const cell: unknown = data.cells[index];
    if (!isObject(cell) || typeof cell.cell_type !== 'string') {
      return { ok: false, error: `not a valid notebook: cell ${index + 1} has no "cell_type"` };
    }
    const source = cell.source;
    const lines = Array.isArray(source);
    if (typeof source !== 'string' && !(lines && source.every((s) => typeof s === 'string'))) {
      return { ok: false, error: `not a valid notebook: the "source" of cell ${index + 1} is neither a string nor a list of strings` };
    }
    const node = findNodeAtLocation(tree, ['cells', index, 'source']);
    if (!node) return { ok: false, error: `not a valid notebook: cell ${index + 1} has no "source"` };
    const kind = cell.cell_type === 'code' || cell.cell_type === 'markdown' ? cell.cell_type : 'raw';
    cells.push({
      index,
      kind,
      source: lines ? (source as string[]).join('') : (source as string),
      span: { offset: node.offset, length: node.length, form: lines ? 'lines' : 'string' },
    });
  }
  return { ok: true, notebook: { text, cells, language: languageOf(data.metadata) } };
}

function languageOf(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return undefined;
  const kernel = metadata.kernelspec;
  if (isObject(kernel) && typeof kernel.language === 'string') return kernel.language;
  const info = metadata.language_info;
  if (isObject(info) && typeof info.name === 'string') return info.name;
  return undefined;
}

/** Whether the notebook's code cells are Python (a notebook that does not say is taken to be). */
export function isPythonNotebook(notebook: Notebook): boolean {
  return notebook.language === undefined || notebook.language.toLowerCase() === 'python';
}

/**
 * The file's text with the given cells' sources replaced and nothing else touched. A source written
 * as a list of lines stays one, laid out as the original list was (each line an element ending in
 * "\n" but the last, as Jupyter writes them); a line that was already there keeps its exact spelling.
 */
export function withCellSources(notebook: Notebook, sources: ReadonlyMap<number, string>): string {
  const replacements = [...sources]
    .map(([index, source]) => ({ cell: notebook.cells[index], source }))
    .filter(({ cell, source }) => cell && cell.source !== source)
    .sort((a, b) => a.cell.span.offset - b.cell.span.offset);
  let out = '';
  let at = 0;
  for (const { cell, source } of replacements) {
    out += notebook.text.slice(at, cell.span.offset) + writeSource(notebook.text, cell, source);
    at = cell.span.offset + cell.span.length;
  }
  return out + notebook.text.slice(at);
}

function writeSource(text: string, cell: NotebookCell, source: string): string {
  const original = text.slice(cell.span.offset, cell.span.offset + cell.span.length);
  if (cell.span.form === 'string') return JSON.stringify(source);
  const tree = parseTree(original);
  const elements = tree?.children ?? [];
  // how the original list is laid out: what opens it, separates its elements and closes it
  const spelled = new Map<string, string>();
  for (const e of elements) spelled.set(e.value as string, original.slice(e.offset, e.offset + e.length));
  let open = '\n';
  let separator = ',\n';
  let close = '\n';
  if (elements.length) {
    const first = elements[0];
    const last = elements[elements.length - 1];
    open = original.slice(1, first.offset);
    close = original.slice(last.offset + last.length, original.length - 1);
    separator = elements.length > 1 ? original.slice(first.offset + first.length, elements[1].offset) : `,${open}`;
  } else {
    const indent = lineIndent(text, cell.span.offset);
    open = `\n${indent}  `;
    separator = `,${open}`;
    close = `\n${indent}`;
  }
  const lines = splitLinesKeepEnds(source);
  if (!lines.length) return '[]';
  return `[${open}${lines.map((l) => spelled.get(l) ?? JSON.stringify(l)).join(separator)}${close}]`;
}

/** The indentation of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** Lines with their line ends, as Jupyter stores a source: "a\n", "b\n", "c". */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/**
 * The 0-based line of the notebook file on which line `line` of cell `cell` is written: its element of
 * a source written as a list of lines, else the line the source string starts on. For reports (SARIF,
 * GitHub annotations) that can point only into the file itself.
 */
export function fileLineOf(notebook: Notebook, cell: number, line: number): number | undefined {
  const c = notebook.cells[cell];
  if (!c) return undefined;
  let offset = c.span.offset;
  if (c.span.form === 'lines') {
    const elements = parseTree(notebook.text.slice(c.span.offset, c.span.offset + c.span.length))?.children ?? [];
    const element = elements[Math.min(line, elements.length - 1)];
    if (element) offset += element.offset;
  }
  let row = 0;
  for (let i = notebook.text.indexOf('\n'); i !== -1 && i < offset; i = notebook.text.indexOf('\n', i + 1)) row++;
  return row;
}
