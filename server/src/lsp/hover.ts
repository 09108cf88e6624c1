// The hover on a flagged call. Editors show the diagnostic's message in the hover already, so this
// adds what the message does not say: what the call returns, why dropping it loses work, and links
// to the rule's explanation. It is a list of sections, rendered as Markdown once; a new kind of
// detail is a new section.
import type { MarkupContent } from 'vscode-languageserver/node';
import type { AwaitableKind, Finding, RuleId } from '../engine/types';

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
  'run-in-running-loop':
    'An event loop is already running in this thread (IPython runs notebook cells in one; an `async def` ' +
    'body only ever runs in one), and a thread runs one loop at a time: the call raises `RuntimeError` ' +
    'before the coroutine starts. Await the coroutine in the running loop instead.',
  'floating-promise':
    'Nothing awaits, returns or catches this promise: the code after it does not wait for it, and ' +
    'if it rejects the rejection is unhandled (Node.js ends the process on one by default).',
  'misused-promise':
    'A promise is used where a plain value is expected: a promise is always truthy, an async ' +
    'callback\'s promise is ignored by a caller that expects nothing back, and its errors are lost.',
};

export interface HoverLinks {
  /** Opens the explanation of this finding (its page with the line quoted), when the client can. */
  explain?: string;
  /** The rule's page, when the client cannot show the explanation itself. */
  page?: string;
}

/** One part of the hover, in the order shown. */
export interface HoverSection {
  kind: 'returns' | 'why' | 'links' | (string & {});
  markdown: string;
}

function codeSpan(text: string): string {
  const fence = '`'.repeat((text.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0) + 1);
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

export function hoverSections(finding: Finding, links: HoverLinks): HoverSection[] {
  const sections: HoverSection[] = [];
  const returns = PROMISE_RULES.has(finding.rule) ? 'a Promise' : RETURNS[finding.awaitable ?? 'unknown'];
  if (returns) {
    const from = finding.callee ? ` (from ${codeSpan(finding.callee)})` : '';
    sections.push({ kind: 'returns', markdown: `**Returns:** ${returns}${from}.` });
  }
  const why = WHY_BY_RULE[finding.rule] ?? WHY[finding.awaitable ?? 'unknown'];
  if (why) sections.push({ kind: 'why', markdown: `**Why it is a problem:** ${why}` });
  const evidence = evidenceMarkdown(finding);
  if (evidence) sections.push({ kind: 'evidence', markdown: evidence });
  const linkLine = [
    links.explain ? `[Explain this problem](${links.explain})` : undefined,
    links.page ? `[Rule page: ${finding.rule}](${links.page})` : undefined,
  ].filter(Boolean);
  if (linkLine.length) sections.push({ kind: 'links', markdown: linkLine.join(' · ') });
  return sections;
}

export function renderHover(sections: readonly HoverSection[]): MarkupContent {
  return { kind: 'markdown', value: sections.map((s) => s.markdown).join('\n\n') };
}

export function hoverContent(finding: Finding, links: HoverLinks): MarkupContent {
  return renderHover(hoverSections(finding, links));
}

/** The finding's evidence (why an undeclared value is taken for an event loop): its first line, then each fact with its line. */
function evidenceMarkdown(finding: Finding): string | undefined {
  if (!finding.evidence?.length) return undefined;
  const escape = (text: string) => text.replace(/[\\`*_[\]<>#|]/g, '\\$&');
  const lines = finding.evidence.map((e) => escape(e.at ? `${e.text} on line ${e.at.line + 1}` : e.text));
  const [first, ...rest] = lines;
  return [`**Evidence:** ${first}`, ...rest.map((l) => `- ${l}`)].join('\n');
}
