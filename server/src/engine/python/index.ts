// Python engine entry point (being written): parse -> semantic model -> inference -> rules -> fixes.
import type { AnalysisResult, RuleSettings } from '../types';

export interface PythonAnalysisOptions {
  /** The file's path, used in messages and (later) for module resolution. */
  path?: string;
  /** Which rules run and at what severity; defaults to every rule on at its default severity. */
  rules?: RuleSettings;
}

/** Loads the tree-sitter WebAssembly once; call (and await) before `analyzePython`. */
export async function loadPythonEngine(): Promise<void> {
  throw new Error('not implemented yet');
}

/** Analyses one Python file's text. Synchronous once `loadPythonEngine` has resolved. */
export function analyzePython(_text: string, _options: PythonAnalysisOptions = {}): AnalysisResult {
  throw new Error('not implemented yet');
}
