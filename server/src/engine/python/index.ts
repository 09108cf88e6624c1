// The Python engine: parse -> semantic model -> inference -> rules -> fixes.
import { basename } from 'node:path';
import { defaultRuleSettings } from '../rules';
import { lineStarts } from '../text';
import type { AnalysisResult, Finding, RuleSettings } from '../types';
import { FileFacts, type FixContext } from './fixes/context';
import { Inference, type CallAnswer } from './infer';
import { stdlibProvider, type ModuleProvider } from './modules';
import { loadParser, parsePython, type Node } from './parser';
import { danglingTask } from './rules/dangling-task';
import { floatingFuture } from './rules/floating-future';
import type { PythonRule } from './rules/rule';
import { unawaitedCoroutine } from './rules/unawaited-coroutine';
import { buildSemanticModel } from './scopes';
import { collectSuppressions, isSuppressed } from './suppressions';
import { usageOf } from './usage';

export const PYTHON_RULES: readonly PythonRule[] = [unawaitedCoroutine, danglingTask, floatingFuture];

export interface PythonAnalysisOptions {
  /** The file's path, used for its module name and in messages. */
  path?: string;
  /** Which rules run and at what severity; defaults to every rule on at its default severity. */
  rules?: RuleSettings;
  /** Summaries of importable modules; the standard library's by default. */
  modules?: ModuleProvider;
  /** The file's absolute module name (`pkg.sub.mod`), when a project index knows it. */
  moduleName?: string;
}

/** Loads the tree-sitter WebAssembly once; call (and await) before `analyzePython`. */
export function loadPythonEngine(): Promise<void> {
  return loadParser();
}

/** Analyses one Python file's text. Synchronous once `loadPythonEngine` has resolved. */
export function analyzePython(text: string, options: PythonAnalysisOptions = {}): AnalysisResult {
  const rules = options.rules ?? defaultRuleSettings();
  const active = PYTHON_RULES.filter((r) => rules.enabled[r.id]);
  if (!active.length || !text) return { findings: [], notes: [] };
  // Python (and LSP) end a line at a lone `\r` too; tree-sitter only at `\n`. Turning each lone
  // `\r` into `\n` keeps every offset, so rows and columns then agree with the editor's.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // tree-sitter skips a leading BOM and counts it in columns, as an editor holding the BOM does.
  const tree = parsePython(source);
  try {
    return analyzeTree(tree.rootNode, source, options, rules, active);
  } catch (error) {
    // CPython itself refuses such files (nesting is limited to about 200 levels); say so, never throw.
    if (error instanceof RangeError) return { findings: [], notes: ['the file is nested too deeply to analyse'] };
    throw error;
  } finally {
    tree.delete();
  }
}

function analyzeTree(root: Node, text: string, options: PythonAnalysisOptions, rules: RuleSettings, active: readonly PythonRule[]): AnalysisResult {
  const notes: string[] = [];
  if (root.hasError) notes.push('the file has syntax errors; code inside them is not checked');
  const model = buildSemanticModel(root);
  const path = options.path ?? '<text>';
  const file = basename(path).replace(/\.pyi?$/, '');
  const isPackage = file === '__init__';
  const moduleName = options.moduleName ?? (isPackage ? '__main__' : file);
  const inference = new Inference(model, options.modules ?? stdlibProvider, moduleName, isPackage, options.moduleName !== undefined);
  const ctx: FixContext = { text, root, model, eol: text.includes('\r\n') ? '\r\n' : '\n', lineStarts: lineStarts(text), facts: new FileFacts(root, model) };
  const suppressions = collectSuppressions(model.comments);
  const findings: Finding[] = [];
  for (const record of model.calls) {
    const call = record.node;
    if (root.hasError && insideError(call)) continue;
    const usage = usageOf(record, model);
    if (usage.kind === 'used') continue;
    let answer: CallAnswer | undefined;
    const site = { call, usage, ctx, scope: record.scope, topLevel: record.topLevel, answer: () => (answer ??= inference.answerCall(call, record.scope)) };
    for (const rule of active) {
      try {
        const draft = rule.check(site);
        if (!draft) continue;
        const lines = [call.startPosition.row, call.endPosition.row];
        if (isSuppressed(suppressions, rule.id, lines)) continue;
        findings.push({ ...draft, severity: rules.severity[rule.id] });
      } catch (error) {
        // one call the engine cannot handle must not cost the file its other findings
        notes.push(`internal error on line ${call.startPosition.row + 1} (${rule.id}): ${(error as Error).message}`);
      }
    }
  }
  return { findings, notes };
}

/** Findings are never reported from code that tree-sitter had to recover from. */
function insideError(node: Node): boolean {
  if (node.hasError) return true;
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'ERROR') return true;
    if (n.type.endsWith('statement') || n.type === 'module') {
      // the statement holding the call must itself be whole
      if (n.hasError && n.type !== 'module') return true;
      if (n.type.endsWith('statement')) break;
    }
  }
  return false;
}
