// The extension inside a real VS Code extension host: diagnostics from the bundled server, the
// quick fix and fix-all edits, the Run concurrently refactoring on the demo, every contributed
// command, and the explanations in both languages.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { AsyncGuardApi } from '../extension';
import {
  activateExtension,
  asyncguardDiagnostics,
  closeAllEditors,
  EXTENSION_ID,
  explanationTabs,
  openScratch,
  ruleOf,
  waitFor,
  waitForDiagnostics,
  workspaceRoot,
} from './helpers';

const NESTED = `import asyncio


async def nested():
    return 42


async def main():
    nested()
`;

let api: AsyncGuardApi;

/** A file to open: a scratch file written with `text`, or (without `text`) an example as it is. */
interface Case {
  file: string;
  text?: string;
  rule: string;
  /** 1-based line of the finding. */
  line: number;
}

interface QuickFixCase extends Case {
  name: string;
  /** The preferred action, or the one whose title matches. */
  action: 'preferred' | RegExp;
  /** The fix replaces `from` by `to` and nothing else. */
  from: string;
  to: string;
}

const QUICK_FIXES: QuickFixCase[] = [
  {
    name: 'the preferred quick fix adds await',
    file: 'scratch/quickfix.py',
    text: NESTED,
    rule: 'unawaited-coroutine',
    line: 9,
    action: 'preferred',
    from: '    nested()',
    to: '    await nested()',
  },
  {
    name: 'the suppress quick fix adds the comment',
    file: 'scratch/suppress.py',
    text: NESTED,
    rule: 'unawaited-coroutine',
    line: 9,
    action: /suppress/i,
    from: '    nested()',
    to: '    nested()  # asyncguard: ignore[unawaited-coroutine]',
  },
  {
    name: 'TypeScript: the preferred quick fix handles the rejection with .catch',
    file: 'web/cart.ts',
    rule: 'floating-promise',
    line: 13,
    action: 'preferred',
    from: '  saveDraft(items);',
    to: '  saveDraft(items).catch((error: unknown) => { console.error(error); });',
  },
  {
    name: 'TypeScript: making the function async also makes its return type a Promise',
    file: 'web/cart.ts',
    rule: 'floating-promise',
    line: 13,
    action: /^Make “onQuantityChange” async/,
    from: 'export function onQuantityChange(item: CartItem, quantity: number): void {\n  item.quantity = quantity;\n  saveDraft(items);',
    to: 'export async function onQuantityChange(item: CartItem, quantity: number): Promise<void> {\n  item.quantity = quantity;\n  await saveDraft(items);',
  },
];

const EXPLAINED: (Case & { quoted: string })[] = [
  { file: 'scratch/explain.py', text: NESTED, rule: 'unawaited-coroutine', line: 9, quoted: '    nested()' },
  { file: 'web/cart.ts', rule: 'misused-promise', line: 17, quoted: '  wishlist.forEach(async (item) =&gt; {' },
];

async function openCase(c: Case): Promise<vscode.TextEditor> {
  if (c.text !== undefined) return openScratch(c.file, c.text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), c.file));
  return vscode.window.showTextDocument(document);
}

async function findingOn(uri: vscode.Uri, rule: string, line: number): Promise<vscode.Diagnostic> {
  const ds = await waitForDiagnostics(uri, (all) => all.some((d) => ruleOf(d) === rule && d.range.start.line === line - 1));
  return ds.find((d) => ruleOf(d) === rule && d.range.start.line === line - 1)!;
}

/** `LINE: rule` for each finding test/example-findings.json lists in the example `file`, sorted like the diagnostics below. */
function expectedFindings(file: string): string[] {
  const listed = JSON.parse(readFileSync(vscode.Uri.joinPath(extensionUri(), 'test', 'example-findings.json').fsPath, 'utf8')) as {
    findings: { file: string; line: number; rule: string }[];
  };
  return listed.findings
    .filter((f) => f.file === file.split('\\').join('/'))
    .map((f) => `${f.line}: ${f.rule}`)
    .sort();
}

