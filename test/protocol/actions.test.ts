// Code actions (quick fixes, suppression, fix-all), their exact edits, and the hover.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../../server/src/engine/analyzer';
import { FULL_CAPABILITIES, root, SEED, TestClient } from './lspClient';

const URI = 'file:///virtual/project/app.py';
const CALL = { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } };
const MESSAGE = '“nested()” creates a coroutine that is never awaited, so “nested” never runs';
const PAGE = pathToFileURL(join(root, 'docs', 'rules', 'unawaited-coroutine.md')).href;
const WHY =
  '**Why it is a problem:** Calling an `async def` function does not run it: it only creates a coroutine object. ' +
  'The body runs when the coroutine is awaited or scheduled as a task; dropped, it never runs, ' +
  'and Python only warns "coroutine ... was never awaited" when the object is garbage-collected.';

/** The text after applying a code action's versioned edit to `text`. */
function applyAction(text: string, action: any, version: number): string {
  const [change] = action.edit.documentChanges;
  assert.deepEqual(change.textDocument, { uri: URI, version });
  return TextDocument.applyEdits(TextDocument.create(URI, 'python', version, text), change.edits);
}

describe('language server: code actions and hover', () => {
  let client: TestClient;
  let diagnostic: any;

  before(async () => {
    client = (await TestClient.start()).client;
    await client.open(URI, SEED, 1);
    [diagnostic] = await client.diagnosticsFor(URI, 1);
  });
  after(() => client.dispose());

  it('offers the engine fixes, a suppression and fix-all on the diagnostic', async () => {
    assert.equal(diagnostic.message, MESSAGE);
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: CALL,
      context: { diagnostics: [diagnostic] },
    });
    assert.deepEqual(
      actions.map((a: any) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Add “await”', 'quickfix', true],
        ['Suppress “unawaited-coroutine” on this line', 'quickfix', false],
        ['Fix all AsyncGuard problems in this file', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    assert.deepEqual(actions[0].edit, {
      documentChanges: [
        {
          textDocument: { uri: URI, version: 1 },
          edits: [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, newText: 'await ' }],
        },
      ],
    });
    assert.equal(
      applyAction(SEED, actions[0], 1),
      'async def nested():\n    return 42\n\nasync def main():\n    await nested()\n    print(await nested())\n',
    );
    assert.equal(
      applyAction(SEED, actions[1], 1),
      'async def nested():\n    return 42\n\nasync def main():\n    nested()  # asyncguard: ignore[unawaited-coroutine]\n    print(await nested())\n',
    );
    // Fix-all needs repeated analysis, so its edit comes on resolve.
    assert.equal(actions[2].edit, undefined);
    assert.deepEqual(actions[2].data, { asyncguard: 'fixAll', uri: URI, version: 1 });
  });

  it('offers the quick fixes for the cursor position without the client echoing the diagnostic', async () => {
    // Inside the call, and at its first character (where a cursor lands after clicking the squiggle's start).
    for (const character of [7, 4]) {
      const actions = await client.request('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: { start: { line: 4, character }, end: { line: 4, character } },
        context: { diagnostics: [] },
      });
      assert.deepEqual(actions.map((a: any) => a.title).slice(0, 2), ['Add “await”', 'Suppress “unawaited-coroutine” on this line']);
      assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    }
  });

  it('offers nothing where there is no finding', async () => {
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
  });

  it('fixes every finding in the file with source.fixAll.asyncguard, resolved lazily', async () => {
    const uri = 'file:///virtual/project/many.py';
    const text =
      'import asyncio\n\nasync def job(n):\n    return n\n\nasync def main():\n    job(1)\n    job(2)\n    if job(3):\n        pass\n';
    await client.open(uri, text, 1);
    assert.deepEqual(
      (await client.diagnosticsFor(uri, 1)).map((d) => [d.code, d.range.start.line]),
      [
        ['unawaited-coroutine', 6],
        ['unawaited-coroutine', 7],
        ['unawaited-coroutine', 8],
      ],
    );
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(
      actions.map((a: any) => [a.title, a.kind]),
      [['Fix all AsyncGuard problems in this file', 'source.fixAll.asyncguard']],
    );
    const resolved = await client.request('codeAction/resolve', actions[0]);
    const [change] = resolved.edit.documentChanges;
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), change.edits);
    // Only safe fixes: awaiting the coroutine tested for truth would change which branch runs.
    assert.equal(
      fixed,
      'import asyncio\n\nasync def job(n):\n    return n\n\nasync def main():\n    await job(1)\n    await job(2)\n    if job(3):\n        pass\n',
    );
    // The whole fix is one edit spanning only the changed lines.
    assert.deepEqual(change.edits.length, 1);
    assert.deepEqual(change.edits[0].range, { start: { line: 6, character: 4 }, end: { line: 7, character: 3 } });
  });

  it('applies unsafe fixes in fix-all only with asyncguard.fixAll.unsafeFixes', async () => {
    const uri = 'file:///virtual/project/loop.ts';
    const text = 'async function warm(url: string): Promise<void> {\n  await Promise.resolve(url);\n}\n\nexport async function warmAll(urls: string[]): Promise<void> {\n  for (const u of urls) { warm(u); }\n}\n';
    const sourceFixAll = () =>
      client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.asyncguard'] },
      });
    await client.open(uri, text, 1, 'typescript');
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).map((d) => [d.code, d.range.start.line]), [['floating-promise', 5]]);
    assert.deepEqual(await sourceFixAll(), [], 'no safe fix: fix on save does nothing');
    const settings = client.settings;
    client.settings = { fixAll: { unsafeFixes: true } };
    try {
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      await client.diagnosticsFor(uri, 1);
      const [action] = await sourceFixAll();
      const resolved = await client.request('codeAction/resolve', action);
      const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 1, text), resolved.edit.documentChanges[0].edits);
      assert.equal(fixed, text.replace('{ warm(u); }', '{ await warm(u); }'));
    } finally {
      client.settings = settings;
      await client.notify('workspace/didChangeConfiguration', { settings: null });
    }
  });

  it('does not offer source actions unless asked for them', async () => {
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: CALL,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    assert.ok(actions.every((a: any) => a.kind === 'quickfix'));
    const none = await client.request('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: CALL,
      context: { diagnostics: [diagnostic], only: ['refactor'] },
    });
    assert.deepEqual(none, []);
  });

  it('applies fix-all through the asyncguard.applyFixAll command', async () => {
    const uri = 'file:///virtual/project/command.py';
    await client.open(uri, SEED, 3);
    await client.diagnosticsFor(uri, 3);
    const applied = await client.request('workspace/executeCommand', { command: 'asyncguard.applyFixAll', arguments: [{ uri }] });
    assert.equal(applied, true);
    assert.deepEqual(client.appliedEdits.at(-1), {
      documentChanges: [
        {
          textDocument: { uri, version: 3 },
          edits: [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, newText: 'await ' }],
        },
      ],
    });
  });

  it('explains a flagged call on hover: what it returns, why, and the rule page (the message is the diagnostic\'s, not repeated)', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 4, character: 7 } });
    assert.deepEqual(hover.range, CALL);
    assert.equal(hover.contents.kind, 'markdown');
    assert.equal(
      hover.contents.value,
      ['**Returns:** a coroutine (from `app.nested`).', WHY, `[Rule page: unawaited-coroutine](${PAGE})`].join('\n\n'),
    );
    const elsewhere = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 5, character: 20 } });
    assert.equal(elsewhere, null);
  });

  it('offers exactly the engine fixes of every finding, in Python and in TypeScript', async () => {
    const analyzer = new Analyzer();
    await analyzer.init();
    const files = [
      {
        uri: 'file:///virtual/project/mixed.py',
        languageId: 'python',
        text: 'import asyncio\n\nasync def work():\n    pass\n\nasync def main(loop):\n    asyncio.create_task(work())\n    asyncio.gather(work())\n    work()\n',
      },
      {
        uri: 'file:///virtual/project/web.ts',
        languageId: 'typescript',
        text: 'async function save(): Promise<number> { return 1; }\nexport function onClick(): void {\n  save();\n}\n',
      },
    ];
    for (const file of files) {
      await client.open(file.uri, file.text, 1, file.languageId);
      const diagnostics = await client.diagnosticsFor(file.uri, 1);
      const findings = analyzer.analyze({ path: file.uri.slice('file://'.length), text: file.text }).findings;
      assert.equal(diagnostics.length, findings.length);
      assert.ok(findings.length > 0, `${file.uri} has findings`);
      for (const [i, finding] of findings.entries()) {
        assert.equal(diagnostics[i].code, finding.rule);
        assert.deepEqual(diagnostics[i].range, finding.range);
        const actions = await client.request('textDocument/codeAction', {
          textDocument: { uri: file.uri },
          range: finding.range,
          context: { diagnostics: [diagnostics[i]], only: ['quickfix'] },
        });
        const offered = actions
          .filter((a: any) => a.diagnostics?.[0]?.range && a.diagnostics[0].code === finding.rule && a.title !== 'Fix all AsyncGuard problems in this file')
          .filter((a: any) => JSON.stringify(a.diagnostics[0].range) === JSON.stringify(finding.range));
        assert.deepEqual(
          offered.map((a: any) => [a.title, a.isPreferred ?? false, a.edit.documentChanges[0].edits]),
          finding.fixes.map((f) => [f.title, f.preferred, f.edits]),
          `${file.uri}: ${finding.rule} on line ${finding.range.start.line}`,
        );
      }
      const hover = await client.request('textDocument/hover', { textDocument: { uri: file.uri }, position: findings[0].range.start });
      assert.match(hover.contents.value, /^\*\*Returns:\*\* /);
      assert.ok(!hover.contents.value.includes(findings[0].message), 'the message is shown once, by the diagnostic');
    }
  });

  it('computes fix-all edits eagerly for a client that cannot resolve them', async () => {
    const plain = (
      await TestClient.start({
        capabilities: { ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, codeAction: {} }, workspace: {} },
      })
    ).client;
    try {
      await plain.open(URI, SEED, 7);
      await plain.diagnosticsFor(URI, 7);
      const actions = await plain.request('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: CALL,
        context: { diagnostics: [], only: ['source.fixAll.asyncguard'] },
      });
      assert.equal(actions.length, 1);
      // No documentChanges support: plain `changes`, keyed by uri.
      assert.deepEqual(actions[0].edit, {
        changes: { [URI]: [{ range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } }, newText: 'await ' }] },
      });
    } finally {
      await plain.dispose();
    }
  });
});

