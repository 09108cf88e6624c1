// The lowered tree (engine/python/tree.ts, lowering.ts) must say exactly what tree-sitter's own
// nodes say: every pass of the engine reads it instead of them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { FIELD_NAMES, NODE_TYPES } from '../../src/engine/python/grammar';
import { normalizeLineEnds } from '../../src/engine/python/index';
import { lowerTree, parseSyntax, usePublicCursorOnly } from '../../src/engine/python/lowering';
import { loadedBinding, loadParser, parsePython, type ParsedNode } from '../../src/engine/python/parser';
import type { Node, SyntaxTree } from '../../src/engine/python/tree';

const fixtureRoot = join(__dirname, '..', 'fixtures', 'python');

function listPython(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return listPython(p);
    return name.endsWith('.py') ? [p] : [];
  });
}

/** Texts with syntax errors of several kinds: ERROR nodes, MISSING nodes, errors inside and around functions. */
const BROKEN = [
  'def f(:\n    pass\n',
  'async def g():\n    await asyncio.sleep(\n\nclass C:\n    def m(self):\n        return 1\n',
  'x = [1, 2\ny = 3\n',
  'if x\n    print(x)\n',
  'def h():\n    return )\n',
  'class D(\n    def m(self): pass\n',
  'for x in :\n    pass\nwhile True\n    break\n',
  '"""unclosed\ndef k(): pass\n',
  'lambda: (yield\n',
  'try:\n    pass\nexcept\n',
];

/** Every difference between the lowered tree and tree-sitter's nodes (empty when they agree). */
function differences(tree: SyntaxTree, root: ParsedNode): string[] {
  const out: string[] = [];
  let next = 0;
  const visit = (n: ParsedNode, parent: number, field: string | null) => {
    const id = ++next as Node;
    const want: Record<string, unknown> = {
      type: n.type, start: n.startIndex, end: n.endIndex, named: n.isNamed, missing: n.isMissing, hasError: n.hasError, parent,
      field: field ?? '', startRow: n.startPosition.row, startColumn: n.startPosition.column, endRow: n.endPosition.row, endColumn: n.endPosition.column,
      childCount: n.childCount, namedChildCount: n.namedChildCount,
    };
    const got: Record<string, unknown> = {
      type: tree.type(id), start: tree.startIndex(id), end: tree.endIndex(id), named: tree.isNamed(id), missing: tree.isMissing(id), hasError: tree.hasError(id),
      parent: tree.parent(id), field: FIELD_NAMES[tree.arrays.field[id]], startRow: tree.startPosition(id).row, startColumn: tree.startPosition(id).column,
      endRow: tree.endPosition(id).row, endColumn: tree.endPosition(id).column, childCount: tree.childCount(id), namedChildCount: tree.namedChildCount(id),
    };
    for (const key of Object.keys(want)) if (want[key] !== got[key]) out.push(`node ${id} (${n.type} at ${n.startIndex}): ${key} is ${String(got[key])}, tree-sitter says ${String(want[key])}`);
    for (const name of ['name', 'body', 'left', 'right', 'function', 'arguments', 'value', 'alias', 'definition'] as const) {
      const child = n.childForFieldName(name);
      const lowered = tree.field(id, name);
      if ((child === null) !== (lowered === 0) || (child && tree.startIndex(lowered) !== child.startIndex)) out.push(`node ${id} (${n.type}): field ${name} differs`);
    }
    n.children.forEach((c, i) => visit(c!, id, n.fieldNameForChild(i)));
  };
  visit(root, 0, null);
  if (next !== tree.count) out.push(`${tree.count} nodes lowered, tree-sitter has ${next}`);
  return out;
}

function lowered(text: string): { tree: SyntaxTree; parsed: ReturnType<typeof parsePython> } {
  const parsed = parsePython(text);
  return { tree: lowerTree(parsed, text), parsed };
}

