// TypeScript projects and their configuration seen through the protocol: the server watches
// tsconfig/jsconfig, package.json and asyncguard.json, and analyses open TS documents again when
// one changes (no edit to the document needed), with the config's compiler options and rules.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FULL_CAPABILITIES, TestClient } from './lspClient';

const COMPILER_OPTIONS = { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, lib: ['ES2022'], types: [], noEmit: true };
const MAIN = "import { save } from '@lib/api';\n\nexport function run(): void {\n  save();\n}\n";

function summary(diagnostics: any[]) {
  return diagnostics.map((d) => [d.code, d.range.start.line, d.severity]);
}

describe('language server: TypeScript project configuration', () => {
  let client: TestClient;
  let folder: string;
  const main = () => `file://${folder}/app/main.ts`;
  const write = (rel: string, text: string) => writeFileSync(join(folder, rel), text);
  const changed = (rel: string, type = 2) =>
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${folder}/${rel}`, type }] });

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'asyncguard-ts-projects-'));
    mkdirSync(join(folder, 'lib'));
    mkdirSync(join(folder, 'app'));
    write('lib/api.ts', 'export async function save(): Promise<void> {}\n');
    write('app/main.ts', MAIN);
    write('tsconfig.json', JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['**/*.ts'] }));
    const capabilities = { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };
    client = (await TestClient.start({ rootPath: folder, settings: {}, capabilities })).client;
  });
  after(async () => {
    await client.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('asks the client to watch the TypeScript and AsyncGuard configuration files', async () => {
    const registration = await client.waitFor('a file watcher registration', () =>
      client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'),
    );
    const globs = registration.registerOptions.watchers.map((w: { globPattern: string }) => w.globPattern);
    for (const glob of ['**/tsconfig*.json', '**/jsconfig.json', '**/package.json', '**/asyncguard.json', '**/pyproject.toml']) {
      assert.ok(globs.includes(glob), `${glob} in ${globs.join(', ')}`);
    }
  });

  it('a tsconfig change re-analyses the open document: a `paths` mapping makes the import resolve', async () => {
    await client.open(main(), MAIN, 1, 'typescript');
    assert.deepEqual(await client.diagnosticsFor(main(), 1), [], 'the import does not resolve yet: its type is unknown, so nothing is said');
    write('tsconfig.json', JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, paths: { '@lib/*': ['./lib/*'] } }, include: ['**/*.ts'] }));
    await changed('tsconfig.json');
    assert.deepEqual(summary(await client.settledDiagnostics(main(), (d) => d.length > 0)), [['floating-promise', 3, 2]]);
    assert.equal(client.publishedFor(main()).at(-1)!.version, 1, 'the same version of the document, analysed again');
  });

  it('package.json "asyncguard" rules win over the editor settings, and follow its changes', async () => {
    client.settings = { rules: { 'floating-promise': { severity: 'hint' } } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(summary(await client.settledDiagnostics(main(), (d) => d[0]?.severity === 4)), [['floating-promise', 3, 4]]);

    write('package.json', JSON.stringify({ name: 'web', asyncguard: { rules: { 'floating-promise': 'error' } } }));
    await changed('package.json', 1);
    assert.deepEqual(summary(await client.settledDiagnostics(main(), (d) => d[0]?.severity === 1)), [['floating-promise', 3, 1]]);

    write('app/asyncguard.json', JSON.stringify({ rules: { 'floating-promise': 'off' } }));
    await changed('app/asyncguard.json', 1);
    assert.deepEqual(await client.settledDiagnostics(main(), (d) => d.length === 0), [], 'the nearer asyncguard.json turns the rule off');
    rmSync(join(folder, 'app', 'asyncguard.json'));
    await changed('app/asyncguard.json', 3);
    assert.deepEqual(summary(await client.settledDiagnostics(main(), (d) => d[0]?.severity === 1)), [['floating-promise', 3, 1]]);
  });

  it('a broken package.json is logged and the editor settings apply; the server keeps going', async () => {
    write('package.json', '{ "name": "web", "asyncguard": { "rules": { "floating-promise": "error" }, } }');
    await changed('package.json');
    assert.deepEqual(summary(await client.settledDiagnostics(main(), (d) => d[0]?.severity === 4)), [['floating-promise', 3, 4]]);
    const logged = await client.waitFor('the problem in the log', () => client.logs.find((l) => l.includes(`${folder}/package.json: invalid JSON`)));
    assert.equal(logged, `Ignoring ${folder}/package.json: invalid JSON: 1:76: Expected double-quoted property name; the default configuration applies`);
  });
});
