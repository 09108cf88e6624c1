// The `asyncguard` executable: wires the CLI to the real engine and the process.
import { version } from '../../package.json';
import { Analyzer } from '../engine/analyzer';
import { cliPythonProjects } from '../engine/project/projects';
import type { CliEnv, Engine, EngineOptions } from './check';
import { analyzeFilesInParallel, threadsFor } from './parallel';
import { runCli } from './run';

function realEngine(options: EngineOptions): Engine {
  const projects = cliPythonProjects({ interpreter: options.python, noCache: options.noCache, log: options.log });
  const analyzer = new Analyzer({ python: projects });
  return {
    init: () => analyzer.init(),
    analyze: (req) => analyzer.analyze(req),
    finish: () => projects.saveCaches(),
  };
}

/** Worker threads for runs big enough to gain from them, each with the same engine settings. */
const analyzeInParallel: CliEnv['analyzeInParallel'] = (items, options, threads) => {
  if (threadsFor(items.length, { threads }) <= 1) return undefined;
  return analyzeFilesInParallel(items, { threads, engine: { cli: { interpreter: options.python, noCache: options.noCache } } });
};

async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
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
