import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../src/model/event-log.js';
import { FarCounter, FarSample, farTimestampsNote, findFarTimestamps } from '../../src/metrics/time-outliers.js';

const DAY_MS = 86_400_000;

/** The columns findFarTimestamps reads: times, file index and 1-based rows. */
function logOf(timesMs: number[]): EventLog {
  return {
    eventCount: timesMs.length,
    timestampMs: Float64Array.from(timesMs),
    files: ['far.csv'],
    fileIndex: new Uint16Array(timesMs.length),
    sourceRow: Int32Array.from(timesMs, (_, k) => k + 1),
  } as unknown as EventLog;
}

describe('findFarTimestamps (issue 11 item 1)', () => {
  it('flags the one 9999-12-31 stamp of a 4-row log, with its row', () => {
    const t = Date.UTC(2024, 0, 1);
    const far = findFarTimestamps(logOf([t, t + DAY_MS, t + 2 * DAY_MS, Date.parse('9999-12-31T23:59:59Z')]));
    // Median = (Jan 2 + Jan 3)/2 = Jan 2 12:00; MAD = median(1.5 d, 0.5 d, 0.5 d, huge) = 1 d; limit = max(10 d, 365 d) = 365 d.
    expect(far.medianMs).toBe(t + 1.5 * DAY_MS);
    expect(far.limitMs).toBe(365 * DAY_MS);
    expect(far.count).toBe(1);
    expect(far.examples).toEqual([{ file: 'far.csv', row: 4, timestamp: '9999-12-31T23:59:59.000Z' }]);
    expect(farTimestampsNote(far)).toMatch(/^1 event lies far outside the bulk of the log \(more than 365 days from the median event time 2024-01-02\): far\.csv record 4 9999-12-31T23:59:59\.000Z;/);
  });
  it('flags nothing on an evenly spread 10-year log, nor on a burst with follow-ups weeks later', () => {
    const start = Date.UTC(2014, 0, 1);
    expect(findFarTimestamps(logOf(Array.from({ length: 521 }, (_, k) => start + k * 7 * DAY_MS))).count).toBe(0);
    const burst = Array.from({ length: 100 }, (_, k) => start + k * 60_000);
    expect(findFarTimestamps(logOf([...burst, start + 30 * DAY_MS, start + 60 * DAY_MS])).count).toBe(0);
  });
  it('flags a 1970 placeholder among 2024 events, both sides of the bulk', () => {
    const t = Date.UTC(2024, 5, 1);
    const far = findFarTimestamps(logOf([0, t, t + DAY_MS, t + 2 * DAY_MS, t + 3 * DAY_MS, Date.UTC(2099, 0, 1)]));
    expect(far.examples.map((example) => example.row)).toEqual([1, 6]);
  });
});

describe('FarSample and FarCounter by parts (the event store reads a log range by range)', () => {
  it('parts in order give the whole log’s sample, limits, count and examples, with a stride above 1', () => {
    // 450,007 events: stride 2; times scattered by a fixed LCG so a sample taken at the wrong offset has another median.
    const n = 450_007;
    const times: number[] = [];
    let state = 12_345;
    for (let i = 0; i < n; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      times.push(Date.UTC(2020, 0, 1) + state * 10);
    }
    times[17] = Date.UTC(1950, 0, 1);
    times[400_001] = Date.UTC(2150, 0, 1);
    const whole = logOf(times);
    const expected = findFarTimestamps(whole);
    expect(expected.count).toBe(2);
    const cuts = [0, 100_001, 250_000, 250_003, n];
    const parts = cuts.slice(1).map((end, p) => {
      const part = logOf(times.slice(cuts[p], end));
      return { part: { ...part, sourceRow: Int32Array.from(part.sourceRow, (row) => row + cuts[p]) }, base: cuts[p] };
    });
    const sample = new FarSample(n);
    expect(sample.stride).toBe(2);
    for (const { part, base } of parts) sample.add(part, base);
    const limits = sample.limits();
    expect(limits).toEqual({ medianMs: expected.medianMs, limitMs: expected.limitMs });
    const counter = new FarCounter(limits);
    for (const { part } of parts) counter.add(part);
    expect(counter.result).toEqual(expected);
  });
});
