// The fixture projects and how each is opened: its workspace folders, extra import paths and, for
// the one with a venv-like library folder, the environment an interpreter would have reported.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PythonEnvironment } from '../../src/engine/project/interpreter';
import { PythonProject } from '../../src/engine/project/pythonProject';

export const projectFixtureRoot = join(__dirname, 'fixtures');

export interface FixtureProject {
  name: string;
  root: string;
  extraPaths?: string[];
  environment?: PythonEnvironment | null;
}

export const sitePackages = join(projectFixtureRoot, 'venvlib', 'env', 'lib', 'python3.11', 'site-packages');

export const fixtureProjects: FixtureProject[] = [
  { name: 'packages', root: join(projectFixtureRoot, 'packages'), environment: null },
  { name: 'srclayout', root: join(projectFixtureRoot, 'srclayout'), environment: null },
  { name: 'namespace', root: join(projectFixtureRoot, 'namespace'), extraPaths: ['plugins'], environment: null },
  { name: 'recall', root: join(projectFixtureRoot, 'recall'), environment: null },
  {
    name: 'venvlib',
    root: join(projectFixtureRoot, 'venvlib', 'app'),
    environment: { interpreter: 'fixture', sitePaths: [sitePackages], stdlibPaths: [], version: [3, 11] },
  },
];

export function openFixture(f: FixtureProject, extra: { cacheDir?: string } = {}): PythonProject {
  return new PythonProject({ roots: [f.root], trusted: false, extraPaths: f.extraPaths, environment: f.environment, ...extra });
}

/** The project's own Python files (not its library folder), relative to its root, sorted. */
export function pythonFilesOf(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFilesOf(root, p));
    else if (name.endsWith('.py')) out.push(relative(root, p).split('\\').join('/'));
  }
  return out.sort();
}
