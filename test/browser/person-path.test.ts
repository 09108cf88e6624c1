// A person's path through the packaged extension, in chromium against code-server with the .vsix
// installed: open an example, see the squiggles, hover, run "Explain Problem at Cursor" from the
// Command Palette, then Ctrl+. to apply the fix; the same for a TypeScript example (squiggles,
// explanation, fix) beside VS Code's own TypeScript support. Screenshots go to test/artifacts/
// (ASYNCGUARD_UPDATE_SCREENSHOT=1 also refreshes docs/screenshot.png for the README).
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { installExtension } from '../../scripts/code-server.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { artifacts, root, startSession, type Session } from '../vscode/harness';

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

describe('a person using the packaged extension in the browser', () => {
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
    const expected = readFileSync(join(root, 'examples', FILE), 'utf8').match(/# expect:/g)?.length ?? 0;
    await expectCount(() => squiggles.count(), expected, 'squiggles').finally(() => shot('1-squiggles'));
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
    if (process.env.ASYNCGUARD_UPDATE_SCREENSHOT === '1') {
      copyFileSync(join(artifacts, 'browser-3-explanation.png'), join(root, 'docs', 'screenshot.png'));
    }
  });
  test('Ctrl+. offers the fix and applying it adds await', async () => {
    await goToLine(FIX_LINE);
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ timeout: 30_000 });
    assert.deepEqual((await rows.allInnerTexts()).map((t) => t.trim()), [
      'Add `await`',
      'Suppress `unawaited-coroutine` on this line',
      'Fix all AsyncGuard problems in this file',
    ]);
    assert.equal((await page.locator('.action-widget .monaco-list-row.focused').innerText()).trim(), 'Add `await`', 'the preferred fix is selected');
    await shot('4-quick-fix-menu');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await lineText(FIX_LINE)).trimStart().startsWith('await self._audit'), 'the fixed line');
    assert.equal(await lineText(FIX_LINE), '        await self._audit(order, "placed")  # expect: unawaited-coroutine');
    await expectCount(() => page.locator('.editor-instance .squiggly-warning').count(), 1, 'squiggles after the fix');
    await shot('5-fixed');
  });

  test('opening the TypeScript example shows a squiggle under each mistake', async () => {
    await explorerRow('web').click();
    await explorerRow('cart.ts').click();
    await page.locator('.editor-instance .view-line', { hasText: 'saveDraft(items); // expect' }).first().waitFor({ timeout: 60_000 });
    const expected = readFileSync(join(root, 'examples', TS_FILE), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.includes('// expect:') ? [i + 1] : []));
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

  test('Ctrl+. on the TypeScript finding offers the fixes, no fix-all; the preferred one adds .catch', async () => {
    await goToLine(TS_FIX_LINE, 3);
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ timeout: 30_000 });
    const ours = [
      'Handle the rejection with `.catch(...)` (console.error)',
      'Mark as deliberately not awaited with `void`',
      'Make `onQuantityChange` async and await this',
      'Suppress `floating-promise` on this line',
    ];
    // VS Code's TypeScript support may add its own refactorings to the menu: ours come in this order.
    const shown = (await rows.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(shown.filter((t) => ours.includes(t)), ours, shown.join(' | '));
    // every TypeScript fix is unsafe (docs/fix-safety.md): fix-all, which applies safe fixes only, has nothing to do here
    assert.ok(!shown.includes('Fix all AsyncGuard problems in this file'), shown.join(' | '));
    assert.equal((await page.locator('.action-widget .monaco-list-row.focused').innerText()).trim(), ours[0], 'the preferred fix is selected');
    await shot('8-ts-quick-fix-menu');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await lineText(TS_FIX_LINE)).includes('.catch('), 'the fixed line');
    assert.equal(await lineText(TS_FIX_LINE), '  saveDraft(items).catch((error: unknown) => { console.error(error); }); // expect: floating-promise');
    await expectEventually(async () => JSON.stringify(await squiggleStarts()) === '[17]', 'only the misused-promise squiggle left').catch(async (e) =>
      assert.deepEqual(await squiggleStarts(), [17], String(e)),
    );
    await shot('9-ts-fixed');
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

async function expectCount(count: () => Promise<number>, expected: number, what: string) {
  let last = -1;
  await expectEventually(async () => (last = await count()) === expected, `${expected} ${what}`).catch(() => {
    assert.equal(last, expected, what);
  });
}
