// The large trees of the memory and fixed-cost measurements: a Python environment's site-packages
// (the installed one with the most files, or a generated tree of the same size when none is big
// enough) and a generated 20,000-file monorepo of packages importing each other. Generated trees
// are written into the benchmark's scratch folder, never into the repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How many files an environment's site-packages is measured at (issue 16: 11,563 files). */
export const SITE_PACKAGES_FILES = 11_500;

/** The .py/.pyi files below a folder (symlinks not followed): how many, and their lines. */
export function treeSize(dir: string): { files: number; lines: number } {
  let n = 0;
  let lines = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.isFile() && /\.pyi?$/.test(e.name)) {
        n++;
        try {
          const text = readFileSync(join(d, e.name), 'latin1');
          for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
        } catch {
          // unreadable: counted as a file only
        }
      }
    }
  };
  walk(dir);
  return { files: n, lines };
}

/** The installed site-packages (of `python3`) with the most Python files, when it has at least `min`. */
export function installedSitePackages(min = SITE_PACKAGES_FILES, python = 'python3'): { dir: string; files: number; lines: number } | undefined {
  let dirs: string[] = [];
  try {
    dirs = JSON.parse(execFileSync(python, ['-c', 'import json, site; print(json.dumps(site.getsitepackages()))'], { encoding: 'utf8' })) as string[];
  } catch {
    return undefined;
  }
  const best = dirs.map((dir) => ({ dir, ...treeSize(dir) })).sort((a, b) => b.files - a.files)[0];
  return best && best.files >= min ? best : undefined;
}

/**
 * A generated monorepo: `packages` packages of `modules` modules each, every module ~40 lines with
 * async functions, imports of a neighbouring package, and one unawaited call (a finding) in one
 * module of ten.
 */
export function generateMonorepo(root: string, packages: number, modules: number): { files: number; lines: number } {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'pyproject.toml'), '[project]\nname = "monorepo"\n\n[tool.asyncguard]\n');
  let files = 0;
  let lines = 0;
  for (let p = 0; p < packages; p++) {
    const pkg = join(root, `pkg${p}`);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), `"""Package ${p}."""\n`);
    files++;
    lines++;
    for (let m = 0; m < modules - 1; m++) {
      const other = `pkg${(p + 1) % packages}.mod${(m + 7) % (modules - 1)}`;
      const text = [
        `"""Module ${m} of package ${p}."""`,
        'import asyncio',
        `from ${other} import fetch as fetch_other`,
        '',
        '',
        'async def fetch(key: str) -> int:',
        '    await asyncio.sleep(0)',
        `    return len(key) + ${m}`,
        '',
        '',
        'class Store:',
        '    async def save(self, key: str) -> None:',
        '        await asyncio.sleep(0)',
        '',
        '',
        'class Handler(Store):',
        '    def __init__(self) -> None:',
        '        self.tasks: set[asyncio.Task[int]] = set()',
        '',
        '    async def handle(self, key: str) -> int:',
        '        value = await fetch(key)',
        '        other = await fetch_other(key)',
        '        task = asyncio.create_task(fetch(key))',
        '        self.tasks.add(task)',
        '        task.add_done_callback(self.tasks.discard)',
        '        return value + other',
        '',
        '    async def many(self, keys: list[str]) -> list[int]:',
        '        return list(await asyncio.gather(*(fetch(k) for k in keys)))',
        '',
        '',
        'async def main() -> None:',
        '    handler = Handler()',
        '    await handler.handle("x")',
        m % 10 === 0 ? '    fetch_other("y")' : '    await fetch_other("y")',
        '    for key in ("a", "b", "c"):',
        '        await handler.save(key)',
        '',
      ].join('\n');
      writeFileSync(join(pkg, `mod${m}.py`), text);
      files++;
      lines += text.split('\n').length - 1;
    }
  }
  return { files, lines };
}

/** A generated stand-in for a site-packages tree: `files` library-like modules in packages of 50. */
export function generateSitePackages(root: string, files: number): { files: number; lines: number } {
  const packages = Math.ceil(files / 50);
  return generateMonorepo(root, packages, 50);
}
