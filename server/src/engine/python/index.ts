// The Python engine: parse -> semantic model -> inference -> rules -> fixes.
import { basename } from 'node:path';
import { defaultRuleSettings } from '../rules';
import { dominantLineEnding, type LineEnding } from '../text';
import type { AnalysisResult, Finding, RuleId, RuleSettings } from '../types';
import { DEFAULT_PYTHON_TARGET, FileFacts, type FixContext } from './fixes/context';
import { Inference } from './inference';
import { stdlibProvider, type ModuleProvider } from './modules';
import { lowerTree } from './lowering';
import { loadParser, parsePython } from './parser';
import { AsyncioRoles, type CallAnswer } from './rules/asyncio-roles';
import { danglingTask } from './rules/dangling-task';
import { floatingFuture } from './rules/floating-future';
import type { PythonRule } from './rules/rule';
import { runInRunningLoop } from './rules/run-in-running-loop';
import { unawaitedCoroutine } from './rules/unawaited-coroutine';
import { buildSemanticModel, type CallRecord, type SemanticModel } from './scopes';
import { collectSuppressions, isSuppressed } from './suppressions';
import type { Node, SyntaxTree } from './tree';
import { usageOf } from './usage';
import { SYNTAX_ERROR_NOTE } from '../messages';

export const PYTHON_RULES: readonly PythonRule[] = [unawaitedCoroutine, danglingTask, floatingFuture, runInRunningLoop];

export function activeRules(rules: RuleSettings): readonly PythonRule[] {
  return PYTHON_RULES.filter((r) => rules.enabled[r.id]);
}

/** The text as the engine parses it: Python (and LSP) end a line at a lone `\r` too; tree-sitter only
 * at `\n`. Turning each lone `\r` into `\n` keeps every offset, so rows and columns agree with the editor's. */
export function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export interface PythonAnalysisOptions {
  /** The file's path, used for its module name and in messages. */
  path?: string;
  /** Which rules run and at what severity; defaults to every rule on at its default severity. */
  rules?: RuleSettings;
  /** Summaries of importable modules; the standard library's by default. */
  modules?: ModuleProvider;
  /** The file's absolute module name (`pkg.sub.mod`), when a project index knows it. */
  moduleName?: string;
  /** The line ending of lines fixes add: the text's most common one unless given. */
  eol?: LineEnding;
  /** IPython's semantics (a notebook's cells): `await` is legal at the top level, where an event loop runs. */
  topLevelAwait?: boolean;
}

/** Loads the tree-sitter WebAssembly once; call (and await) before `analyzePython`. */
export function loadPythonEngine(): Promise<void> {
  return loadParser();
}

/** Analyses one Python file's text. Synchronous once `loadPythonEngine` has resolved. */
export function analyzePython(text: string, options: PythonAnalysisOptions = {}): AnalysisResult {
  const rules = options.rules ?? defaultRuleSettings();
  const active = activeRules(rules);
  if (!active.length || !text) return { findings: [], notes: [] };
  const source = normalizeLineEnds(text);
  // tree-sitter skips a leading BOM and counts it in columns, as an editor holding the BOM does.
  const parsed = parsePython(source);
  let tree: SyntaxTree;
  try {
    tree = lowerTree(parsed, source);
  } finally {
    parsed.delete();
  }
  try {
    return analyzeTree(tree, { ...options, eol: options.eol ?? dominantLineEnding(text) }, rules, active);
  } catch (error) {
    // CPython itself refuses such files (nesting is limited to about 200 levels); say so, never throw.
    if (error instanceof RangeError) return { findings: [], notes: [TOO_DEEP] };
    throw error;
  }
}

function analyzeTree(tree: SyntaxTree, options: PythonAnalysisOptions, rules: RuleSettings, active: readonly PythonRule[]): AnalysisResult {
  const file = prepareFile(tree, options);
  file.model.completeAll();
  const { findings, notes } = checkCalls(file, file.model.calls, rules, active);
  return { findings: findings.map((f) => f.finding), notes: [...file.notes, ...notes.map(internalErrorNote)] };
}

