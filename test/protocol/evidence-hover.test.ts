// The hover on a dropped task whose event loop nothing declares shows why the receiver is taken for
// an event loop — where it is assigned from and where the code uses it as one — with the lines, and
// the lines follow an edit above them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClient } from './lspClient';

const URI = 'file:///virtual/project/listener.py';
const TEXT = [
  'import asyncio',
  '',
  '',
  'class Listener:',
  '    def __init__(self, transport, loop):',
  '        self._loop = loop',
  '',
  '    def on_message(self, callback, is_async):',
  '        if is_async:',
  '            self._loop.create_task(callback())',
  '        else:',
  '            self._loop.call_soon(callback)',
  '',
].join('\n');

/** The evidence block of a hover: from its heading to the end of its list. */
function evidenceOf(markdown: string): string | undefined {
  return markdown.split('\n\n').find((part) => part.startsWith('**Evidence:**'));
}

describe('language server: the evidence for an untyped event loop in the hover', () => {
  let client: TestClient;

  before(async () => {
    client = (await TestClient.start()).client;
    await client.open(URI, TEXT, 1);
  });
  after(() => client.dispose());

  it('lists where the receiver is assigned from and where it is used as an event loop', async () => {
    const [diagnostic] = await client.diagnosticsFor(URI, 1);
    assert.equal(diagnostic.range.start.line, 9);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 9, character: 20 } });
    assert.equal(
      evidenceOf(hover.contents.value),
      [
        '**Evidence:** “self.\\_loop” is an event loop, though nothing declares it one:',
        '- “self.\\_loop” is assigned from the parameter “loop” of “\\_\\_init\\_\\_” on line 6',
        '- “self.\\_loop.call\\_soon(...)” on line 12',
      ].join('\n'),
    );
  });

  it('keeps the lines true after an edit above them (inside another method: only that one is analysed again)', async () => {
    await client.change(URI, 2, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '        # the driver hands over its loop\n' }]);
    const [diagnostic] = await client.diagnosticsFor(URI, 2);
    assert.equal(diagnostic.range.start.line, 10);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 10, character: 20 } });
    assert.equal(
      evidenceOf(hover.contents.value),
      [
        '**Evidence:** “self.\\_loop” is an event loop, though nothing declares it one:',
        '- “self.\\_loop” is assigned from the parameter “loop” of “\\_\\_init\\_\\_” on line 7',
        '- “self.\\_loop.call\\_soon(...)” on line 13',
      ].join('\n'),
    );
  });
});
