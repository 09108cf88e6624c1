// One front door to the engines: picks the language engine by file name. The CLI and the
// language server both analyse through this, so they report the same findings.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { languageOf } from './languages';
import { defaultRuleSettings } from './rules';
import type { AnalysisResult, PythonVersion, Range, Refactor, RuleSettings } from './types';
import { PythonDocument, type DocumentAnalysis, type DocumentUpdateOptions } from './python/document';
import { analyzePython, loadPythonEngine, normalizeLineEnds } from './python/index';
import { pythonRefactors } from './python/refactors/index';
import { analyzeNotebook } from './notebook/index';
import type { EngineStats, TypeScriptEngine, TypeScriptEngineOptions } from './ts/index';

export type { EngineStats };
import { PythonProjects, type PythonContextSource } from './project/projects';
import type { ModulesSeen } from './project/resultCache';
import type { ModuleProvider } from './python/modules';

export interface AnalyzeRequest {
  path: string;
  text: string;
  /** The editor's document version, so an incremental engine can reuse work. */
  version?: number;
  rules?: RuleSettings;
  /** [CLI result cache] Filled with every module the analysis asked for and what it got. */
  modulesSeen?: ModulesSeen;
}

export interface RefactorRequest {
  path: string;
  text: string;
  /** The selection, or the cursor when it is empty. */
  range: Range;
  /** The file's settings (for the Python target the rewrite must run on). */
  rules?: RuleSettings;
}

export interface AnalyzerOptions {
  /**
   * [module index] Where a Python file's imports resolve and what its module name is. By default
   * the workspace around each file and the standard library, without running any interpreter; the
   * CLI passes `cliPythonProjects()`, the language server a `PythonProjects` with its folders, trust
   * and storage (engine/project/projects.ts).
   */
  python?: PythonContextSource;
  /** How the TypeScript engine builds its programs (the CLI asks for whole programs). */
  typescript?: TypeScriptEngineOptions;
}

export class Analyzer {
  private ready: Promise<void> | undefined;
  private tsEngine: TypeScriptEngine | undefined;
  private readonly openDocuments = new Map<string, PythonDocument>();
  /** [module index] see AnalyzerOptions.python */
  readonly python: PythonContextSource;
  private readonly typescriptOptions: TypeScriptEngineOptions;

  constructor(options: AnalyzerOptions = {}) {
    this.python = options.python ?? new PythonProjects({ trusted: false });
    this.typescriptOptions = options.typescript ?? {};
  }

  /** Loads the parsers; idempotent. */
  init(): Promise<void> {
    this.ready ??= loadPythonEngine();
    return this.ready;
  }

  /** Analyses one document. `init()` must have resolved. Unknown file types give no findings. */
  analyze(req: AnalyzeRequest): AnalysisResult {
    const rules = this.rulesFor(req.path, req.rules);
    switch (languageOf(req.path)) {
      case 'python': {
        const context = this.pythonContext(req.path);
        const seen = req.modulesSeen;
        const modules = context && seen ? recording(context.modules, seen) : context?.modules;
        return analyzePython(req.text, { path: req.path, rules, moduleName: context?.moduleName, modules });
      }
      case 'typescript':
        return this.typescript().analyze(req.path, req.text, req.version, rules);
      case 'notebook': {
        // the kernel runs the cells as `__main__`, in its event loop
        const modules = this.pythonContext(req.path)?.modules;
        return analyzeNotebook(req.text, (python) => analyzePython(python, { path: req.path, rules, moduleName: '__main__', modules, topLevelAwait: true }));
      }
      default:
        return { findings: [], notes: [] };
    }
  }

  /**
   * The settings an analysis of `path` runs with. A Python file's target is the one its settings
   * declare (workspace/settings.ts), else the version of the interpreter its project runs under,
   * when one may be asked: fixes and refactorings write code for that version.
   */
  rulesFor(path: string, rules: RuleSettings = defaultRuleSettings()): RuleSettings {
    if (rules.pythonTarget || languageOf(path) !== 'python' || !isAbsolute(path)) return rules;
    const pythonTarget: PythonVersion | undefined = this.python.pythonVersion?.(path);
    return pythonTarget ? { ...rules, pythonTarget } : rules;
  }

