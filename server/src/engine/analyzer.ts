// One front door to the engines: picks the language engine by file name. The CLI and the
// language server both analyse through this, so they report the same findings.
import { extname, isAbsolute } from 'node:path';
import { defaultRuleSettings } from './rules';
import type { AnalysisResult, RuleSettings } from './types';
import { analyzePython, loadPythonEngine } from './python/index';
import type { TypeScriptEngine } from './ts/index';
import { PythonProjects, type PythonContextSource } from './project/projects';

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

export interface AnalyzerOptions {
  /**
   * [project index] Where a Python file's imports resolve and what its module name is. By default
   * the workspace around each file and the standard library, without running any interpreter; the
   * CLI passes `cliPythonProjects()`, the language server a `PythonProjects` with its folders, trust
   * and storage (engine/project/projects.ts).
   */
  python?: PythonContextSource;
}

export class Analyzer {
  private ready: Promise<void> | undefined;
  private tsEngine: TypeScriptEngine | undefined;
  /** [project index] see AnalyzerOptions.python */
  readonly python: PythonContextSource;

  constructor(options: AnalyzerOptions = {}) {
    this.python = options.python ?? new PythonProjects({ trusted: false });
  }

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
        return analyzePython(req.text, { path: req.path, rules, ...this.pythonContext(req.path) });
      case 'typescript':
        // Required on first use: loading the TypeScript compiler costs ~0.3 s and ~40 MB.
        this.tsEngine ??= new (require('./ts/index') as typeof import('./ts/index')).TypeScriptEngine();
        return this.tsEngine.analyze(req.path, req.text, req.version, rules);
      default:
        return { findings: [], notes: [] };
    }
  }

  /** [project index] The file's modules and module name; a file with no place on disk gets the standard library only. */
  private pythonContext(path: string) {
    return isAbsolute(path) ? this.python.contextFor(path) : undefined;
  }
}
