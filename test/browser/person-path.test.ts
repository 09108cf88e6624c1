// A person's path through the packaged extension, in chromium against code-server with the .vsix
// installed: open an example, see the squiggles, hover, run "Explain Problem at Cursor" from the
// Command Palette, then Ctrl+. to apply the fix; the same for a TypeScript example (squiggles,
// explanation, fix) beside VS Code's own TypeScript support; then Ctrl+. on the seed's two
// say_after awaits for "Run concurrently". Screenshots go to test/artifacts/
// (ASYNCGUARD_UPDATE_SCREENSHOT=1 also refreshes docs/screenshot.png and docs/run-concurrently.png
// for the README). The example files carry no marks: test/example-findings.json says where the
// squiggles belong.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { installExtension } from '../../scripts/code-server.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { exampleFindings } from '../../server/test/python/example-findings';
import { artifacts, root, startSession, whyCannotRun, type Session } from '../vscode/harness';

const FILE = 'orders/service.py';
const FIX_LINE = 29; // self._audit(order, "placed")  -> unawaited-coroutine
const TS_FILE = 'web/cart.ts';
const TS_FIX_LINE = 13; // saveDraft(items);  -> floating-promise

let session: Session;
let page: Page;

async function shot(name: string) {
  await page.screenshot({ path: join(artifacts, `browser-${name}.png`) });
}

/** The editor's rendered text of a 1-based line (Monaco draws spaces as no-break spaces). */
async function lineText(line: number): Promise<string> {
  return page.evaluate((n) => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    const numbers = [...(editor?.querySelectorAll('.line-numbers') ?? [])] as HTMLElement[];
    const number = numbers.find((el) => el.textContent?.trim() === String(n));
    if (!number) return '';
    const top = number.parentElement!.style.top;
    const lines = [...(editor?.querySelectorAll('.view-line') ?? [])] as HTMLElement[];
    return (lines.find((l) => l.style.top === top)?.textContent ?? '').replace(/\u00a0/g, ' ');
  }, line);
}

/** The lines where a squiggle starts (a finding over several lines squiggles each of them). */
async function squiggleStarts(): Promise<number[]> {
  const lines = await page.evaluate(() => {
    const editor = document.querySelector('.editor-instance .monaco-editor');
    const lineOfTop = new Map<string, number>();
    for (const el of (editor?.querySelectorAll('.line-numbers') ?? []) as NodeListOf<HTMLElement>) {
      lineOfTop.set(el.parentElement!.style.top, Number(el.textContent?.trim()));
    }
    const squiggled = [...((editor?.querySelectorAll('.squiggly-warning') ?? []) as NodeListOf<HTMLElement>)].map((el) => lineOfTop.get(el.parentElement!.style.top));
    return [...new Set(squiggled.filter((n): n is number => n !== undefined))];
  });
  return lines.filter((n) => !lines.includes(n - 1)).sort((a, b) => a - b);
}

