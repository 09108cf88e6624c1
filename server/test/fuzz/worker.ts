// A worker thread of fuzzInParallel: runs one target of one targets module and replies with its
// figures or its failure.
import { parentPort, workerData } from 'node:worker_threads';
import type { TargetReply, TargetRequest } from './parallel';
import type { Tally } from './budget';

type Targets = Record<string, (runs: number, seed: number) => Promise<Tally>>;

/** The error with its causes (fast-check puts the property's own error in `cause`). */
function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const own = e.stack ?? e.message;
  return e.cause === undefined ? own : `${own}\ncaused by: ${describeError(e.cause)}`;
}

async function main(): Promise<void> {
  const request = workerData as TargetRequest;
  let reply: TargetReply;
  try {
    const { targets } = require(`./${request.module}`) as { targets: Targets };
    const run = targets[request.target];
    if (!run) throw new Error(`no fuzz target '${request.target}' in ${request.module}`);
    reply = { ok: true, tally: (await run(request.runs, request.seed)).data() };
  } catch (e) {
    reply = { ok: false, error: describeError(e) };
  }
  parentPort!.postMessage(reply);
}

void main();
