// "Run concurrently" over the protocol: a `refactor.rewrite` code action at the cursor, written for
// the Python the project's pyproject.toml requires; only when refactorings are asked for, never
// tied to a diagnostic and never part of fix-all.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FULL_CAPABILITIES, TestClient } from './lspClient';

const lines = (...l: string[]) => l.join('\n') + '\n';
const SEED = lines(
  'import asyncio',
  '',
  'async def say_after(delay, what):',
  '    await asyncio.sleep(delay)',
  '    print(what)',
  '',
  'async def main():',
  '    await say_after(1, "hello")',
  '    await say_after(2, "world")',
  '    nested_forgotten()',
  '',
  'async def nested_forgotten():',
  '    return 42',
);
const CURSOR = { start: { line: 7, character: 4 }, end: { line: 7, character: 4 } };
const NOTE = '(the 2 calls will overlap in time; whatever they share must allow that)';

function applied(uri: string, text: string, action: any, languageId = 'python'): string {
  const [change] = action.edit.documentChanges;
  assert.equal(change.textDocument.uri, uri);
  return TextDocument.applyEdits(TextDocument.create(uri, languageId, change.textDocument.version, text), change.edits);
}

describe('language server: the Run concurrently refactoring', () => {
  const folder = mkdtempSync(join(tmpdir(), 'asyncguard-refactors-'));
  let client: TestClient;
  let capabilities: any;

  before(async () => {
    writeFileSync(join(folder, 'pyproject.toml'), '[project]\nname = "modern"\nrequires-python = ">=3.11"\n');
    mkdirSync(join(folder, 'legacy'));
    writeFileSync(join(folder, 'legacy', 'pyproject.toml'), '[project]\nname = "legacy"\nrequires-python = ">=3.8"\n');
    mkdirSync(join(folder, 'web'));
    writeFileSync(join(folder, 'web', 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, lib: ['ES2022'] } }));
    const codeAction = { ...FULL_CAPABILITIES.textDocument!.codeAction, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } } };
    const started = await TestClient.start({ rootPath: folder, capabilities: { ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, codeAction } } });
    client = started.client;
    capabilities = started.init.capabilities;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  async function actionsAt(uri: string, range: typeof CURSOR, only?: string[]) {
    return client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], ...(only ? { only } : {}) } });
  }

  it('declares refactor.rewrite among its code action kinds', () => {
    assert.ok(capabilities.codeActionProvider.codeActionKinds.includes('refactor.rewrite'));
  });

  it('offers a TaskGroup in a project requiring Python 3.11+', async () => {
    const uri = pathToFileURL(join(folder, 'app.py')).href;
    await client.open(uri, SEED, 1);
    await client.diagnosticsFor(uri, 1);
    const actions = await actionsAt(uri, CURSOR);
    const refactors = actions.filter((a: any) => a.kind === 'refactor.rewrite');
    assert.deepEqual(refactors.map((a: any) => a.title), [`Run concurrently in an “asyncio.TaskGroup” ${NOTE}`]);
    assert.equal(refactors[0].diagnostics, undefined, 'a refactoring is not about a diagnostic');
    assert.equal(refactors[0].isPreferred, undefined);
    assert.equal(
      applied(uri, SEED, refactors[0]),
      SEED.replace(
        '    await say_after(1, "hello")\n    await say_after(2, "world")\n',
        '    async with asyncio.TaskGroup() as tg:\n        tg.create_task(say_after(1, "hello"))\n        tg.create_task(say_after(2, "world"))\n',
      ),
    );
  });

  it('offers gather in a project requiring an older Python', async () => {
    const uri = pathToFileURL(join(folder, 'legacy', 'app.py')).href;
    await client.open(uri, SEED, 1);
    const [refactor] = (await actionsAt(uri, CURSOR, ['refactor'])) as any[];
    assert.equal(refactor.title, `Run concurrently with “asyncio.gather” ${NOTE}`);
    assert.equal(
      applied(uri, SEED, refactor),
      SEED.replace('    await say_after(1, "hello")\n    await say_after(2, "world")\n', '    await asyncio.gather(say_after(1, "hello"), say_after(2, "world"))\n'),
    );
  });

  it('is not offered when only quick fixes or fix-all are asked for, nor away from the awaits', async () => {
    const uri = pathToFileURL(join(folder, 'app.py')).href;
    assert.deepEqual((await actionsAt(uri, CURSOR, ['quickfix'])).map((a: any) => a.kind), []);
    assert.deepEqual((await actionsAt(uri, CURSOR, ['source.fixAll'])).map((a: any) => a.kind), ['source.fixAll.asyncguard']);
    const elsewhere = await actionsAt(uri, { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } });
    assert.deepEqual(elsewhere.filter((a: any) => a.kind === 'refactor.rewrite'), []);
  });

  it('fix-all leaves the serial awaits alone', async () => {
    const uri = pathToFileURL(join(folder, 'app.py')).href;
    const [fixAll] = await actionsAt(uri, { start: { line: 9, character: 4 }, end: { line: 9, character: 4 } }, ['source.fixAll']);
    const resolved = await client.request('codeAction/resolve', fixAll);
    const fixed = applied(uri, SEED, resolved);
    assert.ok(fixed.includes('    await nested_forgotten()\n'), fixed);
    assert.ok(fixed.includes('    await say_after(1, "hello")\n    await say_after(2, "world")\n'), fixed);
  });

  it('offers one Promise.all for the TypeScript twin', async () => {
    const uri = pathToFileURL(join(folder, 'web', 'profile.ts')).href;
    const text = lines(
      'async function load(id: number): Promise<string> { return `item ${id}`; }',
      'export async function show(): Promise<void> {',
      '  const user = await load(1);',
      '  const feed = await load(2);',
      '  console.log(user, feed);',
      '}',
    );
    await client.open(uri, text, 1, 'typescript');
    const [refactor] = (await actionsAt(uri, { start: { line: 3, character: 10 }, end: { line: 3, character: 10 } }, ['refactor.rewrite'])) as any[];
    assert.equal(refactor.title, `Run concurrently with “Promise.all” ${NOTE}`);
    assert.equal(applied(uri, text, refactor, 'typescript'), text.replace('  const user = await load(1);\n  const feed = await load(2);\n', '  const [user, feed] = await Promise.all([load(1), load(2)]);\n'));
  });
});
