// The extension's decisions that do not need VS Code: crash restarts, workspace trust, and how a
// rule page becomes the explanation's HTML.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CrashPolicy } from '../../client/src/crashPolicy';
import { docFileNames, docLanguageFor, renderExplanationHtml, type ExplanationPage } from '../../client/src/explain/ruleDocs';
import { withoutExecutableSettings } from '../../client/src/trust';

describe('crash policy', () => {
  test('restarts four times within three minutes, then gives up', () => {
    const policy = new CrashPolicy();
    const t0 = 1_000_000;
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => policy.shouldRestartAfterCrash(t0 + i * 1000)), [true, true, true, true, false]);
  });

  test('crashes older than the window are forgotten', () => {
    const policy = new CrashPolicy({ maxRestarts: 2, windowMs: 60_000 });
    assert.equal(policy.shouldRestartAfterCrash(0), true);
    assert.equal(policy.shouldRestartAfterCrash(10_000), true);
    assert.equal(policy.shouldRestartAfterCrash(65_000), true);
    assert.equal(policy.recentCrashes, 2);
    assert.equal(policy.shouldRestartAfterCrash(66_000), false);
  });

  test('a restart on request starts a fresh count', () => {
    const policy = new CrashPolicy({ maxRestarts: 1, windowMs: 60_000 });
    policy.shouldRestartAfterCrash(0);
    assert.equal(policy.shouldRestartAfterCrash(1), false);
    policy.reset();
    assert.equal(policy.shouldRestartAfterCrash(2), true);
  });
});

describe('untrusted workspace configuration', () => {
  test('the asyncguard section loses interpreterPath and keeps the rest', () => {
    const value = { enable: true, interpreterPath: '/tmp/evil', rules: { 'dangling-task': { severity: 'error' } } };
    assert.deepEqual(withoutExecutableSettings('asyncguard', value), { enable: true, rules: { 'dangling-task': { severity: 'error' } } });
    assert.equal(value.interpreterPath, '/tmp/evil', 'the original is not modified');
  });

  test('asking for the setting itself, or for everything, does not reveal it', () => {
    assert.equal(withoutExecutableSettings('asyncguard.interpreterPath', '/tmp/evil'), null);
    assert.deepEqual(withoutExecutableSettings(undefined, { asyncguard: { interpreterPath: 'x', run: 'onSave' }, editor: {} }), {
      asyncguard: { run: 'onSave' },
      editor: {},
    });
    assert.equal(withoutExecutableSettings('asyncguard.run', 'onSave'), 'onSave');
  });
});

describe('explanation pages', () => {
  const page = (overrides: Partial<ExplanationPage>): ExplanationPage => ({
    rule: 'dangling-task',
    language: 'en',
    markdown: '# Dangling task\n\nSee [unawaited-coroutine](unawaited-coroutine.md) and [docs](https://docs.python.org/3/).\n',
    explainCommand: 'asyncguard.explainRule',
    knownRules: ['dangling-task', 'unawaited-coroutine'],
    cspSource: 'vscode-webview://abc',
    ...overrides,
  });

  test('the display language picks the page, Simplified Chinese falling back to English', () => {
    assert.equal(docLanguageFor('zh-cn'), 'zh-CN');
    assert.equal(docLanguageFor('zh-CN'), 'zh-CN');
    assert.equal(docLanguageFor('zh-tw'), 'en');
    assert.equal(docLanguageFor('en'), 'en');
    assert.equal(docLanguageFor('de'), 'en');
    assert.deepEqual(docFileNames('dangling-task', 'zh-CN'), ['dangling-task.zh-CN.md', 'dangling-task.md']);
    assert.deepEqual(docFileNames('dangling-task', 'en'), ['dangling-task.md']);
  });

  test('links to other rules run the explain command; web links stay', () => {
    const html = renderExplanationHtml(page({}));
    assert.ok(html.includes('<a href="command:asyncguard.explainRule?%5B%22unawaited-coroutine%22%5D">unawaited-coroutine</a>'), html);
    assert.ok(html.includes('<a href="https://docs.python.org/3/">docs</a>'));
    assert.ok(html.includes('<h1>Dangling task</h1>'));
    assert.ok(html.includes(`content="default-src 'none'; style-src vscode-webview://abc 'unsafe-inline'; img-src vscode-webview://abc https: data:"`));
  });

  test('links between rule pages and concept pages open in the view, in either language', () => {
    const html = renderExplanationHtml(
      page({
        knownRules: ['dangling-task', 'concurrency'],
        markdown: 'See [Running awaits concurrently](../concepts/concurrency.zh-CN.md) and [dangling-task](../rules/dangling-task.md).\n',
      }),
    );
    assert.ok(html.includes('<a href="command:asyncguard.explainRule?%5B%22concurrency%22%5D">Running awaits concurrently</a>'), html);
    assert.ok(html.includes('<a href="command:asyncguard.explainRule?%5B%22dangling-task%22%5D">dangling-task</a>'), html);
  });

  test('the offending line is quoted, escaped, with its number', () => {
    const html = renderExplanationHtml(page({
      quote: { file: 'app/main.py', line: 12, text: '    asyncio.create_task(send("<b>"))' },
      quoteHeading: 'Found in app/main.py, line 12:',
    }));
    assert.ok(html.includes(
      '<section class="quote" data-rule="dangling-task"><p>Found in app/main.py, line 12:</p>' +
        '<pre><code><span class="line-number">12</span>    asyncio.create_task(send(&quot;&lt;b&gt;&quot;))</code></pre></section>',
    ), html);
  });

  test('raw HTML in a page is shown as text, never run', () => {
    const html = renderExplanationHtml(page({ markdown: '# T\n\n<script>alert(1)</script>\n' }));
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
