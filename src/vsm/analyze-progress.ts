/**
 * Progress of `analyzeLog` (issue 14: "progress on long work"): which phase runs, and inside the longest loops
 * how far it is. A callback, never output: the CLI draws it (src/cli/progress.ts), a library caller may ignore it.
 * Without a callback nothing is measured or called (zero cost).
 */

/**
 * Called when a phase starts (`done` 0, `total` 0 when the phase has no count) and, inside the longest loops (the
 * wait-cause sweep per resource, the bootstrap per step), at most every PROGRESS_INTERVAL_MS with `done` of `total`.
 * Phases come in ANALYZE_PHASES order (those that do not apply to the log are left out); `done` never decreases
 * within a phase. The report is the same with or without the callback.
 */
export type AnalyzePhaseCallback = (phase: AnalyzePhase, done: number, total: number) => void;

/** The phases in the order they run; the first seven only for activity logs (the wait analysis). */
export const ANALYZE_PHASES = [
  'instances',
  'enabled times',
  'start estimation',
  'resource calendars',
  'batches',
  'wait causes',
  'wait transitions',
  'reconstruction',
  'step timings',
  'lead & cycle time',
  'handoffs',
  'rework',
  'variants',
  'dfg',
  'flow',
  'findings',
] as const;
export type AnalyzePhase = (typeof ANALYZE_PHASES)[number];

/** What `done` / `total` count, for the phases that count (`instances` and `reconstruction` only over the event store's ranges). */
export const PHASE_UNITS: Partial<Record<AnalyzePhase, string>> = { 'wait causes': 'resource', 'step timings': 'step', instances: 'range', reconstruction: 'range' };

/** Inner-loop reports come at most this often. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * For a long loop: a `(done, total)` reporter that looks at the clock every `every` calls (a cheap counter first)
 * and calls `onPhase` at most every PROGRESS_INTERVAL_MS; undefined without a callback, so the loop pays nothing.
 * The phase is analyzeLog's, or another command's own (`vsm simulate`'s Monte Carlo runs).
 * @example const tick = loopReporter(options.onPhase, 'step timings'); tick?.(k + 1, steps);
 */
export function loopReporter<P extends string = AnalyzePhase>(onPhase: ((phase: P, done: number, total: number) => void) | undefined, phase: P, every = 1): ((done: number, total: number) => void) | undefined {
  if (!onPhase) return undefined;
  let lastMs = performance.now();
  let calls = 0;
  return (done, total) => {
    if (++calls < every) return;
    calls = 0;
    const nowMs = performance.now();
    if (nowMs - lastMs < PROGRESS_INTERVAL_MS) return;
    lastMs = nowMs;
    onPhase(phase, done, total);
  };
}
