// The Debian packages `npm start` and the tests need besides Node and npm, found by the commands
// they provide. Installs them when it may (root, or sudo without a password, as `.ci/run` does);
// otherwise says the one command to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What code-server's native modules need to build: a C++ compiler, make, and Python for node-gyp. */
export const BUILD_TOOLS = [
  { command: 'g++', package: 'g++' },
  { command: 'make', package: 'make' },
  { command: 'python3', package: 'python3' },
];

/** Whether `command` is an executable file on PATH. */
export function onPath(command, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** The packages of `tools` whose command is missing. */
export function missingPackages(tools, has = (command) => onPath(command)) {
  return [...new Set(tools.filter((t) => !has(t.command)).map((t) => t.package))];
}

/**
 * How to get `packages`: nothing to do, install them (the apt-get command lines, with sudo when not
 * root), or stop and tell the user what to run.
 */
export function installPlan(packages, { root, sudo, apt }) {
  if (!packages.length) return { kind: 'ready' };
  const list = packages.join(' ');
  if (!apt) return { kind: 'stop', command: undefined, packages };
  if (root || sudo) {
    const prefix = root ? [] : ['sudo', '-n'];
    return {
      kind: 'install',
      packages,
      commands: [
        [...prefix, 'apt-get', 'update', '-qq'],
        [...prefix, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', ...packages],
      ],
    };
  }
  return { kind: 'stop', command: `sudo apt-get install -y ${list}`, packages };
}

/** What this machine allows. */
export function machine() {
  const root = process.getuid?.() === 0;
  return {
    root,
    sudo: !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    apt: onPath('apt-get'),
  };
}

/**
 * Makes sure `packages` are installed. Returns undefined when they are (installing them if it may),
 * else a sentence saying why not, with the command that would install them.
 */
export function ensurePackages(packages, { log = () => {}, stdio = 'inherit' } = {}) {
  const plan = installPlan(packages, machine());
  if (plan.kind === 'ready') return undefined;
  if (plan.kind === 'stop') {
    return plan.command
      ? `${packages.join(', ')} ${packages.length === 1 ? 'is' : 'are'} not installed and installing needs root; run: ${plan.command}`
      : `${packages.join(', ')} ${packages.length === 1 ? 'is' : 'are'} not installed and there is no apt-get to install ${packages.length === 1 ? 'it' : 'them'}`;
  }
  log(`Installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const [command, ...args] of plan.commands) {
    const run = spawnSync(command, args, { stdio, env, encoding: 'utf8' });
    if (run.status !== 0) {
      const why = run.error?.message ?? `${[command, ...args].join(' ')} exited with ${run.status}`;
      return `installing ${packages.join(', ')} failed (${why})${run.stderr ? `:\n${run.stderr.trim()}` : ''}`;
    }
  }
  return undefined;
}

/** Debian's package for a command the tests run, installed when possible; undefined or why not. */
export function ensureCommand(command, pkg = command, options = {}) {
  if (onPath(command)) return undefined;
  return ensurePackages([pkg], options);
}
