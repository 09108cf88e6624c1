// Open documents reach the analysis thread as edits (server/src/lsp/documentEdits.ts): whatever the
// edits (ranges, several changes in one didChange, CRLF line ends, UTF-16 surrogate pairs, a whole
// text), the findings are those of the same text opened fresh; and when the edits do not chain onto
// the text the thread holds, the text is sent whole.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { defaultRuleSettings } from '../../server/src/engine/rules';
import type { DocumentChange } from '../../server/src/lsp/documentEdits';
import { WorkerBackend } from '../../server/src/lsp/workerBackend';
import { root, TestClient } from './lspClient';

const at = (line: number, character: number, endLine = line, endCharacter = character) => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });

/** `asyncio.sleep(0)` typed at `line`, `character` one keystroke at a time, `()` as one (auto-closed). */
function typed(line: number, character: number): TextDocumentContentChangeEvent[][] {
  const strokes = [...'asyncio.sleep', '()', '0'];
  const out: TextDocumentContentChangeEvent[][] = [];
  let c = character;
  for (const s of strokes) {
    out.push([{ range: at(line, c), text: s }]);
    c += s === '()' ? 1 : s.length;
  }
  return out;
}

const BASE = 'import asyncio\n\n\nasync def fetch():\n    return 1\n\n\nclass Service:\n    async def load(self):\n        pass\n\n    def start(self):\n        fetch()\n';

const cases: Array<{ name: string; text: string; edits: TextDocumentContentChangeEvent[][]; findings: number }> = [
  {
    name: 'keystrokes typed into a method, then a line removed',
    text: BASE,
    edits: [[{ range: at(9, 12), text: '\n        ' }], ...typed(10, 8), [{ range: at(12, 0, 13, 0), text: '' }]],
    findings: 2,
  },
  {
    name: 'several changes in one didChange, applied in order',
    text: BASE,
    // rename fetch → get_it in the call first (later in the text), then in the definition
    edits: [[{ range: at(12, 8, 12, 13), text: 'get_it' }, { range: at(3, 10, 3, 15), text: 'get_it' }], [{ range: at(0, 0), text: '# header\n' }, { range: at(13, 8), text: '  ' }]],
    findings: 1,
  },
  {
    name: 'a CRLF document: a line inserted with CRLF, another joined by deleting its CRLF',
    text: BASE.replace(/\n/g, '\r\n'),
    edits: [[{ range: at(9, 12), text: '\r\n        fetch()' }], [{ range: at(4, 12, 5, 0), text: '' }], [{ range: at(9, 15), text: '\r\n        ' }], ...typed(10, 8)],
    findings: 3,
  },
  {
    name: 'UTF-16 surrogate pairs: edits after an emoji on the same line count it as two units',
    text: BASE.replace('    async def load(self):\n        pass', '    async def load(self):\n        s = "🐍🐍"; pass'),
    // the line is `        s = "🐍🐍"; pass`: `pass` starts at character 8 + 4 + 6 + 2 = 20
    edits: [[{ range: at(9, 20, 9, 24), text: 'fetch()' }], [{ range: at(9, 13, 9, 15), text: '🦀' }], [{ range: at(9, 12), text: '🐍' }]],
    findings: 2,
  },
  {
    name: 'a whole-text change between range edits',
    text: BASE,
    edits: [[{ range: at(4, 4), text: 'x = 1\n    ' }], [{ text: BASE.replace('pass', 'fetch()') }], [{ range: at(13, 0), text: '        ' }], ...typed(13, 8)],
    findings: 3,
  },
];

function apply(text: string, edits: TextDocumentContentChangeEvent[][]): string {
  const doc = TextDocument.create('file:///x.py', 'python', 1, text);
  edits.forEach((changes, i) => TextDocument.update(doc, changes, i + 2));
  return doc.getText();
}

