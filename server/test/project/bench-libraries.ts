// Benchmark: a cold and a warm start of analysing a file that imports aiohttp, httpx and websockets
// (Debian packages) through the module index, each in a fresh process. Cold: an empty persistent
// cache. Warm: the cache the cold run wrote. Prints times, the modules summarised and memory.
// Run: node --import tsx server/test/project/bench-libraries.ts [file] [interpreter]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Analyzer } from '../../src/engine/analyzer';
import { PythonProject } from '../../src/engine/project/pythonProject';
import { stdlibProvider } from '../../src/engine/python/modules';

async function once(file: string, interpreter: string, cacheDir: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  // wall time and, in brackets, CPU time: on a busy machine the second is the steadier figure
  let cpu = process.cpuUsage();
  const ms = (t: number) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    return `${(performance.now() - t).toFixed(0)} [cpu ${((used.user + used.system) / 1000).toFixed(0)}]`;
  };
  let t = performance.now();
  cpu = process.cpuUsage();
  const analyzer0 = new Analyzer();
  await analyzer0.init();
  stdlibProvider.getModule('builtins');
  const startup = ms(t);
  const project = new PythonProject({ roots: [dirname(file)], trusted: true, interpreter, cacheDir });
  t = performance.now();
  cpu = process.cpuUsage();
  project.environment();
  const probe = ms(t);
  const analyzer = new Analyzer({ python: project });
  t = performance.now();
  cpu = process.cpuUsage();
  const { findings } = analyzer.analyze({ path: file, text });
  const analysis = ms(t);
  t = performance.now();
  cpu = process.cpuUsage();
  const again = analyzer.analyze({ path: file, text });
  const second = ms(t);
  project.saveCache();
  const mem = process.memoryUsage();
  console.log(
    `engine+stdlib load ${startup} ms, interpreter probe ${probe} ms, first analysis ${analysis} ms (${project.stats.parsed} files parsed, ${project.stats.fromCache} summaries from the cache), ` +
      `re-analysis ${second} ms; ${findings.length}/${again.findings.length} findings; rss ${(mem.rss / 1048576).toFixed(0)} MB, heap ${(mem.heapUsed / 1048576).toFixed(0)} MB`,
  );
}

function main(): void {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--once') {
    once(rest[0], rest[1], rest[2]).catch((e) => {
      console.error(e);
      process.exit(1);
    });
    return;
  }
  const file = resolve(mode ?? join(__dirname, 'fixtures', 'debian', 'use_libraries.py'));
  const interpreter = rest[0] ?? '/usr/bin/python3';
  const cacheDir = mkdtempSync(join(tmpdir(), 'asyncguard-bench-'));
  try {
    for (const label of ['cold', 'warm']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--once', file, interpreter, cacheDir], { encoding: 'utf8' });
      process.stdout.write(`${label}: ${r.stdout}${r.stderr}`);
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main();