describe('the lowered syntax tree', () => {
  before(() => loadParser());

  it('knows every node type and field of the grammar, and no other', () => {
    const { language } = loadedBinding();
    const types = new Set<string>(['ERROR']);
    for (let i = 0; i < language.types.length; i++) if (language.types[i] && language.nodeTypeIsVisible(i)) types.add(language.types[i]);
    assert.deepEqual([...types].sort(), NODE_TYPES.filter((t) => t !== '').sort());
    assert.deepEqual(language.fields.filter((f) => f !== null).sort(), FIELD_NAMES.filter((f) => f !== '').sort());
  });

  it('says what tree-sitter says of every node of every fixture and of broken texts', () => {
    const texts = [...listPython(fixtureRoot).map((f) => normalizeLineEnds(readFileSync(f, 'utf8'))), ...BROKEN];
    for (const text of texts) {
      const { tree, parsed } = lowered(text);
      try {
        assert.deepEqual(differences(tree, parsed.rootNode), [], text.slice(0, 200));
      } finally {
        parsed.delete();
      }
    }
  });

  it('is the same whether the walk calls the WebAssembly exports or web-tree-sitter TreeCursor', () => {
    assert.ok(loadedBinding().exports, 'the exports are found (else every walk goes through TreeCursor)');
    const texts = [...listPython(fixtureRoot).map((f) => normalizeLineEnds(readFileSync(f, 'utf8'))), ...BROKEN];
    for (const text of texts) {
      const fast = parseSyntax(text);
      usePublicCursorOnly(true);
      let slow: SyntaxTree;
      try {
        slow = parseSyntax(text);
      } finally {
        usePublicCursorOnly(false);
      }
      assert.deepEqual(fast.arrays, slow.arrays);
    }
  });

  it('finds the node at an offset as tree-sitter does', () => {
    const texts = [...listPython(fixtureRoot).slice(0, 6).map((f) => normalizeLineEnds(readFileSync(f, 'utf8'))), ...BROKEN];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 12 }), (i, where, length) => {
        const text = texts[i];
        const start = Math.floor(where * text.length);
        const end = Math.min(text.length, start + length);
        const { tree, parsed } = lowered(text);
        try {
          const want = parsed.rootNode.descendantForIndex(start, end);
          const got = tree.descendantForIndex(start, end);
          assert.deepEqual([tree.type(got), tree.startIndex(got), tree.endIndex(got)], [want?.type, want?.startIndex, want?.endIndex]);
        } finally {
          parsed.delete();
        }
      }),
      { numRuns: 400, seed: 20261205 },
    );
  });

  it('answers "nothing" for no node, and walks children, named children and fields', () => {
    const tree = parseSyntax('async def f(a, b=1):\n    return await g(a, key=b)  # done\n');
    assert.deepEqual([tree.type(0 as Node), tree.textOf(0 as Node), tree.parent(0 as Node), tree.namedChildren(0 as Node), tree.field(0 as Node, 'body')], ['', '', 0, [], 0]);
    const def = tree.namedChild(tree.root, 0);
    assert.equal(tree.type(def), 'function_definition');
    assert.deepEqual(tree.children(def).map((c) => tree.type(c)), ['async', 'def', 'identifier', 'parameters', ':', 'block']);
    assert.equal(tree.fieldText(def, 'name'), 'f');
    assert.equal(tree.fieldText(def, 'return_type'), undefined);
    const call = tree.descendantsOfType(def, 'call')[0];
    assert.equal(tree.textOf(call), 'g(a, key=b)');
    assert.deepEqual(tree.namedChildren(tree.field(call, 'arguments')).map((c) => tree.type(c)), ['identifier', 'keyword_argument']);
    assert.deepEqual(tree.startPosition(call), { row: 1, column: 17 });
    assert.deepEqual(tree.descendantsOfType(tree.root, ['comment', 'integer']).map((n) => tree.textOf(n)), ['1', '# done']);
  });
});
