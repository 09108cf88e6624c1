// The rule pages (docs/rules) are what the explanation command shows. Their "Example" code must
// behave as the page says when run — Python under python3, TypeScript transpiled and run by
// node — and each Simplified Chinese page must keep the English page's structure and code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as ts from 'typescript';
import { RULES, rulePages } from '../../src/engine/rules';

const docsDir = join(__dirname, '..', '..', '..', 'docs');
const python = process.env.ASYNCGUARD_PYTHON ?? 'python3';
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-docs-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function runProgram(command: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function page(file: string): string {
  return readFileSync(join(docsDir, file), 'utf8');
}

function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The first code block after the page's example heading: the runnable wrong example. */
function exampleCode(markdown: string): { lang: string; code: string } {
  const at = markdown.search(/^## (Example|示例)$/m);
  assert.ok(at >= 0, 'the page has an Example section');
  const [first] = codeBlocks(markdown.slice(at));
  assert.ok(first, 'the Example section has a code block');
  return first;
}

/** What running each page's example shows, as the page describes it. */
const documentedBehaviour: Partial<Record<string, (o: Outcome) => void>> = {
  'unawaited-coroutine': (o) => {
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, '42\n');
    assert.match(o.stderr, /RuntimeWarning: coroutine 'nested' was never awaited/);
  },
  'dangling-task': (o) => {
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, '');
    assert.match(o.stderr, /Task was destroyed but it is pending!/);
  },
  'floating-future': (o) => {
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, 'done?\n');
    assert.match(o.stderr, /Future exception was never retrieved[\s\S]*OSError: cannot read cat\.png/);
  },
  'run-in-running-loop': (o) => {
    assert.equal(o.code, 1);
    assert.equal(o.stdout, '');
    assert.match(o.stderr, /RuntimeError: asyncio\.run\(\) cannot be called from a running event loop/);
    assert.match(o.stderr, /RuntimeWarning: coroutine 'fetch_price' was never awaited/);
  },
  'floating-promise': (o) => {
    assert.equal(o.code, 1);
    assert.equal(o.stdout, 'saved?\n');
    assert.match(o.stderr, /Error: disk full while saving order-17/);
  },
  'misused-promise': (o) => {
    assert.equal(o.code, 0, o.stderr);
    assert.equal(o.stdout, 'welcome, admin\nsaved 0 of 3\n');
  },
};

const LANGUAGE_NAMES = { python: 'Python', typescript: 'TypeScript / JavaScript' } as const;

for (const rule of RULES) {
  const pages = rulePages(rule.id);

  test(`docs/${pages.en}: its header says what the registry says (language, default severity)`, () => {
    const header = page(pages.en).split('\n').slice(0, 3).join('\n');
    assert.match(header, new RegExp(`^# ${rule.id}\n\n\\*\\*Language:\\*\\* ${LANGUAGE_NAMES[rule.language]} · \\*\\*Default severity:\\*\\* ${rule.defaultSeverity} · `));
  });

  test(`docs/${pages.en}: the example behaves as described`, async () => {
    const expected = documentedBehaviour[rule.id];
    assert.ok(expected, `say in documentedBehaviour (this file) what running the example of ${pages.en} shows`);
    const { lang, code } = exampleCode(page(pages.en));
    let outcome: Outcome;
    if (rule.language === 'python') {
      assert.equal(lang, 'python');
      const file = join(scratch, `${rule.id}.py`);
      writeFileSync(file, code);
      outcome = await runProgram(python, ['-B', file]);
    } else {
      assert.equal(lang, 'ts');
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
      const file = join(scratch, `${rule.id}.cjs`);
      writeFileSync(file, js.outputText);
      outcome = await runProgram(process.execPath, [file]);
    }
    expected(outcome);
  });

  test(`docs/${pages['zh-CN']}: same sections and the same code as the English page`, () => {
    const en = page(pages.en);
    const zh = page(pages['zh-CN']);
    const headings = (md: string) => md.split('\n').filter((l) => /^#{1,3} /.test(l));
    assert.equal(headings(zh)[0], headings(en)[0], 'the title is the rule id in both');
    assert.equal(headings(zh).length, headings(en).length, 'the same number of sections');
    assert.deepEqual(codeBlocks(zh), codeBlocks(en), 'the code examples are identical');
    assert.match(zh, /[\u4e00-\u9fff]/, 'the page is translated');
  });
}
