// Quick fixes: the exact text after each fix; the fixed file type-checks as well as before (by
// the compiler) and no longer has the finding (by the engine).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyEdits } from '../../src/engine/text';
import { TypeScriptEngine } from '../../src/engine/ts/index';
import type { Finding, FixKind, RuleId } from '../../src/engine/types';
import { FixtureCompiler, newDiagnostics } from './compile';

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

interface ExactCase {
  name: string;
  /** The text of `file` (a.ts unless said); other files of the project in `others`. */
  source: string;
  file?: string;
  others?: Record<string, string>;
  options?: object;
  rule?: RuleId;
  line: number;
  kind: FixKind;
  expected: string;
  /** When given, whether this fix is the preferred one. */
  preferred?: boolean;
}

// The exact text after each fix; `fixed` also checks that it compiles as before and that the finding is gone.
const EXACT: ExactCase[] = [
  {
    name: 'add-await inside an async function is preferred',
    source: 'export async function f() {\n  save();\n}\n',
    line: 2,
    kind: 'add-await',
    expected: 'export async function f() {\n  await save();\n}\n',
    preferred: true,
  },
  {
    name: 'add-await parenthesises a conditional',
    source: 'export async function f() {\n  cond ? save() : load();\n}\n',
    line: 2,
    kind: 'add-await',
    expected: 'export async function f() {\n  await (cond ? save() : load());\n}\n',
  },
  {
    name: 'an array of promises is awaited with Promise.all',
    source: 'export async function f() {\n  ids.map(async (id) => id);\n}\n',
    line: 2,
    kind: 'add-await',
    expected: 'export async function f() {\n  await Promise.all(ids.map(async (id) => id));\n}\n',
  },
  {
    name: 'top-level await in an ES module',
    source: 'export {};\nsave();\n',
    line: 2,
    kind: 'add-await',
    expected: 'export {};\nawait save();\n',
  },
  {
    name: 'outside an async function .catch is preferred',
    source: 'export function f() {\n  save();\n}\n',
    line: 2,
    kind: 'add-catch',
    expected: 'export function f() {\n  save().catch((error: unknown) => { console.error(error); });\n}\n',
    preferred: true,
  },
  {
    name: '.catch in JavaScript has no type annotation',
    source: 'export function f() {\n  save();\n}\n',
    file: 'a.js',
    line: 2,
    kind: 'add-catch',
    expected: 'export function f() {\n  save().catch((error) => { console.error(error); });\n}\n',
  },
  {
    name: ".catch logs through the project's logger when the file imports one",
    source: "import { logger } from './logger';\nexport function f() {\n  logger.error('start');\n  save();\n}\n",
    others: { 'logger.ts': 'export const logger = { error(...args: unknown[]): void { void args; } };\n' },
    line: 4,
    kind: 'add-catch',
    expected: "import { logger } from './logger';\nexport function f() {\n  logger.error('start');\n  save().catch((error: unknown) => { logger.error(error); });\n}\n",
  },
  {
    name: '.catch on a maybe-undefined promise uses ?.',
    source: 'export function f() {\n  api.maybe?.();\n}\n',
    line: 2,
    kind: 'add-catch',
    expected: 'export function f() {\n  api.maybe?.()?.catch((error: unknown) => { console.error(error); });\n}\n',
  },
  {
    name: '.catch wraps a conditional, guarding against ASI after a statement without a semicolon',
    source: 'export function f() {\n  const n = 1\n  cond ? save() : load()\n  return n\n}\n',
    line: 3,
    kind: 'add-catch',
    expected: 'export function f() {\n  const n = 1\n  ;(cond ? save() : load()).catch((error: unknown) => { console.error(error); })\n  return n\n}\n',
  },
  {
    name: '.catch on an array goes through Promise.all',
    source: 'export function f() {\n  ids.map((id) => load().then((n) => n + id));\n}\n',
    line: 2,
    kind: 'add-catch',
    expected: 'export function f() {\n  Promise.all(ids.map((id) => load().then((n) => n + id))).catch((error: unknown) => { console.error(error); });\n}\n',
  },
  {
    name: 'add-void',
    source: 'export function f() {\n  save();\n  cond && save();\n}\n',
    line: 2,
    kind: 'add-void',
    expected: 'export function f() {\n  void save();\n  cond && save();\n}\n',
  },
  {
    name: 'add-void parenthesises a logical expression',
    source: 'export function f() {\n  save();\n  cond && save();\n}\n',
    line: 3,
    kind: 'add-void',
    expected: 'export function f() {\n  save();\n  void (cond && save());\n}\n',
  },
  {
    name: 'make-async adds async, await and Promise<> to the return type',
    source: 'export function f(): void {\n  save();\n}\n',
    line: 2,
    kind: 'make-async',
    expected: 'export async function f(): Promise<void> {\n  await save();\n}\n',
  },
  {
    name: 'make-async on a static method',
    source: 'export class A {\n  static run() {\n    save();\n  }\n}\n',
    line: 3,
    kind: 'make-async',
    expected: 'export class A {\n  static async run() {\n    await save();\n  }\n}\n',
  },
  {
    name: 'make-async on an arrow function',
    source: 'export const g = () => {\n  save();\n};\n',
    line: 2,
    kind: 'make-async',
    expected: 'export const g = async () => {\n  await save();\n};\n',
  },
  {
    // The TypeScript service's fix also rewrites the function type the variable is declared with.
    name: 'make-async rewrites the declared function type of the variable too',
    source: 'export const g: () => void = () => {\n  save();\n};\n',
    line: 2,
    kind: 'make-async',
    expected: 'export const g: () => Promise<void> = async () => {\n  await save();\n};\n',
  },
  {
    // The service is asked once per file, with every make-async `await` in place: offsets map back.
    name: 'make-async on the second of two functions changes only that one',
    source: 'export function f(): void {\n  save();\n}\nexport function g(): void {\n  cond ? save() : load();\n}\n',
    line: 5,
    kind: 'make-async',
    expected: 'export function f(): void {\n  save();\n}\nexport async function g(): Promise<void> {\n  await (cond ? save() : load());\n}\n',
  },
  {
    name: 'make-async on a generic arrow function with an array to await',
    source: 'export const k = <T,>(t: T): void => {\n  ids.map(async (id) => [id, t]);\n};\n',
    line: 2,
    kind: 'make-async',
    expected: 'export const k = async <T,>(t: T): Promise<void> => {\n  await Promise.all(ids.map(async (id) => [id, t]));\n};\n',
  },
  {
    name: 'suppress keeps the indentation',
    source: 'export function f() {\n  if (cond) {\n    save();\n  }\n}\n',
    line: 3,
    kind: 'suppress',
    expected: 'export function f() {\n  if (cond) {\n    // asyncguard-ignore-next-line floating-promise\n    save();\n  }\n}\n',
  },
  {
    name: 'a promise condition is awaited inside an async function',
    source: 'export async function f() {\n  if (isReady()) {\n    return 1;\n  }\n  return 0;\n}\n',
    rule: 'misused-promise',
    line: 2,
    kind: 'add-await',
    expected: 'export async function f() {\n  if (await isReady()) {\n    return 1;\n  }\n  return 0;\n}\n',
    preferred: true,
  },
  {
    name: 'a spread promise is awaited',
    source: 'declare const user: Promise<{ name: string }>;\nexport async function f() {\n  return { ...user };\n}\n',
    rule: 'misused-promise',
    line: 3,
    kind: 'add-await',
    expected: 'declare const user: Promise<{ name: string }>;\nexport async function f() {\n  return { ...await user };\n}\n',
  },
  {
    name: 'an async callback where a void one is expected is suppressed',
    source: 'export function f() {\n  onEvent(async () => {\n    await save();\n  });\n}\n',
    rule: 'misused-promise',
    line: 2,
    kind: 'suppress',
    expected: 'export function f() {\n  // asyncguard-ignore-next-line misused-promise\n  onEvent(async () => {\n    await save();\n  });\n}\n',
  },
];

