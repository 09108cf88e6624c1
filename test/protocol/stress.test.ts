// Stress: 1,000 rapid edits across 20 open documents, with hovers and code actions in between
// (some cancelled) and documents closed and reopened. Afterwards every document's last published
// diagnostics must equal a fresh analysis of its final text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../../server/src/engine/analyzer';
import { SEED, TestClient } from './lspClient';

const DOCUMENTS = 20;
const EDITS = 1000;
const REQUEST_CANCELLED = -32800;

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

/** Statements inserted as whole lines into `main`'s body: some add findings, some do not. */
const LINES = ['    nested()\n', '    await nested()\n', '    asyncio.create_task(nested())\n', '    t = nested()\n', '    # note\n', '    x = nested(\n'];

interface Mirror {
  uri: string;
  doc: TextDocument;
  open: boolean;
}

describe('language server: stress', () => {
  let client: TestClient;
  const analyzer = new Analyzer();

  before(async () => {
    await analyzer.init();
    client = (await TestClient.start()).client;
  });
  after(() => client.dispose());

  it(`keeps up with ${EDITS} edits across ${DOCUMENTS} documents and ends with fresh diagnostics`, async (t) => {
    const random = prng(20240611);
    const mirrors: Mirror[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      const uri = `file:///virtual/stress/m${i}.py`;
      const text = `import asyncio\n${SEED}`;
      mirrors.push({ uri, doc: TextDocument.create(uri, 'python', 1, text), open: true });
      await client.open(uri, text, 1);
    }
    const requests: Promise<unknown>[] = [];
    let cancelled = 0;
    let answered = 0;
    for (let n = 0; n < EDITS; n++) {
      const m = mirrors[random(DOCUMENTS)];
      if (!m.open) {
        // Reopen with the text it had, from version 1 again, as an editor does.
        m.doc = TextDocument.create(m.uri, 'python', 1, m.doc.getText());
        m.open = true;
        await client.open(m.uri, m.doc.getText(), 1);
        continue;
      }
      // Lines 0-5 are the import, `nested` and `async def main():`; edits go below them.
      const lines = m.doc.lineCount;
      const line = 6 + random(Math.max(1, lines - 6));
      const choice = random(10);
      let change;
      if (choice < 6 || lines < 10) {
        change = { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: LINES[random(LINES.length)] };
      } else if (choice < 9) {
        change = { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
      } else {
        // Typing inside a line: `await ` in front of a call, or a character that breaks the syntax for a while.
        change = { range: { start: { line, character: 4 }, end: { line, character: 4 } }, text: random(2) ? 'await ' : '(' };
      }
      m.doc = TextDocument.update(m.doc, [change], m.doc.version + 1);
      void client.change(m.uri, m.doc.version, [change]);
      if (n % 7 === 0) {
        const source = new CancellationTokenSource();
        const position = m.doc.positionAt(random(m.doc.getText().length + 1));
        const method = n % 2 ? 'textDocument/hover' : 'textDocument/codeAction';
        const params =
          method === 'textDocument/hover'
            ? { textDocument: { uri: m.uri }, position }
            : { textDocument: { uri: m.uri }, range: { start: position, end: position }, context: { diagnostics: [] } };
        requests.push(
          client.connection.sendRequest(method, params, source.token).then(
            () => answered++,
            (e: { code?: number }) => {
              if (e.code !== REQUEST_CANCELLED) throw e;
              cancelled++;
            },
          ),
        );
        if (n % 3 === 0) source.cancel();
      }
      if (n % 97 === 0) {
        m.open = false;
        await client.close(m.uri);
      }
      // Yield now and then so the server sees the edits as bursts, not one block.
      if (n % 50 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(requests);
    assert.equal(answered + cancelled, requests.length);

    let findings = 0;
    for (const m of mirrors) {
      const expected = m.open
        ? analyzer.analyze({ path: `/virtual/stress/${m.uri.split('/').pop()}`, text: m.doc.getText() }).findings.map((f) => ({
            code: f.rule,
            range: f.range,
            message: f.message,
          }))
        : [];
      const published = await client.waitFor(`settled diagnostics for ${m.uri}`, () => {
        const last = client.publishedFor(m.uri).at(-1);
        if (!last) return undefined;
        if (m.open && last.version !== m.doc.version) return undefined;
        if (!m.open && last.version !== undefined) return undefined;
        return last.diagnostics;
      }, 30_000);
      assert.deepEqual(
        published.map((d) => ({ code: d.code, range: d.range, message: d.message })),
        expected,
        `${m.uri} at version ${m.doc.version}:\n${m.doc.getText()}`,
      );
      findings += expected.length;
    }
    t.diagnostic(`${requests.length} requests (${cancelled} cancelled), ${findings} findings in the final texts`);
    assert.ok(findings > DOCUMENTS, 'the final texts still have findings to compare');
    // The server is still well: a status request answers with what it holds.
    const status = await client.request('asyncguard/status');
    assert.equal(status.openDocuments, mirrors.filter((m) => m.open).length);
  });
});
