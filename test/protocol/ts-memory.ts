// What the TypeScript engine costs in the language server: the bundled server (engine on its own
// thread) under --expose-gc, a workspace folder, some of its TS files opened through the protocol,
// then `asyncguard/status` (live heaps after a collection, the process's RSS, the programs held).
// Each case runs in a fresh server; the baseline is the same server before any TS file is opened.
//   node --import tsx test/protocol/ts-memory.ts [--write]
// --write replaces the section in corpus/REPORT-ts.md (scripts/corpus-ts.mjs keeps it when it
// regenerates the rest of the report).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { root, TestClient } from './lspClient';

export const SECTION_HEADING = "## The language server's memory with TypeScript files open";

const corpus = join(root, '.tools', 'corpus-ts', 'projects');
const MiB = 2 ** 20;
const CHAIN_MODULES = 2000;

interface Case {
  name: string;
  folder: string;
  files: string[];
}

interface Measured {
  engineHeap: number;
  rss: number;
  programs: { key: string; openDocuments: number; sourceFiles: number }[];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('node_modules'))
    .map((f) => join(dir, f))
    .sort();
}

async function measure(c: Case): Promise<{ before: Measured; after: Measured }> {
  const { client } = await TestClient.start({ rootPath: c.folder, nodeArgs: ['--expose-gc'] });
  try {
    while (!(await client.request('asyncguard/status')).engineLoaded) await new Promise((r) => setTimeout(r, 200));
    const status = async (): Promise<Measured> => {
      const s = await client.request('asyncguard/status');
      return { engineHeap: s.engineHeapUsed, rss: s.rss, programs: s.typescript };
    };
    const before = await status();
    for (const file of c.files) {
      const uri = `file://${file}`;
      await client.open(uri, readFileSync(file, 'utf8'), 1, 'typescript');
      await client.diagnosticsFor(uri, 1, 0);
    }
    return { before, after: await status() };
  } finally {
    await client.shutdown();
  }
}

function largestCorpusProject(): { folder: string; lines: number; files: string[] } {
  const projects = readdirSync(corpus).map((name) => {
    const folder = join(corpus, name);
    const files = sources(join(folder, 'src'));
    const lines = files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    return { folder, lines, files };
  });
  return projects.sort((a, b) => b.lines - a.lines)[0];
}

/** A generated project of `count` modules, each importing the one before it: m0 imports nothing, the last one all. */
function chainProject(count: number): { folder: string; first: string; last: string; lines: number } {
  const folder = mkdtempSync(join(tmpdir(), 'asyncguard-ts-memory-'));
  mkdirSync(join(folder, 'src'));
  const options = { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, lib: ['ES2022'], types: [], noEmit: true };
  writeFileSync(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['src'] }));
  let lines = 0;
  for (let i = 0; i < count; i++) {
    const text = [
      i > 0 ? `import { load${i - 1} } from './m${i - 1}';` : 'export {};',
      `export interface Item${i} { id: number; name: string; tags: string[] }`,
      `export async function load${i}(id: number): Promise<Item${i}> {`,
      i > 0 ? `  const previous = await load${i - 1}(id);` : '  const previous = { id, name: "", tags: [] as string[] };',
      `  return { id, name: previous.name + '${i}', tags: [...previous.tags, 'm${i}'] };`,
      '}',
      `export class Store${i} {`,
      `  readonly items${i} = new Map<number, Item${i}>();`,
      `  async refresh${i}(id: number): Promise<void> {`,
      `    this.items${i}.set(id, await load${i}(id));`,
      '  }',
      '}',
      '',
    ].join('\n');
    lines += text.split('\n').length - 1;
    writeFileSync(join(folder, 'src', `m${i}.ts`), text);
  }
  return { folder, first: join(folder, 'src', 'm0.ts'), last: join(folder, 'src', `m${count - 1}.ts`), lines };
}

