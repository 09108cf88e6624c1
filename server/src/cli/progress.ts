// A one-line progress counter on stderr, for people watching a terminal (never in pipes or JSON).
export interface Progress {
  tick(): void;
  done(): void;
}

const REDRAW_MS = 100;

export function createProgress(write: (text: string) => void, enabled: boolean, total: number, now = () => Date.now()): Progress {
  if (!enabled || total < 2) return { tick() {}, done() {} };
  let count = 0;
  let lastDraw = 0;
  let drawn = false;
  return {
    tick() {
      count++;
      const t = now();
      if (t - lastDraw < REDRAW_MS && count < total) return;
      lastDraw = t;
      drawn = true;
      write(`\r\x1b[2KChecking ${count}/${total} files...`);
    },
    done() {
      if (drawn) write('\r\x1b[2K');
    },
  };
}
