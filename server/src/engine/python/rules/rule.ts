// What a Python rule sees of a call, and what it gives back.
import type { Finding, RuleId } from '../../types';
import type { FixSite } from '../fixes/context';
import type { CallAnswer } from './asyncio-roles';
import type { Node, SyntaxTree } from '../tree';
import type { Usage } from '../usage';

export interface CallSite extends FixSite {
  usage: Usage;
  /** Asked lazily: inference is the costly part, and most calls are used normally. */
  answer(): CallAnswer;
}

export type Draft = Omit<Finding, 'severity'>;

export interface PythonRule {
  id: RuleId;
  /** The rule looks at calls whose value is used too (most rules look only at values dropped or left unread). */
  checksUsedCalls?: boolean;
  check(site: CallSite): Draft | undefined;
}

/** The callee as the user wrote it, shortened for messages: `self.client.fetch`. */
export function calleeText(tree: SyntaxTree, call: Node): string {
  const fn = tree.field(call, 'function');
  const text = tree.textOf(fn || call).replace(/\s+/g, '');
  return text.length > 40 ? `…${text.slice(-39)}` : text;
}

export function shortName(tree: SyntaxTree, call: Node): string {
  const text = calleeText(tree, call);
  return text.slice(text.lastIndexOf('.') + 1);
}
