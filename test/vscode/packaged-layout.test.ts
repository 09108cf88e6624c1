// The .vsix holds only what .vscodeignore lets through. This copies exactly those files into an
// empty folder, as an installed extension has them, and checks that the language server started
// from there analyses the example like the one in the repository does (so nothing it loads at
// run time — WebAssembly, stdlib summaries, workers — was left out). It also holds the package to
// what README.md says of it, and to links that lead somewhere.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { packagedFiles, packageExtension, stageDir, zipEntryCount } from '../../scripts/package.mjs';
import { exampleFindings } from '../../server/test/python/example-findings';
import { RULES } from '../../server/src/engine/rules';

const root = join(import.meta.dirname, '..', '..');
const examples = [
  { file: join(root, 'examples', 'orders', 'service.py'), languageId: 'python' },
  // the TypeScript engine is a bundle of its own, loaded on the first TS file
  { file: join(root, 'examples', 'web', 'cart.ts'), languageId: 'typescript' },
];

interface PulledDiagnostic {
  range: { start: { line: number } };
  code: string;
}

async function pullFindings(serverJs: string, example: string, languageId: string): Promise<string[]> {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection: MessageConnection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  connection.listen();
  try {
    const folder = pathToFileURL(join(root, 'examples')).href;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'examples' }],
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
      initializationOptions: { trusted: true },
    });
    await connection.sendNotification('initialized', {});
    const uri = pathToFileURL(example).href;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version: 1, text: readFileSync(example, 'utf8') },
    });
    const report = await connection.sendRequest<{ items: PulledDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    return report.items.map((d) => `${d.range.start.line + 1}: ${d.code}`).sort();
  } finally {
    child.kill();
    await exited;
    connection.dispose();
  }
}

describe('the packaged extension layout', () => {
  let installed: string;

  before(async () => {
    installed = mkdtempSync(join(tmpdir(), 'asyncguard-packaged-'));
    for (const file of await packagedFiles()) {
      mkdirSync(dirname(join(installed, file)), { recursive: true });
      copyFileSync(join(stageDir, file), join(installed, file));
    }
  });

  after(() => rmSync(installed, { recursive: true, force: true }));

  test('leaves out sources, maps, tests and the CLI', async () => {
    // TypeScript's lib.*.d.ts beside the bundle are data the TS engine reads, not sources
    const files = (await packagedFiles()).filter((f) => !/^server\/out\/lib\.[\w.]+\.d\.ts$/.test(f));
    assert.deepEqual(files.filter((f) => /\.(ts|map)$|^test\/|^client\/src\/|^server\/src\/|node_modules|server\/out\/cli\.js/.test(f)), []);
  });

  test('ships the TypeScript lib files the TS engine needs', async () => {
    assert.ok((await packagedFiles()).includes('server/out/lib.es5.d.ts'));
  });

  test('ships the concept pages the explanation view shows beside the rule pages', async () => {
    const files = await packagedFiles();
    for (const page of ['docs/concepts/concurrency.md', 'docs/concepts/concurrency.zh-CN.md', 'docs/rules/dangling-task.md']) assert.ok(files.includes(page), page);
  });

  for (const { file, languageId } of examples) {
    test(`its server finds what the repository’s server finds (${languageId})`, async () => {
      const expected = exampleFindings()
        .filter((f) => join(root, 'examples', f.file) === file)
        .map((f) => `${f.line}: ${f.rule}`)
        .sort();
      assert.ok(expected.length >= 2);
      assert.deepEqual(await pullFindings(join(root, 'server', 'out', 'server.js'), file, languageId), expected);
      assert.deepEqual(await pullFindings(join(installed, 'server', 'out', 'server.js'), file, languageId), expected);
    });
  }
});

/** Web hosts the shipped documents may link to: the Python documentation the rule pages cite. */
const LINKED_HOSTS = ['docs.python.org'];

describe('what the package says of itself', () => {
  let files: string[];
  before(async () => {
    files = await packagedFiles();
  });

  test('ships the LICENSE (MIT, as package.json says)', () => {
    assert.ok(files.includes('LICENSE'));
    assert.equal(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).license, 'MIT');
    assert.match(readFileSync(join(stageDir, 'LICENSE'), 'utf8'), /^MIT License\n/);
  });

  test('its README has no pictures and no links: the extension page opens only web links, and the project has no web home', () => {
    const readme = readFileSync(join(stageDir, 'README.md'), 'utf8');
    assert.doesNotMatch(readme, /!\[|\]\(|https?:\/\/|<img/);
    assert.deepEqual(readme.match(/^## .*/gm), ['## What it catches', '## In VS Code', '## Configuration files', '## License']);
  });

  test('every web link in its documents goes to a real documentation host, none to a made-up repository', () => {
    const documents = files.filter((f) => /\.(md|json)$/.test(f));
    assert.ok(documents.length > 10);
    for (const file of documents) {
      // a JSON file's "$schema" names the format for editors; it is no link shown to anyone
      const text = readFileSync(join(stageDir, file), 'utf8').replace(/"\$schema":\s*"[^"]*"/g, '');
      for (const [url] of text.matchAll(/https?:\/\/[^\s)"'>]+/g)) {
        assert.ok(LINKED_HOSTS.includes(new URL(url).host), `${file} links to ${url}`);
      }
    }
    for (const file of files) {
      assert.ok(!readFileSync(join(stageDir, file)).includes('github.com/asyncguard'), `${file} names the made-up repository host`);
    }
  });

  test('the .vsix is as big as README.md says, and the script counts its files as vsce does', async () => {
    const bound = /asyncguard-VERSION\.vsix \(under (\d+) MB/.exec(readFileSync(join(root, 'README.md'), 'utf8'));
    assert.ok(bound, 'README.md states the size bound');
    const lines: string[] = [];
    const { packagePath, bytes, entries } = await packageExtension({ build: false, quiet: true, log: (m) => lines.push(m) });
    assert.equal(statSync(packagePath).size, bytes);
    assert.ok(bytes < Number(bound[1]) * 1024 * 1024, `${bytes} bytes`);
    assert.ok(bytes > (Number(bound[1]) - 2) * 1024 * 1024, `${bytes} bytes: README.md's bound is far off`);
    // the files of the extension, plus the package's [Content_Types].xml and extension.vsixmanifest
    assert.equal(entries, files.length + 2);
    assert.equal(zipEntryCount(readFileSync(packagePath)), entries);
    assert.deepEqual(lines, [`${packagePath}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${entries} files (${RULES.length * 2} rule pages)`]);
  });
});
