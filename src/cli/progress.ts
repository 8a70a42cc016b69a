import cliProgress from 'cli-progress';

/**
 * A byte-based progress bar on stderr, shown only on a TTY and when not disabled (--no-progress, CI, NO_COLOR
 * does not matter). Returns the `onProgress` callback for readers and a `stop` to call when done.
 */
export function makeProgress(label: string, enabled: boolean): { onProgress?: (done: number, total: number) => void; stop: () => void } {
  if (!enabled || process.stderr.isTTY !== true || process.env.CI) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% · {value}/{total} MB`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      const doneMb = Math.round(done / 1e5) / 10;
      const totalMb = Math.max(doneMb, Math.round(total / 1e5) / 10);
      if (!started) {
        bar.start(totalMb, doneMb);
        started = true;
      } else bar.update(doneMb);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
