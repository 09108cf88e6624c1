// The extension's rule settings as the rule registry defines them (scripts/sync-rule-settings.ts
// writes them; test/vscode/manifest.test.ts checks that package.json and package.nls.json hold them).

interface RuleSettingSource {
  id: string;
  defaultSeverity: string;
  setting: string;
}

type Json = Record<string, unknown>;

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];
const RULE_KEY = /^asyncguard\.rules\.[^.]+\.severity$/;
const RULE_NLS_KEY = /^config\.rules\.[^.]+\.severity$/;

function severitySetting(rule: RuleSettingSource): Json {
  return {
    type: 'string',
    enum: SEVERITIES,
    enumDescriptions: SEVERITIES.map((s) => `%config.severity.${s}%`),
    default: rule.defaultSeverity,
    scope: 'resource',
    markdownDescription: `%config.rules.${rule.id}.severity%`,
  };
}

/**
 * `entries` with the keys `isRuleKey` accepts replaced by `ruleEntries`, placed where the first of
 * the old ones was (at the end when there was none); every other key keeps its place.
 */
function replaceRuleKeys(entries: Json, isRuleKey: (key: string) => boolean, ruleEntries: [string, unknown][]): Json {
  const out: [string, unknown][] = [];
  let placed = false;
  for (const [key, value] of Object.entries(entries)) {
    if (!isRuleKey(key)) out.push([key, value]);
    else if (!placed) {
      out.push(...ruleEntries);
      placed = true;
    }
  }
  if (!placed) out.push(...ruleEntries);
  return Object.fromEntries(out);
}

/** package.json and package.nls.json with their rule settings derived from `rules`. */
export function ruleSettings(rules: readonly RuleSettingSource[], manifest: Json, nls: Json): { manifest: Json; nls: Json } {
  const contributes = manifest.contributes as Json;
  const configuration = contributes.configuration as Json;
  const properties = replaceRuleKeys(
    configuration.properties as Json,
    (key) => RULE_KEY.test(key),
    rules.map((rule) => [`asyncguard.rules.${rule.id}.severity`, severitySetting(rule)]),
  );
  return {
    manifest: { ...manifest, contributes: { ...contributes, configuration: { ...configuration, properties } } },
    nls: replaceRuleKeys(nls, (key) => RULE_NLS_KEY.test(key), rules.map((rule) => [`config.rules.${rule.id}.severity`, rule.setting])),
  };
}
