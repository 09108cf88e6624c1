// The TypeScript language service's own code fix for making a function async: the one it offers
// for "'await' expressions are only allowed within async functions" (1308). It adds `async` where
// the language wants it and rewrites the return type to `Promise<...>` (also a function type the
// function is declared with, `const f: () => void = () => {...}`), keeping a `Promise<...>` as is.
//
// It is asked on a scratch copy of the file with every make-async fix's `await` already inserted,
// in a one-file program of its own (no lib, no imports, type checking off). That fix reads only the
// syntax tree; asking the project's service instead would type-check the whole file first (the
// code-fix API collects every diagnostic of the file) and replace the program the rules just used.
import * as ts from 'typescript';

const AWAIT_OUTSIDE_ASYNC = 1308;
const FIX_NAME = 'fixAwaitInSyncFunction';

/** Text inserted at an offset of the original file. */
export interface Insertion {
  offset: number;
  text: string;
}

/** An edit in offsets of the original file. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

const SCRATCH_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  noCheck: true,
  types: [],
  allowJs: true,
  jsx: ts.JsxEmit.Preserve,
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  noEmit: true,
};

export class ServiceFixes {
  private name = '';
  private text = '';
  private version = 0;
  private readonly service: ts.LanguageService;

  constructor() {
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => SCRATCH_OPTIONS,
      getScriptFileNames: () => (this.name ? [this.name] : []),
      getScriptVersion: () => String(this.version),
      getScriptSnapshot: (path) => (path === this.name ? ts.ScriptSnapshot.fromString(this.text) : undefined),
      getCurrentDirectory: () => '/',
      getDefaultLibFileName: () => '/lib.d.ts',
      fileExists: (path) => path === this.name,
      readFile: (path) => (path === this.name ? this.text : undefined),
    };
    this.service = ts.createLanguageService(host);
  }

  /**
   * For each request (the `await` insertions of one make-async fix, the first at the awaited
   * expression), the service's edits that make the enclosing function async, in offsets of
   * `text`; undefined where the service offers nothing that maps back to the original text.
   */
  makeAsyncEdits(fileName: string, text: string, requests: readonly Insertion[][], newline: string): (OffsetEdit[] | undefined)[] {
    const scratch = new ScratchText(text, requests);
    this.name = `/asyncguard-scratch${extensionOf(fileName)}`;
    this.text = scratch.text;
    this.version++;
    const format = ts.getDefaultFormatCodeSettings(newline);
    return requests.map((_, i) => {
      const at = scratch.start(i);
      const actions = this.service.getCodeFixesAtPosition(this.name, at, at + 'await'.length, [AWAIT_OUTSIDE_ASYNC], format, {});
      const changes = actions.find((a) => a.fixName === FIX_NAME)?.changes.flatMap((c) => c.textChanges) ?? [];
      const edits = changes.map((c) => scratch.toOriginal(c.span.start, c.span.start + c.span.length, c.newText));
      if (edits.length === 0 || edits.some((e) => !e)) return undefined;
      return edits as OffsetEdit[];
    });
  }

  dispose(): void {
    this.service.dispose();
  }
}

/** The original text with every request's insertions applied, and the way back to its offsets. */
class ScratchText {
  readonly text: string;
  /** Sorted by original offset, with where each landed in the scratch text. */
  private readonly placed: { offset: number; length: number; at: number; request: number; first: boolean }[];

  constructor(original: string, requests: readonly Insertion[][]) {
    const all = requests.flatMap((insertions, request) =>
      insertions.map((ins, k) => ({ ...ins, request, first: k === 0 })),
    );
    all.sort((a, b) => a.offset - b.offset || a.request - b.request);
    let text = '';
    let cursor = 0;
    this.placed = all.map((ins) => {
      text += original.slice(cursor, ins.offset);
      const at = text.length;
      text += ins.text;
      cursor = ins.offset;
      return { offset: ins.offset, length: ins.text.length, at, request: ins.request, first: ins.first };
    });
    this.text = text + original.slice(cursor);
  }

  /** Where request `i`'s `await` starts in the scratch text. */
  start(request: number): number {
    return this.placed.find((p) => p.request === request && p.first)!.at;
  }

  /** The edit in original offsets, or undefined when it touches inserted text. */
  toOriginal(start: number, end: number, newText: string): OffsetEdit | undefined {
    if (this.placed.some((p) => start < p.at + p.length && end > p.at)) return undefined;
    const s = this.offsetOf(start);
    const e = this.offsetOf(end);
    return s === undefined || e === undefined ? undefined : { start: s, end: e, newText };
  }

  private offsetOf(position: number): number | undefined {
    let shift = 0;
    for (const p of this.placed) {
      if (position <= p.at) break;
      if (position < p.at + p.length) return undefined;
      shift += p.length;
    }
    return position - shift;
  }
}

function extensionOf(fileName: string): string {
  return /\.[cm]?[jt]sx?$/i.exec(fileName)?.[0].toLowerCase() ?? '.ts';
}
