// Types of scripts/code-server.mjs for the TypeScript tests that import it.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export const toolsRoot: string;
export const toolsDir: string;
export const installLog: string;
export const node24: string;
export const codeServerEntry: string;
export class SetupError extends Error {
  hint?: string;
  logFile?: string;
}
export function isNodeInstalled(): boolean;
export function isCodeServerInstalled(): boolean;
export function hintFor(logText: string): string | undefined;
export function ensureNode24(): void;
export function ensureCodeServer(options?: { log?: (message: string) => void }): void;
export function skipNativeBuilds(packageJson: string, names: string[]): void;
export const QUIET_SETTINGS: Record<string, unknown>;
export function writeSettingsUnlessPresent(userDataDir: string, settings?: Record<string, unknown>): void;
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
