// The documents AsyncGuard analyses. Keep in step with `activationEvents` in package.json.

export const LANGUAGE_IDS = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

/** Files on disk and unsaved editors, in every language above. */
export const DOCUMENT_SELECTOR: Array<{ scheme: string; language: string }> = LANGUAGE_IDS.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/** Diagnostics the server publishes carry this `source`. */
export const DIAGNOSTIC_SOURCE = 'asyncguard';

/** The code action kind of "fix all AsyncGuard problems", for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.asyncguard';

export const ANALYZE_WORKSPACE_COMMAND = 'asyncguard.analyzeWorkspace';
