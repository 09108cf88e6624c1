// A stand-in engine with simple, predictable rules, so the CLI's machinery (walking, config,
// formats, fixes, exit codes) is tested independently of the real engines' judgement.
//   Python: `name()` alone on a line (or after `...; `), where `async def name` is in the file -> unawaited-coroutine
//           (fixes: add `await` [safe, preferred], suppress [unsafe, as every suppression]);
//           `asyncio.create_task(...)` alone on a line -> dangling-task (fix: keep the task in a
//           module-level set [unsafe, preferred], inserting two lines at the top of the file).
//   TS/JS:  `name();` alone on a line, where `async function name` is in the file -> floating-promise
//           (fix: add `void ` [unsafe, as in the real engine]).
import type { AnalyzeRequest } from '../../src/engine/analyzer';
import { languageOf } from '../../src/engine/languages';
import { defaultRuleSettings } from '../../src/engine/rules';
import type { AnalysisResult, Finding, RuleId } from '../../src/engine/types';

export class FakeEngine {
  initCalls = 0;
  analyzed: string[] = [];
  /** Runs before each analysis: lets a test change the world mid-run. */
  beforeAnalyze?: (path: string) => void;
  constructor(private readonly failInit?: string) {}

  async init(): Promise<void> {
    this.initCalls++;
    if (this.failInit) throw new Error(this.failInit);
  }

  analyze(req: AnalyzeRequest): AnalysisResult {
    this.analyzed.push(req.path);
    this.beforeAnalyze?.(req.path);
    const rules = req.rules ?? defaultRuleSettings();
    const lines = req.text.split(/\r\n|\r|\n/);
    const findings: Finding[] = [];
    const notes: string[] = [];
    const lang = languageOf(req.path);
    const asyncNames = new Set(
      [...req.text.matchAll(lang === 'python' ? /async def (\w+)/g : /async function (\w+)/g)].map((m) => m[1]),
    );
    const add = (rule: RuleId, finding: Omit<Finding, 'rule' | 'severity'>) => {
      if (rules.enabled[rule]) findings.push({ rule, severity: rules.severity[rule], ...finding });
    };
    lines.forEach((line, i) => {
      if (line.includes('RAISE')) throw new Error('fake engine exploded');
      if (line.includes('NOTE')) notes.push(`note about line ${i + 1}`);
      const m = lang === 'python' ? /^(\s*|.*; )(\w+)\(\)\s*$/.exec(line) : /^(\s*)(\w+)\(\);\s*$/.exec(line);
      if (m && asyncNames.has(m[2])) {
        const start = { line: i, character: m[1].length };
        const range = { start, end: { line: i, character: m[1].length + m[2].length + 2 } };
        if (lang === 'python') {
          add('unawaited-coroutine', {
            message: `Coroutine '${m[2]}()' is never awaited`,
            range,
            fixes: [
              { kind: 'add-await', title: 'Add “await”', safe: true, preferred: true, edits: [{ range: { start, end: start }, newText: 'await ' }] },
              {
                kind: 'suppress',
                title: 'Suppress with “# asyncguard: ignore[unawaited-coroutine]”',
                safe: false,
                preferred: false,
                edits: [{ range: { start: range.end, end: { line: i, character: line.length } }, newText: '  # asyncguard: ignore[unawaited-coroutine]' }],
              },
            ],
          });
        } else {
          add('floating-promise', {
            message: `Promise returned by '${m[2]}()' is not handled`,
            range,
            fixes: [{ kind: 'add-void', title: 'Add `void`', safe: false, preferred: true, edits: [{ range: { start, end: start }, newText: 'void ' }] }],
          });
        }
      }
      const t = /^(\s*)(asyncio\.create_task\(\w+\(\)\))\s*$/.exec(line);
      if (t && lang === 'python') {
        const start = { line: i, character: t[1].length };
        const end = { line: i, character: t[1].length + t[2].length };
        const alreadyKept = req.text.includes('background_tasks = set()');
        add('dangling-task', {
          message: 'Task is created and dropped',
          range: { start, end },
          fixes: [
            {
              kind: 'keep-task',
              title: 'Keep a reference to the task',
              safe: false,
              preferred: true,
              edits: [
                ...(alreadyKept ? [] : [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'background_tasks = set()\n\n' }]),
                { range: { start, end }, newText: `task = ${t[2]}\n${t[1]}background_tasks.add(task)` },
              ],
            },
          ],
        });
      }
    });
    return { findings, notes };
  }
}
