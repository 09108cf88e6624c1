// The line starts of an edited text, made from those before the edit (what a keystroke in an open
// document uses instead of walking the whole text), equal those of the new text walked whole, for
// every mix of \n, \r\n and lone \r on both sides of the edit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineStarts } from '../../src/engine/text';
import { lineStartsAfterEdit } from '../../src/engine/ts/context';

describe('line starts after an edit', () => {
  const cases: Array<{ name: string; before: string; start: number; end: number; inserted: string }> = [
    { name: 'a line break typed at the end of a line', before: 'a\nb\n', start: 1, end: 1, inserted: '\n  ' },
    { name: 'a \\n typed after a lone \\r joins it into one line break', before: 'a\rb', start: 2, end: 2, inserted: '\nx' },
    { name: 'a \\r typed before a \\n', before: 'a\nb', start: 1, end: 1, inserted: '\r' },
    { name: 'lines removed', before: 'a\n\n\nb\nc', start: 1, end: 4, inserted: '' },
    { name: 'a line break at the very end', before: 'a', start: 1, end: 1, inserted: '\n' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const after = c.before.slice(0, c.start) + c.inserted + c.before.slice(c.end);
      assert.deepEqual(lineStartsAfterEdit(lineStarts(c.before), after, c.start, c.end, c.inserted.length), lineStarts(after));
    });
  }

  it('random edits of random texts', () => {
    const text = (n: number) => fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r'), maxLength: n });
    fc.assert(
      fc.property(text(40), fc.nat(), fc.nat(), text(6), (before, a, b, inserted) => {
        const start = a % (before.length + 1);
        const end = start + (b % (before.length - start + 1));
        const after = before.slice(0, start) + inserted + before.slice(end);
        assert.deepEqual(lineStartsAfterEdit(lineStarts(before), after, start, end, inserted.length), lineStarts(after));
      }),
      { numRuns: 5000, seed: 20261203 },
    );
  });
});
