// Temporary workspaces for the reliability tests, snapshots of everything in them (to prove what a
// run wrote and what it left alone), and the built executables.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after } from 'node:test';

export const repoRoot = join(__dirname, '..', '..');
export const builtCli = join(repoRoot, 'server', 'bin', 'asyncguard.js');

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder (its real path), removed after the tests. */
export function tempDir(prefix = 'asyncguard-reliability-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Writes `files` (relative path -> text or bytes) under `root`. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

export interface Entry {
  kind: 'file' | 'dir' | 'symlink' | 'other';
  mode: number;
  ino: number;
  mtimeMs: number;
  sha1?: string;
  target?: string;
}

/** Every entry under `root` (symlinks not followed), by relative path. */
export function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const rel = relative(root, path);
      const base = { mode: st.mode & 0o7777, ino: st.ino, mtimeMs: st.mtimeMs };
      if (st.isSymbolicLink()) out.set(rel, { kind: 'symlink', ...base, target: readlinkSync(path) });
      else if (st.isDirectory()) {
        out.set(rel, { kind: 'dir', ...base });
        visit(path);
      } else if (st.isFile()) out.set(rel, { kind: 'file', ...base, sha1: createHash('sha1').update(readFileSync(path)).digest('hex') });
      else out.set(rel, { kind: 'other', ...base });
    }
  };
  visit(root);
  return out;
}

/** Paths added, removed, or whose content, mode, kind or inode changed (a folder's own changes are left out). */
export function changes(before: Map<string, Entry>, after: Map<string, Entry>): { added: string[]; removed: string[]; changed: string[] } {
  const added = [...after.keys()].filter((p) => !before.has(p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const changed = [...before.keys()].filter((p) => {
    const a = before.get(p)!;
    const b = after.get(p);
    if (!b || a.kind === 'dir') return false;
    return a.kind !== b.kind || a.sha1 !== b.sha1 || a.mode !== b.mode || a.target !== b.target || a.ino !== b.ino || a.mtimeMs !== b.mtimeMs;
  });
  return { added, removed, changed };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Builds the bundles when missing (`npm test` builds them before every run). */
export function ensureBuilt(): void {
  if (!existsSync(join(repoRoot, 'server', 'out', 'cli.js')) || !existsSync(join(repoRoot, 'server', 'out', 'server.js'))) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
}

/** Runs the built `asyncguard` from `cwd`. */
export function runCli(args: string[], cwd: string, options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Run {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), builtCli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 1 << 26,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
