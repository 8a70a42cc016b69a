/**
 * Activity instances of one case (DESIGN §3.2): `start` / `complete` paired FIFO per activity (the oldest open
 * start of the same activity is closed by the next complete, as PM4Py's `to_interval` does); a row with a start
 * timestamp column is a whole instance; `instant` / `other` events are single-timestamp instances. A complete
 * with no open start is an instance with an unknown start (counted); starts still open at the case's end are
 * returned at the tail so the caller can keep them as open work (censored case) or drop and count them.
 * Scratch typed arrays are reused across cases: no per-event objects.
 */
import { MISSING_CODE } from '../model/dictionary.js';
import type { ReconstructionLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';

export class InstanceCollector {
  /** Instance columns, [0, count). */
  startMs = new Float64Array(64);
  endMs = new Float64Array(64);
  activity = new Int32Array(64);
  owner = new Int32Array(64);
  firstEvent = new Int32Array(64);
  /** Visit order (indices into the columns) after `sortByStart`. */
  order = new Int32Array(64);
  count = 0;
  /** Instances at the tail [count - openStarts, count) are starts with no complete (endMs NaN). */
  openStarts = 0;
  unmatchedCompletes = 0;
  firstKeptMs = NaN;
  lastKeptMs = NaN;
  /** Events of the case after asOf (ignored). */
  eventsAfterAsOf = 0;
  private readonly pendingHead: Int32Array;
  private readonly pendingTail: Int32Array;
  private pendingNext = new Int32Array(64);
  private pendingEvent = new Int32Array(64);
  private touched = new Int32Array(64);
  /*
   * The log's columns, read once here (h27b-cold): collect read them from `this.log`, and the instances' log (a spread
   * copy with the resource column, src/vsm/analyze-visits.ts) and the reconstruction's have different maps, so the
   * code V8 compiled for collect in one was thrown away ("wrong map") in the other and compiled again.
   */
  private readonly timestampMs: Float64Array;
  private readonly lifecycle: Uint8Array;
  private readonly activityCode: Int32Array;
  private readonly startTimestampMs: Float64Array | undefined;

  /**
   * @param adjacentPairs pair a start whose next event completes it at once (default); false sends every start through
   *   the pending list, as before h26-cases: the same instances, kept as the fast path's reference in the tests.
   */
  constructor(
    log: ReconstructionLog,
    private readonly stepOfActivity: Int32Array,
    private readonly ownerColumn: Int32Array,
    private readonly adjacentPairs = true,
  ) {
    this.pendingHead = new Int32Array(log.activities.size).fill(-1);
    this.pendingTail = new Int32Array(log.activities.size).fill(-1);
    this.timestampMs = log.timestampMs;
    this.lifecycle = log.lifecycle;
    this.activityCode = log.activityCode;
    this.startTimestampMs = log.startTimestampMs;
  }

  private ensure(size: number): void {
    if (size <= this.startMs.length) return;
    let capacity = this.startMs.length * 2;
    while (capacity < size) capacity *= 2;
    const growF = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const growI = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.startMs = growF(this.startMs);
    this.endMs = growF(this.endMs);
    this.activity = growI(this.activity);
    this.owner = growI(this.owner);
    this.firstEvent = growI(this.firstEvent);
    this.order = growI(this.order);
    this.pendingNext = growI(this.pendingNext);
    this.pendingEvent = growI(this.pendingEvent);
    this.touched = growI(this.touched);
  }

  private add(startMs: number, endMs: number, activity: number, ownerCode: number, firstEvent: number): void {
    const k = this.count++;
    this.startMs[k] = startMs;
    this.endMs[k] = endMs;
    this.activity[k] = activity;
    this.owner[k] = ownerCode;
    this.firstEvent[k] = firstEvent;
  }

  /** Collects the instances of events [from, to) with timestamp ≤ asOfMs. */
  collect(from: number, to: number, asOfMs: number): void {
    const { timestampMs, lifecycle, activityCode, startTimestampMs, pendingHead, pendingTail, stepOfActivity, ownerColumn, adjacentPairs } = this;
    this.ensure(to - from);
    this.count = 0;
    this.openStarts = 0;
    this.unmatchedCompletes = 0;
    this.eventsAfterAsOf = 0;
    // Kept in locals while the events are read, written back at the end.
    let firstKeptMs = NaN;
    let lastKeptMs = NaN;
    let pendingCount = 0;
    let touchedCount = 0;
    for (let i = from; i < to; i++) {
      const atMs = timestampMs[i];
      if (atMs > asOfMs) {
        this.eventsAfterAsOf = to - i;
        break;
      }
      const activity = activityCode[i];
      if (stepOfActivity[activity] < 0) continue;
      const lifecycleCode = lifecycle[i];
      const rowStartMs = startTimestampMs === undefined ? NaN : startTimestampMs[i];
      const next = i + 1;
      if (
        adjacentPairs &&
        lifecycleCode === LifecycleCode.start &&
        next < to &&
        activityCode[next] === activity &&
        lifecycle[next] === LifecycleCode.complete &&
        pendingHead[activity] === -1 &&
        Number.isNaN(rowStartMs) &&
        (startTimestampMs === undefined || Number.isNaN(startTimestampMs[next])) &&
        timestampMs[next] <= asOfMs
      ) {
        // The common pair: a start whose next event completes it (no start of the activity open before it, so FIFO
        // pairs the two). The instance at once, as the pending list would give it, both events kept.
        const endMs = timestampMs[next];
        const ownerCode = ownerColumn[next];
        this.add(atMs, endMs, activity, ownerCode === MISSING_CODE ? ownerColumn[i] : ownerCode, i);
        if (Number.isNaN(firstKeptMs) || atMs < firstKeptMs) firstKeptMs = atMs;
        if (endMs < firstKeptMs) firstKeptMs = endMs;
        lastKeptMs = endMs;
        i = next;
        continue;
      }
      if (lifecycleCode === LifecycleCode.start && Number.isNaN(rowStartMs)) {
        const slot = pendingCount++;
        this.pendingEvent[slot] = i;
        this.pendingNext[slot] = -1;
        if (pendingHead[activity] === -1) {
          pendingHead[activity] = slot;
          this.touched[touchedCount++] = activity;
        } else {
          this.pendingNext[pendingTail[activity]] = slot;
        }
        pendingTail[activity] = slot;
      } else if (
        lifecycleCode === LifecycleCode.complete ||
        lifecycleCode === LifecycleCode.instant ||
        lifecycleCode === LifecycleCode.other ||
        lifecycleCode === LifecycleCode.start
      ) {
        const ownerCode = ownerColumn[i];
        if (!Number.isNaN(rowStartMs)) {
          this.add(rowStartMs, atMs, activity, ownerCode, i);
        } else if (lifecycleCode === LifecycleCode.complete) {
          const slot = pendingHead[activity];
          if (slot >= 0) {
            const startEvent = this.pendingEvent[slot];
            pendingHead[activity] = this.pendingNext[slot];
            this.pendingEvent[slot] = -1;
            const instanceOwner = ownerCode === MISSING_CODE ? ownerColumn[startEvent] : ownerCode;
            this.add(timestampMs[startEvent], atMs, activity, instanceOwner, startEvent);
          } else {
            this.unmatchedCompletes++;
            this.add(NaN, atMs, activity, ownerCode, i);
          }
        } else {
          this.add(NaN, atMs, activity, ownerCode, i);
        }
      } else {
        continue; // schedule / status-log lifecycles carry no timing here
      }
      // A start-timestamp column can put an instance's start before earlier-completed events.
      const earliestMs = rowStartMs < atMs ? rowStartMs : atMs;
      if (Number.isNaN(firstKeptMs) || earliestMs < firstKeptMs) firstKeptMs = earliestMs;
      lastKeptMs = atMs;
    }
    // Unmatched starts, in start order, at the tail; the first kept event may be one of them.
    for (let slot = 0; slot < pendingCount; slot++) {
      const startEvent = this.pendingEvent[slot];
      if (startEvent < 0) continue;
      const atMs = timestampMs[startEvent];
      this.add(atMs, NaN, activityCode[startEvent], ownerColumn[startEvent], startEvent);
      this.openStarts++;
      if (Number.isNaN(firstKeptMs) || atMs < firstKeptMs) firstKeptMs = atMs;
      if (Number.isNaN(lastKeptMs) || atMs > lastKeptMs) lastKeptMs = atMs;
    }
    this.firstKeptMs = firstKeptMs;
    this.lastKeptMs = lastKeptMs;
    for (let k = 0; k < touchedCount; k++) pendingHead[this.touched[k]] = -1;
  }

  /** Drops the open starts at the tail (a closed case: they are unmatched, not open work). */
  dropOpenStarts(): void {
    this.count -= this.openStarts;
    this.openStarts = 0;
  }

  /**
   * Orders instances by start (completion when the start is unknown), then completion (open last), then source
   * position: "the previous visit" of DESIGN §3.2 is the previous one in this order. With `keepCompletionOrder` the
   * instances stay in the order they were collected (completion order).
   */
  sortByStart(keepCompletionOrder = false): void {
    const { startMs, endMs, firstEvent, order, count } = this;
    for (let k = 0; k < count; k++) order[k] = k;
    // Estimated starts time the visits but do not reorder them: the recorded order stands (EventLog.startsEstimated).
    if (keepCompletionOrder) return;
    // Insertion sort: instances arrive in completion order, which is start order unless work overlaps.
    for (let k = 1; k < count; k++) {
      const item = order[k];
      let j = k - 1;
      while (j >= 0 && startsBefore(startMs, endMs, firstEvent, item, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = item;
    }
  }
}

function startsBefore(startMs: Float64Array, endMs: Float64Array, firstEvent: Int32Array, a: number, b: number): boolean {
  const keyA = Number.isNaN(startMs[a]) ? endMs[a] : startMs[a];
  const keyB = Number.isNaN(startMs[b]) ? endMs[b] : startMs[b];
  if (keyA !== keyB) return keyA < keyB;
  const endA = Number.isNaN(endMs[a]) ? Infinity : endMs[a];
  const endB = Number.isNaN(endMs[b]) ? Infinity : endMs[b];
  if (endA !== endB) return endA < endB;
  return firstEvent[a] < firstEvent[b];
}
