// The editor settings of section "asyncguard", read defensively: a client may send anything, and a
// bad value falls back to the default instead of breaking analysis.
import type { SeveritySetting } from '../engine/project/config';
import { isRuleId } from '../engine/rules';
import type { RuleId } from '../engine/types';

export type { SeveritySetting };
export type RunMode = 'onType' | 'onSave';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/**
 * What `workspace/configuration` returns for section "asyncguard" (all optional):
 *   enable: boolean                      analyse at all
 *   run: "onType" | "onSave"             when open documents are analysed
 *   rules: { "<rule-id>": { severity: "error" | "warning" | "information" | "hint" | "off" } }
 *   exclude: string[]                    globs relative to the workspace folder
 *   interpreterPath: string              Python interpreter for module resolution (trusted workspaces only)
 *   trace: { server: "off" | "messages" | "verbose" }
 *   debounceMs: number                   delay after the last edit before analysing (a document that
 *                                        analyses in a few ms is analysed at once after a typed edit)
 *   docsBaseUrl: string                  where RULE.md pages live on the web, if anywhere (default: the
 *                                        explanation in the client, or the pages shipped with the server)
 *   fixAll: { unsafeFixes: boolean }     fix-all (and source.fixAll.asyncguard) applies unsafe fixes too
 */
export interface ServerSettings {
  enable: boolean;
  run: RunMode;
  rules: Partial<Record<RuleId, SeveritySetting>>;
  exclude: string[];
  interpreterPath: string | undefined;
  trace: TraceLevel;
  debounceMs: number;
  docsBaseUrl: string | undefined;
  /** Off by default: fix-all applies only safe fixes (docs/concepts/fix-safety.md). */
  unsafeFixAll: boolean;
}

export function defaultSettings(): ServerSettings {
  return {
    enable: true,
    run: 'onType',
    rules: {},
    exclude: [],
    interpreterPath: undefined,
    trace: 'off',
    debounceMs: 100,
    docsBaseUrl: undefined,
    unsafeFixAll: false,
  };
}

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts `"warning"` as shorthand for `{ severity: "warning" }`, like eslint's rule settings. */
function parseRuleSeverity(value: unknown): SeveritySetting | undefined {
  const raw = isObject(value) ? value.severity : value;
  if (typeof raw !== 'string') return undefined;
  const lower = raw.toLowerCase() === 'info' ? 'information' : raw.toLowerCase();
  return SEVERITIES.includes(lower) ? (lower as SeveritySetting) : undefined;
}

export function parseSettings(raw: unknown): ServerSettings {
  const settings = defaultSettings();
  if (!isObject(raw)) return settings;
  if (typeof raw.enable === 'boolean') settings.enable = raw.enable;
  if (raw.run === 'onType' || raw.run === 'onSave') settings.run = raw.run;
  if (isObject(raw.rules)) {
    for (const [id, value] of Object.entries(raw.rules)) {
      const severity = parseRuleSeverity(value);
      if (isRuleId(id) && severity) settings.rules[id] = severity;
    }
  }
  if (Array.isArray(raw.exclude)) settings.exclude = raw.exclude.filter((g): g is string => typeof g === 'string' && g !== '');
  if (typeof raw.interpreterPath === 'string' && raw.interpreterPath.trim()) settings.interpreterPath = raw.interpreterPath.trim();
  const trace = isObject(raw.trace) ? raw.trace.server : raw.trace;
  if (trace === 'off' || trace === 'messages' || trace === 'verbose') settings.trace = trace;
  if (typeof raw.debounceMs === 'number' && Number.isFinite(raw.debounceMs)) {
    settings.debounceMs = Math.min(Math.max(Math.round(raw.debounceMs), 0), 5000);
  }
  const fixAll = isObject(raw.fixAll) ? raw.fixAll.unsafeFixes : raw['fixAll.unsafeFixes'];
  if (typeof fixAll === 'boolean') settings.unsafeFixAll = fixAll;
  if (typeof raw.docsBaseUrl === 'string' && raw.docsBaseUrl.trim()) {
    const base = raw.docsBaseUrl.trim();
    settings.docsBaseUrl = base.endsWith('/') ? base : `${base}/`;
  }
  return settings;
}
