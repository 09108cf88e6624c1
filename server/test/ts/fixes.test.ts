// Quick fixes: the exact text after each fix; the fixed file type-checks as well as before (by
// the compiler) and no longer has the finding (by the engine).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyEdits } from '../../src/engine/text';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import type { Finding, FixKind, RuleId, TextEdit } from '../../src/engine/types';
import { FixtureCompiler, newDiagnostics } from './compile';
import { listTsFixtures, tsFixtureRoot } from './fixture-marks';

const engine = new TypeScriptEngine();
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-ts-fixes-'));
after(() => {
  engine.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const ESM = { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, lib: ['ES2022', 'DOM'], allowJs: true, noEmit: true, types: [] };
const CJS = { ...ESM, module: 'CommonJS', moduleResolution: 'node10' };

const PRELUDE = `declare function save(): Promise<void>;
declare function load(): Promise<number>;
declare function isReady(): Promise<boolean>;
declare const cond: boolean;
declare const ids: number[];
declare const api: { maybe?: () => Promise<void> };
declare function onEvent(listener: () => void): void;
`;

let projectCount = 0;
/** A project folder with a tsconfig, the shared declarations and `files`; returns its path. */
function makeProject(files: Record<string, string>, options: object = ESM): string {
  const dir = join(scratch, `p${++projectCount}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, ignoreDeprecations: '6.0' }, include: ['.'] }));
  writeFileSync(join(dir, 'prelude.d.ts'), PRELUDE);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function findingOn(findings: Finding[], rule: RuleId, line: number): Finding {
  const found = findings.find((f) => f.rule === rule && f.range.start.line + 1 === line);
  assert.ok(found, `no ${rule} on line ${line}: ${JSON.stringify(findings.map((f) => [f.rule, f.range.start.line + 1]))}`);
  return found;
}

/** Applies fix `kind` of the `rule` finding on 1-based `line`, checks compile + re-analysis, returns the text. */
function fixed(dir: string, file: string, rule: RuleId, line: number, kind: FixKind): { text: string; preferred: boolean } {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const findings = engine.analyze(path, before, 1).findings;
  const finding = findingOn(findings, rule, line);
  assert.equal(finding.fixes.filter((f) => f.preferred).length, 1, 'exactly one preferred fix');
  const fix = finding.fixes.find((f) => f.kind === kind);
  assert.ok(fix, `no ${kind} fix; offered: ${finding.fixes.map((f) => f.kind).join(', ')}`);
  const text = applyEdits(before, fix.edits);
  const compiler = new FixtureCompiler(join(dir, 'tsconfig.json'));
  assert.deepEqual(newDiagnostics(compiler.diagnostics(path, before), compiler.diagnostics(path, text)), []);
  const again = engine.analyze(path, text, 2).findings.filter((f) => f.rule === rule);
  assert.equal(again.length, findings.filter((f) => f.rule === rule).length - 1, 'the finding is gone');
  return { text, preferred: fix.preferred };
}

function offered(dir: string, file: string, rule: RuleId, line: number): string[] {
  const path = join(dir, file);
  const finding = findingOn(engine.analyze(path, readFileSync(path, 'utf8'), 1).findings, rule, line);
  return finding.fixes.map((f) => `${f.kind}${f.preferred ? '*' : ''}`);
}

describe('floating-promise fixes', () => {
  test('add-await inside an async function is preferred', () => {
    const dir = makeProject({ 'a.ts': 'export async function f() {\n  save();\n}\n' });
    assert.deepEqual(fixed(dir, 'a.ts', 'floating-promise', 2, 'add-await'), {
      text: 'export async function f() {\n  await save();\n}\n',
      preferred: true,
    });
  });

  test('add-await parenthesises a conditional', () => {
    const dir = makeProject({ 'a.ts': 'export async function f() {\n  cond ? save() : load();\n}\n' });
    assert.equal(fixed(dir, 'a.ts', 'floating-promise', 2, 'add-await').text, 'export async function f() {\n  await (cond ? save() : load());\n}\n');
  });

  test('an array of promises is awaited with Promise.all', () => {
    const dir = makeProject({ 'a.ts': 'export async function f() {\n  ids.map(async (id) => id);\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 2, 'add-await').text,
      'export async function f() {\n  await Promise.all(ids.map(async (id) => id));\n}\n',
    );
  });

  test('outside an async function there is no await; .catch is preferred', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  save();\n}\n' });
    assert.deepEqual(offered(dir, 'a.ts', 'floating-promise', 2), ['add-catch*', 'add-void', 'make-async', 'suppress']);
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 2, 'add-catch').text,
      'export function f() {\n  save().catch((error: unknown) => { console.error(error); });\n}\n',
    );
  });

  test('.catch in JavaScript has no type annotation', () => {
    const dir = makeProject({ 'a.js': 'export function f() {\n  save();\n}\n' });
    assert.equal(
      fixed(dir, 'a.js', 'floating-promise', 2, 'add-catch').text,
      'export function f() {\n  save().catch((error) => { console.error(error); });\n}\n',
    );
  });

  test(".catch logs through the project's logger when the file imports one", () => {
    const dir = makeProject({
      'logger.ts': 'export const logger = { error(...args: unknown[]): void { void args; } };\n',
      'a.ts': "import { logger } from './logger';\nexport function f() {\n  logger.error('start');\n  save();\n}\n",
    });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 4, 'add-catch').text,
      "import { logger } from './logger';\nexport function f() {\n  logger.error('start');\n  save().catch((error: unknown) => { logger.error(error); });\n}\n",
    );
  });

  test('.catch on a maybe-undefined promise uses ?.', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  api.maybe?.();\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 2, 'add-catch').text,
      'export function f() {\n  api.maybe?.()?.catch((error: unknown) => { console.error(error); });\n}\n',
    );
  });

  test('.catch wraps a conditional, guarding against ASI after a statement without a semicolon', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  const n = 1\n  cond ? save() : load()\n  return n\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 3, 'add-catch').text,
      'export function f() {\n  const n = 1\n  ;(cond ? save() : load()).catch((error: unknown) => { console.error(error); })\n  return n\n}\n',
    );
  });

  test('.catch on an array goes through Promise.all', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  ids.map((id) => load().then((n) => n + id));\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 2, 'add-catch').text,
      'export function f() {\n  Promise.all(ids.map((id) => load().then((n) => n + id))).catch((error: unknown) => { console.error(error); });\n}\n',
    );
  });

  test('add-void, with parentheses where needed', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  save();\n  cond && save();\n}\n' });
    assert.equal(fixed(dir, 'a.ts', 'floating-promise', 2, 'add-void').text, 'export function f() {\n  void save();\n  cond && save();\n}\n');
    assert.equal(fixed(dir, 'a.ts', 'floating-promise', 3, 'add-void').text, 'export function f() {\n  save();\n  void (cond && save());\n}\n');
  });

  test('make-async adds async, await and Promise<> to the return type; it is unsafe', () => {
    const dir = makeProject({ 'a.ts': 'export function f(): void {\n  save();\n}\n' });
    const path = join(dir, 'a.ts');
    const fix = engine.analyze(path, readFileSync(path, 'utf8')).findings[0].fixes.find((f) => f.kind === 'make-async')!;
    assert.equal(fix.safe, false);
    assert.equal(fixed(dir, 'a.ts', 'floating-promise', 2, 'make-async').text, 'export async function f(): Promise<void> {\n  await save();\n}\n');
  });

  test('make-async on a method and on an arrow function', () => {
    const dir = makeProject({
      'a.ts': 'export class A {\n  static run() {\n    save();\n  }\n}\nexport const g = () => {\n  save();\n};\n',
    });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 3, 'make-async').text,
      'export class A {\n  static async run() {\n    await save();\n  }\n}\nexport const g = () => {\n  save();\n};\n',
    );
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 7, 'make-async').text,
      'export class A {\n  static run() {\n    save();\n  }\n}\nexport const g = async () => {\n  await save();\n};\n',
    );
  });

  test('make-async is not offered when the function returns a value its callers use', () => {
    const dir = makeProject({ 'a.ts': 'export function f(): number {\n  save();\n  return 1;\n}\n' });
    assert.deepEqual(offered(dir, 'a.ts', 'floating-promise', 2), ['add-catch*', 'add-void', 'suppress']);
  });

  test('suppress keeps the indentation', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  if (cond) {\n    save();\n  }\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'floating-promise', 3, 'suppress').text,
      'export function f() {\n  if (cond) {\n    // asyncguard-ignore-next-line floating-promise\n    save();\n  }\n}\n',
    );
  });

  test('top-level await is offered in an ES module, not in CommonJS', () => {
    const esm = makeProject({ 'a.ts': 'export {};\nsave();\n' });
    assert.deepEqual(offered(esm, 'a.ts', 'floating-promise', 2), ['add-await*', 'add-catch', 'add-void', 'suppress']);
    assert.equal(fixed(esm, 'a.ts', 'floating-promise', 2, 'add-await').text, 'export {};\nawait save();\n');
    const cjs = makeProject({ 'a.ts': 'export {};\nsave();\n' }, CJS);
    assert.deepEqual(offered(cjs, 'a.ts', 'floating-promise', 2), ['add-catch*', 'add-void', 'suppress']);
    const script = makeProject({ 'a.ts': 'save();\n' });
    assert.deepEqual(offered(script, 'a.ts', 'floating-promise', 1), ['add-catch*', 'add-void', 'suppress']);
  });
});

describe('misused-promise fixes', () => {
  test('a promise condition is awaited inside an async function', () => {
    const dir = makeProject({ 'a.ts': 'export async function f() {\n  if (isReady()) {\n    return 1;\n  }\n  return 0;\n}\n' });
    assert.deepEqual(fixed(dir, 'a.ts', 'misused-promise', 2, 'add-await'), {
      text: 'export async function f() {\n  if (await isReady()) {\n    return 1;\n  }\n  return 0;\n}\n',
      preferred: true,
    });
  });

  test('a spread promise is awaited', () => {
    const dir = makeProject({ 'a.ts': 'declare const user: Promise<{ name: string }>;\nexport async function f() {\n  return { ...user };\n}\n' });
    assert.equal(
      fixed(dir, 'a.ts', 'misused-promise', 3, 'add-await').text,
      'declare const user: Promise<{ name: string }>;\nexport async function f() {\n  return { ...await user };\n}\n',
    );
  });

  test('an async callback where a void one is expected: suppress is the fix', () => {
    const dir = makeProject({ 'a.ts': 'export function f() {\n  onEvent(async () => {\n    await save();\n  });\n}\n' });
    assert.deepEqual(offered(dir, 'a.ts', 'misused-promise', 2), ['suppress*']);
    assert.equal(
      fixed(dir, 'a.ts', 'misused-promise', 2, 'suppress').text,
      'export function f() {\n  // asyncguard-ignore-next-line misused-promise\n  onEvent(async () => {\n    await save();\n  });\n}\n',
    );
  });

  test('in JSX children the suppression is a JSX comment', () => {
    const dir = makeProject(
      {
        'a.tsx': [
          'declare global {',
          '  namespace JSX {',
          '    interface IntrinsicElements {',
          '      div: { children?: unknown };',
          '      button: { onClick?: () => void };',
          '    }',
          '  }',
          '}',
          'export const view = (',
          '  <div>',
          '    <button onClick={async () => save()} />',
          '  </div>',
          ');',
          '',
        ].join('\n'),
      },
      { ...ESM, jsx: 'preserve' },
    );
    assert.match(fixed(dir, 'a.tsx', 'misused-promise', 11, 'suppress').text, /  <div>\n    \{\/\* asyncguard-ignore-next-line misused-promise \*\/\}\n    <button/);
  });
});

// One pass per fix kind: every finding's fix of that kind applied together (those whose edits do
// not touch another's), then one compile and one re-analysis. Much cheaper than one per fix.
describe('every fix offered on the fixtures compiles and removes its findings', () => {
  const configs = new Map<string, FixtureCompiler>();
  for (const rel of listTsFixtures()) {
    test(rel, () => {
      const path = join(tsFixtureRoot, rel);
      const config = join(dirname(path), 'tsconfig.json');
      if (!configs.has(config)) configs.set(config, new FixtureCompiler(config));
      const compiler = configs.get(config)!;
      const text = readFileSync(path, 'utf8');
      let version = 1;
      const findings = engine.analyze(path, text, version).findings;
      const baseline = compiler.diagnostics(path, text);
      const problems: string[] = [];
      for (const finding of findings) {
        if (finding.fixes.filter((f) => f.preferred).length !== 1) {
          problems.push(`${finding.rule} at ${finding.range.start.line + 1}: not exactly one preferred fix`);
        }
      }
      const kinds = [...new Set(findings.flatMap((f) => f.fixes.map((x) => x.kind)))];
      for (const kind of kinds) {
        const taken: { start: number; end: number }[] = [];
        const applied: Finding[] = [];
        const edits: TextEdit[] = [];
        for (const finding of findings) {
          const fix = finding.fixes.find((f) => f.kind === kind);
          if (!fix) continue;
          const spans = fix.edits.map((e) => ({ start: e.range.start.line * 1e6 + e.range.start.character, end: e.range.end.line * 1e6 + e.range.end.character }));
          if (spans.some((a) => taken.some((b) => a.start <= b.end && b.start <= a.end))) continue;
          taken.push(...spans);
          applied.push(finding);
          edits.push(...fix.edits);
        }
        const after = applyEdits(text, edits);
        const introduced = newDiagnostics(baseline, compiler.diagnostics(path, after));
        if (introduced.length) problems.push(`${kind}: ${introduced.join('; ')}`);
        const remaining = engine.analyze(path, after, ++version).findings;
        for (const rule of ['floating-promise', 'misused-promise'] as const) {
          const fixedHere = applied.filter((f) => f.rule === rule);
          if (fixedHere.length === 0) continue;
          if (kind === 'make-async') {
            // Callers of the now-async function may float its promise instead: check the lines fixed.
            const lines = new Set(fixedHere.map((f) => f.range.start.line));
            const left = remaining.filter((f) => f.rule === rule && lines.has(f.range.start.line));
            if (left.length) problems.push(`${kind}: ${rule} still on lines ${left.map((f) => f.range.start.line + 1).join(', ')}`);
          } else {
            const before = findings.filter((f) => f.rule === rule).length;
            const now = remaining.filter((f) => f.rule === rule).length;
            if (now !== before - fixedHere.length) problems.push(`${kind}: ${rule} ${before} -> ${now} after fixing ${fixedHere.length}`);
          }
        }
      }
      engine.analyze(path, text, ++version);
      assert.deepEqual(problems, []);
    });
  }
});