describe('the text after each fix', () => {
  for (const c of EXACT) {
    test(`${c.rule ?? 'floating-promise'}: ${c.name}`, () => {
      const file = c.file ?? 'a.ts';
      const dir = makeProject({ ...c.others, [file]: c.source }, c.options);
      const result = fixed(dir, file, c.rule ?? 'floating-promise', c.line, c.kind);
      assert.equal(result.text, c.expected);
      if (c.preferred !== undefined) assert.equal(result.preferred, c.preferred);
    });
  }
});

// Which fixes a finding offers, the preferred one starred.
const OFFERED: { name: string; source: string; options?: object; rule?: RuleId; line: number; expected: string[] }[] = [
  {
    name: 'outside an async function there is no await; .catch is preferred',
    source: 'export function f() {\n  save();\n}\n',
    line: 2,
    expected: ['add-catch*', 'add-void', 'make-async', 'suppress'],
  },
  {
    name: 'make-async is not offered when the function returns a value its callers use',
    source: 'export function f(): number {\n  save();\n  return 1;\n}\n',
    line: 2,
    expected: ['add-catch*', 'add-void', 'suppress'],
  },
  { name: 'top-level await is offered in an ES module', source: 'export {};\nsave();\n', line: 2, expected: ['add-await*', 'add-catch', 'add-void', 'suppress'] },
  { name: 'not in CommonJS', source: 'export {};\nsave();\n', options: CJS, line: 2, expected: ['add-catch*', 'add-void', 'suppress'] },
  { name: 'not in a script', source: 'save();\n', line: 1, expected: ['add-catch*', 'add-void', 'suppress'] },
  {
    name: 'an async callback where a void one is expected: suppress is the fix',
    source: 'export function f() {\n  onEvent(async () => {\n    await save();\n  });\n}\n',
    rule: 'misused-promise',
    line: 2,
    expected: ['suppress*'],
  },
];

describe('the fixes offered', () => {
  for (const c of OFFERED) {
    test(`${c.rule ?? 'floating-promise'}: ${c.name}`, () => {
      const dir = makeProject({ 'a.ts': c.source }, c.options);
      assert.deepEqual(offered(dir, 'a.ts', c.rule ?? 'floating-promise', c.line), c.expected);
    });
  }

  test('make-async is unsafe: callers get a promise', () => {
    const dir = makeProject({ 'a.ts': 'export function f(): void {\n  save();\n}\n' });
    const path = join(dir, 'a.ts');
    const fix = engine.analyze(path, readFileSync(path, 'utf8')).findings[0].fixes.find((f) => f.kind === 'make-async')!;
    assert.equal(fix.safe, false);
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