/** What the rules of one file share: its semantic model, inference and fix context. */
export interface PreparedFile {
  model: SemanticModel;
  inference: Inference;
  /** What the rules ask of each call, on top of the inference. */
  roles: AsyncioRoles;
  ctx: FixContext;
  notes: string[];
}

export function prepareFile(tree: SyntaxTree, options: PythonAnalysisOptions): PreparedFile {
  const notes: string[] = [];
  const text = tree.text;
  if (tree.hasError(tree.root)) notes.push(SYNTAX_ERROR_NOTE);
  const model = buildSemanticModel(tree);
  const path = options.path ?? '<text>';
  const file = basename(path).replace(/\.pyi?$/, '');
  const isPackage = file === '__init__';
  const moduleName = options.moduleName ?? (isPackage ? '__main__' : file);
  const inference = new Inference(model, options.modules ?? stdlibProvider, moduleName, isPackage, options.moduleName !== undefined);
  const ctx: FixContext = {
    text,
    tree,
    model,
    eol: options.eol ?? dominantLineEnding(text),
    pythonTarget: options.rules?.pythonTarget ?? DEFAULT_PYTHON_TARGET,
    topLevelAwait: options.topLevelAwait,
    // a scan of the whole text, which an edit inside one function should not pay for unless a fix needs it
    get lineStarts() {
      return tree.lineStarts;
    },
    facts: new FileFacts(tree, model),
  };
  return { model, inference, roles: new AsyncioRoles(inference), ctx, notes };
}

/** A call the engine could not handle: the file's other findings stand. */
export interface InternalError {
  at: number;
  row: number;
  rule: RuleId;
  message: string;
}

export function internalErrorNote(e: InternalError): string {
  return `internal error on line ${e.row + 1} (${e.rule}): ${e.message}`;
}

/** Findings and notes, each with the offset of the call it is about (where it belongs in the file). */
export interface CheckedCalls {
  findings: Array<{ at: number; finding: Finding }>;
  notes: InternalError[];
}

/** Runs the rules on the given calls of a prepared file. */
export function checkCalls(file: PreparedFile, calls: readonly CallRecord[], rules: RuleSettings, active: readonly PythonRule[]): CheckedCalls {
  const { model, roles, ctx } = file;
  const tree = ctx.tree;
  const suppressions = collectSuppressions(tree, model.comments);
  const out: CheckedCalls = { findings: [], notes: [] };
  const forUsedCalls = active.filter((r) => r.checksUsedCalls);
  for (const record of calls) {
    const call = record.node;
    if (tree.hasError(tree.root) && insideError(tree, call)) continue;
    const usage = usageOf(record, model);
    const rulesHere = usage.kind === 'used' ? forUsedCalls : active;
    if (!rulesHere.length) continue;
    let answer: CallAnswer | undefined;
    const site = { call, usage, ctx, scope: record.scope, topLevel: record.topLevel, answer: () => (answer ??= roles.answerCall(call, record.scope)) };
    for (const rule of rulesHere) {
      try {
        const draft = rule.check(site);
        if (!draft) continue;
        const lines = [tree.startRow(call), tree.endRow(call)];
        if (isSuppressed(suppressions, rule.id, lines)) continue;
        out.findings.push({ at: tree.startIndex(call), finding: { ...draft, severity: rules.severity[rule.id] } });
      } catch (error) {
        // one call the engine cannot handle must not cost the file its other findings
        out.notes.push({ at: tree.startIndex(call), row: tree.startRow(call), rule: rule.id, message: (error as Error).message });
      }
    }
  }
  return out;
}

export const TOO_DEEP = 'the file is nested too deeply to analyse';

/** Findings are never reported from code that tree-sitter had to recover from. */
function insideError(tree: SyntaxTree, node: Node): boolean {
  if (tree.hasError(node)) return true;
  for (let n = tree.parent(node); n; n = tree.parent(n)) {
    const type = tree.type(n);
    if (type === 'ERROR') return true;
    if (type.endsWith('statement') || type === 'module') {
      // the statement holding the call must itself be whole
      if (tree.hasError(n) && type !== 'module') return true;
      if (type.endsWith('statement')) break;
    }
  }
  return false;
}
