// The rule registry: everything AsyncGuard says about a rule outside the rule's own logic, one entry
// per rule. Derived from it: the settings of each file (which rules exist, their default severity),
// the suppression comments of other tools the engines honour (python/suppressions.ts,
// ts/suppressions.ts), the hover (lsp/hover.ts), the package.json severity settings (written by
// `npm run rules:sync`, checked by test/vscode/manifest.test.ts), the SARIF rule list, the
// extension's "Explain a Rule…" picker, the docs test (docs/rules/ID.md and ID.zh-CN.md) and
// `asyncguard rule --all`. The rule's logic lives in its own file (python/rules/ID.ts, ts/ID.ts).
// CONTRIBUTING.md says how to add one.
// This module imports nothing: the ids, severities and awaitable kinds it declares are the engine's
// vocabulary (types.ts re-exports them).

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The one answer to "what does this call return?". `unknown` never produces a finding. */
export type AwaitableKind = 'coroutine' | 'task' | 'future' | 'awaitable' | 'async-generator' | 'not-awaitable' | 'unknown';

/** Another tool whose suppression comments for the same pitfall are honoured. */
export type ForeignTool = 'ruff' | 'flake8-async' | 'pyright' | 'mypy' | 'ty' | 'pyrefly' | 'eslint';

/**
 * One code of another tool that suppresses the same pitfall, as that tool spells its comments:
 * ruff and flake8-async `# noqa: CODE` (ruff also `# ruff: ignore[CODE]`), pyright
 * `# pyright: ignore[CODE]`, mypy `# type: ignore[CODE]`, ty `# ty: ignore[CODE]`, pyrefly
 * `# pyrefly: ignore[CODE]`, eslint `// eslint-disable-next-line CODE` and its other directives.
 */
export interface ForeignCode {
  tool: ForeignTool;
  code: string;
  /** The tool's bare form (`# type: ignore`, `# pyright: ignore`) suppresses it too, as the tool treats it. */
  bare?: boolean;
}

/** Text that depends on what the flagged expression evaluates to, or one text for every kind. */
export type ByAwaitable = string | Partial<Record<AwaitableKind, string>>;

/** What every rule declares about itself; the rule's logic lives in its own file. */
interface RuleEntry {
  id: string;
  language: 'python' | 'typescript';
  defaultSeverity: Severity;
  /** One line, shown in `asyncguard rule --all`, SARIF and the extension's rule picker (translated in l10n/). */
  summary: string;
  /** The description of its `asyncguard.rules.ID.severity` setting (package.nls.json; Markdown). */
  setting: string;
  /** Other tools' suppressions of the same pitfall, honoured as ours. */
  honours: readonly ForeignCode[];
  /** The hover: what the flagged expression is, and why dropping it is a problem (Markdown). */
  hover: { returns: ByAwaitable; why: ByAwaitable };
}

const PROMISE_WHY = {
  floating:
    'Nothing awaits, returns or catches this promise: the code after it does not wait for it, and ' +
    'if it rejects the rejection is unhandled (Node.js ends the process on one by default).',
  misused:
    'A promise is used where a plain value is expected: a promise is always truthy, an async ' +
    "callback's promise is ignored by a caller that expects nothing back, and its errors are lost.",
};

const PROJECT_FILE_WINS = 'A `pyproject.toml` `[tool.asyncguard]` setting wins over this one.';
const JSON_FILE_WINS = 'An `asyncguard.json` or `package.json` `"asyncguard"` setting wins over this one.';