  /** The refactorings the user may ask for at a selection ("Run concurrently"). */
  refactors(req: RefactorRequest): Refactor[] {
    switch (languageOf(req.path)) {
      case 'python': {
        const path = req.path;
        const tree = this.openDocuments.get(path)?.treeOf(normalizeLineEnds(req.text));
        // The project and its Python are looked up only when the cursor is on something to rewrite:
        // a code action is asked for at every cursor move.
        let context: ReturnType<Analyzer['pythonContext']> | null = null;
        const project = () => (context ??= this.pythonContext(path) ?? undefined);
        const target = () => this.rulesFor(path, req.rules).pythonTarget;
        return pythonRefactors(req.text, req.range, {
          path,
          tree,
          get modules() {
            return project()?.modules;
          },
          get moduleName() {
            return project()?.moduleName;
          },
          get version() {
            return target();
          },
        });
      }
      case 'typescript':
        return this.typescript().refactors(req.path, req.text, req.range);
      default:
        return [];
    }
  }

  /** Loaded on first use: the TypeScript compiler costs ~0.3 s and ~40 MB. */
  private typescript(): TypeScriptEngine {
    this.tsEngine ??= new (loadTypeScriptEngine().TypeScriptEngine)(this.typescriptOptions);
    return this.tsEngine;
  }

  /** The TypeScript programs held now (none before the first TS/JS file). */
  typescriptStats(): EngineStats['projects'] {
    return this.tsEngine?.stats().projects ?? [];
  }

  /** A tsconfig/jsconfig/package.json changed on disk (nothing to do before the TS engine is loaded). */
  typescriptConfigChanged(path: string): void {
    this.tsEngine?.configChanged(path);
  }

  /**
   * Analyses an open document that will be analysed again after each edit: a Python document keeps
   * its tree and findings, and an edit inside one function re-analyses only that function.
   * See DocumentUpdateOptions for partial results and what runs before a whole analysis.
   */
  analyzeOpen(req: AnalyzeRequest, update: DocumentUpdateOptions = {}): DocumentAnalysis {
    const language = languageOf(req.path);
    if (language === 'typescript') {
      // An edit inside one function checks only that function (engine/ts/units.ts).
      return this.typescript().analyzeOpen(req.path, req.text, this.rulesFor(req.path, req.rules), { allowPartial: update.allowPartial });
    }
    if (language !== 'python') {
      update.beforeWholeAnalysis?.();
      return { ...this.analyze(req), incremental: false, partial: false };
    }
    let doc = this.openDocuments.get(req.path);
    if (!doc) this.openDocuments.set(req.path, (doc = new PythonDocument()));
    return doc.update(req.text, { path: req.path, rules: this.rulesFor(req.path, req.rules), ...this.pythonContext(req.path) }, update);
  }

  /** Forgets what `analyzeOpen` kept for the document. */
  close(path: string): void {
    this.tsEngine?.close(path);
    this.openDocuments.get(path)?.dispose();
    this.openDocuments.delete(path);
  }

  /** [CLI result cache] What `name` resolves to for the file now (as its analysis would see it). */
  moduleFor(path: string, name: string) {
    return this.pythonContext(path)?.modules.getModule(name);
  }

  /** [module index] The file's modules and module name; a file with no place on disk gets the standard library only. */
  private pythonContext(path: string) {
    return isAbsolute(path) ? this.python.contextFor(path) : undefined;
  }
}

/**
 * The TypeScript engine. The bundles keep it (and the TypeScript compiler, ~9 MB of JavaScript) in
 * a bundle of its own beside them, so that a Python-only run never loads or even parses it; from
 * source it is the module next to this one. The require is not a literal, so bundlers leave it be.
 */
function loadTypeScriptEngine(): typeof import('./ts/index') {
  const bundled = join(__dirname, 'ts-engine.js');
  const load = require;
  return load(existsSync(bundled) ? bundled : join(__dirname, 'ts', 'index'));
}

function recording(modules: ModuleProvider, seen: ModulesSeen): ModuleProvider {
  return {
    getModule(name) {
      const summary = modules.getModule(name);
      seen.set(name, summary);
      return summary;
    },
  };
}
