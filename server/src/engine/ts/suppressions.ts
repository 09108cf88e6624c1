// Suppression comments honoured in TS/JS files:
//   // asyncguard-ignore-next-line floating-promise, misused-promise   (no list: every rule)
//   // eslint-disable-next-line @typescript-eslint/no-floating-promises  (and -line, and bare)
//   /* eslint-disable @typescript-eslint/no-misused-promises */ ... /* eslint-enable ... */
// As in ESLint, `eslint-disable`/`eslint-enable` count only in block comments, and text after
// ` -- ` is a description.
//
// A line under `// @ts-expect-error` is not reported either: the directive says the line does not
// type-check (TypeScript reports the directive when it does), so the types a finding there would be
// based on are known to be wrong (typically a test calling an API with invalid arguments, which the
// checker resolves to some overload anyway). `@ts-ignore` promises no error and suppresses nothing.
//
// Which rules there are, and which eslint rules suppress them, is the rule registry's (rules.ts).
import * as ts from 'typescript';
import { rulesOf } from '../rules';
import type { RuleId } from '../types';
import { positionAt } from '../text';
import { lineStartsOf } from './context';

const OUR_NAMES: ReadonlySet<string> = new Set(rulesOf('typescript').map((r) => r.id));
const ESLINT_NAMES: ReadonlyMap<string, RuleId> = new Map(
  rulesOf('typescript').flatMap((r) => r.honours.filter((h) => h.tool === 'eslint').map((h) => [h.code, r.id] as const)),
);

type RuleSet = 'all' | Set<RuleId>;

interface RangeDirective {
  offset: number;
  disable: boolean;
  rules: RuleSet;
}

const DIRECTIVE = /^\s*(asyncguard-ignore-next-line|eslint-disable-next-line|eslint-disable-line|eslint-disable|eslint-enable)(?=\s|$)(.*)$/s;
/** As TypeScript reads it: at the start of the comment, whatever follows. */
const EXPECT_ERROR = /^[/*]*\s*@ts-expect-error/;
/** Where a directive may start (checked to be inside a real comment before it counts). */
const CANDIDATE = /asyncguard-ignore|eslint-(?:disable|enable)|@ts-expect-error/g;

export class Suppressions {
  private readonly byLine = new Map<number, RuleSet[]>();
  private readonly ranges: RangeDirective[] = [];
  private readonly starts: number[];

  /** `starts` are the text's line starts, when the caller has them already. */
  constructor(sf: ts.SourceFile, starts?: number[]) {
    this.starts = starts ?? lineStartsOf(sf.text);
    const seen = new Set<number>();
    for (const m of sf.text.matchAll(CANDIDATE)) {
      const c = commentAt(sf, m.index);
      if (c && !seen.has(c.pos)) {
        seen.add(c.pos);
        this.read(sf.text, c);
      }
    }
    this.ranges.sort((a, b) => a.offset - b.offset);
  }

  isSuppressed(rule: RuleId, offset: number): boolean {
    const line = positionAt(this.starts, offset).line;
    if (this.byLine.get(line)?.some((set) => covers(set, rule))) return true;
    let suppressed = false;
    for (const d of this.ranges) {
      if (d.offset > offset) break;
      if (covers(d.rules, rule)) suppressed = d.disable;
    }
    return suppressed;
  }

  private read(text: string, c: ts.CommentRange): void {
    const isBlock = c.kind === ts.SyntaxKind.MultiLineCommentTrivia;
    const body = isBlock ? text.slice(c.pos + 2, c.end - 2) : text.slice(c.pos + 2, c.end);
    if (EXPECT_ERROR.test(body)) {
      this.addLine(positionAt(this.starts, c.end).line + 1, 'all');
      return;
    }
    const m = DIRECTIVE.exec(body);
    if (!m) return;
    const [, directive, rest] = m;
    const isOurs = directive === 'asyncguard-ignore-next-line';
    const rules = parseRuleList(rest, isOurs);
    if (rules !== 'all' && rules.size === 0) return; // names only other rules
    switch (directive) {
      case 'asyncguard-ignore-next-line':
      case 'eslint-disable-next-line':
        this.addLine(positionAt(this.starts, c.end).line + 1, rules);
        break;
      case 'eslint-disable-line':
        this.addLine(positionAt(this.starts, c.pos).line, rules);
        break;
      case 'eslint-disable':
      case 'eslint-enable':
        if (isBlock) this.ranges.push({ offset: c.pos, disable: directive === 'eslint-disable', rules });
        break;
    }
  }

  private addLine(line: number, rules: RuleSet): void {
    const list = this.byLine.get(line) ?? [];
    list.push(rules);
    this.byLine.set(line, list);
  }
}

function covers(set: RuleSet, rule: RuleId): boolean {
  return set === 'all' || set.has(rule);
}

/** `a, b -- why` → the rules we know among a and b; an empty list means every rule. */
function parseRuleList(rest: string, ours: boolean): RuleSet {
  const list = rest.split(/\s--\s|\s--$/)[0];
  const names = list.split(/[,\s]+/).map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) return 'all';
  const rules = new Set<RuleId>();
  for (const n of names) {
    const rule = ours ? (OUR_NAMES.has(n) ? (n as RuleId) : undefined) : ESLINT_NAMES.get(n);
    if (rule) rules.add(rule);
  }
  return rules;
}

/**
 * The comment that contains `offset`, if any. Comments are trivia before a token: descend to the
 * token whose leading trivia holds the offset and read the comments there (a comment after code on
 * the same line is the previous token's trailing comment, found at the same place).
 */
function commentAt(sf: ts.SourceFile, offset: number): ts.CommentRange | undefined {
  let node: ts.Node = sf;
  for (;;) {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return undefined;
    const child: ts.Node | undefined = node.getChildren(sf).find((c) => c.pos <= offset && offset < c.end);
    if (!child) break;
    node = child;
    if (offset < node.getStart(sf)) break; // in the trivia before this node's first token
  }
  const around = [...(ts.getTrailingCommentRanges(sf.text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(sf.text, node.pos) ?? [])];
  return around.find((c) => c.pos <= offset && offset < c.end);
}
