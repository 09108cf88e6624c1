// Writes the extension's rule settings from the rule registry (server/src/engine/rules.ts): one
// `asyncguard.rules.ID.severity` setting per rule in package.json, in the registry's order, with its
// default, and its English description in package.nls.json. What cannot be derived, the Chinese
// description (package.nls.zh-cn.json) and the summary's translation (l10n/bundle.l10n.zh-cn.json),
// is written by hand: the script names what is missing. test/vscode/manifest.test.ts fails while the
// files differ from what this script writes.
//   npm run rules:sync            rewrite package.json and package.nls.json
//   npm run rules:sync -- --check only say whether they are up to date (exit 1 if not)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/engine/rules';
import { ruleSettings } from './rule-settings';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');

type Json = Record<string, unknown>;
const read = (file: string): Json => JSON.parse(readFileSync(join(root, file), 'utf8')) as Json;
const text = (value: Json) => `${JSON.stringify(value, null, 2)}\n`;

const stale: string[] = [];
function update(file: string, next: Json): void {
  const before = readFileSync(join(root, file), 'utf8');
  if (text(next) === before) return;
  stale.push(file);
  if (!check) writeFileSync(join(root, file), text(next));
}

const { manifest, nls } = ruleSettings(RULES, read('package.json'), read('package.nls.json'));
update('package.json', manifest);
update('package.nls.json', nls);

const nlsZh = read('package.nls.zh-cn.json');
const bundleZh = read(join('l10n', 'bundle.l10n.zh-cn.json'));
const untranslated = RULES.flatMap((rule) => [
  ...(nlsZh[`config.rules.${rule.id}.severity`] ? [] : [`package.nls.zh-cn.json: "config.rules.${rule.id}.severity"`]),
  ...(bundleZh[rule.summary] ? [] : [`l10n/bundle.l10n.zh-cn.json: "${rule.summary}"`]),
]);

if (check) {
  if (stale.length) console.error(`Out of date with the rule registry: ${stale.join(', ')}. Run: npm run rules:sync`);
} else {
  for (const file of stale) console.log(`wrote ${file}`);
  if (!stale.length) console.log('package.json and package.nls.json already follow the rule registry');
}
if (untranslated.length) console.error(`Write the Chinese text by hand:\n  ${untranslated.join('\n  ')}`);
process.exit((check && stale.length) || untranslated.length ? 1 : 0);
