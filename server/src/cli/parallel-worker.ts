// One analysis worker thread (see parallel.ts): loads the engine once, then answers each request.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile, createAnalyzer, type WorkerEngineSettings, type WorkerReply, type WorkerRequest } from './parallel';

const port = parentPort;
if (port) {
  const analyzer = createAnalyzer((workerData ?? {}) as WorkerEngineSettings);
  const ready = analyzer.init();
  port.on('message', (request: WorkerRequest) => {
    ready.then(
      () => reply({ id: request.id, outcome: analyzeFile(analyzer, request.path, request.rules) }),
      (e: Error) => reply({ id: request.id, outcome: { path: request.path, kind: 'error', message: `cannot load the analysis engine: ${e.message}` } }),
    );
  });
  function reply(r: WorkerReply): void {
    port!.postMessage(r);
  }
}
