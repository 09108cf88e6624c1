// `npm start`: from a fresh clone to AsyncGuard running in VS Code (code-server) on a scratch copy
// of examples/. Each phase prints one line: what it does, how long it usually takes, how long it
// took. The first run installs the npm dependencies, the build tools code-server needs (when it
// may: as root or with sudo; otherwise it stops at once naming the command to run), Node 24 and
// code-server into .tools/ (reused afterwards).
//
//   npm start                 refreshes the demo folder from examples/ (your edits there are dropped)
//   npm start -- --keep       keeps the demo folder as you left it
//   npm start -- --demo-only  only prepares the demo folder (the launch configurations of .vscode/ open it)
//   PORT=9000 npm start       chooses the port (default 8765, or any free one if that is taken)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hintFor } from './code-server.mjs';
import { ensureInstalled, needsInstall, root } from './ensure-installed.mjs';

export const demoRoot = join(root, '.tools', 'demo');
export const demoFolder = join(demoRoot, 'examples');
/** What examples/ may hold that the demo does not need: caches and the tests' scratch files. */
const NOT_COPIED = new Set(['__pycache__', '.asyncguard_cache', 'node_modules', 'scratch', '.mypy_cache']);

/**
 * Makes the demo folder a fresh copy of examples/ (or, with `keep`, leaves an existing one alone).
 * Returns what it did: 'copied', 'refreshed' or 'kept'.
 */
