// Reads the Python fixture files and their `# expect: RULE-ID` marks (DESIGN.md's fixture format):
// a mark sits on the line where the offending expression starts; every other line expects nothing.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isRuleId } from '../../src/engine/rules';
import type { RuleId } from '../../src/engine/types';

export const pythonFixtureRoot = join(__dirname, '..', 'fixtures', 'python');
/** The example project `npm start` opens (a copy of it); test/example-findings.json lists its findings. */
export const examplesRoot = join(__dirname, '..', '..', '..', 'examples');

/** Fixture files that are deliberately not valid Python. */
export const unparsableFixtures = new Set(['bad-input/syntax-error.py']);

export interface Mark {
  /** 0-based, like the engine's positions. */
  line: number;
  rule: RuleId;
}

/** Every file under `root` whose name ends with one of `extensions`, relative with `/`, sorted. */
export function listFiles(root: string, extensions: readonly string[], skipDirs: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!skipDirs.includes(name) && !name.startsWith('.')) walk(path);
      } else if (extensions.some((ext) => name.endsWith(ext))) found.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return found.sort();
}

export function listPythonFixtures(): string[] {
  return listFiles(pythonFixtureRoot, ['.py']);
}

/** The example project's source files; `scratch/` is where the extension tests write their own (in a copy). */
export function listExamples(): string[] {
  return listFiles(examplesRoot, ['.py', '.ts', '.js'], ['scratch', '__pycache__', 'node_modules']);
}

/** Splits like Python and LSP do: `\r\n`, `\n` and a lone `\r` all end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const EXPECT_MARK = /(?:#|\/\/)\s*expect:\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*$/;

/** The `# expect:` (Python) or `// expect:` (TS/JS) marks of a file, in line order. */
export function expectMarks(text: string): Mark[] {
  const marks: Mark[] = [];
  splitLines(text).forEach((lineText, line) => {
    const match = EXPECT_MARK.exec(lineText);
    if (!match) return;
    for (const id of match[1].split(',').map((s) => s.trim())) {
      if (!isRuleId(id)) throw new Error(`line ${line + 1}: unknown rule id in expect mark: ${id}`);
      marks.push({ line, rule: id });
    }
  });
  return marks;
}

const SUPPRESSION_COMMENT = /#\s*(asyncguard:\s*ignore|pyright:\s*ignore|type:\s*ignore|ty:\s*ignore|pyrefly:\s*ignore|ruff:\s*ignore|noqa)/;

/** True when the line carries a suppression comment of AsyncGuard or another tool. */
export function hasSuppressionComment(lineText: string): boolean {
  return SUPPRESSION_COMMENT.test(lineText);
}
