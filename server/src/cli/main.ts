// The `asyncguard` executable: wires the CLI to the real engine and the process.
import { version } from '../../package.json';
import type { CliEnv, CheckEngine, EngineOptions } from './check';
import { analyzeFilesInParallel, analyzeText, createAnalysisThread, threadsForItems } from './parallel';
import { runCli } from './run';
import { defaultRuleSettings } from '../engine/rules';

function realEngine(options: EngineOptions): CheckEngine {
  const engine = createAnalysisThread({ cli: { interpreter: options.python, noCache: options.noCache, folder: options.folder } }, options.log);
  return {
    init: () => engine.analyzer.init(),
    analyze: (req) => analyzeText(engine, req.path, req.text, req.rules ?? defaultRuleSettings()),
    finish: () => engine.saveCaches(),
  };
}

/** Worker threads for runs big enough to gain from them, each with the same engine settings. */
const analyzeInParallel: CliEnv['analyzeInParallel'] = (items, options, threads) => {
  if (threadsForItems(items, { threads }) <= 1) return undefined;
  return analyzeFilesInParallel(items, { threads, engine: { cli: { interpreter: options.python, noCache: options.noCache, folder: options.folder } } });
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
    analyzeInParallel,
    version,
  });
  process.exitCode = code;
}

main().catch((e) => {
  process.stderr.write(`asyncguard: internal error: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
});