const shape = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`);

describe('language server: documents edited by ranges end with the findings of a fresh open', () => {
  let client: TestClient;
  before(async () => {
    client = (await TestClient.start()).client;
  });
  after(() => client.dispose());

  cases.forEach((c, n) => {
    it(c.name, async () => {
      const edited = `file:///virtual/sync/edited_${n}.py`;
      const fresh = `file:///virtual/sync/fresh_${n}.py`;
      await client.open(edited, c.text, 1);
      await client.diagnosticsFor(edited, 1);
      for (let i = 0; i < c.edits.length; i++) await client.change(edited, i + 2, c.edits[i]);
      const last = c.edits.length + 1;
      await client.diagnosticsFor(edited, last);
      await client.open(fresh, apply(c.text, c.edits), 1);
      const expected = shape(await client.diagnosticsFor(fresh, 1));
      assert.equal(expected.length, c.findings, expected.join('\n'));
      // a partial answer (the edited function only) is completed after a pause in typing
      const got = await client.settledDiagnostics(edited, (ds) => client.publishedFor(edited).at(-1)!.version === last && shape(ds).join('\n') === expected.join('\n')).catch(() => undefined);
      assert.deepEqual(shape(got ?? client.publishedFor(edited).at(-1)!.diagnostics), expected);
    });
  });
});

describe('analysis thread: open documents sent as edits', () => {
  let dir: string;
  let backend: WorkerBackend;
  const path = () => join(dir, 'mod.py');
  const rules = defaultRuleSettings();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'asyncguard-edits-'));
    backend = new WorkerBackend({ file: join(root, 'server', 'out', 'lsp-worker.js'), timeoutMs: 60_000, log: () => undefined });
    await backend.init({ trusted: true, roots: [dir] });
  });
  after(async () => {
    await backend.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The versions of BASE with `asyncio.sleep(0)` typed into `load`, and the steps between them. */
  const versions = (() => {
    const doc = TextDocument.create('file:///x.py', 'python', 1, BASE);
    const texts = [BASE];
    const steps: DocumentChange[] = [];
    [[{ range: at(9, 12), text: '\n        ' }], ...typed(10, 8)].forEach((changes, i) => {
      steps.push({ from: i + 1, version: i + 2, changes });
      TextDocument.update(doc, changes, i + 2);
      texts.push(doc.getText());
    });
    return { texts, steps };
  })();
  const call = (version: number, changes?: DocumentChange[], text = versions.texts[version - 1]) => backend.analyze({ path: path(), text, version, rules, overlay: true, changes });
  const fresh = async (version: number) => (await backend.analyze({ path: join(dir, `fresh_${version}.py`), text: versions.texts[version - 1], rules, overlay: false }))!.findings.map((f) => `${f.rule} ${f.range.start.line}`);

  it('sends the text once, then the edits; a skipped version is sent as the steps since the one held', async () => {
    const sent = { ...backend.sent };
    await call(1);
    for (const v of [2, 3, 5, 9, 17]) {
      const reply = await call(v, versions.steps.filter((s) => s.version <= v));
      assert.deepEqual(reply!.findings.map((f) => `${f.rule} ${f.range.start.line}`), await fresh(v), `version ${v}`);
    }
    // the fresh analyses went as texts (no version): 1 + 5 texts, 5 edits
    assert.deepEqual({ edits: backend.sent.edits - sent.edits, texts: backend.sent.texts - sent.texts }, { edits: 5, texts: 6 });
  });

  it('sends the text when a step is missing from the chain', async () => {
    await call(1);
    const texts = backend.sent.texts;
    const reply = await call(4, versions.steps.filter((s) => s.version === 4));
    assert.equal(backend.sent.texts, texts + 1);
    assert.deepEqual(reply!.findings.map((f) => `${f.rule} ${f.range.start.line}`), await fresh(4));
  });

  it('sends the text again when the edits do not make the text the editor has (length check)', async () => {
    await call(1);
    const texts = backend.sent.texts;
    // the steps claim to make version 17, but the editor's text is another
    const editor = versions.texts[16].replace('sleep(0)', 'sleep(10)');
    const reply = await backend.analyze({ path: path(), text: editor, version: 17, rules, overlay: true, changes: versions.steps });
    assert.equal(backend.sent.texts, texts + 1, 'sent once as edits, then again as the text');
    assert.deepEqual(reply!.findings.map((f) => [f.rule, f.range]), [
      ['unawaited-coroutine', at(10, 8, 10, 25)],
      ['unawaited-coroutine', at(13, 8, 13, 15)],
    ]);
  });
});
