// One pending analysis per document: a newer edit replaces the pending one, so a burst of edits
// costs one analysis of the last version.
type Pending = { timer: NodeJS.Timeout } | { immediate: NodeJS.Immediate };

export class Debouncer {
  private readonly timers = new Map<string, Pending>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  schedule(key: string, delayMs: number, task: () => Promise<void> | void): void {
    this.cancel(key);
    const run = () => {
      if (this.timers.get(key) === pending) this.timers.delete(key);
      try {
        Promise.resolve(task()).catch((e) => this.onError(key, e));
      } catch (e) {
        this.onError(key, e);
      }
    };
    // No delay: after the messages already read (a burst still collapses), without a timer's ~1 ms.
    const pending: Pending = delayMs > 0 ? { timer: setTimeout(run, delayMs) } : { immediate: setImmediate(run) };
    this.timers.set(key, pending);
  }

  cancel(key: string): void {
    const pending = this.timers.get(key);
    if (pending) clear(pending);
    this.timers.delete(key);
  }

  isPending(key: string): boolean {
    return this.timers.has(key);
  }

  cancelAll(): void {
    for (const pending of this.timers.values()) clear(pending);
    this.timers.clear();
  }
}

function clear(pending: Pending): void {
  if ('timer' in pending) clearTimeout(pending.timer);
  else clearImmediate(pending.immediate);
}
