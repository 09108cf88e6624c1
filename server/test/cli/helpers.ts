// Shared by the CLI tests: temporary source trees, and running the CLI in-process or as the built
// executable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import type { CheckEngine } from '../../src/cli/check';
import { runCli } from '../../src/cli/run';
import { FakeEngine } from './fake-engine';

export const repoRoot = join(__dirname, '..', '..', '..');
export const builtCli = join(repoRoot, 'server', 'bin', 'asyncguard.js');

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Creates a temporary folder holding `files` (path -> text or bytes) and returns its real path. */
export function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'asyncguard-cli-')));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with a fake (or given) engine, as if from folder `cwd`. */
export async function runInProcess(argv: string[], cwd: string, options: { engine?: CheckEngine; tty?: boolean } = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: options.tty ?? false,
    engineFor: () => options.engine ?? new FakeEngine(),
    version: '0.1.0',
  });
  return { code, stdout, stderr };
}

/** Builds the bundle when it is missing (scripts/test.mjs builds it before every run). */
export function ensureBuilt(): void {
  if (!existsSync(join(repoRoot, 'server', 'out', 'cli.js'))) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
}

/** Runs the built `asyncguard` executable in a child process. */
export function runBuilt(argv: string[], cwd: string): RunResult {
  const r = spawnSync(process.execPath, [builtCli, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
