/**
 * The wait-cause sweep on two threads (issue 14: wall time on two cores). The sweep is per resource and its runs are
 * independent (RunSweeper), so the main thread and one worker thread (wait-sweep-worker.ts) take runs from one shared
 * counter, longest first, and sweep them over the same columns, which live in SharedArrayBuffers (nothing is copied:
 * buildResourceOrder, planSweep and WaitSummer allocate them shared when a worker is asked for). The main thread puts
 * its answers into the wait summer; the worker sums its own into PartialWaitSums, added to the summer afterwards. Every
 * answer is a whole ms, so the sums do not depend on which thread took which run nor on the order they are added in
 * (the summer's exactInAnyOrder: when it does not hold, the caller recomputes on one thread, as without a worker).
 *
 * Everything stays synchronous (the library's analyzeLog is): the main thread sweeps, then blocks in Atomics.wait until
 * the worker has finished its last run. A worker that has not started by the time the main thread ran out of runs is
 * given up (a compare-and-swap on its state), so a worker that cannot start, or starts late, costs no waiting: the main
 * thread then swept every run. An error thrown in the worker is thrown again on the main thread (a VsmError with its
 * parts, else an internal Error).
 *
 * Off by default (docs/benchmarks.md, h24-wait-thread: at 5 M events the bench's analyze row fell from 4.12 to 3.84 s
 * with a core to spare, for +0.3 CPU s, but the peak's tail rose — 2 of 6 runs over 567 MiB, none without the worker —
 * and on a busy machine the worker only costs CPU; at 1 M events it lost on every count). VSM_WAIT_WORKER=1 turns it on from
 * DEFAULT_WAIT_WORKER_MIN_INSTANCES activity instances (VSM_WAIT_WORKER_MIN_INSTANCES moves the threshold);
 * WaitThreadOptions.worker forces it on or off at any size (docs/limits.md).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CalendarSpec } from '../calendar/calendar-spec.js';
import type { BusinessCalendar } from '../calendar/business-calendar.js';
import { VsmError, type VsmErrorParts } from '../errors.js';
import { envNumber, workerScriptBeside } from '../model/runtime.js';
import { RunSweeper, type SweepPlan, sweepScratchBytes, type SweptColumns, type WaitCauseSink } from './wait-causes.js';

/**
 * When asked for (VSM_WAIT_WORKER=1), from this many activity instances the sweep takes a worker: at 500,000 (the 1 M-
 * event log) the worker cost ≈ 0.5 CPU s and 20–30 MB of peak memory and saved no time (docs/benchmarks.md, h24-wait-thread).
 */
export const DEFAULT_WAIT_WORKER_MIN_INSTANCES = 1_000_000;

/** Longest wait, ms, for the worker to finish once the main thread has swept its runs, beyond which it is given up. */
const MIN_WORKER_WAIT_MS = 120_000;

export interface WaitThreadOptions {
  /** true: a worker at any size; false: never; absent: from `minInstances` when VSM_WAIT_WORKER=1, else never. */
  worker?: boolean;
  /** With VSM_WAIT_WORKER=1, the instances from which a worker is used (default VSM_WAIT_WORKER_MIN_INSTANCES, else DEFAULT_WAIT_WORKER_MIN_INSTANCES). */
  minInstances?: number;
  /** The worker entry (default: wait-sweep-worker.js beside this module, else the build's): tests pass another. */
  script?: URL;
  /** Told how the sweep ran (tests, bench). */
  onOutcome?: (outcome: WaitThreadOutcome) => void;
  /** Tests only: the worker throws this (a VsmError with these parts, or an Error with this message) when it starts. */
  fault?: { vsm?: VsmErrorParts; message?: string };
  /** Tests only: the main thread waits (up to 30 s) for the worker to start and leaves it every run. */
  workerTakesAll?: boolean;
}

export interface WaitThreadOutcome {
  /** Runs (resources) swept on the main thread and on the worker. */
  mainRuns: number;
  workerRuns: number;
  /** Why the worker swept nothing (absent when it took part). */
  fallback?: string;
}

/** What a thread needs to sum waits as WaitSummer.put does: the instance → group column and each group's step. */
export interface WaitSumLayout {
  readonly groupOf: Int32Array;
  readonly stepSlotOfGroup: Int32Array;
  readonly steps: number;
  readonly groups: number;
}

