// `asyncguard rule`: a documentation page, found from wherever the CLI runs, rendered for a
// terminal (colour only on one) or printed as Markdown, in English or Simplified Chinese.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCommand } from '../../src/cli/args';
import { runRule, type RuleRequest } from '../../src/cli/rule';
import { CONCEPTS } from '../../src/engine/concepts';
import { RULES } from '../../src/engine/rules';
import { docsDir, languageOfLocale, readPage, rulesDocsDir } from '../../src/docs/pages';
import { displayWidth, renderForTerminal } from '../../src/docs/terminal';
import { ensureBuilt, makeTree, repoRoot, runBuilt, runInProcess } from './helpers';

function capture(color = false) {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), color } };
}

const request = (name: string, more: Partial<RuleRequest> = {}): RuleRequest => ({ name, all: false, language: 'en', format: 'text', ...more });

const PAGE = `# dangling-task

**Language:** Python · **Fixes:** keep the task

## Why is this bad?

The loop keeps a *weak* reference to \`asyncio.create_task(...)\`'s task;
see [floating-future](floating-future.md) and [the docs](https://docs.python.org/3/library/asyncio-task.html).

- first point
- second point

| object | runs when |
|---|---|
| coroutine | awaited |
| Task | at once |

\`\`\`python
asyncio.create_task(job())
\`\`\`
`;