async function goToLine(line: number, column = 9) {
  // Into the text editor first: after a webview had the focus, keys may not reach the workbench.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

/**
 * Ctrl+. at `line:column`, until the light bulb's menu shows `row`. On a loaded machine the first
 * Ctrl+. can reach the editor before the cursor has moved, or before the focus left a webview: the
 * menu then never opens, so the keys are sent again (at most three times).
 */
async function openActionMenu(line: number, column: number, row: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await goToLine(line, column);
    await page.keyboard.press('Control+.');
    try {
      await row.waitFor({ timeout: attempt < 3 ? 15_000 : 30_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

async function runCommand(title: string) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await item.waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

function explanationFrame(): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The 1-based lines of an example file where AsyncGuard reports something. */
const findingLines = (file: string) => exampleFindings().filter((f) => f.file === file).map((f) => f.line).sort((a, b) => a - b);

describe('a person using the packaged extension in the browser', { skip: whyCannotRun() }, () => {
  before(async () => {
    const { packagePath } = await packageExtension({ build: false, log: () => undefined });
    session = await startSession('browser', {
      prepareExtensions: (extensionsDir) => {
        installExtension(packagePath, extensionsDir);
      },
    });
    page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
    await page.goto(`${session.server.url}?folder=${encodeURIComponent(session.workspace)}`, {
      waitUntil: 'domcontentloaded',
      timeout: 120_000,
    });
    await explorerRow('orders').waitFor({ timeout: 120_000 });
  });

  after(async () => {
    if (page) await shot('last').catch(() => undefined);
    await session?.close();
  });

  test('opening the example shows a squiggle under each mistake', async () => {
    await explorerRow('orders').click();
    await explorerRow('service.py').click();
    await page.locator('.editor-instance .view-line', { hasText: '_audit(order, "placed")' }).first().waitFor({ timeout: 60_000 });
    const squiggles = page.locator('.editor-instance .squiggly-warning');
    await squiggles.first().waitFor({ timeout: 90_000 });
    const expected = findingLines(FILE);
    assert.deepEqual(expected, [27, FIX_LINE]);
    await expectEventually(async () => JSON.stringify(await squiggleStarts()) === JSON.stringify(expected), 'a squiggle on each listed line', 90_000)
      .catch(async (e) => assert.deepEqual(await squiggleStarts(), expected, String(e)))
      .finally(() => shot('1-squiggles'));
  });

  test('hovering the call explains what it returns', async () => {
    await goToLine(FIX_LINE);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I'); // Show Hover, as a keyboard user would
    const hover = page.locator('.monaco-hover:not(.hidden)').first();
    await hover.waitFor({ timeout: 30_000 });
    // The problem's own hover comes first; the server's hover (what the call returns) follows.
    await expectEventually(async () => /Returns:/.test(await hover.innerText()), 'the server’s hover', 30_000);
    const text = await hover.innerText();
    assert.match(text, /unawaited-coroutine/);
    assert.match(text, /Returns: a coroutine/);
    // The diagnostic's message is shown once (by VS Code's part of the hover), in plain words.
    const message = '“self._audit()” creates a coroutine that is never awaited, so “_audit” never runs';
    assert.equal(text.split(message).length - 1, 1, text);
    assert.doesNotMatch(text, /`/);
    assert.equal(await hover.locator('a', { hasText: 'Explain this problem' }).count(), 1, 'the explain link is live');
    await shot('2-hover');
    await page.keyboard.press('Escape');
  });

  test('Explain Problem at Cursor from the palette shows the page with the line quoted', async () => {
    await goToLine(FIX_LINE);
    await runCommand('AsyncGuard: Explain Problem at Cursor');
    await page.locator('.tab', { hasText: 'AsyncGuard: unawaited-coroutine' }).waitFor({ timeout: 30_000 });
    const frame = explanationFrame();
    const quote = frame.locator('section.quote');
    await quote.waitFor({ timeout: 30_000 });
    assert.match(await quote.innerText(), /self\._audit\(order, "placed"\)/);
    assert.match(await quote.innerText(), /orders\/service\.py/);
    const heading = await frame.locator('h1').first().innerText();
    const page1 = readFileSync(join(root, 'docs', 'rules', 'unawaited-coroutine.md'), 'utf8');
    assert.equal(heading.trim(), page1.split('\n').find((l) => l.startsWith('# '))!.slice(2).replace(/`/g, '').trim());
    await shot('3-explanation');
    // Back to the code for the light bulb.
    await page.keyboard.press('Control+1');
    // README.md shows this picture: its caption must name what it shows.
    const caption = /!\[([^\]]*)\]\(docs\/screenshot\.png\)/.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1] ?? '';
    assert.match(caption, /orders\/service\.py.*the explanation of unawaited-coroutine with the offending line quoted/);
    if (process.env.ASYNCGUARD_UPDATE_SCREENSHOT === '1') {
      copyFileSync(join(artifacts, 'browser-3-explanation.png'), join(root, 'docs', 'screenshot.png'));
    }
  });
  test('Ctrl+. offers the fix and applying it adds await', async () => {
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await openActionMenu(FIX_LINE, 9, rows.first());
    assert.deepEqual((await rows.allInnerTexts()).map((t) => t.trim()), [
      'Add “await”',
      'Suppress “unawaited-coroutine” on this line',
      'Fix all AsyncGuard problems in this file',
    ]);
    assert.equal((await page.locator('.action-widget .monaco-list-row.focused').innerText()).trim(), 'Add “await”', 'the preferred fix is selected');
    await shot('4-quick-fix-menu');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await lineText(FIX_LINE)).trimStart().startsWith('await self._audit'), 'the fixed line');
    assert.equal(await lineText(FIX_LINE), '        await self._audit(order, "placed")');
    await expectEventually(async () => JSON.stringify(await squiggleStarts()) === '[27]', 'only the floating-future squiggle left').catch(async (e) =>
      assert.deepEqual(await squiggleStarts(), [27], String(e)),
    );
    await shot('5-fixed');
  });

  test('opening the TypeScript example shows a squiggle under each mistake', async () => {
    await explorerRow('web').click();
    await explorerRow('cart.ts').click();
    await page.locator('.editor-instance .view-line', { hasText: 'saveDraft(items);' }).first().waitFor({ timeout: 60_000 });
    const expected = findingLines(TS_FILE);
    assert.deepEqual(expected, [TS_FIX_LINE, 17]);
    await expectEventually(async () => JSON.stringify(await squiggleStarts()) === JSON.stringify(expected), 'a squiggle on each expected line', 90_000)
      .catch(async (e) => assert.deepEqual(await squiggleStarts(), expected, String(e)))
      .finally(() => shot('6-ts-squiggles'));
  });

  test('Explain Problem at Cursor on the TypeScript finding shows the floating-promise page', async () => {
    await goToLine(TS_FIX_LINE, 3);
    await runCommand('AsyncGuard: Explain Problem at Cursor');
    await page.locator('.tab', { hasText: 'AsyncGuard: floating-promise' }).waitFor({ timeout: 30_000 });
    const frame = explanationFrame();
    const quote = frame.locator('section.quote[data-rule="floating-promise"]');
    await quote.waitFor({ timeout: 30_000 });
    assert.match(await quote.innerText(), /saveDraft\(items\);/);
    assert.match(await quote.innerText(), /web\/cart\.ts/);
    const heading = await frame.locator('h1').first().innerText();
    const doc = readFileSync(join(root, 'docs', 'rules', 'floating-promise.md'), 'utf8');
    assert.equal(heading.trim(), doc.split('\n').find((l) => l.startsWith('# '))!.slice(2).replace(/`/g, '').trim());
    await shot('7-ts-explanation');
    await page.keyboard.press('Control+1');
  });

  test('another page in the explanation view opens at its top, not where the last one was scrolled to', async () => {
    const scrolled = await explanationFrame().locator('body').evaluate(() => {
      window.scrollTo(0, 1200);
      return window.scrollY;
    });
    assert.ok(scrolled > 600, `the floating-promise page scrolled down (${scrolled} px)`);
    await runCommand('AsyncGuard: Explain a Rule');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'dangling-task' }).first().click();
    await page.locator('.tab', { hasText: 'AsyncGuard: dangling-task' }).waitFor({ timeout: 30_000 });
    const frame = explanationFrame();
    await frame.locator('body[data-rule="dangling-task"]').waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 500)); // where VS Code would restore the old position
    assert.equal(await frame.locator('body').evaluate(() => window.scrollY), 0);
    await shot('7b-next-page-at-top');
    await page.keyboard.press('Control+1');
  });

  test('Ctrl+. on the TypeScript finding offers the fixes, no fix-all; the preferred one adds .catch', async () => {
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await openActionMenu(TS_FIX_LINE, 3, rows.first());
    const ours = [
      'Handle the rejection with “.catch(...)” (console.error)',
      'Mark as deliberately not awaited with “void”',
      'Make “onQuantityChange” async and await this',
      'Suppress “floating-promise” on this line',
    ];
    // VS Code's TypeScript support may add its own refactorings to the menu: ours come in this order.
    const shown = (await rows.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(shown.filter((t) => ours.includes(t)), ours, shown.join(' | '));
    // every TypeScript fix is unsafe (docs/concepts/fix-safety.md): fix-all, which applies safe fixes only, has nothing to do here
    assert.ok(!shown.includes('Fix all AsyncGuard problems in this file'), shown.join(' | '));
    assert.equal((await page.locator('.action-widget .monaco-list-row.focused').innerText()).trim(), ours[0], 'the preferred fix is selected');
    await shot('8-ts-quick-fix-menu');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await lineText(TS_FIX_LINE)).includes('.catch('), 'the fixed line');
    assert.equal(await lineText(TS_FIX_LINE), '  saveDraft(items).catch((error: unknown) => { console.error(error); });');
    await expectEventually(async () => JSON.stringify(await squiggleStarts()) === '[17]', 'only the misused-promise squiggle left').catch(async (e) =>
      assert.deepEqual(await squiggleStarts(), [17], String(e)),
    );
    await shot('9-ts-fixed');
  });

  test('Ctrl+. on the seed’s two say_after awaits offers Run concurrently; applied, they become a TaskGroup', async () => {
    await explorerRow('say_after.py').click();
    await page.locator('.editor-instance .view-line', { hasText: 'await say_after(1, "hello")' }).first().waitFor({ timeout: 60_000 });
    const text = readFileSync(join(root, 'examples', 'say_after.py'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('await say_after(1, "hello")')) + 1;
    await goToLine(line, 11);
    // the light bulb shows once the server has answered for the cursor's line
    await page.locator('.lightBulbWidget').first().waitFor({ timeout: 60_000 });
    const row = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Run concurrently' }).first();
    await openActionMenu(line, 11, row);
    assert.equal((await row.innerText()).trim(), 'Run concurrently in an “asyncio.TaskGroup” (the 2 calls will overlap in time; whatever they share must allow that)');
    await shot('10-run-concurrently-menu');
    if (process.env.ASYNCGUARD_UPDATE_SCREENSHOT === '1') {
      copyFileSync(join(artifacts, 'browser-10-run-concurrently-menu.png'), join(root, 'docs', 'run-concurrently.png'));
    }
    await row.click();
    await expectEventually(async () => (await lineText(line)).trim() === 'async with asyncio.TaskGroup() as tg:', 'the rewritten lines');
    assert.deepEqual([await lineText(line + 1), await lineText(line + 2), await lineText(line + 3)], [
      '        tg.create_task(say_after(1, "hello"))',
      '        tg.create_task(say_after(2, "world"))',
      '    print(f"finished at {time.strftime(\'%X\')}")',
    ]);
    await shot('11-run-concurrently-applied');
  });
});

function explorerRow(name: string) {
  return page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace('.', '\\.')}`) }).first();
}

async function expectEventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
