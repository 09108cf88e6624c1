// Finds the rule documentation (docs/rules/RULE-ID.md, and the concept pages of docs/concepts beside
// it) from wherever the CLI runs: the source tree, the bundle in server/out (with docs copied beside
// it), or an installed extension.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuleId } from '../engine/types';

let cachedDir: string | null | undefined;

/** The nearest `docs/rules` folder at or above this module's folder, if any. */
export function rulesDocsDir(from = __dirname): string | undefined {
  if (cachedDir !== undefined && from === __dirname) return cachedDir ?? undefined;
  let dir = from;
  let found: string | undefined;
  for (;;) {
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(candidate)) {
      found = candidate;
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (from === __dirname) cachedDir = found ?? null;
  return found;
}

/** The rule's English documentation page, or undefined when it is not shipped here. */
export function ruleDoc(id: RuleId, dir: string | undefined): string | undefined {
  if (!dir) return undefined;
  const file = join(dir, `${id}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** A concept's English page (docs/concepts/ID.md beside docs/rules), or undefined when it is not shipped here. */
export function conceptDoc(id: string, rulesDir: string | undefined): string | undefined {
  if (!rulesDir) return undefined;
  const file = join(dirname(rulesDir), 'concepts', `${id}.md`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
