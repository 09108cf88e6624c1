// Soak benchmark: 10,000 edits (default) to a few open documents, typed in bursts the way a person
// types, with a hover and a code action after each burst. Prints the server's live heap (after a
// forced GC) as the edits accumulate; a flat line means nothing is retained per edit or version.
//   node --import tsx test/protocol/soak.ts [edits]
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SEED, TestClient } from './lspClient';

const EDITS = Number(process.argv[2] ?? 10_000);
const DOCUMENTS = 5;
const BURST = 25;
const SAMPLES = 10;

async function main() {
  const { client } = await TestClient.start({ nodeArgs: ['--expose-gc'] });
  const docs = Array.from({ length: DOCUMENTS }, (_, i) => {
    const uri = `file:///virtual/soak/d${i}.py`;
    return TextDocument.create(uri, 'python', 1, SEED);
  });
  for (const d of docs) await client.open(d.uri, d.getText(), 1);
  await Promise.all(docs.map((d) => client.diagnosticsFor(d.uri, 1)));

  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const rows: Array<{ edits: number; heap: number; engine: number; rss: number }> = [];
  const sample = async (edits: number) => {
    // Let the last burst's analyses finish before measuring.
    await Promise.all(docs.map((d) => client.waitFor(`${d.uri} settled`, () => (client.publishedFor(d.uri).at(-1)?.version === d.version ? true : undefined), 30_000)));
    const status = await client.request('asyncguard/status');
    rows.push({ edits, heap: status.heapUsed, engine: status.engineHeapUsed, rss: status.rss });
    console.log(
      `${String(edits).padStart(6)} edits  server heap ${mb(status.heapUsed).padStart(6)} MB  engine heap ${mb(status.engineHeapUsed).padStart(6)} MB  rss ${mb(status.rss).padStart(6)} MB`,
    );
  };
  await sample(0);
  const started = Date.now();
  for (let n = 0; n < EDITS; n++) {
    const i = Math.floor(n / BURST) % DOCUMENTS;
    const d = docs[i];
    // Type `await ` in front of the call one character at a time, then delete it again.
    const step = n % 12;
    const change =
      step < 6
        ? { range: { start: { line: 4, character: 4 + step }, end: { line: 4, character: 4 + step } }, text: 'await '[step] }
        : { range: { start: { line: 4, character: 4 + 11 - step }, end: { line: 4, character: 5 + 11 - step } }, text: '' };
    docs[i] = TextDocument.update(d, [change], d.version + 1);
    void client.change(d.uri, docs[i].version, [change]);
    if (n % BURST === BURST - 1) {
      const position = { line: 4, character: 6 };
      await client.request('textDocument/hover', { textDocument: { uri: d.uri }, position });
      await client.request('textDocument/codeAction', {
        textDocument: { uri: d.uri },
        range: { start: position, end: position },
        context: { diagnostics: [] },
      });
    }
    if ((n + 1) % (EDITS / SAMPLES) === 0) await sample(n + 1);
  }
  const seconds = (Date.now() - started) / 1000;
  const first = rows[1] ?? rows[0];
  const last = rows[rows.length - 1];
  console.log(
    `${EDITS} edits in ${seconds.toFixed(1)} s; after ${first.edits} edits: server ${mb(first.heap)} MB + engine ${mb(first.engine)} MB, ` +
      `after ${last.edits} edits: server ${mb(last.heap)} MB + engine ${mb(last.engine)} MB; ${client.published.length} publications`,
  );
  await client.shutdown();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
