// A documentation page (Markdown) rendered for a terminal: headings, paragraphs as written, lists,
// tables in aligned columns, code blocks indented. With `color` (a TTY) headings are bold and code
// is coloured; without it the text is plain and inline code is set off with typographic quotes,
// as in every other message. Links to other pages say the command that shows them.
import MarkdownIt from 'markdown-it';
import { quoted } from '../engine/messages';

type Token = ReturnType<MarkdownIt['parse']>[number];

export interface TerminalOptions {
  color: boolean;
  /** The command that shows page NAME, for links between pages: `asyncguard rule NAME`. */
  pageCommand?: (name: string) => string;
}

const ESC = '\u001b[';
const style = {
  bold: [`${ESC}1m`, `${ESC}22m`],
  italic: [`${ESC}3m`, `${ESC}23m`],
  underline: [`${ESC}4m`, `${ESC}24m`],
  code: [`${ESC}36m`, `${ESC}39m`],
  dim: [`${ESC}2m`, `${ESC}22m`],
} as const;

/** Links to another page of the docs: `dangling-task.md`, `./x.zh-CN.md#anchor`, `../rules/x.md`. */
const PAGE_LINK = /^(?:\.{1,2}\/)*(?:[\w-]+\/)*([a-z0-9][a-z0-9-]*?)(?:\.zh-CN)?\.md(?:#.*)?$/i;

/** Columns a string takes in a terminal: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const code = ch.codePointAt(0)!;
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x20000 && code <= 0x3fffd)
      ? 2
      : 1;
  }
  return width;
}

export function renderForTerminal(markdown: string, options: TerminalOptions): string {
  const tokens = new MarkdownIt({ html: false, linkify: false }).parse(markdown, {});
  return new Renderer(options).blocks(tokens).replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

class Renderer {
  constructor(private readonly options: TerminalOptions) {}

  private paint(kind: keyof typeof style, text: string): string {
    return this.options.color && text ? `${style[kind][0]}${text}${style[kind][1]}` : text;
  }

  /** Inline tokens (the children of an `inline` token) as one string; soft breaks stay line breaks. */
  inline(children: Token[] | null, indent = ''): string {
    let out = '';
    const links: (string | undefined)[] = [];
    for (const t of children ?? []) {
      switch (t.type) {
        case 'text':
          out += t.content;
          break;
        case 'code_inline':
          out += this.options.color ? this.paint('code', t.content) : quoted(t.content);
          break;
        case 'softbreak':
        case 'hardbreak':
          out += '\n' + indent;
          break;
        case 'strong_open':
          out += this.options.color ? style.bold[0] : '';
          break;
        case 'strong_close':
          out += this.options.color ? style.bold[1] : '';
          break;
        case 'em_open':
          out += this.options.color ? style.italic[0] : '';
          break;
        case 'em_close':
          out += this.options.color ? style.italic[1] : '';
          break;
        case 'link_open':
          links.push(t.attrGet('href') ?? undefined);
          break;
        case 'link_close': {
          const href = links.pop();
          const page = href ? PAGE_LINK.exec(href)?.[1] : undefined;
          const target = page && this.options.pageCommand ? this.options.pageCommand(page) : href && !PAGE_LINK.test(href) ? href : undefined;
          if (target) out += this.paint('dim', ` (${target})`);
          break;
        }
        case 'image':
          out += t.content ? `[${t.content}]` : '';
          break;
        default:
          out += t.content ?? '';
      }
    }
    return out;
  }

  blocks(tokens: Token[]): string {
    const out: string[] = [];
    /** For each open list: its kind and the next number of an ordered one. */
    const lists: { ordered: boolean; next: number }[] = [];
    let quoteDepth = 0;
    const prefix = () => '  '.repeat(Math.max(0, lists.length - 1)) + '│ '.repeat(quoteDepth);
    let pendingBullet: string | undefined;

    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      switch (t.type) {
        case 'heading_open': {
          const text = this.inline(tokens[i + 1].children);
          const level = Number(t.tag.slice(1));
          if (this.options.color) {
            out.push(level === 1 ? this.paint('bold', this.paint('underline', text)) : this.paint('bold', text), '');
          } else {
            out.push(text);
            if (level <= 2) out.push((level === 1 ? '=' : '-').repeat(displayWidth(text)));
            out.push('');
          }
          i += 2;
          break;
        }
        case 'paragraph_open': {
          const lead = pendingBullet ?? prefix();
          const hang = pendingBullet ? ' '.repeat(displayWidth(pendingBullet)) : prefix();
          pendingBullet = undefined;
          out.push(lead + this.inline(tokens[i + 1].children, hang));
          if (!lists.length) out.push('');
          i += 2;
          break;
        }
        case 'bullet_list_open':
        case 'ordered_list_open':
          lists.push({ ordered: t.type === 'ordered_list_open', next: Number(t.attrGet('start') ?? 1) });
          break;
        case 'bullet_list_close':
        case 'ordered_list_close':
          lists.pop();
          if (!lists.length) out.push('');
          break;
        case 'list_item_open': {
          const list = lists[lists.length - 1];
          const marker = list.ordered ? `${list.next++}. ` : '• ';
          pendingBullet = prefix() + '  ' + marker;
          break;
        }
        case 'blockquote_open':
          quoteDepth++;
          break;
        case 'blockquote_close':
          quoteDepth--;
          break;
        case 'fence':
        case 'code_block': {
          const pad = prefix() + '    ';
          const body = t.content.replace(/\n$/, '').split('\n').map((line) => (line ? pad + this.paint('code', line) : ''));
          if (pendingBullet) out.push(pendingBullet.trimEnd());
          pendingBullet = undefined;
          out.push(...body, '');
          break;
        }
        case 'table_open': {
          const end = tokens.findIndex((x, j) => j > i && x.type === 'table_close');
          out.push(...this.table(tokens.slice(i, end + 1), prefix()), '');
          i = end;
          break;
        }
        case 'hr':
          out.push(prefix() + '─'.repeat(40), '');
          break;
        default:
          break;
      }
    }
    return out.join('\n');
  }

  /** A table as aligned columns, the header underlined. */
  table(tokens: Token[], indent: string): string[] {
    const rows: string[][] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type === 'tr_open') rows.push([]);
      if (tokens[i].type === 'inline') rows[rows.length - 1].push(this.inline(tokens[i].children).replace(/\n/g, ' '));
    }
    if (!rows.length) return [];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
    const line = (cells: string[]) => indent + cells.map((cell, c) => cell + ' '.repeat(widths[c] - displayWidth(cell))).join('  ').trimEnd();
    const [head, ...body] = rows;
    return [
      line(head.map((h) => this.paint('bold', h))),
      indent + widths.map((w) => '─'.repeat(w)).join('  '),
      ...body.map(line),
    ];
  }
}