describe('asyncguard rule', () => {
  it('renders a page for a terminal: headings underlined, code quoted, links followed by their target, tables aligned', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': PAGE });
    const { out, io } = capture();
    assert.equal(runRule(request('dangling-task'), io, () => join(dir, 'docs')), 0);
    assert.equal(out.stderr, '');
    assert.equal(
      out.stdout,
      [
        'dangling-task',
        '=============',
        '',
        'Language: Python · Fixes: keep the task',
        '',
        'Why is this bad?',
        '----------------',
        '',
        'The loop keeps a weak reference to “asyncio.create_task(...)”\'s task;',
        'see floating-future (asyncguard rule floating-future) and the docs (https://docs.python.org/3/library/asyncio-task.html).',
        '',
        '  • first point',
        '  • second point',
        '',
        'object     runs when',
        '─────────  ─────────',
        'coroutine  awaited',
        'Task       at once',
        '',
        '    asyncio.create_task(job())',
        '',
      ].join('\n'),
    );
  });

  it('colours headings and code on a terminal, and nothing else changes', () => {
    const plain = renderForTerminal(PAGE, { color: false });
    const colored = renderForTerminal(PAGE, { color: true });
    assert.match(colored, /\u001b\[1m\u001b\[4mdangling-task\u001b\[24m\u001b\[22m/);
    assert.match(colored, /\u001b\[36masyncio\.create_task\(\.\.\.\)\u001b\[39m/);
    assert.doesNotMatch(plain, /\u001b/);
  });

  it('--format markdown prints the page as it is written', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': PAGE });
    const { out, io } = capture(true);
    assert.equal(runRule(request('dangling-task', { format: 'markdown' }), io, () => join(dir, 'docs')), 0);
    assert.deepEqual(out, { stdout: PAGE, stderr: '' });
  });

  it('--lang zh-CN shows the Chinese page; a page without one falls back to English and says so', () => {
    const dir = makeTree({
      'docs/rules/dangling-task.md': '# dangling-task\n',
      'docs/rules/dangling-task.zh-CN.md': '# dangling-task\n\n保留任务的引用。\n',
      'docs/rules/floating-future.md': '# floating-future\n',
    });
    const zh = capture();
    assert.equal(runRule(request('dangling-task', { language: 'zh-CN' }), zh.io, () => join(dir, 'docs')), 0);
    assert.deepEqual(zh.out, { stdout: 'dangling-task\n=============\n\n保留任务的引用。\n', stderr: '' });
    const fallback = capture();
    assert.equal(runRule(request('floating-future', { language: 'zh-CN' }), fallback.io, () => join(dir, 'docs')), 0);
    assert.deepEqual(fallback.out, {
      stdout: 'floating-future\n===============\n',
      stderr: 'asyncguard: warning: floating-future has no zh-CN page; showing the English one\n',
    });
  });

  it('shows other pages of the docs by name, and lists them when the name is unknown', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': '# x\n', 'docs/concepts/tasks-and-futures.md': '# Tasks and futures\n' });
    const page = capture();
    assert.equal(runRule(request('tasks-and-futures'), page.io, () => join(dir, 'docs')), 0);
    assert.equal(page.out.stdout, 'Tasks and futures\n=================\n');
    const unknown = capture();
    assert.equal(runRule(request('dangling'), unknown.io, () => join(dir, 'docs')), 2);
    assert.equal(
      unknown.out.stderr,
      "asyncguard: error: unknown rule 'dangling' (known rules: unawaited-coroutine, dangling-task, floating-future, run-in-running-loop, floating-promise, misused-promise; other pages: tasks-and-futures)\n",
    );
  });

  it('says which page is missing, exit 2', () => {
    const dir = makeTree({ 'docs/rules/dangling-task.md': '# x\n' });
    const { out, io } = capture();
    assert.equal(runRule(request('floating-future'), io, () => join(dir, 'docs')), 2);
    assert.equal(out.stderr, `asyncguard: error: the documentation of floating-future is not installed (no floating-future.md under ${join(dir, 'docs')})\n`);
    const none = capture();
    assert.equal(runRule(request('floating-future'), none.io, () => undefined), 2);
    assert.equal(none.out.stderr, 'asyncguard: error: the documentation of floating-future is not installed (no docs folder found)\n');
  });

  it('--all lists every rule of the registry (id, language, default severity, summary), then the concept pages', () => {
    const { out, io } = capture();
    assert.equal(runRule({ all: true, language: 'en', format: 'text' }, io), 0);
    const lines = out.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), [...RULES.map((r) => r.id), ...CONCEPTS.map((c) => c.id)]);
    assert.equal(lines[0], 'unawaited-coroutine  python      warning  A coroutine is created and never awaited, so its body never runs.');
    assert.ok(lines[3].startsWith('run-in-running-loop  python      error    '));
    assert.ok(lines[4].startsWith('floating-promise     typescript  warning  '));
    assert.equal(
      lines[RULES.length],
      'concurrency          concept              Running awaits concurrently: Coroutines, Tasks and Futures, and why awaits one after another take the sum of their times.',
    );
  });

  it('the language comes from --lang, else LC_ALL, LC_MESSAGES or LANG, else English', () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--lang', 'zh-CN'], {}, 'zh-CN'],
      [['--lang', 'zh_cn'], { LANG: 'en_US.UTF-8' }, 'zh-CN'],
      [['--lang', 'en'], { LANG: 'zh_CN.UTF-8' }, 'en'],
      [[], { LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
      [[], { LC_ALL: 'C.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en'],
      [[], { LC_MESSAGES: 'zh_CN', LANG: 'en_GB' }, 'zh-CN'],
      [[], {}, 'en'],
    ];
    for (const [flags, environment, language] of cases) {
      const command = parseCommand(['rule', ...flags, 'dangling-task'], environment);
      assert.equal(command.kind === 'rule' && command.language, language, `${flags.join(' ')} ${JSON.stringify(environment)}`);
    }
    assert.equal(languageOfLocale('zh_TW.UTF-8'), 'en', 'only Simplified Chinese is translated');
  });

  it('usage errors name the problem: an unknown language, format or option', async () => {
    const dir = makeTree({});
    for (const [argv, message] of [
      [['rule', '--lang', 'fr', 'dangling-task'], "unknown language 'fr' (expected one of: en, zh-CN)"],
      [['rule', '--format', 'html', 'dangling-task'], "unknown format 'html' (expected one of: text, markdown)"],
      [['rule', '--bogus', 'dangling-task'], "unknown option '--bogus'"],
      [['--bogus'], "unknown option '--bogus'"],
    ] as const) {
      const r = await runInProcess([...argv], dir);
      assert.deepEqual(r, { code: 2, stdout: '', stderr: `asyncguard: error: ${message}\nRun 'asyncguard --help' for usage.\n` }, argv.join(' '));
    }
  });

  it('the built CLI, piped, prints the real page plain; with LANG=zh_CN the Chinese one', () => {
    ensureBuilt();
    const en = runBuilt(['rule', 'dangling-task'], repoRoot);
    assert.equal(en.code, 0, en.stderr);
    assert.ok(en.stdout.startsWith('dangling-task\n=============\n\nLanguage: Python · Default severity: warning · Fixes: keep the task in a “background_tasks” set'));
    assert.doesNotMatch(en.stdout, /\u001b|```|\*\*/);
    const zh = runBuiltWith(['rule', 'dangling-task'], { LANG: 'zh_CN.UTF-8' });
    assert.equal(zh.stdout, renderForTerminal(readPage('dangling-task', docsDir(), 'zh-CN')!.text, { color: false, pageCommand: (p) => `asyncguard rule ${p}` }));
    assert.match(zh.stdout, /[\u4e00-\u9fff]/);
  });

  it('prints a concept page (docs/concepts) by its name, in either language', () => {
    ensureBuilt();
    const raw = runBuilt(['rule', '--format', 'markdown', 'concurrency'], repoRoot);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(raw.stdout, readPage('concurrency', docsDir(), 'en')!.text);
    const zh = runBuiltWith(['rule', '--format', 'markdown', '--lang', 'zh-CN', 'concurrency'], {});
    assert.equal(zh.stdout, readPage('concurrency', docsDir(), 'zh-CN')!.text);
  });

  it('finds docs/rules at or above the folder it starts from (source tree, bundle, installed extension)', () => {
    const dir = makeTree({ 'ext/docs/rules/dangling-task.md': 'page\n', 'ext/server/out/cli.js': '' });
    assert.equal(rulesDocsDir(join(dir, 'ext', 'server', 'out')), join(dir, 'ext', 'docs', 'rules'));
    assert.equal(readPage('dangling-task', docsDir(join(dir, 'ext', 'server', 'out')))?.text, 'page\n');
    assert.equal(docsDir(join(dir, 'elsewhere')), undefined);
  });

  it('counts East Asian wide characters as two columns (for underlines and tables)', () => {
    assert.equal(displayWidth('任务 task'), 9);
  });
});

function runBuiltWith(argv: string[], environment: Record<string, string>) {
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: '', ...environment };
  const r = spawnSync(process.execPath, [join(repoRoot, 'server', 'bin', 'asyncguard.js'), ...argv], { cwd: repoRoot, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
