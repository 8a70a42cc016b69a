import { describe, expect, it } from 'vitest';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { GROWTH_PAST_RESERVE, grownCapacity, worthTrimming } from '../../src/model/event-log-columns.js';
import type { EventLog } from '../../src/model/event-log.js';

const H = 3_600_000;

/** `events` events over `events / 3` cases, some out of time order inside a case, one attribute, some start times. */
function fill(builder: EventLogBuilder, events: number, order: 'sorted' | 'shuffled'): void {
  for (let k = 0; k < events; k++) {
    const c = Math.floor(k / 3);
    const t = order === 'sorted' ? k * H : ((k * 7919) % events) * H;
    builder.push({ caseId: `c${c}`, activity: `a${k % 5}`, timestampMs: t, resource: k % 4 === 0 ? undefined : `r${k % 3}`, sourceRow: k + 1, ...(k % 10 === 0 ? { startTimestampMs: t - H, attributes: { team: `t${k % 2}` } } : {}) });
  }
}

function columns(log: EventLog): unknown[] {
  return [
    log.eventCount,
    log.caseCount,
    ...[log.caseCode, log.activityCode, log.resourceCode, log.groupCode, log.timestampMs, log.startTimestampMs ?? [], log.lifecycle, log.fileIndex, log.sourceRow, log.caseStart, log.attributes.get('team')?.codes ?? []].map((column) => Array.from(column)),
  ];
}

describe('grownCapacity', () => {
  it('doubles without a reserve and up to it, then grows by a quarter', () => {
    expect(grownCapacity(1024, 1025, 0)).toBe(2048);
    expect(grownCapacity(1024, 5000, 0)).toBe(8192);
    expect(grownCapacity(1000, 1001, 4000)).toBe(2000);
    expect(grownCapacity(1000, 1001, 1000)).toBe(1000 * GROWTH_PAST_RESERVE);
    expect(grownCapacity(1000, 2000, 1000)).toBe(2443); // 1250, 1563, 1954, 2443
    expect(grownCapacity(0, 1, 0)).toBe(1);
    expect(grownCapacity(64, 10, 0)).toBe(64);
  });

  it('trims only when more than an eighth of the slots is unused', () => {
    expect(worthTrimming(1020, 1000)).toBe(false);
    expect(worthTrimming(1250, 1000)).toBe(true);
    expect(worthTrimming(1024, 0)).toBe(true);
  });
});

describe('EventLogBuilder.reserve', () => {
  it('sizes the columns from an estimate and grows by a quarter past it', () => {
    const builder = new EventLogBuilder();
    builder.reserve(2000);
    expect(builder.capacity).toBe(2000);
    fill(builder, 2000, 'sorted');
    expect(builder.capacity).toBe(2000);
    fill(builder, 1, 'sorted');
    expect(builder.capacity).toBe(2500);
  });

  it('gives the same log whether the estimate is right, too low, too high or absent', () => {
    for (const order of ['sorted', 'shuffled'] as const) {
      const built = [undefined, 3000, 500, 2999, 100_000].map((estimate) => {
        const builder = new EventLogBuilder();
        if (estimate !== undefined) builder.reserve(estimate);
        fill(builder, 3000, order);
        return columns(builder.build());
      });
      for (const log of built.slice(1)) expect(log).toEqual(built[0]);
    }
  });

  it('trims columns with much unused room to their exact length, keeps a little slack as a view', () => {
    const high = new EventLogBuilder();
    high.reserve(10_000);
    fill(high, 1000, 'sorted');
    const trimmed = high.build();
    expect(trimmed.caseCode.buffer.byteLength).toBe(1000 * 4);
    expect(trimmed.timestampMs.buffer.byteLength).toBe(1000 * 8);
    expect(trimmed.attributes.get('team')?.codes.buffer.byteLength).toBe(1000 * 4);
    const close = new EventLogBuilder();
    close.reserve(2040);
    fill(close, 2000, 'sorted');
    expect(close.build().caseCode.buffer.byteLength).toBe(2040 * 4);
  });

  it('keeps a trimmed log unchanged by later writes to the builder', () => {
    const builder = new EventLogBuilder();
    builder.reserve(1000);
    fill(builder, 30, 'sorted');
    const log = builder.build();
    const before = columns(log);
    builder.setStartTimestamp(1, 0);
    builder.setAttribute(2, 'team', 'blue');
    fill(builder, 5, 'sorted');
    expect(columns(log)).toEqual(before);
    expect(builder.build().eventCount).toBe(35);
  });
});
