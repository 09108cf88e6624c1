// The language server's analysis thread (bundled to server/out/lsp-worker.js): runs the engine and
// the Python projects, answering the main thread's calls one at a time, in order.
import { parentPort } from 'node:worker_threads';
import { LocalBackend } from './backend';
import type { WorkerCall, WorkerMessage } from './workerBackend';

const port = parentPort;
if (port) {
  const post = (message: WorkerMessage) => port.postMessage(message);
  const backend = new LocalBackend((log) => post({ log }));
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (call: WorkerCall) => {
    chain = chain.then(async () => {
      try {
        const method = backend[call.method] as (...args: unknown[]) => Promise<unknown>;
        post({ id: call.id, result: await method.apply(backend, call.args) });
      } catch (e) {
        post({ id: call.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    });
  });
}
