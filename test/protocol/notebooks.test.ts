// Jupyter notebooks over LSP 3.17 notebook document sync: the server asks for Jupyter notebooks'
// Python cells, analyses them as one module with IPython's top-level await, and answers in cells:
// diagnostics per cell, hover, quick fixes (add-await at a cell's top level), fix-all across cells;
// an edit in one cell re-analyses the cells it affects; closing the notebook clears its cells.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestClient } from './lspClient';

const NOTEBOOK = 'file:///virtual/lessons/basics.ipynb';
const cell = (n: number) => `vscode-notebook-cell:/virtual/lessons/basics.ipynb#cell${n}`;
/** The notebook without its markdown cell (a client sends the cells the server asked for: Python ones). */
const CELLS = ['import asyncio\n\n\nasync def nested():\n    return 42', 'nested()', 'print(await nested())', 'asyncio.run(nested())'];
const UNAWAITED = '“nested()” creates a coroutine that is never awaited, so “nested” never runs';
const RUN =
  '“asyncio.run()” is called at the top level of a notebook cell, where the kernel’s event loop is running: it raises “RuntimeError: asyncio.run() cannot be called from a running event loop” instead of running what it was given';
const range = (line: number, a: number, b: number) => ({ start: { line, character: a }, end: { line, character: b } });

const summary = (ds: any[]) => ds.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character, d.severity, d.message]);

