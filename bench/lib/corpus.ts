// The code the benchmarks run on: the machine's CPython standard library, its asyncio part, and the
// asyncio libraries Debian packages. Files are listed sorted so every run measures the same thing.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Corpus {
  name: string;
  /** What the corpus is, for the results. */
  description: string;
  files: string[];
  lines: number;
  bytes: number;
  /** Folders the corpus was collected from (pyright is pointed at these). */
  roots: string[];
}

/** The Debian packages whose import packages form the asyncio-libraries corpus. */
export const DEBIAN_ASYNCIO_PACKAGES: Record<string, string[]> = {
  'python3-aiohttp': ['aiohttp'],
  'python3-httpx': ['httpx'],
  'python3-anyio': ['anyio'],
  'python3-websockets': ['websockets'],
  'python3-starlette': ['starlette'],
  'python3-uvicorn': ['uvicorn'],
  'python3-aiofiles': ['aiofiles'],
  'python3-aiosqlite': ['aiosqlite'],
  'python3-httpcore': ['httpcore'],
  'python3-aiodns': ['aiodns'],
  'python3-asyncpg': ['asyncpg'],
};
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

export function stdlibDir(python = 'python3'): string {
  return execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
}

export function pythonVersion(python = 'python3'): string {
  return execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim();
}

/** Every `.py` below `dir`, sorted, skipping folders whose name `skip` accepts. */
export function pythonFiles(dir: string, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skip(entry.name)) visit(p);
      } else if (entry.isFile() && entry.name.endsWith('.py')) out.push(p);
    }
  };
  visit(dir);
  return out;
}

function measure(name: string, description: string, files: string[], roots: string[]): Corpus {
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    bytes += buf.length;
    for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lines++;
  }
  return { name, description, files, lines, bytes, roots };
}

export function stdlibCorpus(python = 'python3'): Corpus {
  const dir = stdlibDir(python);
  const files = pythonFiles(dir, (name) => name === 'site-packages' || name === '__pycache__');
  return measure('stdlib', `every .py of ${python}'s standard library except site-packages/`, files, [dir]);
}

export function asyncioCorpus(python = 'python3'): Corpus {
  const dir = stdlibDir(python);
  const roots = [join(dir, 'asyncio'), join(dir, 'test', 'test_asyncio')];
  const files = roots.flatMap((r) => pythonFiles(r));
  return measure('asyncio', "the standard library's asyncio/ and test/test_asyncio/", files, roots);
}

/** The Debian asyncio libraries that are installed (see `installDebianAsyncioLibraries`). */
export function debianAsyncioCorpus(): Corpus {
  const roots = Object.values(DEBIAN_ASYNCIO_PACKAGES)
    .flat()
    .map((m) => join(DIST_PACKAGES, m))
    .filter((p) => existsSync(p) && statSync(p).isDirectory());
  const files = roots.flatMap((r) => pythonFiles(r, (name) => name === '__pycache__'));
  return measure('debian-asyncio-libs', `Debian's asyncio libraries (${roots.map((r) => r.split('/').pop()).join(', ')})`, files, roots);
}

/** Installs the Debian asyncio libraries that are missing; returns the names that could not be installed. */
export function installDebianAsyncioLibraries(log: (s: string) => void): string[] {
  const wanted = Object.keys(DEBIAN_ASYNCIO_PACKAGES);
  const missing = wanted.filter((p) => !isInstalled(p));
  if (!missing.length) return [];
  if (process.getuid?.() !== 0) {
    log(`not root: cannot install ${missing.join(' ')}; the libraries corpus uses what is installed`);
    return missing;
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  } catch {
    // a stale index may still have the packages
  }
  const installable = missing.filter((p) => {
    try {
      const policy = execFileSync('apt-cache', ['policy', p], { encoding: 'utf8' });
      return policy.includes('Candidate:') && !policy.includes('Candidate: (none)');
    } catch {
      return false;
    }
  });
  if (installable.length) {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...installable], { stdio: 'ignore', env });
  }
  return missing.filter((p) => !isInstalled(p));
}

function isInstalled(pkg: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
  } catch {
    return false;
  }
}

/**
 * A deterministic share of a corpus: every file whose position falls in the share when files are
 * spread evenly, so 10% samples the whole tree rather than its first folders.
 */
export function share(corpus: Corpus, fraction: number): Corpus {
  if (fraction >= 1) return corpus;
  const files = corpus.files.filter((_, i) => Math.floor((i + 1) * fraction) > Math.floor(i * fraction));
  return measure(`${corpus.name} ${Math.round(fraction * 100)}%`, `${Math.round(fraction * 100)}% of the files of ${corpus.name}, spread evenly`, files, corpus.roots);
}