export function prepareDemo({ keep = false, from = join(root, 'examples'), to = demoFolder } = {}) {
  const existed = existsSync(to);
  if (keep && existed) return 'kept';
  rmSync(to, { recursive: true, force: true });
  mkdirSync(join(to, '..'), { recursive: true });
  cpSync(from, to, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
  return existed ? 'refreshed' : 'copied';
}

const rel = (path) => relative(process.cwd(), path) || '.';
const listing = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** A phase of the start: one line saying what and how long it usually takes, then how long it took. */
async function phase(title, usually, fn) {
  process.stdout.write(`• ${title} (${usually})... `);
  const started = Date.now();
  let note;
  try {
    note = await fn();
  } catch (error) {
    process.stdout.write('failed\n');
    fail(title, error);
  }
  process.stdout.write(`${note ? `${note}, ` : ''}${seconds(Date.now() - started)}\n`);
}

/** Says what failed and what to do, then exits: never a bare stack trace. */
function fail(title, error) {
  const lines = [``, `npm start stopped: ${title.charAt(0).toLowerCase()}${title.slice(1)} failed.`];
  const text = error?.stderr?.toString().trim() || error?.message || String(error);
  // npm's own report, without the stack frames it adds to a network error
  lines.push(text.split('\n').filter((line) => !/^npm error\s+at /.test(line)).join('\n'));
  const hint = error?.hint ?? hintFor(text);
  if (hint) lines.push('', hint);
  if (error?.logFile) lines.push(`The whole output is in ${rel(error.logFile)}.`);
  lines.push('', 'Fix that and run npm start again; what is already installed is reused.');
  console.error(lines.join('\n'));
  process.exit(1);
}

function stop(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

async function choosePort(freePort) {
  if (process.env.PORT) {
    const port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) stop(`PORT=${process.env.PORT} is not a port number (1-65535).`);
    return port;
  }
  const { createServer } = await import('node:net');
  const free = await new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(8765, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? 8765 : freePort();
}

async function main(argv) {
  const unknown = argv.filter((a) => a !== '--keep' && a !== '--demo-only');
  if (unknown.length) stop(`npm start: unknown option ${unknown.join(' ')} (the options are --keep and --demo-only: npm start -- --keep)`);
  const keep = argv.includes('--keep');
  if (argv.includes('--demo-only')) {
    // For the launch configurations of .vscode/: the demo folder alone, without code-server.
    const what = prepareDemo({ keep });
    console.log(`${rel(demoFolder)}: ${what === 'kept' ? 'kept as you left it' : `a fresh copy of examples/`}`);
    return;
  }
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 20) stop(`AsyncGuard needs Node 20 or newer; this is Node ${process.versions.node}.`);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    stop(`npm start installs code-server with Node 24 for Linux x64; this is ${process.platform} ${process.arch}. Use the "Run Extension" launch configuration of a desktop VS Code instead (.vscode/launch.json).`);
  }

  const codeServer = await import('./code-server.mjs');
  const { BUILD_TOOLS, ensurePackages, installPlan, machine, missingPackages } = await import('./system-packages.mjs');
  console.log('Starting AsyncGuard in VS Code (code-server). Every step below is reused on the next run.');

  // Before anything long: the build tools code-server's first install needs.
  if (!codeServer.isCodeServerInstalled()) {
    const missing = missingPackages(BUILD_TOOLS);
    const plan = installPlan(missing, machine());
    if (plan.kind === 'stop') {
      stop(
        plan.command
          ? `code-server's first install builds native modules and needs ${listing(missing)}, which ${missing.length === 1 ? 'is' : 'are'} not installed. Install ${missing.length === 1 ? 'it' : 'them'} (this needs root), then run npm start again:\n\n    ${plan.command}\n`
          : `code-server's first install builds native modules and needs ${listing(missing)} (of a C++ compiler, make and Python 3). Install ${missing.length === 1 ? 'it' : 'them'} with your system's package manager, then run npm start again.`,
      );
    }
    if (plan.kind === 'install') {
      await phase(`Installing ${listing(missing)} with apt-get for code-server's native build`, 'usually under a minute', () => {
        const failure = ensurePackages(missing, { stdio: 'pipe' });
        if (failure) throw new Error(failure);
      });
    }
  }

  if (needsInstall()) {
    await phase('Installing the npm dependencies', 'first run only, usually under a minute', () => ensureInstalled({ quiet: true }));
  }
  await phase('Building the extension and the language server', 'usually 10 s', () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
  });
  let packagePath;
  await phase('Packing the extension (.vsix)', 'usually 10 s', async () => {
    const { packageExtension } = await import('./package.mjs');
    const packed = await packageExtension({ build: false, log: () => {}, quiet: true });
    packagePath = packed.packagePath;
    return `${rel(packagePath)}, ${(packed.bytes / 1024 / 1024).toFixed(1)} MB`;
  });
  if (!codeServer.isNodeInstalled()) {
    await phase('Installing Node 24 for code-server into .tools/node24', 'first run only, usually 20 s', () => codeServer.ensureNode24());
  }
  if (!codeServer.isCodeServerInstalled()) {
    await phase(
      `Installing code-server ${codeServer.CODE_SERVER_VERSION} into .tools/code-server; it compiles native modules (log: ${rel(codeServer.installLog)})`,
      'first run only, usually 4 to 6 minutes',
      () => codeServer.ensureCodeServer({ log: () => {} }),
    );
  }
  const state = join(codeServer.toolsDir, 'state');
  const extensionsDir = join(state, 'extensions');
  await phase('Installing the extension into code-server', 'usually 5 s', () => {
    codeServer.installExtension(packagePath, extensionsDir);
  });
  let demo;
  await phase(`${keep ? 'Keeping' : 'Copying examples/ to'} the demo folder ${rel(demoFolder)}`, 'instant', () => {
    demo = prepareDemo({ keep });
    return demo === 'kept' ? 'kept as you left it' : demo === 'refreshed' ? 'refreshed' : undefined;
  });
  const port = await choosePort(codeServer.freePort);
  let server;
  const logFile = join(state, 'code-server.log');
  await phase(`Starting code-server on port ${port}`, 'usually 3 s', async () => {
    // The demo opens on its README, which tells what the example project is and where its mistakes are.
    codeServer.writeSettingsUnlessPresent(join(state, 'user-data'), { ...codeServer.QUIET_SETTINGS, 'workbench.startupEditor': 'readme' });
    try {
      server = await codeServer.startCodeServer({ folder: demoFolder, port, userDataDir: join(state, 'user-data'), extensionsDir, logFile });
    } catch (error) {
      if (/EADDRINUSE/.test(String(error?.message))) error.hint = `Port ${port} is taken: choose another one, e.g. PORT=9000 npm start.`;
      error.logFile = logFile;
      throw error;
    }
  });

  console.log(`
AsyncGuard is running in VS Code (code-server). Open:

    ${server.url}?folder=${encodeURIComponent(demoFolder)}

The folder is ${rel(demoFolder)}, a scratch copy of examples/: change anything there, the repository
stays as it is. The next npm start replaces it with a fresh copy; npm start -- --keep keeps your edits.

Open orders/service.py: the squiggles are the async mistakes. Hover one to see why it is a bug,
press Ctrl+. for the quick fixes, F1 and type "AsyncGuard" for the commands.
code-server's log: ${rel(logFile)}. Press Ctrl+C to stop.
`);
  const end = () => server.stop().then(() => process.exit(0));
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error) => fail('Starting', error));
}
