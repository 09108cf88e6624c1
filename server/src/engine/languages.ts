// Which engine reads a file, by its name: Python (.py, .pyi, .pyw), TypeScript/JavaScript
// (.ts, .tsx, .mts, .cts, .js, .jsx, .mjs, .cjs; declaration files are not checked), or a Jupyter
// notebook (.ipynb), whose code cells the Python engine reads as one module.
import { extname } from 'node:path';

export type Language = 'python' | 'typescript' | 'notebook';

const PYTHON_EXTENSIONS = new Set(['.py', '.pyi', '.pyw']);
const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export function languageOf(path: string): Language | undefined {
  const ext = extname(path).toLowerCase();
  if (PYTHON_EXTENSIONS.has(ext)) return 'python';
  if (TS_EXTENSIONS.has(ext) && !/\.d\.[cm]?ts$/i.test(path)) return 'typescript';
  if (ext === '.ipynb') return 'notebook';
  return undefined;
}

export function isNotebookPath(path: string): boolean {
  return languageOf(path) === 'notebook';
}
