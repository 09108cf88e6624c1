// The Python refactorings offered at a selection: today "Run concurrently".
import { offsetAt } from '../../text';
import type { Range, Refactor } from '../../types';
import type { PythonVersion } from '../../pythonVersion';
import { normalizeLineEnds, prepareFile, type PythonAnalysisOptions } from '../index';
import { parseSyntax } from '../lowering';
import type { SyntaxTree } from '../tree';
import { runConcurrently } from './run-concurrently';

export interface PythonRefactorOptions extends Omit<PythonAnalysisOptions, 'rules'> {
  /** The oldest Python the project runs on (see pythonVersion.ts). */
  version?: PythonVersion;
  /** The document's current tree, when one is at hand for exactly this text. */
  tree?: SyntaxTree;
}

/** Refactorings for `range` of the text. Synchronous once the Python engine is loaded. */
export function pythonRefactors(text: string, range: Range, options: PythonRefactorOptions = {}): Refactor[] {
  const source = normalizeLineEnds(text);
  if (!source.includes('await')) return [];
  const tree = options.tree ?? parseSyntax(source);
  try {
    const starts = tree.lineStarts;
    const selection = { start: offsetAt(starts, source.length, range.start), end: offsetAt(starts, source.length, range.end) };
    const prepare = () => prepareFile(tree, options);
    return runConcurrently(tree, prepare, selection, options);
  } catch (error) {
    // CPython refuses files nested this deeply; a refactoring has nothing to offer in them
    if (error instanceof RangeError) return [];
    throw error;
  }
}
