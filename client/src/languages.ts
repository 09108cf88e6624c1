// The documents AsyncGuard analyses (keep `activationEvents` in package.json in step), and the names
// the extension shares with the server, from the server's protocol module.
import { LANGUAGE_IDS } from '../../server/src/protocol';

export { ANALYZE_WORKSPACE_COMMAND, DIAGNOSTIC_SOURCE, EXPLAIN_PROBLEM_COMMAND, EXPLAIN_RULE_COMMAND, FIX_ALL_KIND, LANGUAGE_IDS } from '../../server/src/protocol';

/** Files on disk and unsaved editors, in every language above. */
export const DOCUMENT_SELECTOR: Array<{ scheme: string; language: string }> = LANGUAGE_IDS.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);
