import { describe, expect, it } from 'vitest';
import { type EventSpill, EventLogBuilder, type SpilledColumns } from '../../src/model/event-log-builder.js';

/** A spill that records what it was handed (copies: the builder reuses its columns). */
function recordingSpill(capacity: number, open = () => true) {
  const handed: Array<{ count: number; activity: number[]; start: number[] | undefined; channel: number[] | undefined }> = [];
  const spill: EventSpill = {
    capacity,
    ready: open,
    append: (columns: SpilledColumns) => {
      handed.push({
        count: columns.count,
        activity: Array.from(columns.activityCode.subarray(0, columns.count)),
        start: columns.startTimestampMs ? Array.from(columns.startTimestampMs.subarray(0, columns.count)) : undefined,
        channel: columns.attributes?.get('channel') ? Array.from((columns.attributes.get('channel') as Int32Array).subarray(0, columns.count)) : undefined,
      });
    },
  };
  return { spill, handed };
}

function push(builder: EventLogBuilder, k: number): number {
  return builder.push({ caseId: `c${k % 2}`, activity: `a${k}`, timestampMs: k, sourceRow: k + 1, ...(k === 3 ? { startTimestampMs: 1, attributes: { channel: 'web' } } : {}) });
}

describe('EventLogBuilder spill mode', () => {
  it('hands its events over every `capacity` events in push order, with global indices', () => {
    const builder = new EventLogBuilder();
    const { spill, handed } = recordingSpill(2);
    builder.spillTo(spill);
    const indices = [0, 1, 2, 3, 4].map((k) => push(builder, k));
    expect(indices).toEqual([0, 1, 2, 3, 4]);
    expect(builder.eventCount).toBe(5);
    const log = builder.finishSpilled();
    expect(log.eventCount).toBe(5);
    expect(log.caseCount).toBe(2);
    expect(handed.map((h) => h.count)).toEqual([2, 2, 1]);
    expect(handed.flatMap((h) => h.activity)).toEqual([0, 1, 2, 3, 4]);
    // The start column and the attribute appear at event 3 (second hand-over); later events are NaN / missing.
    expect(handed[0].start).toBeUndefined();
    expect(handed[1].start).toEqual([NaN, 1]);
    expect(handed[2].start).toEqual([NaN]);
    expect(handed[1].channel).toEqual([-1, 0]);
    expect(handed[2].channel).toEqual([-1]);
    expect([...log.attributeDictionaries.keys()]).toEqual(['channel']);
  });

  it('keeps its events while the spill is not open, then hands them all over and shrinks back', () => {
    let open = false;
    const builder = new EventLogBuilder();
    const { spill, handed } = recordingSpill(2, () => open);
    builder.spillTo(spill);
    for (let k = 0; k < 7; k++) push(builder, k);
    expect(handed).toEqual([]);
    open = true;
    push(builder, 7);
    builder.finishSpilled();
    expect(handed.map((h) => h.count)).toEqual([7, 1]);
  });

  it('refuses a write to an event already handed over, build(), and spillTo after pushes', () => {
    const builder = new EventLogBuilder();
    builder.spillTo(recordingSpill(2).spill);
    const first = push(builder, 0);
    push(builder, 1);
    push(builder, 2);
    expect(() => builder.setStartTimestamp(first, 5)).toThrow(/already handed/);
    expect(() => builder.build()).toThrow(/finishSpilled/);
    const other = new EventLogBuilder();
    push(other, 0);
    expect(() => other.spillTo(recordingSpill(2).spill)).toThrow(/after events were pushed/);
    expect(() => new EventLogBuilder().finishSpilled()).toThrow(/without an open spill/);
    const withEvidence = new EventLogBuilder('status');
    withEvidence.spillTo(recordingSpill(2).spill);
    withEvidence.setStatusHistory(false);
    expect(() => withEvidence.finishSpilled()).toThrow(/case evidence/);
  });
});
