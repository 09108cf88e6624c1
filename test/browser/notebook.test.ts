// A person's path through a Jupyter notebook with the packaged extension, in chromium against
// code-server (no kernel): open examples/notebooks/asyncio-basics.ipynb, move to the cell with the
// nested() mistake, see its squiggle, open the explanation from the Command Palette, and apply the
// light bulb's fix. Screenshots go to test/artifacts/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { installExtension } from '../../scripts/code-server.mjs';
import { packageExtension } from '../../scripts/package.mjs';
import { exampleFindings } from '../../server/test/python/example-findings';
import { artifacts, startSession, whyCannotRun, type Session } from '../vscode/harness';
import * as workbench from './workbench';
import { expectEventually } from './workbench';

const NOTEBOOK = 'notebooks/asyncio-basics.ipynb';

let session: Session;
let page: Page;

async function shot(name: string) {
  await page.screenshot({ path: join(artifacts, `browser-notebook-${name}.png`) });
}

/** The line of the focused cell that is exactly `text`. */
const focusedCellLine = (text: RegExp) => page.locator('.notebook-editor .monaco-list-row.focused .view-line', { hasText: text }).first();

const runCommand = (title: string) => workbench.runCommand(page, title);
const explorerRow = (name: string) => workbench.explorerRow(page, name);

/** The text of the focused cell's editor (Monaco draws spaces as no-break spaces). */
async function focusedCellText(): Promise<string> {
  return page.evaluate(() => {
    const row = document.querySelector('.notebook-editor .monaco-list-row.focused');
    const lines = [...(row?.querySelectorAll('.view-line') ?? [])] as HTMLElement[];
    return lines
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  });
}

describe('a person using the packaged extension on a Jupyter notebook', { skip: whyCannotRun() }, () => {
  before(async () => {
    const { packagePath } = await packageExtension({ build: false, log: () => undefined });
    session = await startSession('browser-notebook', { prepareExtensions: (dir) => installExtension(packagePath, dir) });
    page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
    await page.goto(`${session.server.url}?folder=${encodeURIComponent(session.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await explorerRow('notebooks').waitFor({ timeout: 120_000 });
  });

  after(async () => {
    if (page) await shot('last').catch(() => undefined);
    await session?.close();
  });

  test('the cell with nested() gets a squiggle under the call', async () => {
    const [unawaited] = exampleFindings().filter((f) => f.file === NOTEBOOK && f.rule === 'unawaited-coroutine');
    assert.deepEqual([unawaited.cell, unawaited.line], [7, 1]);
    await explorerRow('notebooks').click();
    await explorerRow('asyncio-basics.ipynb').click();
    // Clicked before the built-in Jupyter support has registered, the file opens as JSON text:
    // then reopen it with the notebook editor, as a person would.
    const notebookEditor = page.locator('.notebook-editor').first();
    if (!(await notebookEditor.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
      await runCommand('View: Reopen Editor With...');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Jupyter Notebook' }).first().click();
    }
    await page.locator('.notebook-editor .cell-editor-container .view-line', { hasText: 'import asyncio' }).first().waitFor({ timeout: 60_000 });
    // to cell 7 as a keyboard user goes: into the first code cell, out to the cell list, down five cells, into the cell
    await page.locator('.notebook-editor .cell-editor-container .view-lines', { hasText: 'import asyncio' }).first().click();
    await page.keyboard.press('Escape');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await focusedCellText()) === 'nested()\nprint(await nested())', 'the cursor in cell 7', 30_000);
    await page.keyboard.press('Control+Home');
    const squiggle = page.locator('.notebook-editor .monaco-list-row.focused .squiggly-warning');
    await squiggle.first().waitFor({ timeout: 60_000 });
    assert.equal(await squiggle.count(), 1, 'one squiggle in the cell');
    await shot('1-squiggle');
  });

  test('Explain Problem at Cursor names the notebook and the cell', async () => {
    await runCommand('AsyncGuard: Explain Problem at Cursor');
    await page.locator('.tab', { hasText: 'AsyncGuard: unawaited-coroutine' }).waitFor({ timeout: 30_000 });
    // the notebook has a webview of its own (for outputs): the explanation is the one with the quote
    let text = '';
    await expectEventually(async () => {
      for (const frame of page.frames()) {
        const quote = frame.locator('section.quote[data-rule="unawaited-coroutine"]');
        if (await quote.count().catch(() => 0)) text = await quote.innerText();
      }
      return text !== '';
    }, 'the explanation', 30_000);
    assert.match(text, /notebooks\/asyncio-basics\.ipynb, cell 7, line 1/);
    assert.match(text, /nested\(\)/);
    await shot('2-explanation');
    await page.keyboard.press('Control+1');
  });

  test('Ctrl+. offers “Add await” first, and applying it fixes the cell', async () => {
    await focusedCellLine(/^nested\(\)$/).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor({ timeout: 30_000 });
    const shown = (await rows.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(shown.slice(0, 2), ['Add “await”', 'Suppress “unawaited-coroutine” on this line'], shown.join(' | '));
    assert.equal((await page.locator('.action-widget .monaco-list-row.focused').innerText()).trim(), 'Add “await”', 'the preferred fix is selected');
    await shot('3-quick-fix-menu');
    await page.keyboard.press('Enter');
    await expectEventually(async () => (await focusedCellText()) === 'await nested()\nprint(await nested())', 'the fixed cell');
    await expectEventually(async () => (await page.locator('.notebook-editor .monaco-list-row.focused .squiggly-warning').count()) === 0, 'the squiggle gone', 30_000);
    await shot('4-fixed');
  });
});
