import cliProgress from 'cli-progress';
import { type AnalyzePhase, PHASE_UNITS } from '../vsm/analyze-progress.js';

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

/** Elapsed time on the progress line: `45 s`, `1 m 40 s`, `1 h 2 m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} m`;
}

/** One progress line: `analysing · wait causes · resource 12/26 · 1 m 40 s`. */
export function phaseLine(label: string, phase: string, done: number, total: number, elapsedMs: number): string {
  const unit = PHASE_UNITS[phase as AnalyzePhase];
  const count = total > 0 && done > 0 ? ` · ${unit ?? ''}${unit ? ' ' : ''}${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` : '';
  return `${label} · ${phase}${count} · ${formatElapsed(elapsedMs)}`;
}

/**
 * The phases of a synchronous piece of work (analyzeLog, writing the report) on one updating stderr line, shown
 * under the same conditions as the bar (TTY, not CI, not --no-progress). Written with a direct (synchronous on a
 * TTY) write: no timer could run while the analysis holds the thread. `stop` clears the line.
 */
export function makePhaseProgress(label: string, enabled: boolean): { onPhase?: (phase: string, done: number, total: number) => void; stop: () => void } {
  if (!enabled || process.stderr.isTTY !== true || process.env.CI) return { stop: () => undefined };
  const startedMs = Date.now();
  let shown = false;
  return {
    onPhase(phase, done, total) {
      const columns = process.stderr.columns > 0 ? process.stderr.columns - 1 : 79;
      process.stderr.write(`\r${phaseLine(label, phase, done, total, Date.now() - startedMs).slice(0, columns)}\x1b[K`);
      shown = true;
    },
    stop() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
