// A one-line progress counter on stderr, for people watching a terminal (never in pipes or JSON).
export interface Progress {
  tick(): void;
  /** Erases the counter before other output (findings written as they come); the next tick draws it again. */
  clear(): void;
  done(): void;
}

const REDRAW_MS = 100;

/** `total` is asked at each tick: it grows while the files are still being found. */
export function createProgress(write: (text: string) => void, enabled: boolean, total: () => number, now = () => Date.now()): Progress {
  if (!enabled) return { tick() {}, clear() {}, done() {} };
  let count = 0;
  let lastDraw = 0;
  let drawn = false;
  return {
    tick() {
      count++;
      const t = now();
      const all = total();
      if (all < 2 || (t - lastDraw < REDRAW_MS && count < all)) return;
      lastDraw = t;
      drawn = true;
      write(`\r\x1b[2KChecking ${count}/${all} files...`);
    },
    clear() {
      if (drawn) write('\r\x1b[2K');
      drawn = false;
      lastDraw = 0;
    },
    done() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}
