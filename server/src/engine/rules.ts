import type { RuleId, RuleSettings, Severity } from './types';

/** What every rule declares about itself; the rule's logic lives in its own file. */
export interface RuleMeta {
  id: RuleId;
  language: 'python' | 'typescript';
  defaultSeverity: Severity;
  /** One line, shown in `asyncguard rule` listings and quick picks. */
  summary: string;
}

export const RULES: readonly RuleMeta[] = [
  {
    id: 'unawaited-coroutine',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A coroutine is created and never awaited, so its body never runs.',
  },
  {
    id: 'dangling-task',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A Task is created and its only reference dropped; the event loop holds tasks weakly, so it can vanish before it finishes.',
  },
  {
    id: 'floating-future',
    language: 'python',
    defaultSeverity: 'warning',
    summary: 'A Future is dropped on the floor: its result and its exception are never looked at.',
  },
  {
    id: 'run-in-running-loop',
    language: 'python',
    defaultSeverity: 'error',
    summary: 'asyncio.run() or loop.run_until_complete() where an event loop is already running (a notebook cell, an async def): it raises RuntimeError.',
  },
  {
    id: 'floating-promise',
    language: 'typescript',
    defaultSeverity: 'warning',
    summary: 'A Promise is neither awaited, returned, caught nor voided; its rejection goes unhandled.',
  },
  {
    id: 'misused-promise',
    language: 'typescript',
    defaultSeverity: 'warning',
    summary: 'A Promise is used where a plain value is expected (a condition, a void callback, a spread).',
  },
];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

export function ruleMeta(id: RuleId): RuleMeta {
  const meta = RULES.find((r) => r.id === id);
  if (!meta) throw new Error(`unknown rule ${id}`);
  return meta;
}

export function defaultRuleSettings(): RuleSettings {
  const enabled = {} as Record<RuleId, boolean>;
  const severity = {} as Record<RuleId, Severity>;
  for (const r of RULES) {
    enabled[r.id] = true;
    severity[r.id] = r.defaultSeverity;
  }
  return { enabled, severity };
}
