/** A progress bar on stderr for long commands; silent when stderr is not a terminal. */
export interface ProgressBar {
  /** @param done units done (may be fractional) @param label what is being worked on */
  update(done: number, label: string): void;
  done(): void;
}

export function createProgressBar(out: NodeJS.WriteStream, total: number, nowMs: () => number = Date.now): ProgressBar {
  const live = out.isTTY === true;
  let last = -Infinity;
  return {
    update(done, label) {
      if (!live || nowMs() - last < 100) return;
      last = nowMs();
      const width = 30;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(fraction * width);
      out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(done)}/${total}  ${label}\x1b[K`);
    },
    done() {
      if (live) out.write('\r\x1b[K');
    },
  };
}