/** Sums per step slot, per group and in total (6 each: wait, batching, prioritization, contention, unavailability, extraneous). */
export interface PartialWaitSums {
  readonly stepSums: Float64Array;
  readonly groupSums: Float64Array;
  readonly totals: Float64Array;
  readonly wholeMs: boolean;
}

/**
 * Sums waits per step slot, per group and in total: WaitSummer's own sums (vsm/wait-transitions.ts) and a worker
 * thread's, added to the summer's by `add` (addPartial).
 */
export class PartialWaitSink implements WaitCauseSink, PartialWaitSums {
  readonly stepSums: Float64Array;
  readonly groupSums: Float64Array;
  readonly totals: Float64Array;
  wholeMs = true;

  constructor(
    private readonly layout: WaitSumLayout,
    columns?: { stepSums: Float64Array; groupSums: Float64Array; totals: Float64Array },
    /**
     * Sum per group only (stepSums and totals stay 0): for sums that are exact in any order, where each step's sums
     * and the totals are the sums of its groups' (WaitSummer derives them when it finishes).
     */
    readonly groupsOnly = false,
  ) {
    this.stepSums = columns?.stepSums ?? new Float64Array(6 * layout.steps);
    this.groupSums = columns?.groupSums ?? new Float64Array(6 * layout.groups);
    this.totals = columns?.totals ?? new Float64Array(6);
  }

  put(k: number, wait: number, b: number, c: number, p: number, u: number, x: number): void {
    this.putGroup(this.layout.groupOf[k], wait, b, c, p, u, x);
  }

  /** As put, the instance's group given (the sweep reads it by position: the resource order's groupAt). */
  putGroup(group: number, wait: number, b: number, c: number, p: number, u: number, x: number): void {
    if (!(isWholeMs(wait) && isWholeMs(b) && isWholeMs(c) && isWholeMs(p) && isWholeMs(u) && isWholeMs(x))) this.wholeMs = false;
    const { groupSums } = this;
    const groupBase = 6 * group;
    groupSums[groupBase] += wait;
    groupSums[groupBase + 1] += b;
    groupSums[groupBase + 2] += p;
    groupSums[groupBase + 3] += c;
    groupSums[groupBase + 4] += u;
    groupSums[groupBase + 5] += x;
    if (this.groupsOnly) return;
    const { stepSums, totals } = this;
    const base = 6 * this.layout.stepSlotOfGroup[group];
    stepSums[base] += wait;
    stepSums[base + 1] += b;
    stepSums[base + 2] += p;
    stepSums[base + 3] += c;
    stepSums[base + 4] += u;
    stepSums[base + 5] += x;
    totals[0] += wait;
    totals[1] += b;
    totals[2] += p;
    totals[3] += c;
    totals[4] += u;
    totals[5] += x;
  }

  /** Adds sums taken over other instances (exact in any order only when both sides were whole ms: the flag is carried). */
  add(partial: PartialWaitSums): void {
    const { stepSums, groupSums, totals } = this;
    for (let i = 0; i < stepSums.length; i++) stepSums[i] += partial.stepSums[i];
    for (let i = 0; i < groupSums.length; i++) groupSums[i] += partial.groupSums[i];
    for (let i = 0; i < totals.length; i++) totals[i] += partial.totals[i];
    if (!partial.wholeMs) this.wholeMs = false;
  }
}

const isWholeMs = (value: number): boolean => Number.isInteger(value) && value >= 0;

/** control[STATE]: the worker's state, set by compare-and-swap so exactly one side decides whether it takes part. */
export const NEXT = 0;
export const STATE = 1;
/** control[COMPLETE]: 0 once a run of the worker's could not be swept exactly; control[WHOLE]: 0 once a worker answer was not a whole ms. */
export const COMPLETE = 2;
export const WHOLE = 3;
export const WORKER_RUNS = 4;
export const HEARTBEAT = 5;
export const NOT_STARTED = 0;
export const STARTED = 1;
export const GIVEN_UP = 2;
export const FINISHED = 3;
export const FAILED = 4;

