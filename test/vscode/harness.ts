// What the extension-host and browser tests share: a throwaway copy of examples/, code-server
// (installed once into .tools/), and Debian's chromium driven by playwright-core.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureCodeServer, isCodeServerInstalled, QUIET_SETTINGS, startCodeServer } from '../../scripts/code-server.mjs';
import { BUILD_TOOLS, ensureCommand, ensurePackages, missingPackages } from '../../scripts/system-packages.mjs';

export const root = join(import.meta.dirname, '..', '..');
export const artifacts = join(root, 'test', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why these tests cannot run on this machine, or undefined when they can: Debian's chromium and
 * the build tools of code-server's first install are installed with apt-get when the tests run as
 * root (as on CI); otherwise the tests are skipped with the command that would install them.
 */
export function whyCannotRun(): string | undefined {
  const options = { stdio: 'pipe' as const };
  const chromium = process.env.CHROMIUM_PATH
    ? existsSync(CHROMIUM) ? undefined : `CHROMIUM_PATH=${CHROMIUM} does not exist`
    : ensureCommand('chromium', 'chromium', options);
  if (chromium) return chromium;
  return isCodeServerInstalled() ? undefined : ensurePackages(missingPackages(BUILD_TOOLS), options);
}

export interface CodeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  output(): string;
}

export interface Session {
  /** The temporary workspace: a copy of examples/. */
  workspace: string;
  /** Where this session keeps user data, extensions and reports. */
  dir: string;
  server: CodeServer;
  browser: Browser;
  close(): Promise<void>;
}

/** A quiet fresh profile, with hovers quick to appear. */
const TEST_SETTINGS = { ...QUIET_SETTINGS, 'editor.hover.delay': 200 };

export async function startSession(name: string, options: {
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  prepareExtensions?: (extensionsDir: string) => void;
} = {}): Promise<Session> {
  ensureCodeServer({ log: (m: string) => console.log(m) });
  const dir = mkdtempSync(join(tmpdir(), `asyncguard-${name}-`));
  const workspace = join(dir, 'examples');
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(TEST_SETTINGS, null, 2));
  mkdirSync(extensionsDir, { recursive: true });
  options.prepareExtensions?.(extensionsDir);
  mkdirSync(artifacts, { recursive: true });

  const server: CodeServer = await startCodeServer({
    folder: workspace,
    userDataDir,
    extensionsDir,
    smokeTestDriver: options.smokeTestDriver ?? false,
    env: options.env ?? {},
    logFile: join(artifacts, `${name}-code-server.log`),
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  } catch (error) {
    await server.stop();
    throw new Error(`could not start ${CHROMIUM} (Debian package chromium): ${String(error)}`);
  }
  return {
    workspace,
    dir,
    server,
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
