// ARCHITECTURE.md's invariants, checked on the import graph of server/src and client/src (every
// `import`, `import type` and `export ... from`, read with the TypeScript compiler's own scanner):
// which folder may import which, the front ends reach the engine only through its front doors, the
// extension only through the shared protocol module, and no module imports itself back.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';

const root = join(__dirname, '..');

/** module (a path relative to the repository) -> what it imports: other modules, or package names. */
type Graph = Map<string, string[]>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sources(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of [...sources(join(root, 'server', 'src')), ...sources(join(root, 'client', 'src'))]) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map(({ fileName }) => {
      if (!fileName.startsWith('.')) return fileName;
      const base = resolve(dirname(file), fileName);
      const found = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
      return relative(root, found ?? base);
    });
    graph.set(relative(root, file), targets);
  }
  return graph;
}

/** The import cycles of a graph: its strongly connected components of more than one module (or a module importing itself). */
function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The part of the code a module belongs to (ARCHITECTURE.md's code map). */
function area(module: string): string {
  if (module.startsWith('client/src/')) return 'client';
  if (module === 'server/src/protocol.ts') return 'protocol';
  if (module === 'server/src/engine/analyzer.ts') return 'engine/analyzer';
  const m = /^server\/src\/(engine\/(?:python|ts|refactors|workspace|project|notebook)|engine|cli|lsp|docs)\//.exec(module);
  if (!m) return module;
  return m[1] === 'engine' ? 'engine/base' : m[1];
}

const ENGINE = ['engine/base', 'engine/refactors', 'engine/python', 'engine/ts', 'engine/workspace', 'engine/project', 'engine/notebook', 'engine/analyzer'];
/** What each part may import of the others (and itself). */
const MAY_IMPORT: Record<string, string[]> = {
  'engine/base': ['engine/base'],
  'engine/refactors': ['engine/base', 'engine/refactors'],
  'engine/python': ['engine/base', 'engine/refactors', 'engine/python'],
  'engine/ts': ['engine/base', 'engine/refactors', 'engine/ts'],
  'engine/workspace': ['engine/base', 'engine/workspace'],
  'engine/project': ['engine/base', 'engine/python', 'engine/workspace', 'engine/project'],
  'engine/notebook': ['engine/base', 'engine/workspace', 'engine/notebook'],
  'engine/analyzer': ENGINE,
  docs: ['engine/base', 'docs'],
  protocol: ['engine/base'],
  cli: ['engine/base', 'engine/analyzer', 'engine/workspace', 'engine/project', 'engine/notebook', 'docs', 'cli'],
  lsp: ['engine/base', 'engine/analyzer', 'engine/workspace', 'engine/project', 'engine/notebook', 'docs', 'protocol', 'lsp'],
  client: ['protocol', 'client'],
};
/** The engine's front doors: the only engine modules the CLI and the language server import. */
const FRONT_DOORS = [
  'server/src/engine/analyzer.ts',
  'server/src/engine/workspace/index.ts',
  'server/src/engine/project/projects.ts',
  'server/src/engine/notebook/index.ts',
  'server/src/engine/types.ts',
  'server/src/engine/rules.ts',
  'server/src/engine/languages.ts',
  'server/src/engine/concepts.ts',
];
/** All the protocol module may import: plain data. */
const PROTOCOL_IMPORTS = ['server/src/engine/rules.ts', 'server/src/engine/concepts.ts'];

const graph = importGraph();
const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const internal = edges.filter((e) => graph.has(e.to));
const show = (list: { from: string; to: string }[]) => list.map((e) => `${e.from} -> ${e.to}`);

describe('ARCHITECTURE.md invariants on the import graph', () => {
  it('reads the whole graph', () => {
    assert.ok(graph.size > 100, `${graph.size} modules`);
    assert.ok(internal.length > 400, `${internal.length} imports between them`);
    for (const a of Object.keys(MAY_IMPORT)) assert.ok([...graph.keys()].some((m) => area(m) === a), `a module in ${a}`);
  });

  it('every module is in a part of the code map', () => {
    assert.deepEqual([...graph.keys()].filter((m) => !MAY_IMPORT[area(m)]), []);
  });

  it('each part imports only the parts it may (engine: nothing of lsp/, cli/, protocol; python and ts never each other)', () => {
    const wrong = internal.filter((e) => !MAY_IMPORT[area(e.from)]?.includes(area(e.to)));
    assert.deepEqual(show(wrong), []);
  });

  it('the engine imports no editor package (vscode, vscode-languageserver, vscode-uri, ...)', () => {
    const wrong = edges.filter((e) => ENGINE.includes(area(e.from)) && /^vscode/.test(e.to));
    assert.deepEqual(show(wrong), []);
  });

  it('the CLI and the language server reach the engine only through its front doors', () => {
    const wrong = internal.filter((e) => ['cli', 'lsp'].includes(area(e.from)) && ENGINE.includes(area(e.to)) && !FRONT_DOORS.includes(e.to));
    assert.deepEqual(show(wrong), []);
  });

  it('the extension imports of the server only the protocol module, which imports only plain data', () => {
    const fromClient = edges.filter((e) => area(e.from) === 'client' && e.to.startsWith('server/'));
    assert.ok(fromClient.length > 0);
    assert.deepEqual(show(fromClient.filter((e) => e.to !== 'server/src/protocol.ts')), []);
    const closure = new Set<string>();
    const walk = (m: string) => {
      for (const to of graph.get(m) ?? []) {
        if (closure.has(to)) continue;
        closure.add(to);
        walk(to);
      }
    };
    walk('server/src/protocol.ts');
    assert.deepEqual([...closure].sort(), [...PROTOCOL_IMPORTS].sort());
    const external = edges.filter((e) => area(e.from) === 'client' && !graph.has(e.to)).map((e) => e.to);
    assert.deepEqual([...new Set(external)].sort(), ['markdown-it', 'vscode', 'vscode-languageclient/node']);
  });

  it('no module imports itself back, through any chain (type-only imports count)', () => {
    assert.deepEqual(cycles(graph), []);
  });

  it('ARCHITECTURE.md describes every folder of the sources and names every front door', () => {
    const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    // A folder's subfolders are described with it; server/src holds only the protocol module.
    const folders = new Set([...graph.keys()].map((m) => dirname(m).replace(/^(server\/src\/engine\/(?:python|ts)|server\/src\/cli|client\/src)\/.*$/, '$1')));
    folders.delete('server/src');
    assert.ok(doc.includes('### `server/src/protocol.ts`'));
    assert.deepEqual([...folders].filter((f) => !doc.includes(`### \`${f}/`)).sort(), []);
    assert.deepEqual(FRONT_DOORS.map((m) => m.replace(/^server\/src\//, '')).filter((m) => !doc.includes(`\`${m}\``)), []);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const sample: Graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'x']],
      ['c', ['a']],
      ['d', ['d']],
      ['e', []],
    ]);
    assert.deepEqual(cycles(sample), [['a', 'b', 'c'], ['d']]);
  });
});
