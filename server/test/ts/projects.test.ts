// Which project a file is checked in, and that open documents (not the disk) are what is checked.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultRuleSettings } from '../../src/engine/rules';
import { TypeScriptEngine } from '../../src/engine/ts/index';

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'asyncguard-ts-projects-')));
after(() => rmSync(scratch, { recursive: true, force: true }));

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'p'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', types: [] } });
const SAVE = 'export async function save(): Promise<void> {}\n';
const CALLER = "import { save } from './save';\nexport function run() {\n  save();\n}\n";

function lines(engine: TypeScriptEngine, path: string, text: string, version?: number): string[] {
  return engine.analyze(path, text, version).findings.map((f) => `${f.range.start.line + 1} ${f.rule}`);
}

function projectKeys(engine: TypeScriptEngine): string[] {
  return engine.stats().projects.map((p) => p.key.replace(scratch, '<tmp>'));
}

describe('project discovery', () => {
  test('the nearest tsconfig.json; a solution config leads to the referenced project', () => {
    const dir = write({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/a' }] }),
      'packages/a/tsconfig.json': JSON.stringify({ compilerOptions: { composite: true, strict: true, types: [] }, include: ['src'] }),
      'packages/a/src/save.ts': SAVE,
      'packages/a/src/run.ts': CALLER,
    });
    const engine = new TypeScriptEngine();
    assert.deepEqual(lines(engine, join(dir, 'packages/a/src/run.ts'), CALLER), ['3 floating-promise']);
    assert.deepEqual(projectKeys(engine), [`${join(dir, 'packages/a/tsconfig.json').replace(scratch, '<tmp>')}`]);
    engine.dispose();
  });

  test('a jsconfig.json takes JavaScript; a file its config excludes goes to an inferred project', () => {
    const dir = write({
      'jsconfig.json': JSON.stringify({ include: ['src'] }),
      'src/save.js': 'export async function save() {}\n',
      'src/run.js': "import { save } from './save.js';\nexport function run() {\n  save();\n}\n",
      'scripts/loose.js': 'async function tick() {}\ntick();\n',
    });
    const engine = new TypeScriptEngine();
    assert.deepEqual(lines(engine, join(dir, 'src/run.js'), "import { save } from './save.js';\nexport function run() {\n  save();\n}\n"), ['3 floating-promise']);
    assert.deepEqual(lines(engine, join(dir, 'scripts/loose.js'), 'async function tick() {}\ntick();\n'), ['2 floating-promise']);
    assert.deepEqual(projectKeys(engine), [join(dir, 'jsconfig.json').replace(scratch, '<tmp>'), `inferred:${join(dir, 'scripts').replace(scratch, '<tmp>')}`]);
    engine.dispose();
  });

  test("one open file loads its own imports, not the rest of its tsconfig's files", () => {
    const dir = write({
      'tsconfig.json': TSCONFIG,
      'save.ts': SAVE,
      'run.ts': CALLER,
      'unrelated.ts': 'export const big = 1;\n',
      'types.d.ts': 'declare const BUILD_ID: string;\n',
    });
    const engine = new TypeScriptEngine();
    lines(engine, join(dir, 'run.ts'), CALLER);
    const program = engine.stats().projects[0];
    assert.equal(program.openDocuments, 1);
    const ours = ['run.ts', 'save.ts', 'types.d.ts', 'unrelated.ts'].filter((f) => engine.holds(join(dir, f)));
    assert.deepEqual(ours, ['run.ts', 'save.ts', 'types.d.ts']);
    engine.dispose();
  });

  test('at most three language services stay alive', () => {
    const engine = new TypeScriptEngine();
    for (let i = 0; i < 5; i++) {
      const dir = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': CALLER });
      assert.deepEqual(lines(engine, join(dir, 'run.ts'), CALLER), ['3 floating-promise']);
    }
    assert.equal(engine.stats().projects.length, 3);
    engine.dispose();
    assert.equal(engine.stats().projects.length, 0);
  });

  test('a changed tsconfig.json is read again', async () => {
    const dir = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': 'export {};\n' });
    const engine = new TypeScriptEngine();
    const top = "import { save } from './save';\nsave();\n";
    const fixKinds = () => engine.analyze(join(dir, 'run.ts'), top).findings[0].fixes.map((f) => f.kind);
    assert.deepEqual(fixKinds(), ['add-await', 'add-catch', 'add-void', 'suppress']);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'CommonJS', moduleResolution: 'node10', types: [], ignoreDeprecations: '6.0' } }));
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the engine re-reads the disk after 2 s
    assert.deepEqual(fixKinds(), ['add-catch', 'add-void', 'suppress']);
    engine.dispose();
  });

  test('configChanged (the server watches configs) rebuilds at once the projects a config shapes, and only those', () => {
    const a = write({ 'tsconfig.base.json': TSCONFIG, 'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }), 'save.ts': SAVE, 'run.ts': 'export {};\n' });
    const b = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': CALLER });
    const engine = new TypeScriptEngine();
    const top = "import { save } from './save';\nsave();\n";
    const fixKinds = () => engine.analyze(join(a, 'run.ts'), top).findings[0].fixes.map((f) => f.kind);
    assert.deepEqual(fixKinds(), ['add-await', 'add-catch', 'add-void', 'suppress']);
    assert.deepEqual(lines(engine, join(b, 'run.ts'), CALLER), ['3 floating-promise']);
    const key = (dir: string) => join(dir, 'tsconfig.json').replace(scratch, '<tmp>');
    assert.deepEqual(projectKeys(engine), [key(a), key(b)]);

    writeFileSync(join(a, 'tsconfig.base.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'CommonJS', moduleResolution: 'node10', types: [], ignoreDeprecations: '6.0' } }));
    engine.configChanged(join(a, 'tsconfig.base.json'));
    assert.deepEqual(projectKeys(engine), [key(b)], "the project extending the changed config is dropped; the other stays");
    assert.deepEqual(fixKinds(), ['add-catch', 'add-void', 'suppress'], 'rebuilt from the new options, without waiting for the disk re-check');
    engine.dispose();
  });
});

describe('open documents', () => {
  test('an edit is re-checked; the same version means the same text', () => {
    const dir = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': CALLER });
    const engine = new TypeScriptEngine();
    const path = join(dir, 'run.ts');
    assert.deepEqual(lines(engine, path, CALLER, 1), ['3 floating-promise']);
    const fixedText = CALLER.replace('  save();', '  void save();');
    assert.deepEqual(lines(engine, path, fixedText, 2), []);
    assert.deepEqual(lines(engine, path, CALLER, 3), ['3 floating-promise']);
    engine.dispose();
  });

  test("another open document's unsaved text is what the checker sees", () => {
    const dir = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': CALLER });
    const engine = new TypeScriptEngine();
    assert.deepEqual(lines(engine, join(dir, 'run.ts'), CALLER), ['3 floating-promise']);
    lines(engine, join(dir, 'save.ts'), 'export function save(): void {}\n');
    assert.deepEqual(lines(engine, join(dir, 'run.ts'), CALLER), []);
    engine.dispose();
  });

  test('rules that are off do not run; severities come from the settings', () => {
    const dir = write({ 'tsconfig.json': TSCONFIG, 'save.ts': SAVE, 'run.ts': CALLER });
    const engine = new TypeScriptEngine();
    const rules = defaultRuleSettings();
    rules.severity['floating-promise'] = 'error';
    assert.deepEqual(engine.analyze(join(dir, 'run.ts'), CALLER, 1, rules).findings.map((f) => f.severity), ['error']);
    rules.enabled['floating-promise'] = false;
    assert.deepEqual(engine.analyze(join(dir, 'run.ts'), CALLER, 1, rules).findings, []);
    engine.dispose();
  });
});

describe('program reuse', () => {
  test('two copies of one package (a redirect) do not make every analysis build a new program', () => {
    const pkg = JSON.stringify({ name: 'dup', version: '1.0.0', types: 'index.d.ts' });
    const dir = write({
      'tsconfig.json': TSCONFIG,
      'node_modules/dup/package.json': pkg,
      'node_modules/dup/index.d.ts': 'export declare function load(): Promise<void>;\n',
      'node_modules/wrap/package.json': JSON.stringify({ name: 'wrap', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/wrap/index.d.ts': "export { load as wrapped } from 'dup';\n",
      'node_modules/wrap/node_modules/dup/package.json': pkg,
      'node_modules/wrap/node_modules/dup/index.d.ts': 'export declare function load(): Promise<void>;\n',
      'main.ts': "import { load } from 'dup';\nimport { wrapped } from 'wrap';\nload();\nwrapped();\n",
    });
    // the second copy is newer: modification times differ, contents do not
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'node_modules/wrap/node_modules/dup/index.d.ts'), later, later);
    const engine = new TypeScriptEngine({ wholePrograms: true });
    const main = join(dir, 'main.ts');
    const text = "import { load } from 'dup';\nimport { wrapped } from 'wrap';\nload();\nwrapped();\n";
    assert.deepEqual(lines(engine, main, text), ['3 floating-promise', '4 floating-promise']);
    const program = () => (engine as unknown as { projects: { liveProjects(): { program(): unknown }[] } }).projects.liveProjects()[0].program();
    const first = program();
    assert.deepEqual(lines(engine, main, text), ['3 floating-promise', '4 floating-promise']);
    assert.equal(program(), first, 'the same program and type checker serve the second analysis');
    engine.dispose();
  });
});
