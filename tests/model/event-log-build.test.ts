import { describe, expect, it } from 'vitest';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';

const H = 3_600_000;

describe('EventLogBuilder.build', () => {
  it('sorts by case (first appearance), timestamp, then source row when rows are interleaved', () => {
    const builder = new EventLogBuilder();
    builder.push({ caseId: 'b', activity: 'x', timestampMs: 2 * H, sourceRow: 1 });
    builder.push({ caseId: 'a', activity: 'y', timestampMs: 1 * H, sourceRow: 2 });
    builder.push({ caseId: 'b', activity: 'z', timestampMs: 1 * H, sourceRow: 3 });
    builder.push({ caseId: 'b', activity: 'w', timestampMs: 1 * H, sourceRow: 4 });
    const log = builder.build();
    // Case b appeared first (code 0): its rows 3, 4 (1 h, source order) then 1 (2 h); then case a.
    expect(Array.from(log.sourceRow)).toEqual([3, 4, 1, 2]);
    expect(Array.from(log.caseStart)).toEqual([0, 3, 4]);
  });

  it('sorts inside a case when rows are grouped by case but not in time order', () => {
    const builder = new EventLogBuilder();
    builder.push({ caseId: 'a', activity: 'x', timestampMs: 3 * H, sourceRow: 1 });
    builder.push({ caseId: 'a', activity: 'y', timestampMs: 1 * H, sourceRow: 2 });
    builder.push({ caseId: 'b', activity: 'z', timestampMs: 0, sourceRow: 3 });
    const log = builder.build();
    expect(Array.from(log.sourceRow)).toEqual([2, 1, 3]);
    expect(Array.from(log.timestampMs)).toEqual([1 * H, 3 * H, 0]);
  });

  it('hands over already-sorted columns, and later writes to the builder do not change the built log', () => {
    const builder = new EventLogBuilder();
    builder.push({ caseId: 'a', activity: 'x', timestampMs: 1 * H, sourceRow: 1, attributes: { team: 'red' } });
    builder.push({ caseId: 'a', activity: 'y', timestampMs: 2 * H, sourceRow: 2 });
    builder.push({ caseId: 'b', activity: 'x', timestampMs: 0, sourceRow: 3 });
    const log = builder.build();
    expect(Array.from(log.sourceRow)).toEqual([1, 2, 3]);
    expect(log.caseCode.length).toBe(3);
    builder.setStartTimestamp(0, 0);
    builder.setAttribute(1, 'team', 'blue');
    builder.push({ caseId: 'c', activity: 'z', timestampMs: 0, sourceRow: 4 });
    expect(log.startTimestampMs).toBeUndefined();
    expect(Array.from(log.attributes.get('team')?.codes ?? [])).toEqual([0, -1, -1]);
    const again = builder.build();
    expect(again.eventCount).toBe(4);
    expect(Array.from(again.attributes.get('team')?.codes ?? [])).toEqual([0, 1, -1, -1]);
    expect(again.startTimestampMs?.[0]).toBe(0);
  });
});

describe('EventLogBuilder.appendCoded', () => {
  it('appends coded columns as the same pushCoded calls would, start times and attributes included', () => {
    const build = (bulk: boolean) => {
      const builder = new EventLogBuilder();
      for (const id of ['a', 'b']) builder.caseIds.intern(id);
      builder.activities.intern('x');
      const channel = builder.attributeCodeWriter('channel');
      channel.dictionary.intern('web');
      const first = builder.pushCoded(0, 0, 1 * H, 0, -1, -1, 0, 1);
      channel.set(first, 0);
      const columns = {
        count: 2,
        caseCode: Int32Array.of(1, 0, 99),
        activityCode: Int32Array.of(0, 0, 99),
        resourceCode: Int32Array.of(-1, -1, 99),
        groupCode: Int32Array.of(-1, -1, 99),
        timestampMs: Float64Array.of(2 * H, 3 * H, 99),
        startTimestampMs: Float64Array.of(NaN, 2.5 * H, 99),
        lifecycle: Uint8Array.of(0, 0, 99),
        sourceRow: Int32Array.of(2, 3, 99),
      };
      if (bulk) {
        expect(builder.appendCoded(columns, 0)).toBe(1);
      } else {
        builder.pushCoded(1, 0, 2 * H, 0, -1, -1, 0, 2);
        builder.setStartTimestamp(builder.pushCoded(0, 0, 3 * H, 0, -1, -1, 0, 3), 2.5 * H);
      }
      const log = builder.build();
      return { ...log, attributes: [...log.attributes].map(([name, a]) => [name, Array.from(a.codes)]), caseEvidence: undefined };
    };
    expect(build(true)).toEqual(build(false));
  });
});
