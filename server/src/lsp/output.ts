// The server's output (window/logMessage: the editor's AsyncGuard output). At info level it says what
// someone asking "why no squiggle?" needs first (folders, project roots, the interpreter, the
// configuration files read, the files not analysed and why), each thing once; failures at error
// level; with `asyncguard.trace.server` on, every request and analysis with its time.
import type { Connection } from 'vscode-languageserver/node';
import type { TraceLevel } from './settings';

export class Output {
  trace: TraceLevel = 'off';
  private readonly said = new Set<string>();

  constructor(private readonly connection: Connection) {}

  info(message: string): void {
    this.connection.console.info(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  /** Said only with tracing on. */
  traced(message: string): void {
    if (this.trace !== 'off') this.connection.console.log(message);
  }

  get tracing(): boolean {
    return this.trace !== 'off';
  }

  /** Says `message` the first time only (at info level, or warning). */
  once(message: string, level: 'info' | 'warn' = 'info'): void {
    if (this.said.has(message)) return;
    this.said.add(message);
    if (level === 'warn') this.warn(message);
    else this.info(message);
  }

  /** Configuration files changed: what was said about them (and about the files they excluded) may be said again. */
  forgetOnce(): void {
    this.said.clear();
  }

  error(what: string, e: unknown): void {
    try {
      this.connection.console.error(`AsyncGuard: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } catch {
      // The connection itself is gone; nothing left to tell.
    }
  }
}
