// The hover on a flagged call. Editors show the diagnostic's message in the hover already, so this
// adds what the message does not say: what the call returns, why dropping it loses work, and links
// to the rule's explanation. It is a list of sections, rendered as Markdown once; a new kind of
// detail is a new section.
import type { MarkupContent } from 'vscode-languageserver/node';
import { ruleEntry, textFor } from '../engine/rules';
import type { Finding } from '../engine/types';

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
  // what the finding evaluates to and why dropping it loses work: the rule registry's words
  const { hover } = ruleEntry(finding.rule);
  const returns = textFor(hover.returns, finding.awaitable);
  if (returns) {
    const from = finding.callee ? ` (from ${codeSpan(finding.callee)})` : '';
    sections.push({ kind: 'returns', markdown: `**Returns:** ${returns}${from}.` });
  }
  const why = textFor(hover.why, finding.awaitable);
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
