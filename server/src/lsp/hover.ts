// The hover on a flagged call: what the call returns and why dropping it loses work, with links to
// the explanation (a command the VS Code extension provides) and the rule's documentation page.
import type { MarkupContent } from 'vscode-languageserver/node';
import type { AwaitableKind, Finding, RuleId } from '../engine/types';

export const EXPLAIN_COMMAND = 'asyncguard.explainProblem';

const RETURNS: Partial<Record<AwaitableKind, string>> = {
  coroutine: 'a coroutine',
  task: 'an asyncio Task',
  future: 'a Future',
  awaitable: 'an awaitable',
  'async-generator': 'an async generator',
};

const PROMISE_RULES = new Set<RuleId>(['floating-promise', 'misused-promise']);

const WHY: Partial<Record<AwaitableKind, string>> = {
  coroutine:
    'Calling an `async def` function does not run it: it only creates a coroutine object. ' +
    'The body runs when the coroutine is awaited or scheduled as a task; dropped, it never runs, ' +
    'and Python only warns "coroutine ... was never awaited" when the object is garbage-collected.',
  task:
    'The task is scheduled, but the event loop keeps only a weak reference to it. With no other ' +
    'reference it can be garbage-collected before it finishes, and its exception is never seen. ' +
    'It often survives by luck (a timer holds it), which is why the bug is hard to reproduce.',
  future:
    'Nobody awaits this future, so its result is thrown away and its exception is at best logged ' +
    'as "exception was never retrieved"; the code after it does not wait for the work to finish.',
  awaitable: 'Nothing awaits this value, so the work it stands for is not waited for and its errors are lost.',
  'async-generator':
    'Calling an async generator function does not run it: its body runs only while something iterates ' +
    'over it (`async for`). Dropped, it never runs, and Python says nothing.',
};

const WHY_BY_RULE: Partial<Record<RuleId, string>> = {
  'floating-promise':
    'Nothing awaits, returns or catches this promise: the code after it does not wait for it, and ' +
    'if it rejects the rejection is unhandled (Node.js ends the process on one by default).',
  'misused-promise':
    'A promise is used where a plain value is expected: a promise is always truthy, an async ' +
    'callback\'s promise is ignored by a caller that expects nothing back, and its errors are lost.',
};

export interface HoverLinks {
  /** The command link that opens the explanation, or undefined when the client cannot run it. */
  explain?: string;
  docs: string;
}

export function explainCommandUri(finding: Finding, uri: string): string {
  const args = [{ rule: finding.rule, uri, range: finding.range }];
  return `command:${EXPLAIN_COMMAND}?${encodeURIComponent(JSON.stringify(args))}`;
}

export function hoverContent(finding: Finding, links: HoverLinks): MarkupContent {
  const parts = [`**AsyncGuard \`${finding.rule}\`**: ${finding.message}`];
  const returns = PROMISE_RULES.has(finding.rule) ? 'a Promise' : RETURNS[finding.awaitable ?? 'unknown'];
  if (returns) parts.push(`**Returns:** ${returns}${finding.callee ? ` (from \`${finding.callee}\`)` : ''}.`);
  const why = WHY_BY_RULE[finding.rule] ?? WHY[finding.awaitable ?? 'unknown'];
  if (why) parts.push(`**Why it is a problem:** ${why}`);
  const evidence = evidenceMarkdown(finding);
  if (evidence) parts.push(evidence);
  const linkLine = [links.explain ? `[Explain this problem](${links.explain})` : undefined, `[Rule documentation](${links.docs})`]
    .filter(Boolean)
    .join(' · ');
  parts.push(linkLine);
  return { kind: 'markdown', value: parts.join('\n\n') };
}

/** The finding's evidence (why an undeclared value is taken for an event loop): its first line, then each fact with its line. */
function evidenceMarkdown(finding: Finding): string | undefined {
  if (!finding.evidence?.length) return undefined;
  const escape = (text: string) => text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
  const lines = finding.evidence.map((e) => escape(e.at ? `${e.text} on line ${e.at.line + 1}` : e.text));
  const [first, ...rest] = lines;
  return [`**Evidence:** ${first}`, ...rest.map((l) => `- ${l}`)].join('\n');
}
