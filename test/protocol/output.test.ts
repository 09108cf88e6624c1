// What the server tells the editor's output (window/logMessage): at info level, what someone
// debugging "why no squiggle?" needs first; with trace on, every request and analysis.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { version } from '../../package.json';
import { FULL_CAPABILITIES, SEED, TestClient } from './lspClient';

/** An import of an installed library (or of a missing one) makes the server ask the interpreter. */
const APP = `import yaml\n${SEED}\n\ndef load():\n    yaml.safe_load("")\n`;

describe('language server: the output at info level', () => {
  let client: TestClient;
  let folder: string;

  before(async () => {
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'asyncguard-output-')));
    writeFileSync(join(folder, 'pyproject.toml'), '[tool.asyncguard]\nextend-exclude = ["generated"]\n');
    mkdirSync(join(folder, 'generated'));
    writeFileSync(join(folder, 'generated', 'stub.py'), SEED);
    writeFileSync(join(folder, 'app.py'), APP);
    writeFileSync(join(folder, 'web.ts'), 'async function save(): Promise<void> {}\nexport function f(): void {\n  save();\n}\n');
    writeFileSync(join(folder, 'latin1.py'), Buffer.from('x = "caf\xe9"\n', 'latin1'));
    client = (await TestClient.start({ rootPath: folder, settings: {}, capabilities: FULL_CAPABILITIES })).client;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  const logged = (what: string, pattern: RegExp) => client.waitFor(what, () => client.logs.find((l) => pattern.test(l)), 30_000);

  it('names the version, the workspace folders and whether the workspace is trusted', async () => {
    await logged('the version line', new RegExp(`^AsyncGuard language server ${version.replace(/\./g, '\\.')} on Node v\\d+`));
    assert.match(await logged('the trust', /; workspace trusted$/), /analysis (on its own thread|in the server thread)/);
    await logged('the folders', new RegExp(`^Workspace folders: ${folder}$`));
  });

  it('names the project root, the interpreter and how it was chosen, and the configuration file read', async () => {
    await client.open(`file://${folder}/app.py`, APP, 1);
    await client.diagnosticsFor(`file://${folder}/app.py`, 1);
    await logged('the project root', new RegExp(`^Python project root: ${folder} \\(a workspace folder\\)$`));
    const choice = await logged('the interpreter', /^Python interpreter for /);
    assert.equal(
      choice,
      `Python interpreter for ${folder}: python3, chosen by the first on PATH: no setting and no .venv or venv folder; ` +
        'asked for its sys.path when an import is in neither the workspace nor the standard library',
    );
    // asked once an import needs it (yaml is neither in the workspace nor in the standard library)
    await logged('the interpreter\'s answer', /^Python interpreter python3 is Python 3\.\d+, with \d+ library folders$/);
    await logged('the configuration', new RegExp(`^Read the configuration in ${folder}/pyproject\\.toml$`));
  });

  it('says when no configuration file applies to a folder\'s files', async () => {
    await client.open(`file://${folder}/web.ts`, '', 1, 'typescript');
    await client.diagnosticsFor(`file://${folder}/web.ts`, 1);
    // the pyproject.toml with [tool.asyncguard] applies to TS/JS files too when they have no JSON configuration
    await logged('the configuration of the TS file', new RegExp(`^Read the configuration in ${folder}/pyproject\\.toml$`));
    const other = realpathSync(mkdtempSync(join(tmpdir(), 'asyncguard-output-other-')));
    try {
      await client.open(`file://${other}/lone.py`, SEED, 1);
      await client.diagnosticsFor(`file://${other}/lone.py`, 1);
      await logged('no configuration', new RegExp(`^No configuration file for the Python files in ${other} \\(no pyproject\\.toml with \\[tool\\.asyncguard\\] above it\\): the editor settings apply$`));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('says why an open file is not analysed', async () => {
    const uri = `file://${folder}/generated/stub.py`;
    await client.open(uri, SEED, 1);
    assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
    assert.equal(
      await logged('the skipped file', new RegExp(`^Not analysing ${folder}/generated/stub\\.py: `)),
      `Not analysing ${folder}/generated/stub.py: it matches an exclude glob of ${folder}/pyproject.toml`,
    );
  });

  it('names the TypeScript project of a TS file', async () => {
    await logged('the TS project', new RegExp(`^TypeScript project: ${folder} \\(no tsconfig\\.json or jsconfig\\.json: default options\\), \\d+ source files$`));
  });

  it('a workspace analysis: the files it skips and why, and one timing line', async () => {
    await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace', arguments: [] });
    await logged('the skipped file', new RegExp(`^Skipping ${folder}/latin1\\.py: not UTF-8$`));
    const timing = await logged('the timing line', /^Workspace analysis: /);
    assert.match(timing, /^Workspace analysis: \d+ files, \d+ findings, 1 skipped in \d+ ms$/);
    assert.equal(client.logs.filter((l) => l.startsWith('Workspace analysis: ')).length, 1);
  });

  it('logs no request at info level; trace adds each request and analysis with its time', async () => {
    assert.deepEqual(client.logs.filter((l) => /^(textDocument|workspace)\//.test(l)), []);
    client.settings = { trace: { server: 'messages' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('the new settings', () => (client.configurationRequests > 0 ? true : undefined));
    const uri = `file://${folder}/app.py`;
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await logged('an analysis', new RegExp(`^Analysed ${folder}/app\\.py \\(version 2(, the edited function)?\\) in [\\d.]+ ms: 1 findings$`));
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 6 } });
    await logged('the hover request', new RegExp(`^textDocument/hover ${folder}/app\\.py line 7: [\\d.]+ ms$`));
  });
});
