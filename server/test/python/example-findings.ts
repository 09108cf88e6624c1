// What AsyncGuard must report on the example project, read from test/example-findings.json (the
// example sources carry no test marks: they read like the real project the demo opens).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRuleId } from '../../src/engine/rules';
import type { RuleId } from '../../src/engine/types';

export interface ExampleFinding {
  /** Relative to examples/, with `/`. */
  file: string;
  /** In a notebook: the cell, 1-based, counting every cell (the line is then within the cell). */
  cell?: number;
  /** 1-based. */
  line: number;
  rule: RuleId;
  /** The code the finding's range starts with. */
  code: string;
}

export const exampleFindingsFile = join(__dirname, '..', '..', '..', 'test', 'example-findings.json');

export function exampleFindings(): ExampleFinding[] {
  const { findings } = JSON.parse(readFileSync(exampleFindingsFile, 'utf8')) as { findings: ExampleFinding[] };
  for (const f of findings) if (!isRuleId(f.rule)) throw new Error(`${exampleFindingsFile}: unknown rule ${f.rule}`);
  return findings;
}

/** The expected findings of one example file as `Mark`s (0-based lines, like the engine's). */
export function exampleMarks(file: string): { line: number; rule: RuleId }[] {
  return exampleFindings()
    .filter((f) => f.file === file)
    .map((f) => ({ line: f.line - 1, rule: f.rule }));
}
