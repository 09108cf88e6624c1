// The extension manifest as VS Code reads it: every contributed string localised in English and
// Simplified Chinese, every runtime string translated, activation and capabilities declared.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CONCEPTS, RULES } from '../../server/src/protocol';
import { ruleSettings } from '../../scripts/rule-settings';

const root = join(import.meta.dirname, '..', '..');
const read = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const manifest = read('package.json');
const nls: Record<string, string> = read('package.nls.json');
const nlsZh: Record<string, string> = read('package.nls.zh-cn.json');
const bundleZh: Record<string, string> = read('l10n/bundle.l10n.zh-cn.json');

/** Every `%key%` placeholder in the manifest. */
function placeholders(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/^%([^%]+)%$/g)) out.add(m[1]);
  else if (Array.isArray(value)) value.forEach((v) => placeholders(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => placeholders(v, out));
  return out;
}

/** Every literal passed to vscode.l10n.t in the extension's sources. */
function runtimeStrings(): Set<string> {
  const out = new Set<string>();
  const dir = join(root, 'client', 'src');
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.startsWith('test')) continue;
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) out.add(m[1].replace(/\\'/g, "'"));
  }
  return out;
}

describe('extension manifest', () => {
  test('every %placeholder% has English and Chinese text, and no key is unused', () => {
    const used = [...placeholders(manifest)].sort();
    assert.deepEqual(Object.keys(nls).sort(), used);
    assert.deepEqual(Object.keys(nlsZh).sort(), used);
    for (const key of used) assert.match(nlsZh[key], /[\u4e00-\u9fff]|^AsyncGuard$/, `${key} is translated`);
  });

  test('every runtime string, rule summary and concept title has a Chinese translation', () => {
    const wanted = [...runtimeStrings(), ...RULES.map((r) => r.summary), ...CONCEPTS.flatMap((c) => [c.title, c.summary])].sort();
    assert.ok(wanted.length > 20, `found ${wanted.length} strings`);
    const missing = wanted.filter((s) => !bundleZh[s]);
    assert.deepEqual(missing, []);
    const stale = Object.keys(bundleZh).filter((k) => !wanted.includes(k));
    assert.deepEqual(stale, []);
    for (const [en, zh] of Object.entries(bundleZh)) {
      const args = (s: string) => (s.match(/\{\d\}/g) ?? []).sort().join();
      assert.equal(args(zh), args(en), `placeholders of "${en}"`);
    }
  });

  test('activates on the languages and on each command, from the bundle', () => {
    assert.equal(manifest.main, './client/out/extension.js');
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(commands, [
      'asyncguard.explainProblem',
      'asyncguard.explainRule',
      'asyncguard.fixAll',
      'asyncguard.analyzeWorkspace',
      'asyncguard.showOutput',
      'asyncguard.restartServer',
    ]);
    for (const c of manifest.contributes.commands) assert.equal(c.category, '%command.category%');
    assert.deepEqual(manifest.activationEvents, [
      ...['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((l) => `onLanguage:${l}`),
      ...commands.map((c: string) => `onCommand:${c}`),
      'onUri', // rule links in the Problems panel open the explanation through the extension's URI handler
    ]);
  });

  test('declares workspace trust (no interpreter from an untrusted workspace) and virtual workspaces', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['asyncguard.interpreterPath']);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
  });

  test('its rule settings are the rule registry’s: one severity setting per rule, its default and description', () => {
    const props = manifest.contributes.configuration.properties;
    const ruleKeys = Object.keys(props).filter((k) => k.startsWith('asyncguard.rules.'));
    assert.deepEqual(ruleKeys, RULES.map((r) => `asyncguard.rules.${r.id}.severity`));
    for (const rule of RULES) {
      const key = `config.rules.${rule.id}.severity`;
      assert.deepEqual(props[`asyncguard.rules.${rule.id}.severity`], {
        type: 'string',
        enum: ['error', 'warning', 'information', 'hint', 'off'],
        enumDescriptions: ['error', 'warning', 'information', 'hint', 'off'].map((s) => `%config.severity.${s}%`),
        default: rule.defaultSeverity,
        scope: 'resource',
        markdownDescription: `%${key}%`,
      });
      assert.equal(nls[key], rule.setting, `package.nls.json says what the registry says of ${rule.id}`);
    }
    for (const key of ['enable', 'run', 'exclude', 'interpreterPath', 'trace.server']) assert.ok(props[`asyncguard.${key}`], key);
    // written by `npm run rules:sync`: the files are exactly what it would write
    const derived = ruleSettings(RULES, manifest, nls);
    assert.equal(`${JSON.stringify(derived.manifest, null, 2)}\n`, readFileSync(join(root, 'package.json'), 'utf8'), 'package.json: run npm run rules:sync');
    assert.equal(`${JSON.stringify(derived.nls, null, 2)}\n`, readFileSync(join(root, 'package.nls.json'), 'utf8'), 'package.nls.json: run npm run rules:sync');
  });

  test('rules:sync gives a new registry entry its setting after the others, and drops a removed rule’s', () => {
    const added = { id: 'lost-future', defaultSeverity: 'information', setting: 'Severity of `lost-future`.' };
    const grown = ruleSettings([...RULES, added], manifest, nls);
    const grownProps = (grown.manifest as typeof manifest).contributes.configuration.properties;
    const keys = Object.keys(grownProps);
    const before = Object.keys(manifest.contributes.configuration.properties);
    const lastRule = before.indexOf(`asyncguard.rules.${RULES[RULES.length - 1].id}.severity`);
    assert.deepEqual(keys, [...before.slice(0, lastRule + 1), 'asyncguard.rules.lost-future.severity', ...before.slice(lastRule + 1)]);
    assert.equal(grownProps['asyncguard.rules.lost-future.severity'].default, 'information');
    assert.equal(grown.nls['config.rules.lost-future.severity'], 'Severity of `lost-future`.');
    const shrunk = ruleSettings(RULES.slice(1), manifest, nls);
    assert.ok(!(`asyncguard.rules.${RULES[0].id}.severity` in (shrunk.manifest as typeof manifest).contributes.configuration.properties));
    assert.ok(!(`config.rules.${RULES[0].id}.severity` in shrunk.nls));
    assert.equal(Object.keys(shrunk.nls).length, Object.keys(nls).length - 1);
  });

  test('the walkthrough has the three ways in, and its pages exist', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id), ['asyncguard.inline', 'asyncguard.explain', 'asyncguard.cli']);
    for (const step of walkthrough.steps) assert.ok(readFileSync(join(root, step.media.markdown), 'utf8').startsWith('# '));
  });
});
