// One front door to the engines: picks the language engine by file name. The CLI and the
// language server both analyse through this, so they report the same findings.
import { extname } from 'node:path';
import { defaultRuleSettings } from './rules';
import type { AnalysisResult, RuleSettings } from './types';
import { analyzePython, loadPythonEngine } from './python/index';

export type Language = 'python' | 'typescript';

const PYTHON_EXTENSIONS = new Set(['.py', '.pyi', '.pyw']);
const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

export function languageOf(path: string): Language | undefined {
  const ext = extname(path).toLowerCase();
  if (PYTHON_EXTENSIONS.has(ext)) return 'python';
  if (TS_EXTENSIONS.has(ext) && !path.endsWith('.d.ts')) return 'typescript';
  return undefined;
}

export interface AnalyzeRequest {
  path: string;
  text: string;
  /** The editor's document version, so an incremental engine can reuse work. */
  version?: number;
  rules?: RuleSettings;
}

export class Analyzer {
  private ready: Promise<void> | undefined;

  /** Loads the parsers; idempotent. */
  init(): Promise<void> {
    this.ready ??= loadPythonEngine();
    return this.ready;
  }

  /** Analyses one document. `init()` must have resolved. Unknown file types give no findings. */
  analyze(req: AnalyzeRequest): AnalysisResult {
    const rules = req.rules ?? defaultRuleSettings();
    switch (languageOf(req.path)) {
      case 'python':
        return analyzePython(req.text, { path: req.path, rules });
      case 'typescript':
        return { findings: [], notes: [] }; // wired to engine/ts when it lands
      default:
        return { findings: [], notes: [] };
    }
  }
}
