// Runs a fuzz target's inputs on every core: the runs are split over worker threads, each with its
// own seed, and their figures are added up. A failure names the worker's seed and the input.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SEED, Tally, type TallyData } from './budget';

export interface TargetRequest {
  /** Module under this folder that exports `targets` (e.g. "python-targets"). */
  module: string;
  target: string;
  runs: number;
  seed: number;
}

export type TargetReply = { ok: true; tally: TallyData } | { ok: false; error: string };

const tsxRegister = require.resolve('tsx/cjs');

function runInWorker(request: TargetRequest): Promise<TallyData> {
  const entry = join(__dirname, 'worker.ts');
  const worker = new Worker(`require(${JSON.stringify(tsxRegister)}); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: request,
    // deep inputs recurse in the engine: give workers the main thread's stack
    resourceLimits: { stackSizeMb: 4 },
  });
  return new Promise((resolve, reject) => {
    let replied = false;
    worker.once('message', (reply: TargetReply) => {
      replied = true;
      if (reply.ok) resolve(reply.tally);
      else reject(new Error(`${request.target} (seed ${request.seed}): ${reply.error}`));
      void worker.terminate();
    });
    worker.once('error', (e) => reject(new Error(`${request.target} (seed ${request.seed}): worker failed: ${e.stack ?? e}`)));
    worker.once('exit', (code) => {
      if (!replied) reject(new Error(`${request.target} (seed ${request.seed}): worker exited with code ${code} without a reply`));
    });
  });
}

/** Splits `runs` over the machine's cores (at most 4 workers) and adds up what they measured. */
export async function fuzzInParallel(module: string, target: string, runs: number): Promise<Tally> {
  const workers = Math.max(1, Math.min(4, availableParallelism(), runs));
  const base = SEED ?? Math.floor(Math.random() * 2 ** 31);
  const requests = Array.from({ length: workers }, (_, i) => ({
    module,
    target,
    runs: Math.floor(runs / workers) + (i < runs % workers ? 1 : 0),
    seed: base + i,
  }));
  const results = await Promise.allSettled(requests.map(runInWorker));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new Error(failures.join('\n\n'));
  const total = new Tally();
  for (const r of results) if (r.status === 'fulfilled') total.add(r.value);
  return total;
}
