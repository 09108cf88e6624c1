// Types of scripts/code-server.mjs for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export const toolsDir: string;
export const node24: string;
export const codeServerEntry: string;
export function isCodeServerInstalled(): boolean;
export function ensureCodeServer(options?: { log?: (message: string) => void }): void;
export function freePort(): Promise<number>;
export function installExtension(vsix: string, extensionsDir: string): string;
export function startCodeServer(options: {
  folder: string;
  port?: number;
  userDataDir: string;
  extensionsDir: string;
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  logFile?: string;
  timeoutMs?: number;
}): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void>; output(): string }>;