/** The job posted to the worker: shared columns (no copy) and the calendars' specs (each rebuilt there). */
export interface SweepJob {
  control: Int32Array;
  /** Resource codes in the order the runs are taken (longest first). */
  runs: Int32Array;
  columns: SweptColumns;
  isQuery: Uint8Array;
  done: Uint8Array;
  calendars: Array<[number, CalendarSpec]>;
  layout: WaitSumLayout;
  sums: { stepSums: Float64Array; groupSums: Float64Array; totals: Float64Array };
  /**
   * The worker's RunSweeper columns, for runs of up to `scratchRun` positions: allocated here, so they are in the main
   * thread's malloc heap (reused after the sweep) and not in the worker thread's arena (which stays resident).
   */
  scratch: SharedArrayBuffer;
  scratchRun: number;
  port: MessagePort;
  fault?: WaitThreadOptions['fault'];
}

/** An error as the worker posts it: a VsmError's parts, or an internal error's message. */
export interface SweepFailure {
  vsm?: VsmErrorParts;
  message: string;
}

/** Whether `instances` activity instances get a worker: the option; else, with VSM_WAIT_WORKER=1, the threshold; else not. */
export function wantsWaitWorker(options: WaitThreadOptions | undefined, instances: number): boolean {
  if (options?.worker !== undefined) return options.worker;
  if (!((envNumber('VSM_WAIT_WORKER') ?? 0) >= 1)) return false;
  return instances >= (options?.minInstances ?? envNumber('VSM_WAIT_WORKER_MIN_INSTANCES') ?? DEFAULT_WAIT_WORKER_MIN_INSTANCES);
}

/**
 * A worker thread started early (while the main thread still computes the calendars and batches), used for one sweep.
 * @example const worker = SweepWorker.start(options, instances.count); try { … worker?.sweep(…) } finally { worker?.close(); }
 */