function extensionUri(): vscode.Uri {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
}

function docHeading(file: string): string {
  const markdown = readFileSync(vscode.Uri.joinPath(extensionUri(), 'docs', 'rules', file).fsPath, 'utf8');
  const heading = markdown.split('\n').find((l) => l.startsWith('# '));
  assert.ok(heading, `${file} has a top-level heading`);
  return heading.slice(2).replace(/`/g, '').trim();
}

function renderedHeading(html: string): string {
  const h1 = /<h1>(.*?)<\/h1>/s.exec(html)?.[1] ?? '';
  return h1
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

suite('AsyncGuard in VS Code', () => {
  suiteSetup(async () => {
    api = await activateExtension();
  });

  teardown(closeAllEditors);

  test('the server starts over IPC and the status item says so', () => {
    assert.equal(api.serverState, 'running');
    assert.match(api.status.text, /^AsyncGuard: \d+ problems?$/);
  });

  test('every contributed command is registered', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(contributed.sort(), [
      'asyncguard.analyzeWorkspace',
      'asyncguard.explainProblem',
      'asyncguard.explainRule',
      'asyncguard.fixAll',
      'asyncguard.restartServer',
      'asyncguard.showOutput',
    ]);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  test('each example file gets exactly the findings test/example-findings.json lists, in Python and TypeScript', async function () {
    this.timeout(180_000);
    const examples = workspaceRoot();
    const files = readdirSync(examples.fsPath, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(py|ts)$/.test(f) && !f.startsWith('scratch'))
      .sort();
    assert.ok(files.some((f) => f.endsWith('.py')) && files.some((f) => f.endsWith('.ts')), 'the examples folder has Python and TypeScript files');
    let withFindings = 0;
    for (const file of files) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examples, file));
      await vscode.window.showTextDocument(document);
      const expected = expectedFindings(file);
      withFindings += expected.length > 0 ? 1 : 0;
      await waitForDiagnostics(document.uri, (ds) => ds.length === expected.length, 15_000).catch(() => undefined);
      // A file with nothing to report looks the same before and after analysis: let it settle.
      await new Promise((r) => setTimeout(r, 500));
      const found = asyncguardDiagnostics(document.uri);
      const actual = found.map((d) => `${d.range.start.line + 1}: ${ruleOf(d)}`).sort();
      assert.deepEqual(actual, expected, file);
      for (const d of found) {
        assert.equal(d.source, 'asyncguard');
        assert.doesNotMatch(d.message, /`/, 'messages are plain text');
        const code = d.code as { value: string; target: vscode.Uri };
        assert.equal(code.target.scheme, vscode.env.uriScheme, 'the rule link opens the explanation in VS Code');
        assert.equal(new URLSearchParams(code.target.query).get('rule'), ruleOf(d));
      }
    }
    assert.ok(withFindings > 0, 'some example has findings');
  });

  test('the unawaited coroutine is reported on the call', async () => {
    const editor = await openScratch('scratch/quickfix.py', NESTED);
    const [d] = await waitForDiagnostics(editor.document.uri);
    assert.equal(ruleOf(d), 'unawaited-coroutine');
    assert.deepEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [8, 4, 8, 12],
    );
    assert.match(d.message, /nested/);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
  });

  for (const c of QUICK_FIXES) {
    test(c.name, async () => {
      const editor = await openCase(c);
      const before = editor.document.getText();
      const d = await findingOn(editor.document.uri, c.rule, c.line);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
        100,
      );
      const titles = actions.map((a) => a.title).join(' | ');
      if (c.action === 'preferred') assert.equal(actions.filter((a) => a.isPreferred).length, 1, `one preferred fix among ${titles}`);
      const action = actions.find((a) => (c.action === 'preferred' ? a.isPreferred : c.action.test(a.title)));
      assert.ok(action?.edit, `${String(c.action)} with its edit among ${titles}`);
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      assert.ok(before.includes(c.from));
      assert.equal(editor.document.getText(), before.replace(c.from, c.to));
      await waitForDiagnostics(editor.document.uri, (ds) => !ds.some((x) => ruleOf(x) === c.rule && x.range.start.line === c.line - 1));
      if (!c.text) await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  }

  test('Run concurrently on the demo: offered on the two say_after awaits; applied, the same words in the same order, in the longer delay', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'say_after.py');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const before = editor.document.getText();
    const line = before.split('\n').findIndex((l) => l.includes('await say_after(1'));
    const cursor = new vscode.Position(line, 10);
    editor.selection = new vscode.Selection(cursor, cursor);
    // what the light bulb asks for at a cursor: every kind
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(cursor, cursor));
    const titles = actions.map((a) => a.title).join(' | ');
    const action = actions.find((a) => a.title.startsWith('Run concurrently'));
    assert.ok(action?.edit, `Run concurrently among ${titles}`);
    assert.equal(action.title, 'Run concurrently in an “asyncio.TaskGroup” (the 2 calls will overlap in time; whatever they share must allow that)');
    assert.equal(action.kind?.value, vscode.CodeActionKind.RefactorRewrite.value);
    assert.deepEqual(action.diagnostics ?? [], []);
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    const after = editor.document.getText();
    assert.equal(
      after,
      before.replace(
        '    await say_after(1, "hello")\n    await say_after(2, "world")\n',
        '    async with asyncio.TaskGroup() as tg:\n        tg.create_task(say_after(1, "hello"))\n        tg.create_task(say_after(2, "world"))\n',
      ),
    );
    const rewritten = vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'say_after_concurrently.py');
    await vscode.workspace.fs.writeFile(rewritten, new TextEncoder().encode(after));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const serial = await timedPython(uri.fsPath);
    const concurrent = await timedPython(rewritten.fsPath);
    assert.deepEqual(serial.words, ['hello', 'world']);
    assert.deepEqual(concurrent.words, serial.words);
    // 1 s + 2 s one after the other, the longer 2 s together; both times include starting Python
    assert.ok(serial.seconds >= 3, `one after the other: ${serial.seconds} s`);
    assert.ok(concurrent.seconds >= 2, `concurrently: ${concurrent.seconds} s`);
    assert.ok(serial.seconds - concurrent.seconds > 0.7, `the delay saved: ${serial.seconds} s then ${concurrent.seconds} s`);
  });

  test('Run concurrently on the TypeScript twin: one Promise.all', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'web', 'profile.ts');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const before = editor.document.getText();
    const line = before.split('\n').findIndex((l) => l.includes('const user = await load(1);'));
    const cursor = new vscode.Position(line, 4);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      new vscode.Range(cursor, cursor),
      vscode.CodeActionKind.Refactor.value,
    );
    const action = actions.find((a) => a.title.startsWith('Run concurrently'));
    assert.ok(action?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.equal(
      editor.document.getText(),
      before.replace('  const user = await load(1);\n  const feed = await load(2);\n', '  const [user, feed] = await Promise.all([load(1), load(2)]);\n'),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Fix All in File fixes every finding', async () => {
    const text = NESTED + '    nested()\n';
    const editor = await openScratch('scratch/fixall.py', text);
    await waitForDiagnostics(editor.document.uri, (ds) => ds.length === 2);
    const applied = await vscode.commands.executeCommand<boolean>('asyncguard.fixAll');
    assert.equal(applied, true);
    assert.equal(editor.document.getText(), text.replaceAll('    nested()', '    await nested()'));
  });

  test('the status item counts the findings', async () => {
    const editor = await openScratch('scratch/status.py', NESTED + '    nested()\n');
    await waitForDiagnostics(editor.document.uri, (ds) => ds.length === 2);
    await waitFor('the status to count them', () => {
      const { problems } = api.findings();
      return problems >= 2 && api.status.text === `AsyncGuard: ${problems} problems`;
    });
  });

  for (const c of EXPLAINED) {
    test(`Explain Problem at Cursor shows the page with the offending line quoted: ${c.rule}`, async () => {
      const editor = await openCase(c);
      const d = await findingOn(editor.document.uri, c.rule, c.line);
      editor.selection = new vscode.Selection(d.range.start.translate(0, 2), d.range.start.translate(0, 2));
      const shown = await vscode.commands.executeCommand<{ rule: string; file: string; html: string }>('asyncguard.explainProblem');
      assert.equal(shown.rule, c.rule);
      assert.equal(shown.file, vscode.env.language.toLowerCase() === 'zh-cn' ? `${c.rule}.zh-CN.md` : `${c.rule}.md`);
      const where = c.file.replace(/[./]/g, (ch) => `\\${ch}`);
      assert.match(shown.html, new RegExp(`<section class="quote" data-rule="${c.rule}"><p>Found in ${where}, line ${c.line}:</p>`));
      assert.ok(shown.html.includes(`<span class="line-number">${c.line}</span>${c.quoted}</code>`), `the line is quoted: ${c.quoted}`);
      assert.equal(renderedHeading(shown.html), docHeading(shown.file));
      await waitFor('the explanation tab', () => explanationTabs().length === 1 || undefined);
    });
  }

  test('a Jupyter notebook: the findings in its cells, the fix from the light bulb, the explanation naming the cell', async function () {
    this.timeout(90_000);
    const file = 'notebooks/asyncio-basics.ipynb';
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(workspaceRoot(), file));
    const editor = await vscode.window.showNotebookDocument(notebook);
    const listed = JSON.parse(readFileSync(vscode.Uri.joinPath(extensionUri(), 'test', 'example-findings.json').fsPath, 'utf8')) as {
      findings: { file: string; cell?: number; line: number; rule: string }[];
    };
    const expected = listed.findings.filter((f) => f.file === file).map((f) => `cell ${f.cell}:${f.line}: ${f.rule}`);
    assert.equal(expected.length, 3);
    const found = () =>
      notebook.getCells().flatMap((cell) => asyncguardDiagnostics(cell.document.uri).map((d) => `cell ${cell.index + 1}:${d.range.start.line + 1}: ${ruleOf(d)}`));
    await waitFor(`the cells' diagnostics (now: ${found().join(', ')})`, () => found().length === expected.length || undefined, 30_000);
    assert.deepEqual(found(), expected);

    // the light bulb on cell 7's nested(): add await, legal at a cell's top level. The workbench makes
    // a cell's text model when it draws the cell: reveal it, and ask until the model is there.
    editor.revealRange(new vscode.NotebookRange(6, 7), vscode.NotebookEditorRevealType.InCenter);
    editor.selection = new vscode.NotebookRange(6, 7);
    const cell = notebook.cellAt(6).document;
    const [d] = asyncguardDiagnostics(cell.uri);
    const actions = await waitFor('the cell’s code actions', () =>
      Promise.resolve(
        vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', cell.uri, d.range, vscode.CodeActionKind.QuickFix.value, 100),
      ).catch(() => undefined), // no text model for the cell yet
    );
    const preferred = actions.filter((a) => a.isPreferred);
    assert.deepEqual(preferred.map((a) => a.title), ['Add “await”'], actions.map((a) => a.title).join(' | '));
    assert.ok(preferred[0].edit && (await vscode.workspace.applyEdit(preferred[0].edit)));
    assert.equal(cell.getText(), 'await nested()\nprint(await nested())');
    await waitForDiagnostics(cell.uri, (ds) => ds.length === 0);

    // the explanation of cell 15's asyncio.run, as the hover's link asks for it
    const run = notebook.cellAt(14).document;
    const [r] = asyncguardDiagnostics(run.uri);
    assert.equal(ruleOf(r), 'run-in-running-loop');
    const shown = await vscode.commands.executeCommand<{ rule: string; html: string }>('asyncguard.explainProblem', {
      rule: ruleOf(r),
      uri: run.uri.toString(),
      range: { start: { line: r.range.start.line, character: r.range.start.character }, end: { line: r.range.end.line, character: r.range.end.character } },
    });
    assert.equal(shown.rule, 'run-in-running-loop');
    assert.match(shown.html, /<p>Found in notebooks\/asyncio-basics\.ipynb, cell 15, line 1:<\/p>/);
    assert.ok(shown.html.includes('<span class="line-number">1</span>asyncio.run(nested())</code>'));
    // leave the notebook as it was for the tests after this one
    const undo = new vscode.WorkspaceEdit();
    undo.delete(cell.uri, new vscode.Range(0, 0, 0, 'await '.length));
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await notebook.save());
    assert.equal(notebook.cellAt(6).document.getText(), 'nested()\nprint(await nested())');
  });

  test('the hover’s "Explain this problem" link explains that finding', async () => {
    const editor = await openScratch('scratch/hoverlink.py', NESTED);
    const [d] = await waitForDiagnostics(editor.document.uri);
    await closeAllEditors();
    const shown = await vscode.commands.executeCommand<{ rule: string; html: string }>('asyncguard.explainProblem', {
      rule: ruleOf(d),
      uri: editor.document.uri.toString(),
      range: { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } },
    });
    assert.equal(shown.rule, 'unawaited-coroutine');
    assert.match(shown.html, /<p>Found in scratch\/hoverlink\.py, line 9:<\/p>/);
  });

  test('the diagnostic’s rule link (Problems panel, diagnostic hover) opens the explanation of that finding', async () => {
    const editor = await openScratch('scratch/rulelink.py', NESTED);
    const [d] = await waitForDiagnostics(editor.document.uri);
    await closeAllEditors();
    const link = (d.code as { value: string; target: vscode.Uri }).target;
    // What the Problems panel does with the link: VS Code's opener hands our URI to the extension.
    await vscode.commands.executeCommand('vscode.open', link);
    const shown = await waitFor('the explanation', () => (api.explanation?.html.includes('rulelink.py') ? api.explanation : undefined));
    assert.equal(shown.rule, 'unawaited-coroutine');
    assert.match(shown.html, /<p>Found in scratch\/rulelink\.py, line 9:<\/p>/);
    assert.ok(shown.html.includes('<span class="line-number">9</span>    nested()</code>'));
  });

  test('Explain a Rule opens the English and the Simplified Chinese page', async () => {
    for (const rule of ['dangling-task', 'unawaited-coroutine', 'floating-future', 'run-in-running-loop', 'floating-promise', 'misused-promise']) {
      const en = await vscode.commands.executeCommand<{ file: string; language: string; html: string }>(
        'asyncguard.explainRule', rule, { language: 'en' });
      assert.equal(en.file, `${rule}.md`);
      assert.match(en.html, /<html lang="en">/);
      assert.equal(renderedHeading(en.html), docHeading(`${rule}.md`));

      const zh = await vscode.commands.executeCommand<{ file: string; language: string; html: string }>(
        'asyncguard.explainRule', rule, { language: 'zh-CN' });
      assert.equal(zh.file, `${rule}.zh-CN.md`);
      assert.match(zh.html, /<html lang="zh-CN">/);
      assert.equal(renderedHeading(zh.html), docHeading(`${rule}.zh-CN.md`));
      const chinese = zh.html.replace(/<[^>]+>/g, '').match(/[\u4e00-\u9fff]/g) ?? [];
      assert.ok(chinese.length > 100, `the page is in Chinese (${chinese.length} CJK characters)`);
      assert.doesNotMatch(en.html.replace(/<[^>]+>/g, ''), /[\u4e00-\u9fff]/, 'the English page has no Chinese');
    }
    await waitFor('one explanation tab', () => explanationTabs().length === 1 || undefined);
    assert.equal(api.explanation?.rule, 'misused-promise');
  });

  test('the concept page “Running awaits concurrently” opens in the explanation view, and rule pages link to it', async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const shown = await vscode.commands.executeCommand<{ rule: string; file: string; html: string }>('asyncguard.explainRule', 'concurrency', { language });
      const file = language === 'en' ? 'concurrency.md' : 'concurrency.zh-CN.md';
      assert.equal(shown.file, file);
      const markdown = readFileSync(vscode.Uri.joinPath(extensionUri(), 'docs', 'concepts', file).fsPath, 'utf8');
      assert.equal(renderedHeading(shown.html), markdown.split('\n')[0].slice(2));
      assert.ok(shown.html.includes('async with asyncio.TaskGroup() as tg:'));
    }
    const rulePage = await vscode.commands.executeCommand<{ html: string }>('asyncguard.explainRule', 'dangling-task', { language: 'en' });
    assert.ok(rulePage.html.includes('href="command:asyncguard.explainRule?%5B%22concurrency%22%5D"'), 'dangling-task links to the concept');
  });

  test('Explain a Rule… offers the rules in a quick pick', async () => {
    const pending = vscode.commands.executeCommand<{ rule: string }>('asyncguard.explainRule');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const shown = await pending;
    assert.equal(shown.rule, 'unawaited-coroutine');
  });

  test('Analyze Workspace reports files that are not open', async () => {
    const unopened = vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'unopened.py');
    await vscode.workspace.fs.writeFile(unopened, new TextEncoder().encode(NESTED));
    assert.equal(asyncguardDiagnostics(unopened).length, 0);
    await vscode.commands.executeCommand('asyncguard.analyzeWorkspace');
    const [d] = await waitForDiagnostics(unopened);
    assert.equal(ruleOf(d), 'unawaited-coroutine');
  });

  test('Show Output shows the AsyncGuard output, with what the server said on starting', async () => {
    await vscode.commands.executeCommand('asyncguard.showOutput');
    // An output channel on screen is a text document of scheme "output" (hidden ones are disposed).
    const shown = await waitFor('the AsyncGuard output on screen', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes('Workspace folders: ')),
    );
    assert.ok(shown.getText().includes(`Workspace folders: ${workspaceRoot().fsPath}`), shown.getText().slice(0, 2000));
  });

  test('Restart Server brings the diagnostics back', async () => {
    const editor = await openScratch('scratch/restart.py', NESTED);
    await waitForDiagnostics(editor.document.uri);
    await vscode.commands.executeCommand('asyncguard.restartServer');
    assert.equal(api.serverState, 'running');
    const [d] = await waitForDiagnostics(editor.document.uri);
    assert.equal(ruleOf(d), 'unawaited-coroutine');
  });

  test('a crashed server is restarted', async function () {
    if (!existsSync('/proc/self/stat')) this.skip();
    const editor = await openScratch('scratch/crash.py', NESTED);
    await waitForDiagnostics(editor.document.uri);
    const pid = serverPid();
    assert.ok(pid, 'the server runs as a child of the extension host');
    process.kill(pid, 'SIGKILL');
    await waitFor('a new server process', () => {
      const next = serverPid();
      return next !== undefined && next !== pid ? next : undefined;
    });
    await api.whenRunning();
    await editor.edit((e) => e.insert(new vscode.Position(9, 0), '    nested()\n'));
    await waitForDiagnostics(editor.document.uri, (ds) => ds.length === 2);
  });
});

/** Runs a Python program; the words it prints besides its clock lines, and how long it took. */
async function timedPython(file: string): Promise<{ words: string[]; seconds: number }> {
  const started = Date.now();
  const { stdout } = await promisify(execFile)('python3', ['-B', file], { timeout: 30_000 });
  const seconds = (Date.now() - started) / 1000;
  return { words: stdout.split('\n').filter((l) => l && !/^(started|finished) at /.test(l)), seconds };
}

/** The language server: the extension host's child process running server/out/server.js. */
function serverPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('server.js')) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}
