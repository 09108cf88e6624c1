// A worker thread of fuzzInParallel: runs one target of one targets module and replies with its
// figures or its failure.
import { parentPort, workerData } from 'node:worker_threads';
import type { TargetReply, TargetRequest } from './parallel';
import type { Tally } from './budget';

type Targets = Record<string, (runs: number, seed: number) => Promise<Tally>>;

async function main(): Promise<void> {
  const request = workerData as TargetRequest;
  let reply: TargetReply;
  try {
    const { targets } = require(`./${request.module}`) as { targets: Targets };
    const run = targets[request.target];
    if (!run) throw new Error(`no fuzz target '${request.target}' in ${request.module}`);
    reply = { ok: true, tally: (await run(request.runs, request.seed)).data() };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(reply);
}

void main();
