// How often the language server may crash before we stop restarting it. Pure, so it is tested
// without VS Code.

export interface CrashPolicyOptions {
  /** Restarts allowed inside the window; the next crash in it gives up. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicyOptions = { maxRestarts: 4, windowMs: 3 * 60_000 };

export class CrashPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: CrashPolicyOptions = DEFAULT_CRASH_POLICY) {}

  /** Records a crash at `now`; true when the server should be restarted. */
  shouldRestartAfterCrash(now: number): boolean {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.options.maxRestarts;
  }

  /** Crashes counted in the current window. */
  get recentCrashes(): number {
    return this.crashes.length;
  }

  /** A restart the user asked for starts a fresh count. */
  reset(): void {
    this.crashes = [];
  }
}
