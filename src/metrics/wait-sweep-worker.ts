/**
 * Worker thread entry for wait-sweep-threads: takes runs of the wait-cause sweep from the shared counter, sums their
 * answers into the shared PartialWaitSums columns, and says it has finished (or failed) through the shared state.
 */
import { parentPort } from 'node:worker_threads';
import { workingDurations } from '../calendar/working-durations.js';
import { isVsmError, VsmError } from '../errors.js';
import { exposedGc } from '../model/runtime.js';
import { RunSweeper } from './wait-causes.js';
import { COMPLETE, FAILED, FINISHED, HEARTBEAT, NEXT, NOT_STARTED, PartialWaitSink, STARTED, STATE, type SweepFailure, type SweepJob, WHOLE, WORKER_RUNS } from './wait-sweep-threads.js';

/**
 * A collection of this thread's young generation, or nothing when the runtime offers none. The sweep's sorts allocate
 * typed arrays per run; left to V8, their dead backing stores pile up until its next collection, all in this thread's
 * malloc arena, which stays resident after the thread ends (+30–40 MB at 5 M events; issue 14, peak memory).
 */
function collector(): () => void {
  const gc = exposedGc();
  // A young-generation collection: the sorts' arrays die young, and it takes ≈ 0.1 ms where a full one takes 5–20.
  // No collector: the runs go on without one.
  return gc === null ? () => undefined : () => gc({ type: 'minor' });
}

function sweepJob(job: SweepJob): void {
  const { control, runs, columns } = job;
  if (job.fault) throw job.fault.vsm ? new VsmError(job.fault.vsm) : new Error(job.fault.message ?? 'fault');
  // The main thread's checked specs: their working durations without the schema check (no zod in this thread).
  const calendars = new Map(job.calendars.map(([code, spec]) => [code, workingDurations(spec)]));
  const sink = new PartialWaitSink(job.layout, job.sums);
  const plan = { isQuery: job.isQuery, done: job.done };
  let sweeper: RunSweeper | undefined;
  const collect = collector();
  for (;;) {
    const at = Atomics.add(control, NEXT, 1);
    if (at >= runs.length) break;
    const r = runs[at];
    // The main thread took the longest run: this thread's are at most job.scratchRun long (its columns come from job.scratch).
    sweeper ??= new RunSweeper(columns, plan, job.scratchRun, job.scratch);
    Atomics.add(control, WORKER_RUNS, 1);
    const complete = sweeper.sweep(r, calendars.get(r), sink);
    collect();
    Atomics.add(control, HEARTBEAT, 1);
    if (!complete) {
      Atomics.store(control, COMPLETE, 0);
      Atomics.store(control, NEXT, runs.length);
      break;
    }
  }
  if (!sink.wholeMs) Atomics.store(control, WHOLE, 0);
}

function failureOf(error: unknown): SweepFailure {
  if (isVsmError(error)) return { vsm: { code: error.code, what: error.what, where: error.where, got: error.got, fix: error.fix }, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (job: SweepJob) => {
    const { control } = job;
    // The main thread gave up on this worker (it swept every run itself): nothing to do.
    if (Atomics.compareExchange(control, STATE, NOT_STARTED, STARTED) !== NOT_STARTED) {
      job.port.close();
      return;
    }
    Atomics.notify(control, STATE);
    let state = FINISHED;
    try {
      sweepJob(job);
    } catch (error) {
      state = FAILED;
      job.port.postMessage(failureOf(error));
    }
    job.port.close();
    Atomics.store(control, STATE, state);
    Atomics.notify(control, STATE);
  });
}
