// The `asyncguard` executable: wires the CLI to the real engine and the process.
import { version } from '../../package.json';
import type { CliEnv, CheckEngine, EngineOptions } from './check';
import { userCacheDir } from '../engine/project/projects';
import { analyzeText, createAnalysisThread, describeProbe, poolThreads, WorkerPool, type WorkerEngineSettings } from './parallel';
import { runCli } from './run';
import { defaultRuleSettings } from '../engine/rules';

/** How each thread builds its engine for these options. */
function engineSettings(options: EngineOptions): WorkerEngineSettings {
  return { cli: { interpreter: options.python, noCache: options.noCache, folder: options.folder, probeCacheDir: options.probeCache ? userCacheDir() : undefined } };
}

function realEngine(options: EngineOptions): CheckEngine {
  const verbose = options.verbose;
  const engine = createAnalysisThread(engineSettings(options), options.log, verbose && ((record) => verbose(describeProbe(record))));
  return {
    init: () => engine.analyzer.init(),
    analyze: (req) => analyzeText(engine, req.path, req.text, req.rules ?? defaultRuleSettings()),
    finish: () => engine.saveCaches(),
  };
}

/** Worker threads for runs big enough to gain from them, each with the same engine settings. */
const startParallel: CliEnv['startParallel'] = (found, done, options, threads) => {
  const count = poolThreads(found, done, { threads });
  return count === undefined ? undefined : new WorkerPool(count, engineSettings(options), options.verbose);
};

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    environment: process.env,
    engineFor: realEngine,
    startParallel,
    version,
  });
  process.exitCode = code;
}

main().catch((e) => {
  process.stderr.write(`asyncguard: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
});
