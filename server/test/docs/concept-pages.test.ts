// The concept pages (docs/concepts) teach with runnable examples: every Python or TypeScript block
// followed by a `text` block is run, and it must print what that block shows — timings to within
// 0.1 s, since they are what the page is about. The Simplified Chinese page keeps the English
// page's structure and code, and the rule pages that should lead to a concept do.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { CONCEPTS } from '../../src/engine/concepts';

const docs = join(__dirname, '..', '..', '..', 'docs');
const python = process.env.ASYNCGUARD_PYTHON ?? 'python3';
const scratch = mkdtempSync(join(tmpdir(), 'asyncguard-concepts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const run = promisify(execFile);

interface Block {
  lang: string;
  code: string;
}

function blocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** Each runnable block with the output block right after it. */
function examples(markdown: string): Array<{ program: Block; output: string }> {
  const all = blocks(markdown);
  return all.flatMap((b, i) => (['python', 'ts'].includes(b.lang) && all[i + 1]?.lang === 'text' ? [{ program: b, output: all[i + 1].code }] : []));
}

async function execute(block: Block, name: string): Promise<string> {
  if (block.lang === 'python') {
    const file = join(scratch, `${name}.py`);
    writeFileSync(file, block.code);
    return (await run(python, ['-B', file], { timeout: 30_000 })).stdout;
  }
  const js = ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = join(scratch, `${name}.cjs`);
  writeFileSync(file, js);
  return (await run(process.execPath, [file], { timeout: 30_000 })).stdout;
}

const TOOK = /took (\d+\.\d) s/;

/** The output as the page shows it: the same lines, with "took N s" within 0.1 s of the page's. */
function assertSameOutput(actual: string, shown: string): void {
  const a = actual.split('\n');
  const s = shown.split('\n');
  assert.equal(a.length, s.length, `${actual} vs ${shown}`);
  a.forEach((line, i) => {
    const m = TOOK.exec(s[i]);
    if (!m) return assert.equal(line, s[i]);
    const seconds = TOOK.exec(line);
    assert.ok(seconds, `${line} reports no time`);
    assert.equal(line.replace(TOOK, ''), s[i].replace(TOOK, ''));
    assert.ok(Math.abs(Number(seconds[1]) - Number(m[1])) <= 0.1, `${line}, the page says ${s[i]}`);
  });
}

/** Pages that teach by running code: at least this many examples (the policy pages teach by tables). */
const MIN_EXAMPLES: Record<string, number> = { concurrency: 4 };

for (const concept of CONCEPTS) {
  describe(`docs/concepts/${concept.id}.md`, () => {
    const en = readFileSync(join(docs, 'concepts', `${concept.id}.md`), 'utf8');
    const runnable = examples(en);

    const wanted = MIN_EXAMPLES[concept.id] ?? 0;
    if (wanted) test('has runnable examples', () => assert.ok(runnable.length >= wanted, `${runnable.length} examples`));
    runnable.forEach(({ program, output }, i) => {
      test(`example ${i + 1} (${program.lang}) prints what the page shows`, async () => {
        assertSameOutput(await execute(program, `${concept.id}-${i}`), output);
      });
    });

    test('the title is the concept’s', () => assert.equal(en.split('\n')[0], `# ${concept.title}`));

    test('the Simplified Chinese page has the same sections and the same code', () => {
      const zh = readFileSync(join(docs, 'concepts', `${concept.id}.zh-CN.md`), 'utf8');
      const headings = (md: string) => md.split('\n').filter((l) => /^#{1,3} /.test(l));
      assert.equal(headings(zh).length, headings(en).length);
      assert.deepEqual(blocks(zh), blocks(en));
      assert.match(zh, /[\u4e00-\u9fff]/);
    });

    test('its links to other pages resolve', () => {
      for (const lang of ['', '.zh-CN']) {
        const page = readFileSync(join(docs, 'concepts', `${concept.id}${lang}.md`), 'utf8');
        for (const [, href] of page.matchAll(/\]\((\.\.\/[^)#]+)\)/g)) assert.ok(existsSync(join(docs, 'concepts', href)), href);
      }
    });
  });
}

test('the unawaited-coroutine and dangling-task pages lead to the concurrency page, in both languages', () => {
  for (const rule of ['unawaited-coroutine', 'dangling-task']) {
    assert.ok(readFileSync(join(docs, 'rules', `${rule}.md`), 'utf8').includes('](../concepts/concurrency.md)'), rule);
    assert.ok(readFileSync(join(docs, 'rules', `${rule}.zh-CN.md`), 'utf8').includes('](../concepts/concurrency.zh-CN.md)'), `${rule}.zh-CN`);
  }
});
