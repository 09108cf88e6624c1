// Imports resolve through the workspace, and an open document's unsaved text is what its importers
// see: editing an imported module re-analyses the open files that import it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './lspClient';

const LIB = 'async def fetch():\n    return 1\n';
const APP = 'from lib import fetch\n\nasync def main():\n    fetch()\n';

describe('language server: imports across files', () => {
  let client: TestClient;
  let folder: string;
  let app: string;
  let lib: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'asyncguard-xfile-'));
    writeFileSync(join(folder, 'pyproject.toml'), '[project]\nname = "x"\n');
    writeFileSync(join(folder, 'lib.py'), LIB);
    writeFileSync(join(folder, 'app.py'), APP);
    app = `file://${folder}/app.py`;
    lib = `file://${folder}/lib.py`;
    client = (await TestClient.start({ rootPath: folder, initializationOptions: { trusted: false } })).client;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('flags a call of a coroutine function imported from another workspace file', async () => {
    await client.open(app, APP, 1);
    assert.deepEqual(
      (await client.diagnosticsFor(app, 1)).map((d) => [d.code, d.range.start.line, d.message]),
      [['unawaited-coroutine', 3, '“fetch()” creates a coroutine that is never awaited, so “fetch” never runs']],
    );
  });

  it('re-analyses the importer when the open module stops being async, and again when it is closed', async () => {
    await client.open(lib, LIB, 1);
    await client.diagnosticsFor(lib, 1);
    const from = client.published.length;
    await client.change(lib, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, text: '' }]);
    // app.py did not change, so its version stays 1; its diagnostics are published again, now empty.
    assert.deepEqual(await client.diagnosticsFor(app, 1, from), []);
    const closing = client.published.length;
    await client.close(lib);
    // The file on disk still says `async def`: the finding is back.
    assert.deepEqual((await client.diagnosticsFor(app, 1, closing)).map((d) => d.code), ['unawaited-coroutine']);
  });

  it('follows a module changed on disk through watched-file events', async () => {
    writeFileSync(join(folder, 'lib.py'), 'def fetch():\n    return 1\n');
    const from = client.published.length;
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: lib, type: 2 }] });
    assert.deepEqual(await client.diagnosticsFor(app, 1, from), []);
  });
});
