// One analysis worker thread (see parallel.ts): loads the engine once, then answers each request;
// asked to finish, it saves its Python projects' caches and exits.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile, createAnalysisThread, describeProbe, type WorkerEngineSettings, type WorkerLog, type WorkerReply, type WorkerRequest } from './parallel';

const port = parentPort;
if (port) {
  const engine = createAnalysisThread((workerData ?? {}) as WorkerEngineSettings, undefined, (record) =>
    port.postMessage({ log: describeProbe(record) } satisfies WorkerLog),
  );
  const ready = engine.analyzer.init();
  port.on('message', (request: WorkerRequest) => {
    if (request === 'finish') {
      // Exits whatever happens: a cache that cannot be saved is only a slower next run.
      void ready.then(engine.saveCaches).finally(() => process.exit(0));
      return;
    }
    void ready.then(
      () => reply({ id: request.id, outcome: analyzeFile(engine, request.path, request.rules) }),
      (e: Error) => reply({ id: request.id, outcome: { path: request.path, kind: 'error', message: `cannot load the analysis engine: ${e.message}` } }),
    );
  });
  function reply(r: WorkerReply): void {
    port!.postMessage(r);
  }
}
