// Runs a fuzz target's inputs on every core: the runs are split into chunks, each with its own seed,
// run on worker threads, and their figures are added up. A failure names the chunk's seed and the input.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { baseSeed, Tally, type TallyData } from './budget';

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

/**
 * Splits `runs` into CHUNKS chunks with the seeds base, base + 1, ... (the same chunks on every
 * machine, so a seed means the same inputs everywhere), runs them on up to as many worker threads as
 * the machine has cores, and adds up what they measured.
 */
export async function fuzzInParallel(module: string, target: string, runs: number): Promise<Tally> {
  const chunks = Math.max(1, Math.min(CHUNKS, runs));
  const base = baseSeed();
  const requests = Array.from({ length: chunks }, (_, i) => ({
    module,
    target,
    runs: Math.floor(runs / chunks) + (i < runs % chunks ? 1 : 0),
    seed: base + i,
  }));
  const results = await inPool(requests, Math.max(1, Math.min(availableParallelism(), chunks)), runInWorker);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
  if (failures.length) throw new Error(`base seed ${base}:\n${failures.join('\n\n')}`);
  const total = new Tally();
  total.seed = base;
  for (const r of results) if (r.status === 'fulfilled') total.add(r.value);
  return total;
}

const CHUNKS = 4;

/** `run` on every item, at most `width` at a time; the outcomes in the order of the items. */
async function inPool<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = { status: 'fulfilled', value: await run(items[i]) };
      } catch (reason) {
        out[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}
