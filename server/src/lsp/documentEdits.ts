// An open document's text on both sides of the analysis thread. The main thread keeps, per document,
// the edits (LSP content changes) that made each version; the analysis thread keeps the text of the
// last version it was sent and applies those edits to it, so a keystroke crosses threads as a few
// bytes instead of the whole text. Versions chain (each edit names the version it applies to) and
// the resulting length is checked: a gap or a mismatch means the text is sent whole again.
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** The content changes that turned version `from` of a document into version `version`. */
export interface DocumentChange {
  from: number;
  version: number;
  changes: TextDocumentContentChangeEvent[];
}

/** What the analysis thread is sent instead of the text: the changes since the version it holds. */
export interface TextEdits {
  from: number;
  steps: DocumentChange[];
  /** The text's length after the last step, to check the result against. */
  length: number;
}

/** More edits than this since the last analysis: the log is dropped and the next analysis sends the text. */
const MAX_STEPS = 1000;

/** The main thread's log of each open document's edits since its last analysis. */
export class EditLog {
  private readonly steps = new Map<string, DocumentChange[]>();

  record(uri: string, change: DocumentChange): void {
    const log = this.steps.get(uri) ?? [];
    if (log.length >= MAX_STEPS) log.length = 0;
    log.push(change);
    this.steps.set(uri, log);
  }

  /** The recorded steps up to `version` (later ones may exist: the analysis is of an earlier version). */
  upTo(uri: string, version: number): DocumentChange[] | undefined {
    const log = this.steps.get(uri);
    if (!log?.length) return undefined;
    const steps = log.filter((s) => s.version <= version);
    return steps.length ? steps : undefined;
  }

  /** `version` was analysed: the analysis thread holds it (or a later one), older steps are not needed. */
  analysed(uri: string, version: number): void {
    const log = this.steps.get(uri);
    if (!log) return;
    const keep = log.filter((s) => s.version > version);
    if (keep.length) this.steps.set(uri, keep);
    else this.steps.delete(uri);
  }

  forget(uri: string): void {
    this.steps.delete(uri);
  }
}

/**
 * The edits that take the text at version `held` to version `target`, when `steps` chain without a
 * gap from one to the other.
 */
export function editsBetween(held: number, target: number, steps: readonly DocumentChange[], length: number): TextEdits | undefined {
  const start = steps.findIndex((s) => s.from === held);
  if (start < 0) return undefined;
  const chain: DocumentChange[] = [];
  let at = held;
  for (let i = start; i < steps.length && at !== target; i++) {
    if (steps[i].from !== at) return undefined;
    chain.push(steps[i]);
    at = steps[i].version;
  }
  return at === target && chain.length ? { from: held, steps: chain, length } : undefined;
}

/** The analysis thread's copies of the open documents' texts. */
export class SyncedTexts {
  private readonly documents = new Map<string, TextDocument>();

  set(path: string, version: number, text: string): void {
    this.documents.set(path, TextDocument.create('', '', version, text));
  }

  /** The text after applying `edits`, or undefined when they do not apply to the version held (the text must be sent). */
  apply(path: string, version: number, edits: TextEdits): string | undefined {
    const document = this.documents.get(path);
    if (!document || document.version !== edits.from) {
      this.documents.delete(path);
      return undefined;
    }
    for (const step of edits.steps) TextDocument.update(document, step.changes, step.version);
    const text = document.getText();
    if (document.version !== version || text.length !== edits.length) {
      this.documents.delete(path);
      return undefined;
    }
    return text;
  }

  delete(path: string): void {
    this.documents.delete(path);
  }

  clear(): void {
    this.documents.clear();
  }
}
