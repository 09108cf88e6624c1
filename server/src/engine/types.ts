/**
 * The engine's public vocabulary. Everything here is plain data: the LSP adapter, the CLI and the
 * tests all speak it, and nothing in it knows about vscode or vscode-languageserver.
 */

export type RuleId =
  | 'unawaited-coroutine'
  | 'dangling-task'
  | 'floating-future'
  | 'floating-promise'
  | 'misused-promise';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** 0-based line; `character` counts UTF-16 code units, as LSP and VS Code do. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Replace `range` of the original text with `newText`. Edits of one fix never overlap. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export type FixKind = 'add-await' | 'make-async' | 'keep-task' | 'report-failure' | 'wait-result' | 'add-void' | 'add-catch' | 'suppress';

export interface Fix {
  kind: FixKind;
  title: string;
  /**
   * Safe: applying it unread changes nothing the program does except to remove the problem
   * (docs/concepts/fix-safety.md). `--fix` and fix-all apply only these unless unsafe fixes are allowed;
   * suppressions are never safe and never applied automatically.
   */
  safe: boolean;
  /** Exactly one fix of a finding is preferred (the light bulb's default); a separate decision from `safe`. */
  preferred: boolean;
  edits: TextEdit[];
  /**
   * Names the fix binds that another fix of the same text could pick too (`task` in one function,
   * the module's `background_tasks`). Fix-all applies one fix per key in a pass; the others are
   * computed again on the next, against a text that has the name.
   */
  binds?: string[];
}

/**
 * A rewrite the user asks for (an LSP `refactor.rewrite` action), never a finding's fix: it is
 * offered where the selection or cursor is, and never applied by fix-all or `--fix`.
 */
export interface Refactor {
  kind: 'run-concurrently';
  /** Says what changes at run time, not only what the text becomes. */
  title: string;
  edits: TextEdit[];
}

/** The one answer to "what does this call return?". `unknown` never produces a finding. */
export type AwaitableKind = 'coroutine' | 'task' | 'future' | 'awaitable' | 'async-generator' | 'not-awaitable' | 'unknown';

/**
 * One fact a finding rests on when no declared type says it (why `self._loop` is taken for an event
 * loop): a plain-text sentence, code in typographic quotes, and where in the file it was seen.
 */
export interface Evidence {
  text: string;
  at?: Position;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** The offending expression (the call). */
  range: Range;
  fixes: Fix[];
  /** What the flagged expression evaluates to, for hovers and explanations. */
  awaitable?: AwaitableKind;
  /** The callee as written or resolved, e.g. `nested` or `asyncio.create_task`. */
  callee?: string;
  /** What the finding rests on when nothing declares it, for hovers (see Evidence). */
  evidence?: Evidence[];
}

/** A Python version, major and minor: [3, 9]. */
export type PythonVersion = readonly [number, number];

/** Per-rule settings after merging defaults, editor settings and pyproject.toml. */
export interface RuleSettings {
  /** Rules that are off do not run at all. */
  enabled: Record<RuleId, boolean>;
  severity: Record<RuleId, Severity>;
  /**
   * The oldest Python the project runs on (`[tool.asyncguard] target-version`, else the project's
   * `requires-python`): what Python fixes may write. Unset: DEFAULT_PYTHON_TARGET.
   */
  pythonTarget?: PythonVersion;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Human-readable notes about the input (syntax errors skipped, file not UTF-8, ...). */
  notes: string[];
}
