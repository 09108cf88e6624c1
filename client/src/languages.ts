// The documents AsyncGuard analyses (keep `activationEvents` in package.json in step), and the names
// the extension shares with the server, from the server's protocol module.
import { LANGUAGE_IDS } from '../../server/src/protocol';

export { ANALYZE_WORKSPACE_COMMAND, DIAGNOSTIC_SOURCE, EXPLAIN_PROBLEM_COMMAND, EXPLAIN_RULE_COMMAND, FIX_ALL_KIND, LANGUAGE_IDS } from '../../server/src/protocol';

/** Files on disk and unsaved editors, in every language above. */
const FILE_SELECTOR: Array<{ scheme: string; language: string }> = LANGUAGE_IDS.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/**
 * The Python cells of Jupyter notebooks. The server syncs them as notebooks (its
 * `notebookDocumentSync`); matching them here sends their hovers and code actions to it too.
 */
export const NOTEBOOK_CELL_SELECTOR = { notebook: 'jupyter-notebook', language: 'python' };

export const DOCUMENT_SELECTOR: Array<{ scheme: string; language: string } | typeof NOTEBOOK_CELL_SELECTOR> = [...FILE_SELECTOR, NOTEBOOK_CELL_SELECTOR];
