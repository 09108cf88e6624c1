// The Python environment whose installed libraries imports resolve to: the interpreter named by a
// setting, else a `.venv`/`venv` of the workspace, else `python3` on PATH — asked once for its
// sys.path by running it with a short script. Running it executes code (site-packages' .pth files),
// so this is never done for an untrusted workspace. The CLI keeps the answer on disk between runs
// (interpreterCache.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface PythonEnvironment {
  interpreter: string;
  /** Library folders (site-packages, dist-packages, .pth additions), in sys.path order. */
  sitePaths: string[];
  /** The standard library's own folders: consulted only for modules the typeshed summaries lack. */
  stdlibPaths: string[];
  version: [number, number];
}

export interface InterpreterChoice {
  /** The `interpreterPath` setting, relative paths taken from the first workspace folder. */
  setting?: string;
  roots: readonly string[];
  trusted: boolean;
}

const PROBE = [
  'import json, sys, sysconfig',
  'p = sysconfig.get_paths()',
  'print(json.dumps({"path": [x for x in sys.path if x], "stdlib": [p.get("stdlib"), p.get("platstdlib")],',
  '  "version": list(sys.version_info[:2])}))',
].join('\n');

const isWindows = process.platform === 'win32';

/** The interpreter to ask, or undefined when none may (untrusted) or can be found. */
export function chooseInterpreter(choice: InterpreterChoice): string | undefined {
  return interpreterChoice(choice)?.interpreter;
}

/** The interpreter to ask and how it was chosen (for the logs), or undefined when none may be run. */
export function interpreterChoice(choice: InterpreterChoice): { interpreter: string; how: string } | undefined {
  if (!choice.trusted) return undefined;
  if (choice.setting) {
    const interpreter = isAbsolute(choice.setting) || !choice.roots.length ? choice.setting : resolve(choice.roots[0], choice.setting);
    return { interpreter, how: 'the interpreterPath setting' };
  }
  for (const root of choice.roots) {
    for (const venv of ['.venv', 'venv']) {
      const exe = isWindows ? join(root, venv, 'Scripts', 'python.exe') : join(root, venv, 'bin', 'python');
      if (existsSync(exe)) return { interpreter: exe, how: `the project's ${venv} folder` };
    }
  }
  return { interpreter: isWindows ? 'python' : 'python3', how: 'the first on PATH: no setting and no .venv or venv folder' };
}

const probed = new Map<string, PythonEnvironment | Error>();

/** Where probes are kept between runs (interpreterCache.ts keeps them on disk). */
export interface ProbeCache {
  get(interpreter: string): PythonEnvironment | undefined;
  set(interpreter: string, environment: PythonEnvironment): void;
}

/** How an interpreter's environment was learnt, and how long that took (for `--verbose`). */
export interface ProbeRecord {
  interpreter: string;
  /** `cache`: from the probe cache on disk; `ran`: the interpreter was run. */
  how: 'cache' | 'ran';
  ms: number;
  failed?: boolean;
}

/**
 * Runs the interpreter once per process and remembers what it said (or why it failed); given a
 * probe cache, runs it only when the cache has no answer that still holds.
 */
export function probeEnvironment(interpreter: string, options: { cache?: ProbeCache; onProbe?: (record: ProbeRecord) => void } = {}): PythonEnvironment | Error {
  const known = probed.get(interpreter);
  if (known) return known;
  const start = performance.now();
  const cached = options.cache?.get(interpreter);
  if (cached) {
    probed.set(interpreter, cached);
    options.onProbe?.({ interpreter, how: 'cache', ms: performance.now() - start });
    return cached;
  }
  let result: PythonEnvironment | Error;
  try {
    const out = execFileSync(interpreter, ['-c', PROBE], {
      cwd: tmpdir(), // so that '' on sys.path is not the workspace
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    result = parseProbe(interpreter, out);
    options.cache?.set(interpreter, result);
  } catch (e) {
    result = e instanceof Error ? e : new Error(String(e));
  }
  probed.set(interpreter, result);
  options.onProbe?.({ interpreter, how: 'ran', ms: performance.now() - start, failed: result instanceof Error || undefined });
  return result;
}

export function parseProbe(interpreter: string, output: string): PythonEnvironment {
  const data = JSON.parse(output.trim().split('\n').pop() ?? '') as { path: string[]; stdlib: (string | null)[]; version: [number, number] };
  const stdlibRoots = data.stdlib.filter((p): p is string => typeof p === 'string');
  const isStdlib = (p: string) =>
    p.endsWith('.zip') || stdlibRoots.some((s) => p === s || (p.startsWith(s) && !/[\\/](site|dist)-packages([\\/]|$)/.test(p.slice(s.length))));
  const sitePaths: string[] = [];
  const stdlibPaths: string[] = [];
  for (const p of data.path) {
    if (p.endsWith('.zip') || p.endsWith('.egg')) continue;
    (isStdlib(p) ? stdlibPaths : sitePaths).push(p);
  }
  return { interpreter, sitePaths, stdlibPaths, version: data.version };
}
