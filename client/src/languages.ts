// The documents AsyncGuard analyses. Keep in step with `activationEvents` in package.json.

export const LANGUAGE_IDS = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

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

/** Diagnostics the server publishes carry this `source`. */
export const DIAGNOSTIC_SOURCE = 'asyncguard';

/** The code action kind of "fix all AsyncGuard problems", for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.asyncguard';

export const ANALYZE_WORKSPACE_COMMAND = 'asyncguard.analyzeWorkspace';
