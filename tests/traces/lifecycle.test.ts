import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/metrics/random.js';
import { Dictionary, MISSING_CODE } from '../../src/model/dictionary.js';
import type { ReconstructionLog } from '../../src/model/event-log.js';
import { LifecycleCode } from '../../src/model/lifecycle.js';
import { InstanceCollector } from '../../src/traces/lifecycle.js';

interface RandomCases {
  log: ReconstructionLog;
  caseStart: number[];
  stepOfActivity: Int32Array;
  owner: Int32Array;
  asOfMs: number;
}

/**
 * Random cases of 0–14 events: mostly start / complete pairs of 3 activities (one not a step), interleaved and
 * overlapping, repeated starts, lone completes, instants, other and schedule events; times mostly ascending, some
 * after asOf; a start-time column on some logs (NaN on most rows); missing owners.
 */
function randomCases(seed: number): RandomCases {
  const rng = makeRng(seed);
  const pick = (n: number) => Math.floor(rng() * n);
  const lifecycles = [LifecycleCode.start, LifecycleCode.complete, LifecycleCode.start, LifecycleCode.complete, LifecycleCode.instant, LifecycleCode.other, LifecycleCode.schedule];
  const timestamps: number[] = [];
  const activities: number[] = [];
  const codes: number[] = [];
  const owners: number[] = [];
  const starts: number[] = [];
  const caseStart = [0];
  const withStartColumn = rng() < 0.3;
  let timeMs = 1_000;
  for (let c = 0; c < 1 + pick(6); c++) {
    const length = pick(15);
    for (let k = 0; k < length; k++) {
      const paired = rng() < 0.6;
      const activity = pick(3);
      const lifecycle = paired ? LifecycleCode.start : lifecycles[pick(lifecycles.length)];
      const push = (code: number) => {
        // Ascending with ties, and now and then back in time (collect reads the events in index order either way).
        timeMs += rng() < 0.2 ? 0 : rng() < 0.1 ? -pick(50) : pick(100);
        timestamps.push(timeMs);
        activities.push(activity);
        codes.push(code);
        owners.push(rng() < 0.2 ? MISSING_CODE : pick(4));
        starts.push(withStartColumn && rng() < 0.2 ? timeMs - pick(500) : NaN);
      };
      push(lifecycle);
      if (paired && rng() < 0.8) push(LifecycleCode.complete);
    }
    caseStart.push(timestamps.length);
  }
  const log = {
    timestampMs: Float64Array.from(timestamps),
    activityCode: Int32Array.from(activities),
    lifecycle: Uint8Array.from(codes),
    activities: Object.assign(new Dictionary(), {}),
    ...(withStartColumn ? { startTimestampMs: Float64Array.from(starts) } : {}),
  } as unknown as ReconstructionLog;
  for (const name of ['A', 'B', 'C']) log.activities.intern(name);
  const asOfMs = rng() < 0.3 ? timestamps[pick(timestamps.length + 1)] ?? timeMs : timeMs + 1;
  return { log, caseStart, stepOfActivity: Int32Array.from([0, 1, rng() < 0.5 ? -1 : 2]), owner: Int32Array.from(owners), asOfMs };
}

function snapshot(collector: InstanceCollector) {
  const { count } = collector;
  return {
    count,
    openStarts: collector.openStarts,
    unmatchedCompletes: collector.unmatchedCompletes,
    eventsAfterAsOf: collector.eventsAfterAsOf,
    firstKeptMs: collector.firstKeptMs,
    lastKeptMs: collector.lastKeptMs,
    startMs: Array.from(collector.startMs.subarray(0, count)),
    endMs: Array.from(collector.endMs.subarray(0, count)),
    activity: Array.from(collector.activity.subarray(0, count)),
    owner: Array.from(collector.owner.subarray(0, count)),
    firstEvent: Array.from(collector.firstEvent.subarray(0, count)),
  };
}

describe('InstanceCollector.collect (start-then-complete fast path)', () => {
  it('collects what the pending list alone did, on 2,000 random logs (one collector reused across cases)', () => {
    for (let seed = 1; seed <= 2_000; seed++) {
      const { log, caseStart, stepOfActivity, owner, asOfMs } = randomCases(seed);
      const collector = new InstanceCollector(log, stepOfActivity, owner);
      // The pending list alone (adjacentPairs false): the pairing as it was before the fast path.
      const reference = new InstanceCollector(log, stepOfActivity, owner, false);
      for (let c = 0; c + 1 < caseStart.length; c++) {
        collector.collect(caseStart[c], caseStart[c + 1], asOfMs);
        reference.collect(caseStart[c], caseStart[c + 1], asOfMs);
        expect(snapshot(collector), `seed ${seed} case ${c}`).toEqual(snapshot(reference));
      }
    }
  });

  it('pairs a start with the next complete, taking the start’s owner when the complete has none', () => {
    const log = {
      timestampMs: Float64Array.from([10, 20, 30, 40]),
      activityCode: Int32Array.from([0, 0, 0, 0]),
      lifecycle: Uint8Array.from([LifecycleCode.start, LifecycleCode.complete, LifecycleCode.start, LifecycleCode.complete]),
      activities: new Dictionary(),
    } as unknown as ReconstructionLog;
    log.activities.intern('A');
    const collector = new InstanceCollector(log, Int32Array.from([0]), Int32Array.from([7, MISSING_CODE, 8, 9]));
    collector.collect(0, 4, 35);
    // The second complete is after asOf: its start stays open (at the tail).
    expect(snapshot(collector)).toMatchObject({ count: 2, openStarts: 1, eventsAfterAsOf: 1, startMs: [10, 30], endMs: [20, NaN], owner: [7, 8], firstEvent: [0, 2], firstKeptMs: 10, lastKeptMs: 30 });
  });
});
