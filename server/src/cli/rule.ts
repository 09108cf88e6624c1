// `asyncguard rule RULE-ID` prints the rule's documentation (like `ruff rule`); `--all` lists rules.
// A concept's id (`asyncguard rule concurrency`) prints that page.
import { conceptMeta } from '../engine/concepts';
import { isRuleId, RULES, RULE_IDS } from '../engine/rules';
import { conceptDoc, ruleDoc, rulesDocsDir } from './docs';

export interface RuleOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function runRule(id: string | undefined, all: boolean, out: RuleOutput, findDocs: () => string | undefined = rulesDocsDir): number {
  if (all) {
    const width = Math.max(...RULES.map((r) => r.id.length));
    for (const r of RULES) out.stdout(`${r.id.padEnd(width)}  ${r.language.padEnd(10)}  ${r.defaultSeverity.padEnd(7)}  ${r.summary}\n`);
    return 0;
  }
  if (id !== undefined && conceptMeta(id)) {
    const docsDir = findDocs();
    const doc = conceptDoc(id, docsDir);
    if (doc === undefined) {
      out.stderr(`asyncguard: error: the page ${id} is not installed (${docsDir ? `no concepts/${id}.md beside ${docsDir}` : 'no docs/rules folder found'})\n`);
      return 2;
    }
    out.stdout(doc.endsWith('\n') ? doc : doc + '\n');
    return 0;
  }
  if (id === undefined || !isRuleId(id)) {
    out.stderr(`asyncguard: error: unknown rule '${id}' (known rules: ${RULE_IDS.join(', ')})\n`);
    return 2;
  }
  const docsDir = findDocs();
  const doc = ruleDoc(id, docsDir);
  if (doc === undefined) {
    out.stderr(`asyncguard: error: the documentation of ${id} is not installed (${docsDir ? `no ${id}.md in ${docsDir}` : 'no docs/rules folder found'})\n`);
    return 2;
  }
  out.stdout(doc.endsWith('\n') ? doc : doc + '\n');
  return 0;
}
