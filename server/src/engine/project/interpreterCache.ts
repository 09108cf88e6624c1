// What an interpreter said of its sys.path, kept on disk between runs: asking it costs a process start
// (seconds through a pyenv shim). An entry is trusted only while everything that decides sys.path
// looks as it did when the interpreter was asked: the executable (the path run and the file it
// resolves to: size and mtime), the `pyvenv.cfg` beside it or one folder up (a virtualenv), pyenv's
// global `version` file (for its shims), the environment variables Python reads for its paths, and the library folders it named (installing a
// package or a `.pth` file changes their mtime). Anything else changed is a new entry.
import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { readCacheEntries, writeCacheEntries } from './cacheFile';
import type { ProbeCache, PythonEnvironment } from './interpreter';

const FILE_NAME = 'interpreters.json';
const STAMP = { version: 'asyncguard-interpreters-1' };
/** The variables that change what sys.path holds (or, for pyenv's shims, which Python runs). */
const PATH_VARIABLES = ['PYTHONPATH', 'PYTHONHOME', 'PYTHONNOUSERSITE', 'PYTHONUSERBASE', 'PYTHONSAFEPATH', 'PYTHONPLATLIBDIR', 'PYENV_VERSION', 'VIRTUAL_ENV'];

interface CachedProbe {
  /** Everything but the library folders' mtimes, as one string. */
  key: string;
  /** Each library folder's mtime when the interpreter was asked (null: it did not exist). */
  folders: Record<string, number | null>;
  environment: Omit<PythonEnvironment, 'interpreter'>;
}

/**
 * The per-user cache folder: ASYNCGUARD_CACHE_DIR, else XDG_CACHE_HOME/asyncguard, else the
 * system's usual place (~/.cache, ~/Library/Caches, %LOCALAPPDATA%).
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASYNCGUARD_CACHE_DIR) return resolve(env.ASYNCGUARD_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'asyncguard');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'asyncguard', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'asyncguard');
  return join(homedir(), '.cache', 'asyncguard');
}

/** The file a command name runs: itself when it holds a folder separator, else the first on PATH. */
export function locateExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/[\\/]/.test(command)) return isFile(resolve(command)) ? resolve(command) : undefined;
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, command + ext);
      if (isFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Where the interpreter's entry is kept (the executable a name runs) and what decides its answer;
 * undefined when its executable cannot be found (then it is asked, and fails).
 */
function keyOf(interpreter: string, env: NodeJS.ProcessEnv): { located: string; key: string } | undefined {
  const located = locateExecutable(interpreter, env);
  if (!located) return undefined;
  try {
    const real = realpathSync(located);
    const exe = statSync(real);
    // a virtualenv's pyvenv.cfg beside the executable or one folder up; pyenv's global `version`
    // file one folder above its shims (which Python a shim runs)
    const cfgs = [join(dirname(located), 'pyvenv.cfg'), join(dirname(dirname(located)), 'pyvenv.cfg'), join(dirname(dirname(located)), 'version')].map(
      (p) => `${p}=${mtimeOf(p)}`,
    );
    const variables = PATH_VARIABLES.map((v) => `${v}=${env[v] ?? ''}`);
    return { located, key: JSON.stringify([real, exe.size, exe.mtimeMs, ...cfgs, ...variables]) };
  } catch {
    return undefined;
  }
}

/** Reads and writes the probes of one cache folder. */
export class InterpreterCache implements ProbeCache {
  constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The interpreter's environment as last asked, when nothing that decides it has changed since. */
  get(interpreter: string): PythonEnvironment | undefined {
    const id = keyOf(interpreter, this.env);
    if (!id) return undefined;
    const entries = readCacheEntries<CachedProbe>(this.dir, FILE_NAME, STAMP);
    const entry = Object.hasOwn(entries, id.located) ? entries[id.located] : undefined;
    if (!entry || entry.key !== id.key || !isEnvironment(entry.environment) || !entry.folders || typeof entry.folders !== 'object') return undefined;
    for (const [folder, mtime] of Object.entries(entry.folders)) if (mtimeOf(folder) !== mtime) return undefined;
    return { ...entry.environment, interpreter };
  }

  /** Keeps what the interpreter said, stamped as it is now. */
  set(interpreter: string, environment: PythonEnvironment): void {
    const id = keyOf(interpreter, this.env);
    if (!id) return;
    const folders: Record<string, number | null> = {};
    for (const folder of [...environment.sitePaths, ...environment.stdlibPaths]) folders[folder] = mtimeOf(folder);
    const { interpreter: _, ...rest } = environment;
    writeCacheEntries<CachedProbe>(this.dir, FILE_NAME, STAMP, { [id.located]: { key: id.key, folders, environment: rest } });
  }
}

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isEnvironment(e: unknown): e is Omit<PythonEnvironment, 'interpreter'> {
  const x = e as PythonEnvironment | undefined;
  return !!x && Array.isArray(x.sitePaths) && Array.isArray(x.stdlibPaths) && Array.isArray(x.version) && x.version.length === 2;
}
