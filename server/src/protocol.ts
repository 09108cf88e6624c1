// What the VS Code extension and the language server both name: command ids, the code-action kind
// of fix-all, the diagnostics' source, the custom status request and the shapes they exchange, the
// languages analysed, and the list of rules and concept pages the extension offers to explain.
// The extension imports nothing else of the server (ARCHITECTURE.md), so this module imports only
// plain data: the rule registry and the concept pages.
import { CONCEPTS, type ConceptMeta } from './engine/concepts';
import { RULES, type RuleMeta } from './engine/rules';

export { CONCEPTS, RULES, type ConceptMeta, type RuleMeta };

/** Commands the server executes (`workspace/executeCommand`). */
export const ANALYZE_WORKSPACE_COMMAND = 'asyncguard.analyzeWorkspace';
export const APPLY_FIX_ALL_COMMAND = 'asyncguard.applyFixAll';

/** Commands of the extension that the server's links and hovers name. */
export const EXPLAIN_PROBLEM_COMMAND = 'asyncguard.explainProblem';
export const EXPLAIN_RULE_COMMAND = 'asyncguard.explainRule';

/** The code action kind of "fix all AsyncGuard problems", for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.asyncguard';

/** Diagnostics the server publishes carry this `source`. */
export const DIAGNOSTIC_SOURCE = 'asyncguard';

/** A custom request for status displays and the soak benchmark: what the server holds and its memory. */
export const STATUS_REQUEST = 'asyncguard/status';

/** The editor's language ids the server analyses, and the file extension each stands for. */
export const LANGUAGE_EXTENSIONS = {
  python: '.py',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
} as const;

export const LANGUAGE_IDS = Object.keys(LANGUAGE_EXTENSIONS) as ReadonlyArray<keyof typeof LANGUAGE_EXTENSIONS>;

/** What Analyze Workspace answers. */
export interface WorkspaceAnalysisSummary {
  files: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
  milliseconds: number;
}

/** What STATUS_REQUEST answers. */
export interface ServerStatus {
  engineLoaded: boolean;
  /** 'worker' when the engine runs on its own thread (the bundled server), 'local' otherwise. */
  analysis: 'worker' | 'local';
  /** Times the analysis thread was replaced (it crashed or an analysis ran past the limit). */
  analysisRestarts: number;
  trusted: boolean;
  openDocuments: number;
  cachedResults: number;
  findings: number;
  /** This thread's live heap, the engine's (its own thread when `analysis` is 'worker'), and the process's resident memory. */
  heapUsed: number;
  engineHeapUsed: number;
  rss: number;
  /** The TypeScript projects held: one per live project, with its source files and open documents. */
  typescript: { key: string; openDocuments: number; sourceFiles: number }[];
}
