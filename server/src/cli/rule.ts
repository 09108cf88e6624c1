// `asyncguard rule NAME` prints a documentation page (like `ruff rule`): a rule's, or any other page
// of the docs by its name. Rendered for the terminal (colour only on a TTY), or the raw Markdown with
// `--format markdown`; English or Simplified Chinese (`--lang`, else the locale). `--all` lists rules.
import { CONCEPTS } from '../engine/concepts';
import { isRuleId, RULES, RULE_IDS } from '../engine/rules';
import { docsDir, pageNames, readPage, type DocLanguage } from '../docs/pages';
import { renderForTerminal } from '../docs/terminal';

export type PageFormat = 'text' | 'markdown';

export interface RuleOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour the rendered page (stdout is a terminal and NO_COLOR is not set). */
  color?: boolean;
}

export interface RuleRequest {
  name?: string;
  all: boolean;
  language: DocLanguage;
  format: PageFormat;
}

export function runRule(request: RuleRequest, out: RuleOutput, findDocs: () => string | undefined = docsDir): number {
  if (request.all) {
    // the rules, then the pages that teach an idea (`asyncguard rule concurrency`)
    const rows = [
      ...RULES.map((r) => [r.id, r.language, r.defaultSeverity, r.summary]),
      ...CONCEPTS.map((c) => [c.id, 'concept', '', `${c.title}: ${c.summary}`]),
    ];
    const width = Math.max(...rows.map(([id]) => id.length));
    for (const [id, language, severity, summary] of rows) out.stdout(`${id.padEnd(width)}  ${language.padEnd(10)}  ${severity.padEnd(7)}  ${summary}\n`);
    return 0;
  }
  const dir = findDocs();
  const name = request.name ?? '';
  const page = readPage(name, dir, request.language);
  if (!page) {
    if (isRuleId(name)) {
      out.stderr(`asyncguard: error: the documentation of ${name} is not installed (${dir ? `no ${name}.md under ${dir}` : 'no docs folder found'})\n`);
    } else {
      const others = pageNames(dir).filter((p) => !isRuleId(p));
      const more = others.length ? `; other pages: ${others.join(', ')}` : '';
      out.stderr(`asyncguard: error: unknown rule '${name}' (known rules: ${RULE_IDS.join(', ')}${more})\n`);
    }
    return 2;
  }
  if (page.language !== request.language) {
    out.stderr(`asyncguard: warning: ${name} has no ${request.language} page; showing the English one\n`);
  }
  if (request.format === 'markdown') {
    out.stdout(page.text.endsWith('\n') ? page.text : page.text + '\n');
    return 0;
  }
  out.stdout(renderForTerminal(page.text, { color: out.color ?? false, pageCommand: (p) => `asyncguard rule ${p}` }));
  return 0;
}
