// `npm run bench:keystrokes`: only the Python keystroke part of `npm run bench` (bench/keystroke.ts on
// the 10,501-line file), for this build and optionally a reference build measured in the same session,
// alternating, with the load average next to every figure.
//
//   --reference DIR   another build's server/out (e.g. a copy of main's), measured in the same rounds
//   --rounds N        rounds per build and debounce (default 2)
//   --write           puts this build's figures (the last round's) into bench/results.json's Python
//                     keystroke rows and re-renders RESULTS.md
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchKeystrokes, pythonTypingPlan, type KeystrokeResult } from './keystroke';
import { stdlibDir } from './lib/corpus';
import { fmt, fmtInt } from './lib/stats';

const repo = join(__dirname, '..');
const { values: opts } = parseArgs({ options: { reference: { type: 'string' }, rounds: { type: 'string', default: '2' }, write: { type: 'boolean', default: false } } });

/** A copy of the bundles, so that a build in the same tree cannot rewrite them under the measured server. */
function snapshot(outDir: string): string {
  const to = mkdtempSync(join(tmpdir(), 'asyncguard-keys-build-'));
  cpSync(outDir, to, { recursive: true });
  return join(to, 'server.js');
}

async function main(): Promise<void> {
  const dir = stdlibDir();
  const plan = pythonTypingPlan([join(dir, 'test', 'test_typing.py'), join(dir, 'asyncio', 'base_events.py'), join(dir, 'test', 'test_asyncio', 'test_tasks.py')], 10_000, 8);
  const lines = fmtInt(plan.text.split('\n').length);
  const builds = [{ name: 'this build', server: snapshot(join(repo, 'server', 'out')) }];
  if (opts.reference) builds.push({ name: `reference (${opts.reference})`, server: snapshot(opts.reference) });
  const last = new Map<number, KeystrokeResult & { loadAverage: number }>();
  for (let round = 1; round <= Number(opts.rounds); round++) {
    for (const debounceMs of [0, 100]) {
      // alternate which build goes first
      for (const build of round % 2 ? builds : [...builds].reverse()) {
        const loadAverage = loadavg()[0];
        const r = await benchKeystrokes(build.server, plan, { intervalMs: 150, debounceMs, budgetMs: 60_000 });
        console.log(
          `round ${round}, debounce ${debounceMs} ms, ${build.name}: p50 ${fmt(r.p50, 1)} / p95 ${fmt(r.p95, 1)} / p99 ${fmt(r.p99, 1)} / max ${fmt(r.max, 1)} ms, ${r.overtaken} overtaken of ${r.keystrokes}, findings ${r.findingsBefore} → ${r.findingsAfter}, load average ${fmt(loadAverage, 2)}`,
        );
        if (build === builds[0]) last.set(debounceMs, { ...r, loadAverage });
      }
    }
  }
  if (!opts.write) return;
  const file = join(repo, 'bench', 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as { keystrokes: Array<{ name: string }> };
  results.keystrokes = results.keystrokes.map((k) => {
    const debounce = /^Python, .* debounce (\d+) ms$/.exec(k.name);
    const r = debounce && last.get(Number(debounce[1]));
    if (!r) return k;
    const name = `Python, ${lines} lines (test_typing.py + base_events.py), debounce ${debounce[1]} ms`;
    return { name, ...r, latenciesMs: r.latenciesMs.map((x) => Math.round(x * 10) / 10), loadAverage: Math.round(r.loadAverage * 100) / 100 };
  });
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'run.ts'), '--render-only'], { cwd: repo, stdio: 'inherit' });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
