// `npm start`: from a fresh clone to AsyncGuard running in VS Code (code-server) on examples/.
// Installs the npm dependencies if needed, builds, packs the extension, installs code-server into
// .tools/ (reused when present), installs the extension there and prints the URL to open.
// PORT=NNNN chooses the port (default 8765, or any free one if that is taken).
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled, root } from './ensure-installed.mjs';

ensureInstalled();
const { ensureCodeServer, freePort, installExtension, startCodeServer, toolsDir } = await import('./code-server.mjs');
const { packageExtension } = await import('./package.mjs');

execSync('node scripts/build.mjs', { cwd: root, stdio: 'inherit' });
const { packagePath } = await packageExtension({ build: false });
ensureCodeServer();

const state = join(toolsDir, 'state');
const extensionsDir = join(state, 'extensions');
installExtension(packagePath, extensionsDir);

async function choosePort() {
  if (process.env.PORT) return Number(process.env.PORT);
  const { createServer } = await import('node:net');
  const free = await new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(8765, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? 8765 : freePort();
}

const folder = join(root, 'examples');
const server = await startCodeServer({
  folder,
  port: await choosePort(),
  userDataDir: join(state, 'user-data'),
  extensionsDir,
  logFile: join(state, 'code-server.log'),
});
console.log(`
AsyncGuard is running in VS Code (code-server) on examples/:

    ${server.url}?folder=${encodeURIComponent(folder)}

Open a Python file to see the squiggles, Ctrl+. for the quick fixes, F1 > "AsyncGuard" for the
commands. Log: ${join(state, 'code-server.log')}. Press Ctrl+C to stop.
`);
const stop = () => server.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
