// Where a diagnostic's rule link and the hover's links lead. A client that shows explanations itself
// says how to reach them (VS Code: `explainUri`, the extension's URI handler, which the Problems
// panel and the diagnostic hover open; `explainCommand`, the command a trusted hover link runs); the
// link then carries the finding, so the explanation quotes its line. Any other client gets the rule's
// page as shipped beside the server (docs/rules, in the client's language), or under the
// `docsBaseUrl` setting when one is given. Never a made-up web address.
import { pathToFileURL } from 'node:url';
import { docsDir, findPage, type DocLanguage } from '../docs/pages';
import type { Range, RuleId } from '../engine/types';
import type { ServerSettings } from './settings';

export interface RuleLinkOptions {
  /** The client's explanation URI (scheme, authority and path); query parameters are added. */
  explainUri?: string;
  /** The client's command that explains a finding, given `{ rule, uri, range }`. */
  explainCommand?: string;
  /** The client's language: which page to link to. */
  language: DocLanguage;
  /** Where the pages are (found beside the server by default). */
  docs?: string;
}

export interface FindingPlace {
  uri: string;
  range: Range;
}

export class RuleLinks {
  private readonly docs: string | undefined;
  private readonly pages = new Map<RuleId, string | undefined>();

  constructor(private readonly options: RuleLinkOptions) {
    this.docs = options.docs ?? docsDir();
  }

  /** The hover's link to the finding's explanation, when the client has a command for it. */
  explainCommand(rule: RuleId, at: FindingPlace): string | undefined {
    if (!this.options.explainCommand) return undefined;
    const args = [{ rule, uri: at.uri, range: at.range }];
    return `command:${this.options.explainCommand}?${encodeURIComponent(JSON.stringify(args))}`;
  }

  /** The link of a finding: its explanation in the client, else its rule's page. */
  forFinding(settings: ServerSettings, rule: RuleId, at: FindingPlace): string | undefined {
    if (this.options.explainUri) {
      const query = new URLSearchParams({ rule, uri: at.uri, line: String(at.range.start.line), character: String(at.range.start.character) });
      return `${this.options.explainUri}?${query}`;
    }
    return this.page(settings, rule);
  }

  /** The rule's page: under `docsBaseUrl` if set, else the bundled file (undefined when none is shipped). */
  page(settings: ServerSettings, rule: RuleId): string | undefined {
    if (settings.docsBaseUrl) return `${settings.docsBaseUrl}${rule}.md`;
    if (!this.pages.has(rule)) {
      const file = findPage(rule, this.docs, this.options.language) ?? findPage(rule, this.docs, 'en');
      this.pages.set(rule, file ? pathToFileURL(file).href : undefined);
    }
    return this.pages.get(rule);
  }
}
