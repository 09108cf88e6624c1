// Runs a command as its own process and measures its wall time and, for Node processes, its peak
// resident set size (through the report-rss.cjs preload; a non-Node command reports none).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats';

export interface RunMeasure {
  ms: number;
  /** Peak RSS of the Node process started (the largest, when it starts others), in bytes. */
  peakRssBytes?: number;
  /** User + system CPU time of the Node processes started (all their threads). */
  cpuMs?: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (default: drop it, some outputs are large). */
  keepStdout?: boolean;
  timeoutMs?: number;
}

const PRELOAD = join(__dirname, 'report-rss.cjs');

export async function measureProcess(command: string, args: string[], options: RunOptions = {}): Promise<RunMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'asyncguard-bench-'));
  const rssFile = join(dir, 'rss.jsonl');
  const env = {
    ...process.env,
    ...options.env,
    ASYNCGUARD_BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(PRELOAD)}`.trim(),
  };
  try {
    const start = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (options.keepStdout) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 200_000) stderr += d;
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    const ms = performance.now() - start;
    if (timer) clearTimeout(timer);
    let peakRssBytes: number | undefined;
    let cpuMs: number | undefined;
    if (existsSync(rssFile)) {
      for (const line of readFileSync(rssFile, 'utf8').split('\n')) {
        if (!line) continue;
        const r = JSON.parse(line) as { maxRssKiB: number; cpuUs: number };
        peakRssBytes = Math.max(peakRssBytes ?? 0, r.maxRssKiB * 1024);
        cpuMs = (cpuMs ?? 0) + r.cpuUs / 1000;
      }
    }
    return { ms, peakRssBytes, cpuMs, code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Repeated {
  runs: RunMeasure[];
  medianMs: number;
  medianPeakRssBytes?: number;
  medianCpuMs?: number;
}

export async function repeat(times: number, run: () => Promise<RunMeasure>, check?: (r: RunMeasure) => void): Promise<Repeated> {
  const runs: RunMeasure[] = [];
  for (let i = 0; i < times; i++) {
    const r = await run();
    check?.(r);
    runs.push(r);
  }
  const rss = runs.map((r) => r.peakRssBytes).filter((x): x is number => x !== undefined);
  const cpu = runs.map((r) => r.cpuMs).filter((x): x is number => x !== undefined);
  return { runs, medianMs: median(runs.map((r) => r.ms)), medianPeakRssBytes: rss.length ? median(rss) : undefined, medianCpuMs: cpu.length ? median(cpu) : undefined };
}
