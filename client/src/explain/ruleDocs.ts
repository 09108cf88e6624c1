// Rule documentation (docs/rules/RULE.md and RULE.zh-CN.md) rendered to the HTML of the
// explanation view. No vscode import: the view passes in what it knows, so this is tested alone.
import MarkdownIt from 'markdown-it';

export type DocLanguage = 'en' | 'zh-CN';

/** Simplified Chinese for VS Code's zh-cn display language (and its aliases); English otherwise. */
export function docLanguageFor(displayLanguage: string): DocLanguage {
  const lang = displayLanguage.toLowerCase();
  return lang === 'zh-cn' || lang === 'zh-hans' || lang === 'zh-sg' || lang === 'zh' ? 'zh-CN' : 'en';
}

/** The files to try, best first: the translation falls back to the English page. */
export function docFileNames(rule: string, language: DocLanguage): string[] {
  return language === 'zh-CN' ? [`${rule}.zh-CN.md`, `${rule}.md`] : [`${rule}.md`];
}

/** The line a finding was reported on, quoted above the page. */
export interface QuotedLine {
  file: string;
  /** 1-based, as people count lines. */
  line: number;
  text: string;
}

export interface ExplanationPage {
  rule: string;
  language: DocLanguage;
  markdown: string;
  quote?: QuotedLine;
  /** Localised "Found in {file}, line {line}:" for the quote's heading. */
  quoteHeading?: string;
  /** The command a link to another rule's page runs, e.g. `asyncguard.explainRule`. */
  explainCommand: string;
  /** The rules and concepts (docs/concepts) that links may open in the view. */
  knownRules: readonly string[];
  /** The webview's `cspSource`. */
  cspSource: string;
}

/** `dangling-task.md` from a rule page, `../concepts/concurrency.md` or `../rules/dangling-task.md` between rules and concepts. */
const RULE_PAGE_LINK = /^(?:\.\/|\.\.\/(?:rules|concepts)\/)?([a-z][a-z-]*?)(?:\.zh-CN)?\.md(?:#.*)?$/;

function createRenderer(page: ExplanationPage): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true });
  // Links between rule pages open that rule's explanation instead of a file the view cannot show.
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const href = token.attrGet('href') ?? '';
    const target = RULE_PAGE_LINK.exec(href)?.[1];
    if (target && page.knownRules.includes(target)) {
      const args = encodeURIComponent(JSON.stringify([target]));
      token.attrSet('href', `command:${page.explainCommand}?${args}`);
    }
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderExplanationBody(page: ExplanationPage): string {
  const md = createRenderer(page);
  let quote = '';
  if (page.quote) {
    const heading = page.quoteHeading ?? `${page.quote.file}:${page.quote.line}`;
    quote =
      `<section class="quote" data-rule="${escapeHtml(page.rule)}">` +
      `<p>${escapeHtml(heading)}</p>` +
      `<pre><code><span class="line-number">${page.quote.line}</span>${escapeHtml(page.quote.text)}</code></pre>` +
      `</section>\n`;
  }
  return quote + md.render(page.markdown);
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
  line-height: 1.5; max-width: 52em; padding: 0 1.5em 2em; }
a { color: var(--vscode-textLink-foreground); }
code { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre { background: var(--vscode-textCodeBlock-background); padding: 0.6em 0.9em; overflow-x: auto; border-radius: 3px; }
.quote { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 0.9em; margin: 1em 0 1.5em; }
.quote p { margin: 0 0 0.3em; color: var(--vscode-descriptionForeground); }
.line-number { color: var(--vscode-editorLineNumber-foreground); margin-right: 1.2em; user-select: none; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--vscode-panel-border); padding: 0.2em 0.6em; }
`;

export function renderExplanationHtml(page: ExplanationPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource} 'unsafe-inline'`,
    `img-src ${page.cspSource} https: data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${page.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(page.rule)}</title>
<style>${STYLE}</style>
</head>
<body data-rule="${escapeHtml(page.rule)}" data-language="${page.language}">
${renderExplanationBody(page)}
</body>
</html>`;
}
