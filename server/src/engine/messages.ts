// Messages shown to people (diagnostics, fix titles, CLI notes) are plain text: editors show them
// as typed, so code is set off with typographic quotes, never Markdown backticks.

/** `code` between typographic double quotes: “nested()”. */
export function quoted(code: string): string {
  return `\u201C${code}\u201D`;
}

/** The note every engine gives for a file that does not parse cleanly. */
export const SYNTAX_ERROR_NOTE = 'the file has syntax errors; code inside them is not checked';
