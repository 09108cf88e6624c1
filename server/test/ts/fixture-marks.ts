// Reads the TS/JS fixtures (DESIGN.md's format): `// expect: RULE[, RULE]` at the end of the line
// where an offending expression starts; `// valid` marks a case that must produce nothing
// (every unmarked line must produce nothing as well).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRuleId } from '../../src/engine/rules';
import type { RuleId } from '../../src/engine/types';

export const tsFixtureRoot = join(__dirname, '..', 'fixtures', 'ts');

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export function listTsFixtures(dir = tsFixtureRoot): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...listTsFixtures(path));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) found.push(relative(tsFixtureRoot, path).split('\\').join('/'));
  }
  return found.sort();
}

export interface Mark {
  line: number;
  rule: RuleId;
}

// In JSX children, where `//` would be text, the mark is `{/* expect: RULE */}`.
const EXPECT = /(?:\/\/\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)|\{\/\*\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*\*\/\})\s*$/;
const VALID = /\/\/\s*valid\s*$/;

export function expectMarks(text: string): Mark[] {
  const marks: Mark[] = [];
  text.split(/\r\n|\r|\n/).forEach((lineText, line) => {
    const m = EXPECT.exec(lineText);
    if (!m) return;
    for (const id of (m[1] ?? m[2]).split(',').map((s) => s.trim())) {
      if (!isRuleId(id)) throw new Error(`unknown rule id in fixture mark: ${id}`);
      marks.push({ line, rule: id });
    }
  });
  return marks;
}

export function validCaseCount(text: string): number {
  return text.split(/\r\n|\r|\n/).filter((l) => VALID.test(l)).length;
}