const ENTRIES = [
  {
    id: 'unawaited-coroutine',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A coroutine is created and never awaited, so its body never runs.',
    setting: `Severity of \`unawaited-coroutine\`: a coroutine created and never awaited, so its body never runs. ${PROJECT_FILE_WINS}`,
    honours: [
      { tool: 'pyright', code: 'reportUnusedCoroutine', bare: true },
      { tool: 'mypy', code: 'unused-coroutine', bare: true },
      { tool: 'ty', code: 'unused-awaitable' },
      { tool: 'pyrefly', code: 'unused-coroutine' },
    ],
    hover: {
      returns: { coroutine: 'a coroutine', 'async-generator': 'an async generator', awaitable: 'an awaitable' },
      why: {
        coroutine:
          'Calling an `async def` function does not run it: it only creates a coroutine object. ' +
          'The body runs when the coroutine is awaited or scheduled as a task; dropped, it never runs, ' +
          'and Python only warns "coroutine ... was never awaited" when the object is garbage-collected.',
        'async-generator':
          'Calling an async generator function does not run it: its body runs only while something iterates ' +
          'over it (`async for`). Dropped, it never runs, and Python says nothing.',
        awaitable: 'Nothing awaits this value, so the work it stands for is not waited for and its errors are lost.',
      },
    },
  },
  {
    id: 'dangling-task',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A Task is created and its only reference dropped; the event loop holds tasks weakly, so it can vanish before it finishes.',
    setting: `Severity of \`dangling-task\`: an asyncio Task whose only reference is dropped, so it can be garbage-collected before it finishes. ${PROJECT_FILE_WINS}`,
    honours: [
      { tool: 'ruff', code: 'RUF006' },
      { tool: 'flake8-async', code: 'ASYNC300' },
    ],
    hover: {
      returns: 'an asyncio Task',
      why:
        'The task is scheduled, but the event loop keeps only a weak reference to it. With no other ' +
        'reference it can be garbage-collected before it finishes, and its exception is never seen. ' +
        'It often survives by luck (a timer holds it), which is why the bug is hard to reproduce.',
    },
  },
  {
    id: 'floating-future',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A Future is dropped on the floor: its result and its exception are never looked at.',
    setting: `Severity of \`floating-future\`: a Future dropped on the floor, its result and exception never looked at. ${PROJECT_FILE_WINS}`,
    honours: [],
    hover: {
      returns: 'a Future',
      why:
        'Nobody awaits this future, so its result is thrown away and its exception is at best logged ' +
        'as "exception was never retrieved"; the code after it does not wait for the work to finish.',
    },
  },
  {
    id: 'run-in-running-loop',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'asyncio.run() or loop.run_until_complete() where an event loop is already running (a notebook cell, an async def): it raises RuntimeError.',
    setting: `Severity of \`run-in-running-loop\`: \`asyncio.run()\` or \`loop.run_until_complete()\` where an event loop already runs (a notebook cell, an \`async def\`), which raises \`RuntimeError\`. ${PROJECT_FILE_WINS}`,
    honours: [],
    hover: {
      // the flagged call raises before it returns anything
      returns: {},
      why:
        'An event loop is already running in this thread (IPython runs notebook cells in one; an `async def` ' +
        'body only ever runs in one), and a thread runs one loop at a time: the call raises `RuntimeError` ' +
        'before the coroutine starts. Await the coroutine in the running loop instead.',
    },
  },
  {
    id: 'floating-promise',
    language: 'typescript',
    defaultSeverity: 'warning',
    summary: 'A Promise is neither awaited, returned, caught nor voided; its rejection goes unhandled.',
    setting: `Severity of \`floating-promise\`: a Promise that is neither awaited, returned, caught nor voided. ${JSON_FILE_WINS}`,
    honours: [{ tool: 'eslint', code: '@typescript-eslint/no-floating-promises' }],
    hover: { returns: 'a Promise', why: PROMISE_WHY.floating },
  },
  {
    id: 'misused-promise',
    language: 'typescript',
    defaultSeverity: 'warning',
    summary: 'A Promise is used where a plain value is expected (a condition, a void callback, a spread).',
    setting: `Severity of \`misused-promise\`: a Promise used where a plain value is expected (a condition, a void callback, a spread). ${JSON_FILE_WINS}`,
    honours: [{ tool: 'eslint', code: '@typescript-eslint/no-misused-promises' }],
    hover: { returns: 'a Promise', why: PROMISE_WHY.misused },
  },
] as const satisfies readonly RuleEntry[];

/** A rule's id: one of the registry's. */
export type RuleId = (typeof ENTRIES)[number]['id'];

export interface RuleMeta extends RuleEntry {
  id: RuleId;
}

export const RULES: readonly RuleMeta[] = ENTRIES;

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** The rules of one language. */
export function rulesOf(language: RuleMeta['language']): readonly RuleMeta[] {
  return RULES.filter((r) => r.language === language);
}

/** The registry entry of a rule. */
export function ruleEntry(id: RuleId): RuleMeta {
  return RULES.find((r) => r.id === id)!;
}

/** A rule's text for what its finding evaluates to (ByAwaitable), if it has one. */
export function textFor(text: ByAwaitable, awaitable: AwaitableKind | undefined): string | undefined {
  return typeof text === 'string' ? text : awaitable && text[awaitable];
}

/** The docs pages of a rule, relative to the docs folder: English, and the Simplified Chinese beside it. */
export function rulePages(id: RuleId): { en: string; 'zh-CN': string } {
  return { en: `rules/${id}.md`, 'zh-CN': `rules/${id}.zh-CN.md` };
}

/** Every rule on, at its default severity (a RuleSettings). */
export function defaultRuleSettings(): { enabled: Record<RuleId, boolean>; severity: Record<RuleId, Severity> } {
  const enabled = {} as Record<RuleId, boolean>;
  const severity = {} as Record<RuleId, Severity>;
  for (const r of RULES) {
    enabled[r.id] = true;
    severity[r.id] = r.defaultSeverity;
  }
  return { enabled, severity };
}