describe('language server: Jupyter notebooks', () => {
  let client: TestClient;
  let capabilities: any;

  before(async () => {
    const started = await TestClient.start();
    client = started.client;
    capabilities = started.init.capabilities;
    await client.notify('notebookDocument/didOpen', {
      notebookDocument: { uri: NOTEBOOK, notebookType: 'jupyter-notebook', version: 1, cells: CELLS.map((_, i) => ({ kind: 2, document: cell(i + 1) })) },
      cellTextDocuments: CELLS.map((text, i) => ({ uri: cell(i + 1), languageId: 'python', version: 1, text })),
    });
  });
  after(() => client.dispose());

  it('asks the client to sync Jupyter notebooks’ Python cells', () => {
    assert.deepEqual(capabilities.notebookDocumentSync, {
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
      save: true,
    });
  });

  it('publishes each cell’s findings to the cell: cell 2 unawaited-coroutine, cell 4 run-in-running-loop, nothing else', async () => {
    const second = await client.settledDiagnostics(cell(2), (ds) => ds.length > 0);
    const fourth = await client.settledDiagnostics(cell(4), (ds) => ds.length > 0);
    assert.deepEqual(summary(second), [['unawaited-coroutine', 0, 0, 8, 2, UNAWAITED]]);
    assert.deepEqual(summary(fourth), [['run-in-running-loop', 0, 0, 21, 1, RUN]]);
    assert.deepEqual(client.publishedFor(cell(1)), []);
    assert.deepEqual(client.publishedFor(cell(3)), []);
    assert.deepEqual(client.publishedFor(NOTEBOOK), []);
  });

  it('hovers on the call in its cell', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri: cell(2) }, position: { line: 0, character: 3 } });
    assert.deepEqual(hover.range, range(0, 0, 8));
    assert.match(hover.contents.value, /^\*\*Returns:\*\* a coroutine \(from `__main__\.nested`\)\./);
    const run = await client.request('textDocument/hover', { textDocument: { uri: cell(4) }, position: { line: 0, character: 3 } });
    assert.match(run.contents.value, /^\*\*Why it is a problem:\*\* An event loop is already running in this thread/);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: cell(3) }, position: { line: 0, character: 3 } }), null);
  });

  it('offers add-await at a cell’s top level, await in place of asyncio.run, and fix-all, as edits of the cells', async () => {
    const [diagnostic] = client.publishedFor(cell(2)).at(-1)!.diagnostics;
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: cell(2) }, range: range(0, 0, 8), context: { diagnostics: [diagnostic] } });
    assert.deepEqual(
      actions.map((a: any) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Add “await”', 'quickfix', true],
        ['Suppress “unawaited-coroutine” on this line', 'quickfix', false],
        ['Fix all AsyncGuard problems in this file', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [diagnostic]);
    assert.deepEqual(actions[0].edit, { documentChanges: [{ textDocument: { uri: cell(2), version: 1 }, edits: [{ range: range(0, 0, 0), newText: 'await ' }] }] });
    // fix-all applies the safe fix only: asyncio.run stays (its fix is unsafe)
    assert.deepEqual(actions[2].edit, { documentChanges: [{ textDocument: { uri: cell(2), version: 1 }, edits: [{ range: range(0, 0, 0), newText: 'await ' }] }] });

    const run = await client.request('textDocument/codeAction', { textDocument: { uri: cell(4) }, range: range(0, 5, 5), context: { diagnostics: [] } });
    assert.deepEqual(run[0].title, 'Replace with “await nested()” (runs in the loop that is already running)');
    assert.deepEqual(run[0].edit, { documentChanges: [{ textDocument: { uri: cell(4), version: 1 }, edits: [{ range: range(0, 0, 21), newText: 'await nested()' }] }] });

    const onSave = await client.request('textDocument/codeAction', { textDocument: { uri: cell(3) }, range: range(0, 0, 0), context: { diagnostics: [], only: ['source.fixAll.asyncguard'] } });
    assert.deepEqual(onSave.map((a: any) => [a.title, a.kind]), [['Fix all AsyncGuard problems in this file', 'source.fixAll.asyncguard']]);
  });

  it('fix-all from the command edits the cells it changes', async () => {
    const before = client.appliedEdits.length;
    assert.equal(await client.request('workspace/executeCommand', { command: 'asyncguard.applyFixAll', arguments: [{ uri: cell(1) }] }), true);
    assert.deepEqual(client.appliedEdits.slice(before), [{ documentChanges: [{ textDocument: { uri: cell(2), version: 1 }, edits: [{ range: range(0, 0, 0), newText: 'await ' }] }] }]);
  });

  it('an edit in one cell re-analyses the others: nested() made a plain function clears cell 2', async () => {
    const from = client.published.length;
    await client.notify('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cell(1), version: 2 }, changes: [{ range: range(3, 0, 6), text: '' }] }] } },
    });
    const cleared = await client.waitFor('cell 2 cleared', () => client.published.slice(from).find((p) => p.uri === cell(2))?.diagnostics);
    assert.deepEqual(cleared, []);
    // asyncio.run raises in a running loop whatever it is given
    assert.equal(client.published.slice(from).some((p) => p.uri === cell(4) && p.diagnostics.length === 0), false);
  });

  it('a cell added to the notebook is analysed with the others; the set keep-task declares goes into the first cell', async () => {
    const from = client.published.length;
    await client.notify('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 3 },
      change: {
        cells: {
          structure: { array: { start: 4, deleteCount: 0, cells: [{ kind: 2, document: cell(5) }] }, didOpen: [{ uri: cell(5), languageId: 'python', version: 1, text: 'async def job():\n    pass\n\nasyncio.create_task(job())' }] },
        },
      },
    });
    const [task] = await client.waitFor('cell 5 diagnostics', () => client.published.slice(from).find((p) => p.uri === cell(5))?.diagnostics);
    assert.deepEqual([task.code, task.range], ['dangling-task', range(3, 0, 26)]);
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: cell(5) }, range: task.range, context: { diagnostics: [task] } });
    const keep = actions.find((a: any) => a.title.startsWith('Keep a reference'));
    const first = TextDocument.create(cell(1), 'python', 2, CELLS[0].replace('async def', 'def'));
    const fifth = TextDocument.create(cell(5), 'python', 1, 'async def job():\n    pass\n\nasyncio.create_task(job())');
    const edits = new Map(keep.edit.documentChanges.map((c: any) => [c.textDocument.uri, c.edits]));
    assert.deepEqual([...edits.keys()], [cell(1), cell(5)]);
    assert.equal(TextDocument.applyEdits(first, edits.get(cell(1)) as any), 'import asyncio\n\nbackground_tasks: set[asyncio.Task[object]] = set()\n\n\ndef nested():\n    return 42');
    assert.equal(
      TextDocument.applyEdits(fifth, edits.get(cell(5)) as any),
      'async def job():\n    pass\n\ntask = asyncio.create_task(job())\nbackground_tasks.add(task)\ntask.add_done_callback(background_tasks.discard)',
    );
  });

  it('closing the notebook clears the diagnostics of its cells', async () => {
    const from = client.published.length;
    await client.notify('notebookDocument/didClose', {
      notebookDocument: { uri: NOTEBOOK },
      cellTextDocuments: [1, 2, 3, 4, 5].map((n) => ({ uri: cell(n) })),
    });
    await client.waitFor('cells 4 and 5 cleared', () =>
      [cell(4), cell(5)].every((uri) => client.published.slice(from).some((p) => p.uri === uri && p.diagnostics.length === 0)) || undefined,
    );
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: cell(4) }, position: { line: 0, character: 3 } }), null);
  });

  it('survives malformed notebook notifications; an .ipynb opened as a text document gets no findings', async () => {
    client.writeRaw('{"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": null}');
    client.writeRaw(
      '{"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {"notebookDocument": {"uri": "file:///nowhere.ipynb", "version": 2}, "change": {"cells": {"textContent": [{"document": {"uri": "x", "version": 2}, "changes": [{"text": "y"}]}]}}}}',
    );
    client.writeRaw('{"jsonrpc": "2.0", "method": "notebookDocument/didClose", "params": {"notebookDocument": {"uri": "file:///nowhere.ipynb"}, "cellTextDocuments": []}}');
    const asText = 'file:///virtual/lessons/as-text.ipynb';
    const json = JSON.stringify({ cells: [{ cell_type: 'code', source: 'async def f():\n    pass\n\nf()' }], metadata: {}, nbformat: 4, nbformat_minor: 5 });
    await client.open(asText, json, 1, 'json');
    assert.deepEqual(await client.diagnosticsFor(asText, 1), []);
    // and it still analyses notebooks
    await client.notify('notebookDocument/didOpen', {
      notebookDocument: { uri: 'file:///virtual/lessons/again.ipynb', notebookType: 'jupyter-notebook', version: 1, cells: [{ kind: 2, document: 'vscode-notebook-cell:/virtual/lessons/again.ipynb#a' }] },
      cellTextDocuments: [{ uri: 'vscode-notebook-cell:/virtual/lessons/again.ipynb#a', languageId: 'python', version: 1, text: 'async def f():\n    pass\n\nf()' }],
    });
    const [d] = await client.settledDiagnostics('vscode-notebook-cell:/virtual/lessons/again.ipynb#a', (ds) => ds.length > 0);
    assert.deepEqual([d.code, d.range], ['unawaited-coroutine', range(3, 0, 3)]);
  });
});