export class SweepWorker {
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WaitThreadOptions | undefined,
  ) {}

  /** A started worker, or undefined when none is wanted or none can be started (the sweep then runs on one thread). */
  static start(options: WaitThreadOptions | undefined, instances: number): SweepWorker | undefined {
    if (!wantsWaitWorker(options, instances)) return undefined;
    const script = options?.script ?? workerScriptBeside(import.meta.url, 'wait-sweep-worker.js', 'metrics');
    if (script === undefined) {
      options?.onOutcome?.({ mainRuns: 0, workerRuns: 0, fallback: 'no worker script' });
      return undefined;
    }
    try {
      const worker = new Worker(script);
      // Neither keeps the process alive nor crashes it: a worker that fails to load is simply never started.
      worker.unref();
      worker.on('error', () => undefined);
      return new SweepWorker(worker, options);
    } catch (error) {
      options?.onOutcome?.({ mainRuns: 0, workerRuns: 0, fallback: `worker did not start: ${(error as Error).message}` });
      return undefined;
    }
  }

  /**
   * Sweeps the plan's runs on this thread and the worker: this thread's answers go into `sink`, the worker's into
   * `addPartial` once it has finished. False when a run could not be swept exactly (as RunSweeper.sweep).
   */
  sweep(
    ordered: SweptColumns,
    plan: SweepPlan,
    calendarOf: (resourceCode: number) => BusinessCalendar | undefined,
    layout: WaitSumLayout,
    sink: WaitCauseSink & { addPartial(partial: PartialWaitSums): void },
    onProgress?: (done: number, total: number) => void,
  ): boolean {
    const { runStart } = ordered;
    const codes: number[] = [];
    for (let r = 0; r < plan.queriesOf.length; r++) if (plan.queriesOf[r] > 0) codes.push(r);
    // Longest first: the last runs taken are the shortest, so the threads finish close together.
    codes.sort((a, b) => runStart[b + 1] - runStart[b] - (runStart[a + 1] - runStart[a]) || a - b);
    const runs = Int32Array.from(codes);
    const control = new Int32Array(new SharedArrayBuffer(4 * 8));
    control[COMPLETE] = 1;
    control[WHOLE] = 1;
    const shared = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
    const sums = { stepSums: shared(6 * layout.steps), groupSums: shared(6 * layout.groups), totals: shared(6) };
    const calendars: Array<[number, CalendarSpec]> = [];
    for (const r of codes) {
      const calendar = calendarOf(r);
      if (calendar) calendars.push([r, calendar.spec]);
    }
    // The longest run is this thread's (taken before the worker can take any), so the worker's runs are at most as
    // long as the second (tests may leave the worker every run).
    const leaveAll = this.options?.workerTakesAll === true;
    let takeFirst = !leaveAll && runs.length > 0;
    control[NEXT] = takeFirst ? 1 : 0;
    const workersLongest = runs[takeFirst ? 1 : 0];
    const scratchRun = workersLongest === undefined ? 0 : runStart[workersLongest + 1] - runStart[workersLongest];
    const channel = new MessageChannel();
    try {
      const columns = { order: ordered.order, runStart, start: ordered.start, end: ordered.end, enabled: ordered.enabled };
      const scratch = new SharedArrayBuffer(sweepScratchBytes(scratchRun));
      const job: SweepJob = { control, runs, columns, isQuery: plan.isQuery, done: plan.done, calendars, layout, sums, scratch, scratchRun, port: channel.port2, fault: this.options?.fault };
      this.worker.postMessage(job, [channel.port2]);
      // This thread's share: runs taken from the shared counter until none is left.
      let sweeper: RunSweeper | undefined;
      let complete = true;
      let mainRuns = 0;
      const startedAt = performance.now();
      const workerTookAll = leaveAll && Atomics.wait(control, STATE, NOT_STARTED, 30_000) !== 'timed-out';
      while (!workerTookAll) {
        const at = takeFirst ? 0 : Atomics.add(control, NEXT, 1);
        takeFirst = false;
        if (at >= runs.length) break;
        const r = runs[at];
        onProgress?.(Math.min(at + 1, runs.length), runs.length);
        // Sized by the first run taken, the longest this thread will take.
        sweeper ??= new RunSweeper(ordered, plan, runStart[r + 1] - runStart[r]);
        mainRuns++;
        if (!sweeper.sweep(r, calendarOf(r), sink)) {
          complete = false;
          // No further run for either thread: the caller recomputes on one thread.
          Atomics.store(control, NEXT, runs.length);
          break;
        }
      }
      sweeper = undefined;
      if (Atomics.compareExchange(control, STATE, NOT_STARTED, GIVEN_UP) === NOT_STARTED) {
        this.options?.onOutcome?.({ mainRuns, workerRuns: 0, fallback: 'worker not started when the main thread finished' });
        return complete;
      }
      const state = this.waitForWorker(control, Math.max(MIN_WORKER_WAIT_MS, 20 * (performance.now() - startedAt)));
      if (state === FAILED) {
        const failure = receiveMessageOnPort(channel.port1)?.message as SweepFailure | undefined;
        if (failure?.vsm) throw new VsmError(failure.vsm);
        throw new Error(`wait-cause sweep worker: ${failure?.message ?? 'failed without a message'}`);
      }
      if (state !== FINISHED) {
        // A worker that stopped answering: its runs are not all swept, so the caller recomputes on one thread.
        this.options?.onOutcome?.({ mainRuns, workerRuns: Atomics.load(control, WORKER_RUNS), fallback: 'worker did not finish' });
        return false;
      }
      sink.addPartial({ ...sums, wholeMs: control[WHOLE] === 1 });
      this.options?.onOutcome?.({ mainRuns, workerRuns: control[WORKER_RUNS] });
      return complete && control[COMPLETE] === 1;
    } finally {
      channel.port1.close();
    }
  }

  /** Blocks until the worker is FINISHED or FAILED, or has not moved on for `patienceMs` (then its state as it is). */
  private waitForWorker(control: Int32Array, patienceMs: number): number {
    let heartbeat = Atomics.load(control, HEARTBEAT);
    let quietSince = performance.now();
    for (;;) {
      const state = Atomics.load(control, STATE);
      if (state === FINISHED || state === FAILED) return state;
      Atomics.wait(control, STATE, state, 1000);
      const beat = Atomics.load(control, HEARTBEAT);
      if (beat !== heartbeat) {
        heartbeat = beat;
        quietSince = performance.now();
      } else if (performance.now() - quietSince > patienceMs) return Atomics.load(control, STATE);
    }
  }

  /** Ends the worker thread (not awaited: nothing of it is needed any more). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.worker.terminate();
  }
}
