// `npm run fuzz`: the long form of the fuzz tests in server/test/fuzz (the short form runs in
// `npm test` from fixed seeds). The same targets with more inputs from random seeds, on every core;
// the figures and each target's seed are printed. `--seed N` replays a run; a failure it finds
// becomes a named case in server/test/fuzz/regressions.test.ts.
//   npm run fuzz -- [--scale N (default 10)] [--seed N] [--only python|ts] [--hang-ms N]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureInstalled, root } from './ensure-installed.mjs';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    seed: { type: 'string' },
    only: { type: 'string' },
    'hang-ms': { type: 'string' },
  },
});

ensureInstalled();
const dir = join(root, 'server', 'test', 'fuzz');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.ts') && f !== 'regressions.test.ts' && (!values.only || f.startsWith(values.only)))
  .map((f) => relative(root, join(dir, f)));
const env = { ...process.env, ASYNCGUARD_FUZZ_SCALE: values.scale };
env.ASYNCGUARD_FUZZ_SEED = values.seed ?? 'random';
if (values['hang-ms']) env.ASYNCGUARD_FUZZ_HANG_MS = values['hang-ms'];
console.log(`fuzz: scale ${values.scale}${values.seed ? `, seed ${values.seed}` : ''}: ${files.join(', ')}`);
const started = Date.now();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, env, stdio: 'inherit' });
console.log(`fuzz: ${((Date.now() - started) / 60_000).toFixed(1)} minutes`);
process.exit(result.status ?? 1);