describe('language server: links in a client with an explanation view (VS Code)', () => {
  const EXPLAIN_URI = 'vscode://asyncguard.asyncguard/explain';
  let client: TestClient;

  before(async () => {
    client = (
      await TestClient.start({ initializationOptions: { explainUri: EXPLAIN_URI, explainCommand: 'asyncguard.explainProblem' } })
    ).client;
    await client.open(URI, SEED, 1);
  });
  after(() => client.dispose());

  it('the diagnostic\'s rule link opens the explanation of that finding', async () => {
    const [diagnostic] = await client.diagnosticsFor(URI, 1);
    assert.deepEqual(diagnostic.codeDescription, {
      href: `${EXPLAIN_URI}?rule=unawaited-coroutine&uri=${encodeURIComponent(URI)}&line=4&character=4`,
    });
  });

  it('the hover links to the explain command with the finding', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 4, character: 7 } });
    const args = encodeURIComponent(JSON.stringify([{ rule: 'unawaited-coroutine', uri: URI, range: CALL }]));
    assert.equal(
      hover.contents.value,
      ['**Returns:** a coroutine (from `app.nested`).', WHY, `[Explain this problem](command:asyncguard.explainProblem?${args})`].join('\n\n'),
    );
  });
});

describe('language server: links in a Chinese client without an explanation view', () => {
  it('link to the Simplified Chinese page shipped beside the server', async () => {
    const { client } = await TestClient.start({ locale: 'zh-cn' });
    try {
      await client.open(URI, SEED, 1);
      const [diagnostic] = await client.diagnosticsFor(URI, 1);
      const zh = pathToFileURL(join(root, 'docs', 'rules', 'unawaited-coroutine.zh-CN.md')).href;
      assert.deepEqual(diagnostic.codeDescription, { href: zh });
    } finally {
      await client.dispose();
    }
  });
});