async function main() {
  const web = join(root, 'examples', 'web');
  const big = largestCorpusProject();
  const bySize = [...big.files].sort((a, b) => readFileSync(b, 'utf8').length - readFileSync(a, 'utf8').length);
  // A leaf: the largest file that imports nothing of its own project.
  const leaf = bySize.find((f) => !/from\s+['"]\./.test(readFileSync(f, 'utf8')))!;
  const name = relative(corpus, big.folder);
  const one = (file: string, what: string): Case => ({ name: `${name}, one file open: ${relative(big.folder, file)} (${what})`, folder: big.folder, files: [file] });
  const cases: Case[] = [
    { name: `examples/web, its ${sources(web).length} files open`, folder: web, files: sources(web) },
    one(bySize[0], 'its largest'),
    one(leaf, 'a module importing nothing of the project'),
    { name: `${name}, all ${big.files.length} files open (${big.lines} lines; the whole program)`, folder: big.folder, files: big.files },
  ];
  const chain = chainProject(CHAIN_MODULES);
  const chainName = `generated, ${CHAIN_MODULES} modules (${chain.lines} lines)`;
  cases.push(
    { name: `${chainName}, one file open: a module importing nothing`, folder: chain.folder, files: [chain.first] },
    { name: `${chainName}, one file open: the module whose imports reach all the others (the whole program)`, folder: chain.folder, files: [chain.last] },
  );
  process.on('exit', () => rmSync(chain.folder, { recursive: true, force: true }));
  const mb = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
  const lines = [SECTION_HEADING, '', `Measured by \`node --import tsx test/protocol/ts-memory.ts\` on ${new Date().toISOString().slice(0, 10)}: the bundled server`];
  lines.push('(engine on its own thread) run with `--expose-gc`, the folder opened as the workspace, the files opened through');
  lines.push('the protocol and analysed, then `asyncguard/status`: the engine thread\'s live heap after a collection, the');
  lines.push('process\'s resident memory (both threads, Node and the TypeScript compiler included), and the programs held.');
  lines.push('"Before" is the same server before any TS file was opened (the Python engine loaded, the compiler not yet).');
  lines.push('');
  lines.push('| case | engine heap before → after | RSS before → after | TypeScript programs held |');
  lines.push('|---|---:|---:|---|');
  for (const c of cases) {
    const { before, after } = await measure(c);
    const programs = after.programs.map((p) => `${p.sourceFiles} source files, ${p.openDocuments} open`).join('; ');
    lines.push(`| ${c.name} | ${mb(before.engineHeap)} → ${mb(after.engineHeap)} | ${mb(before.rss)} → ${mb(after.rss)} | ${programs} |`);
    console.error(lines.at(-1));
  }
  lines.push('');
  lines.push('In auth-js most of every program is the lib files (ES2022, DOM) and @types/node its tsconfig names, the');
  lines.push('same whichever file is open, and its largest file imports nearly all of the project; the generated project,');
  lines.push('with the ES2022 lib files only, shows what the bound saves when one file of a large project is open.');
  lines.push('');
  lines.push('The bound: a program\'s roots are the documents analysed plus the project\'s declaration files, not every');
  lines.push('file its tsconfig includes, so one open file costs its own import graph and the lib and @types files');
  lines.push('its options name; the whole program is built only when the open files import all of it. At most 64');
  lines.push('documents per project stay roots (least recently used dropped), at most 3 language services live (least');
  lines.push('recently used disposed), one idle for 10 minutes is disposed, and a changed tsconfig/jsconfig/package.json');
  lines.push('disposes only the projects it shapes. "Open" counts documents whose text differs from the program\'s;');
  lines.push('an unchanged file already in the program is checked there without becoming a root.');
  lines.push('');
  const section = lines.join('\n');
  console.log(section);
  if (process.argv.includes('--write')) {
    const report = join(root, 'corpus', 'REPORT-ts.md');
    const text = readFileSync(report, 'utf8');
    const start = text.indexOf(SECTION_HEADING);
    const next = start < 0 ? -1 : text.indexOf('\n## ', start + SECTION_HEADING.length);
    const kept = start < 0 ? text.trimEnd() + '\n\n' : text.slice(0, start);
    writeFileSync(report, kept + section + (next < 0 ? '' : text.slice(next + 1)));
    console.error(`wrote the section into ${relative(root, report)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
