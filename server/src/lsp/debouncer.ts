// One pending analysis per document: a newer edit replaces the pending one, so a burst of edits
// costs one analysis of the last version.
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  schedule(key: string, delayMs: number, task: () => Promise<void> | void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      if (this.timers.get(key) === timer) this.timers.delete(key);
      try {
        Promise.resolve(task()).catch((e) => this.onError(key, e));
      } catch (e) {
        this.onError(key, e);
      }
    }, delayMs);
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  isPending(key: string): boolean {
    return this.timers.has(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