describe('language server: a notebook with run: onSave', () => {
  it('is analysed when opened, then again only when saved', async () => {
    const { client } = await TestClient.start({ settings: { run: 'onSave' } });
    try {
      const uri = 'file:///virtual/lessons/on-save.ipynb';
      const first = 'vscode-notebook-cell:/virtual/lessons/on-save.ipynb#a';
      const second = 'vscode-notebook-cell:/virtual/lessons/on-save.ipynb#b';
      await client.notify('notebookDocument/didOpen', {
        notebookDocument: { uri, notebookType: 'jupyter-notebook', version: 1, cells: [{ kind: 2, document: first }, { kind: 2, document: second }] },
        cellTextDocuments: [
          { uri: first, languageId: 'python', version: 1, text: 'async def nested():\n    return 42' },
          { uri: second, languageId: 'python', version: 1, text: 'nested()' },
        ],
      });
      const [d] = await client.settledDiagnostics(second, (ds) => ds.length > 0);
      assert.equal(d.code, 'unawaited-coroutine');
      const published = client.publishedFor(second).length;
      await client.notify('notebookDocument/didChange', {
        notebookDocument: { uri, version: 2 },
        change: { cells: { textContent: [{ document: { uri: second, version: 2 }, changes: [{ range: range(0, 0, 0), text: 'await ' }] }] } },
      });
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(client.publishedFor(second).length, published, 'nothing published before the save');
      await client.notify('notebookDocument/didSave', { notebookDocument: { uri } });
      assert.deepEqual(await client.settledDiagnostics(second, (ds) => ds.length === 0), []);
    } finally {
      await client.dispose();
    }
  });
});

describe('language server: Analyze Workspace with a notebook that is not open', () => {
  it('reports its findings on the lines of the .ipynb file that hold them, saying which cell and line, without fixes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'asyncguard-nb-ws-'));
    const sources = ['import asyncio\n\nasync def nested():\n    return 42', 'nested()', 'print(await nested())', '# Notes', 'asyncio.run(nested())'];
    const cells = sources.map((source, i) => ({ cell_type: i === 3 ? 'markdown' : 'code', metadata: {}, source, ...(i === 3 ? {} : { execution_count: null, outputs: [] }) }));
    const text = JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
    writeFileSync(join(folder, 'basics.ipynb'), text);
    const lineOf = (source: string) => text.split('\n').findIndex((l) => l.includes(JSON.stringify(source)));
    const { client } = await TestClient.start({ rootPath: folder });
    try {
      const result = await client.request('workspace/executeCommand', { command: 'asyncguard.analyzeWorkspace', arguments: [] });
      assert.deepEqual([result.files, result.findings], [1, 2]);
      const [published] = client.publishedFor(`file://${folder}/basics.ipynb`).slice(-1);
      assert.deepEqual(
        published.diagnostics.map((d: any) => [d.code, d.range.start.line, d.range.end.line, d.message.replace(/:.*/s, '')]),
        [
          ['unawaited-coroutine', lineOf('nested()'), lineOf('nested()') + 1, 'cell 2, line 1'],
          ['run-in-running-loop', lineOf('asyncio.run(nested())'), lineOf('asyncio.run(nested())') + 1, 'cell 5, line 1'],
        ],
      );
      const actions = await client.request('textDocument/codeAction', {
        textDocument: { uri: `file://${folder}/basics.ipynb` },
        range: published.diagnostics[0].range,
        context: { diagnostics: published.diagnostics },
      });
      assert.deepEqual(actions, []);
    } finally {
      await client.dispose();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
