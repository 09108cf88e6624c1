// The worker-thread runner gives exactly what analysing in this thread gives, in input order, and
// leaves the module index's cache holding every summary its workers made.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeFilesInParallel, threadsFor, threadsForItems, type FileOutcome, type WorkerEngineSettings } from '../../src/cli/parallel';
import { Analyzer } from '../../src/engine/analyzer';
import { cliPythonProjects } from '../../src/engine/project/projects';
import { defaultRuleSettings } from '../../src/engine/rules';
import { makeTree } from './helpers';

const SEED = 'async def nested():\n    return 42\n\nasync def main():\n    nested()\n    print(await nested())\n';
const TASK = 'import asyncio\n\nasync def work():\n    pass\n\nasync def main():\n    asyncio.create_task(work())\n';
const CLEAN = 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n';

async function collect(paths: string[], threads: number, engine?: WorkerEngineSettings): Promise<FileOutcome[]> {
  const rules = defaultRuleSettings();
  const out: FileOutcome[] = [];
  for await (const o of analyzeFilesInParallel(paths.map((path) => ({ path, rules })), { threads, minFilesPerThread: 1, engine })) out.push(o);
  return out;
}

function summary(o: FileOutcome): string {
  const name = o.path.split('/').pop();
  if (o.kind === 'analyzed') return `${name}: ${o.result.findings.map((f) => `${f.rule}@${f.range.start.line + 1}:${f.range.start.character + 1}`).join(' ') || 'clean'}`;
  if (o.kind === 'skipped') return `${name}: skipped (${o.reason})`;
  return `${name}: error`;
}

describe('analyzeFilesInParallel', () => {
  it('two workers return the same outcomes as this thread, in the order given', async () => {
    const files: Record<string, string | Uint8Array> = { 'seed.py': SEED, 'task.py': TASK, 'binary.py': new Uint8Array([0x61, 0, 0x62]) };
    for (let i = 0; i < 9; i++) files[`clean${i}.py`] = CLEAN;
    const dir = makeTree(files);
    const paths = ['seed.py', 'clean0.py', 'binary.py', 'clean1.py', 'task.py', ...Array.from({ length: 7 }, (_, i) => `clean${i + 2}.py`)].map((f) => join(dir, f));

    const parallel = await collect(paths, 2);
    const serial = await collect(paths, 1);

    assert.deepEqual(parallel.map(summary), [
      'seed.py: unawaited-coroutine@5:5',
      'clean0.py: clean',
      'binary.py: skipped (binary file (contains NUL bytes))',
      'clean1.py: clean',
      'task.py: dangling-task@7:5',
      ...Array.from({ length: 7 }, (_, i) => `clean${i + 2}.py: clean`),
    ]);
    assert.deepEqual(parallel, serial);
  });

  it('uses one thread per core, but not more than the files justify', () => {
    assert.equal(threadsFor(1000, { threads: 8 }), 8);
    assert.equal(threadsFor(30, { threads: 8 }), 1);
    assert.equal(threadsFor(50, { threads: 8 }), 2);
    assert.equal(threadsFor(0, { threads: 8 }), 1);
  });

  it('TypeScript files share one thread (one program per tsconfig), the other files spread over the rest', () => {
    const files = (n: number, ext: string) => Array.from({ length: n }, (_, i) => ({ path: `/w/f${i}.${ext}` }));
    assert.equal(threadsForItems(files(1000, 'ts'), { threads: 8 }), 1);
    assert.equal(threadsForItems([...files(1000, 'ts'), ...files(10, 'py')], { threads: 8 }), 2);
    assert.equal(threadsForItems([...files(1000, 'ts'), ...files(1000, 'py')], { threads: 8 }), 8);
    assert.equal(threadsForItems([...files(10, 'tsx'), ...files(100, 'py')], { threads: 2 }), 2);
    assert.equal(threadsForItems(files(100, 'py'), { threads: 8 }), 4);
  });

  it('a cold run on workers saves every summary they made: a warm run parses no library file', { skip: process.platform === 'win32' && 'the fake interpreter is a shell script' }, async () => {
    const N = 12;
    const library: Record<string, string> = {};
    const project: Record<string, string> = { 'pyproject.toml': '[project]\nname = "app"\n' };
    for (let i = 0; i < N; i++) {
      library[`lib${i}.py`] = `async def fetch():\n    return ${i}\n`;
      project[`use${i}.py`] = `from lib${i} import fetch\n\n\nasync def main():\n    fetch()\n`;
    }
    const site = makeTree(library);
    const root = makeTree(project);
    // an interpreter whose sys.path is the library folder, as the probe of a real one would say
    const python = join(root, 'python');
    writeFileSync(python, `#!/bin/sh\necho '${JSON.stringify({ path: [site], stdlib: [], version: [3, 11] })}'\n`, { mode: 0o755 });
    const paths = Array.from({ length: N }, (_, i) => join(root, `use${i}.py`));

    // each file imports its own library module, so both workers summarise some of them
    const cold = await collect(paths, 2, { cli: { interpreter: python, noCache: false } });
    assert.deepEqual(cold.map(summary), paths.map((_, i) => `use${i}.py: unawaited-coroutine@5:5`));
    const cache = JSON.parse(readFileSync(join(root, '.asyncguard_cache', 'python-summaries.json'), 'utf8')) as { entries: Record<string, unknown> };
    const cachedFiles = Object.keys(cache.entries).map((key) => key.split('\0')[0]);
    assert.deepEqual(cachedFiles.sort(), Object.keys(library).map((f) => join(site, f)).sort());

    const projects = cliPythonProjects({ interpreter: python });
    const warm = new Analyzer({ python: projects });
    await warm.init();
    for (const path of paths) assert.equal(warm.analyze({ path, text: readFileSync(path, 'utf8') }).findings.length, 1);
    assert.deepEqual(projects.projectFor(paths[0]).stats, { parsed: 0, fromCache: N });
  });
});
