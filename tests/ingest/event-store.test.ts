import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cutByEvents, EventStore, removeAbandonedStores, type StoredRange, type StoreColumns } from '../../src/ingest/event-store.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { isVsmError } from '../../src/errors.js';
import type { EventLog } from '../../src/model/event-log.js';
import { sharedOrSkip } from '../shared-dir.js';

/** The log's events as a reader pushed them: in (file, source row) order, the order EventLogBuilder saw. */
function pushedColumns(log: EventLog): StoreColumns {
  const n = log.eventCount;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => log.fileIndex[a] - log.fileIndex[b] || log.sourceRow[a] - log.sourceRow[b]);
  const i32 = (column: Int32Array) => Int32Array.from(order, (i) => column[i]);
  const start = log.startTimestampMs;
  const attributes = new Map<string, Int32Array>();
  for (const [name, column] of log.attributes) attributes.set(name, i32(column.codes));
  return {
    count: n,
    caseCode: i32(log.caseCode),
    activityCode: i32(log.activityCode),
    resourceCode: i32(log.resourceCode),
    groupCode: i32(log.groupCode),
    timestampMs: Float64Array.from(order, (i) => log.timestampMs[i]),
    startTimestampMs: start ? Float64Array.from(order, (i) => start[i]) : undefined,
    lifecycle: Uint8Array.from(order, (i) => log.lifecycle[i]),
    fileIndex: Uint16Array.from(order, (i) => log.fileIndex[i]),
    sourceRow: i32(log.sourceRow),
    attributes,
  };
}

async function rangesOf(columns: StoreColumns, caseCount: number, rangeCount: number, pushes = 1, threads = 1): Promise<StoredRange[]> {
  const store = await EventStore.open({ memoryLimit: '64MB', threads });
  try {
    // Several pushes: the push order (the last tie-break) continues across them.
    const step = Math.ceil(columns.count / pushes);
    for (let from = 0; from < columns.count; from += step) {
      const to = Math.min(columns.count, from + step);
      const part = <T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(column: T): T => column.subarray(from, to) as T;
      store.append({
        count: to - from,
        caseCode: part(columns.caseCode),
        activityCode: part(columns.activityCode),
        resourceCode: part(columns.resourceCode),
        groupCode: part(columns.groupCode),
        timestampMs: part(columns.timestampMs),
        startTimestampMs: columns.startTimestampMs ? part(columns.startTimestampMs) : undefined,
        lifecycle: part(columns.lifecycle),
        fileIndex: part(columns.fileIndex),
        sourceRow: part(columns.sourceRow),
        attributes: new Map([...(columns.attributes ?? new Map<string, Int32Array>())].map(([name, codes]) => [name, part(codes)])),
      });
    }
    store.finish();
    const ranges: StoredRange[] = [];
    for await (const range of store.ranges(caseCount, rangeCount)) ranges.push(range);
    return ranges;
  } finally {
    store.close();
  }
}

/** The ranges joined: the columns of one log over all cases. */
function joined(ranges: readonly StoredRange[]) {
  const cat = <T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(pick: (range: StoredRange) => T, make: (n: number) => T): T => {
    const out = make(ranges.reduce((sum, range) => sum + pick(range).length, 0));
    let at = 0;
    for (const range of ranges) {
      out.set(pick(range) as never, at);
      at += pick(range).length;
    }
    return out;
  };
  const caseCount = ranges.reduce((sum, range) => sum + range.caseCount, 0);
  const caseStart = new Int32Array(caseCount + 1);
  let base = 0;
  for (const range of ranges) {
    for (let k = 1; k <= range.caseCount; k++) caseStart[range.firstCase + k] = base + range.caseStart[k];
    base += range.eventCount;
  }
  return {
    caseStart,
    activityCode: cat((r) => r.activityCode, (n) => new Int32Array(n)),
    resourceCode: cat((r) => r.resourceCode, (n) => new Int32Array(n)),
    groupCode: cat((r) => r.groupCode, (n) => new Int32Array(n)),
    timestampMs: cat((r) => r.timestampMs, (n) => new Float64Array(n)),
    startTimestampMs: ranges[0].startTimestampMs ? cat((r) => r.startTimestampMs as Float64Array, (n) => new Float64Array(n)) : undefined,
    lifecycle: cat((r) => r.lifecycle, (n) => new Uint8Array(n)),
    fileIndex: cat((r) => r.fileIndex, (n) => new Uint16Array(n)),
    sourceRow: cat((r) => r.sourceRow, (n) => new Int32Array(n)),
  };
}

async function expectLogRoundTrip(log: EventLog, rangeCounts: number[]): Promise<void> {
  const columns = pushedColumns(log);
  const attributeNames = [...log.attributes.keys()];
  for (const rangeCount of rangeCounts) {
    const ranges = await rangesOf(columns, log.caseCount, rangeCount, 3);
    expect(ranges.length).toBe(Math.min(rangeCount, log.caseCount));
    // Contiguous, in case order, covering every case.
    ranges.forEach((range, p) => expect(range.firstCase).toBe(p === 0 ? 0 : ranges[p - 1].firstCase + ranges[p - 1].caseCount));
    const whole = joined(ranges);
    expect(whole.caseStart).toEqual(log.caseStart);
    expect(whole.activityCode).toEqual(log.activityCode);
    expect(whole.resourceCode).toEqual(log.resourceCode);
    expect(whole.groupCode).toEqual(log.groupCode);
    expect(whole.timestampMs).toEqual(log.timestampMs);
    expect(whole.startTimestampMs).toEqual(log.startTimestampMs);
    expect(whole.lifecycle).toEqual(log.lifecycle);
    expect(whole.fileIndex).toEqual(log.fileIndex);
    expect(whole.sourceRow).toEqual(log.sourceRow);
    for (const name of attributeNames) {
      const codes = new Int32Array(log.eventCount);
      let at = 0;
      for (const range of ranges) {
        codes.set(range.attributes.get(name) as Int32Array, at);
        at += range.eventCount;
      }
      expect(codes).toEqual(log.attributes.get(name)?.codes);
    }
  }
}

/** `n` events of case 0, event i of activity i, with the given timestamps and source rows (the rest 0, no start). */
function oneCaseColumns(n: number, timestampMs: Float64Array, sourceRow: Int32Array): StoreColumns {
  return {
    count: n,
    caseCode: new Int32Array(n),
    activityCode: Int32Array.from({ length: n }, (_, i) => i),
    resourceCode: new Int32Array(n),
    groupCode: new Int32Array(n),
    timestampMs,
    startTimestampMs: undefined,
    lifecycle: new Uint8Array(n),
    fileIndex: new Uint16Array(n),
    sourceRow,
  };
}

describe('EventStore', () => {
  it('gives back contiguous case ranges sorted by (case, timestamp, file, row, push order), hand-built', async () => {
    // Cases interleaved; case 1 out of time order; case 0 has two events at one instant from one file row each and
    // two events with the same (timestamp, file, row), which only the push order tells apart.
    const columns: StoreColumns = {
      count: 8,
      caseCode: Int32Array.of(0, 1, 0, 2, 1, 0, 0, 0),
      activityCode: Int32Array.of(10, 11, 12, 13, 14, 15, 16, 17),
      resourceCode: Int32Array.of(0, 1, MISSING_CODE, 0, 1, 0, 0, 2),
      groupCode: Int32Array.of(MISSING_CODE, MISSING_CODE, MISSING_CODE, MISSING_CODE, MISSING_CODE, MISSING_CODE, MISSING_CODE, MISSING_CODE),
      timestampMs: Float64Array.of(5, 9, 5, 1, 3, 2, 5, 5),
      startTimestampMs: Float64Array.of(NaN, 1, NaN, 0, NaN, 1, NaN, 4),
      lifecycle: Uint8Array.of(1, 2, 1, 1, 2, 1, 1, 1),
      fileIndex: Uint16Array.of(0, 0, 0, 1, 0, 0, 0, 1),
      sourceRow: Int32Array.of(1, 2, 3, 1, 4, 5, 3, 0),
    };
    const ranges = await rangesOf(columns, 3, 2);
    const whole = joined(ranges);
    // case 0: t=2 (row 5); t=5 file 0 row 1; t=5 file 0 row 3 pushed 3rd; the same pushed 7th; t=5 file 1 row 0.
    // case 1: t=3, t=9; case 2: t=1.
    expect(Array.from(whole.activityCode)).toEqual([15, 10, 12, 16, 17, 14, 11, 13]);
    expect(Array.from(whole.caseStart)).toEqual([0, 5, 7, 8]);
    expect(Array.from(whole.resourceCode)).toEqual([0, 0, MISSING_CODE, 0, 2, 1, 1, 0]);
    expect(Array.from(whole.startTimestampMs ?? [])).toEqual([1, NaN, NaN, NaN, 4, NaN, 1, 0]);
    expect(Array.from(whole.fileIndex)).toEqual([0, 0, 0, 0, 1, 0, 0, 1]);
    // Two ranges of about equal events, a case never split: [0, 1) has 5 events, [1, 3) 3.
    expect(ranges.map((range) => [range.firstCase, range.caseCount, range.eventCount])).toEqual([
      [0, 1, 5],
      [1, 2, 3],
    ]);
  });

  it('orders non-finite and signed-zero timestamps as DuckDB does, attribute codes at their events', async () => {
    // The ranges are sorted in JS (not by an ORDER BY), in DuckDB's order of DOUBLEs: −∞ first, NaN after +∞, −0 equal
    // to 0 (then the source row decides); each attribute code goes to its event, found by push order.
    const timestampMs = Float64Array.of(NaN, 5, Infinity, -0, -Infinity, 0, NaN, 5);
    const n = timestampMs.length;
    const sourceRow = Int32Array.of(7, 6, 5, 4, 3, 2, 1, 0);
    const columns: StoreColumns = {
      ...oneCaseColumns(n, timestampMs, sourceRow),
      // The code of event i is 100 + i, but for event 1, which has none.
      attributes: new Map([['owner', Int32Array.from({ length: n }, (_, i) => (i === 1 ? MISSING_CODE : 100 + i))]]),
    };
    const [range] = await rangesOf(columns, 1, 1, 2, 2);
    // −∞ (event 4); 0 and −0 by source row (5 row 2, 3 row 4); 5 by row (7 row 0, 1 row 6); +∞ (2); NaN by row (6, 0).
    expect(Array.from(range.activityCode)).toEqual([4, 5, 3, 7, 1, 2, 6, 0]);
    expect(Array.from(range.attributes.get('owner') ?? [])).toEqual([104, 105, 103, 107, MISSING_CODE, 102, 106, 100]);
  });

  it('summarizes the events before the ranges: finite time range, non-finite count, lifecycles by activity', async () => {
    const store = await EventStore.open({ memoryLimit: '64MB', threads: 1 });
    try {
      const summary = async (timestampMs: Float64Array, activityCode: Int32Array, lifecycle: Uint8Array) => {
        const count = timestampMs.length;
        const none = new Int32Array(count).fill(MISSING_CODE);
        store.append({ count, caseCode: new Int32Array(count), activityCode, resourceCode: none, groupCode: none, timestampMs, startTimestampMs: undefined, lifecycle, fileIndex: new Uint16Array(count), sourceRow: new Int32Array(count) });
        return store.summary(4);
      };
      const first = await summary(Float64Array.of(7, -3, NaN, 12), Int32Array.of(0, 2, 2, 3), Uint8Array.of(1, 2, 2, 3));
      // Activity 1 has no event; 2 has complete (2) only; NaN is neither the least nor the greatest, but counted.
      expect(first).toEqual({ minMs: -3, maxMs: 12, nonFiniteTimes: 1, lifecycles: Uint32Array.of(1 << 1, 0, 1 << 2, 1 << 3) });
    } finally {
      store.close();
    }
    const empty = await EventStore.open({ memoryLimit: '64MB', threads: 1 });
    try {
      const nothing = await empty.summary(2);
      expect([nothing.minMs, nothing.maxMs, nothing.nonFiniteTimes, Array.from(nothing.lifecycles)]).toEqual([NaN, NaN, 0, [0, 0]]);
    } finally {
      empty.close();
    }
  });

  it('keeps the push order among events equal in case, timestamp, file and row (many, across pushes)', async () => {
    // DuckDB's sort does not keep insertion order among equal keys on two threads (2 × 10⁵ rows in a probe: every
    // one out of place), so without the push-order key this fails.
    const n = 200_000;
    const columns = oneCaseColumns(n, new Float64Array(n).fill(7), new Int32Array(n).fill(1));
    const [range] = await rangesOf(columns, 1, 1, 4, 2);
    let inOrder = true;
    for (let i = 0; i < n; i++) if (range.activityCode[i] !== i) inOrder = false;
    expect(inOrder).toBe(true);
  });

  it('removes the folders of stores whose process is gone, not those of live processes or other names', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'vsm-store-sweep-'));
    // A pid past the kernel's pid_max (2^22) belongs to no process.
    for (const name of ['vsm-store-4999999-abc', `vsm-store-${process.pid}-def`, `vsm-store-${process.ppid}-ghi`, 'vsm-store-x', 'other-4999999-abc']) mkdirSync(join(parent, name, 'spill'), { recursive: true });
    const store = await EventStore.open({ folder: parent });
    try {
      expect(readdirSync(parent).filter((name) => !name.startsWith(`vsm-store-${process.pid}-`) || name.endsWith('-def')).sort()).toEqual(
        [`vsm-store-${process.pid}-def`, `vsm-store-${process.ppid}-ghi`, 'vsm-store-x', 'other-4999999-abc'].sort(),
      );
      expect(removeAbandonedStores(parent)).toBe(0);
    } finally {
      store.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('says "ran out of disk or memory" with the fix for DuckDB\'s resource errors, and rethrows the others as they are', async () => {
    const store = await EventStore.open({ memoryLimit: '64MB', threads: 1 });
    try {
      // The private mapping every query, append and flush goes through (a real disk-full or out-of-memory run is not
      // reproducible in a test).
      const failed = (error: unknown) => (store as unknown as { failed(error: unknown): never }).failed(error);
      for (const message of ['Out of Memory Error: failed to pin block of size 256.0 KiB (244.1 MiB/244.1 MiB used)\n\nPossible solutions:', 'IO Error: Could not write file "x.tmp": No space left on device']) {
        let caught: unknown;
        try {
          failed(new Error(message));
        } catch (error) {
          caught = error;
        }
        expect(isVsmError(caught) && [caught.code, caught.what, caught.got]).toEqual(['INPUT_TOO_LARGE', 'the event store ran out of disk or memory', message.split('\n')[0]]);
        expect(isVsmError(caught) && caught.fix).toMatch(/TMPDIR/);
      }
      const other = new Error('Binder Error: column "zz" not found');
      expect(() => failed(other)).toThrow(other);
    } finally {
      store.close();
    }
  });

  it('has no start column when no push had one, and cases with no event are empty ranges', async () => {
    const columns: StoreColumns = {
      count: 2,
      caseCode: Int32Array.of(2, 0),
      activityCode: Int32Array.of(1, 2),
      resourceCode: Int32Array.of(0, 0),
      groupCode: Int32Array.of(0, 0),
      timestampMs: Float64Array.of(1, 2),
      startTimestampMs: undefined,
      lifecycle: Uint8Array.of(1, 1),
      fileIndex: Uint16Array.of(0, 0),
      sourceRow: Int32Array.of(1, 2),
    };
    const ranges = await rangesOf(columns, 3, 3);
    expect(ranges.map((range) => range.eventCount)).toEqual([1, 0, 1]);
    expect(ranges[0].startTimestampMs).toBeUndefined();
  });

  it('removes its folder on close, also when closed twice', async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('vsm-store-')).length;
    const store = await EventStore.open({});
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('vsm-store-')).length).toBe(before + 1);
    store.close();
    store.close();
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('vsm-store-')).length).toBe(before);
  });

  it('round-trips fixture logs: the ranges joined are the in-memory log', async () => {
    const options: Record<string, ReadOptions> = {
      'fixtures/csv/day-first.csv': { dateFormat: 'dd/MM/yyyy HH:mm' },
      'fixtures/xes/lifecycle-pairs.xes': {},
      'fixtures/csv/status-changes.csv': { shape: 'status', mapping: { case: 'ticket', activity: 'status', resource: 'agent', group: 'team', timestamp: 'changed' } },
    };
    for (const [file, readOptions] of Object.entries(options)) {
      const { log } = await readLog(new URL(`../../${file}`, import.meta.url).pathname, readOptions);
      await expectLogRoundTrip(log, [1, 2, log.caseCount]);
    }
  });

  it('round-trips shared logs (running example, sepsis)', async () => {
    for (const name of ['data/running-example.csv', 'data/sepsis.csv.gz']) {
      const path = sharedOrSkip(name);
      if (path === undefined) return;
      const { log } = await readLog(path);
      await expectLogRoundTrip(log, [1, 5]);
    }
  });
});

describe('cutByEvents', () => {
  it('cuts into about equal event counts without splitting a case', () => {
    expect(cutByEvents(Int32Array.of(1, 1, 1, 1), 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(cutByEvents(Int32Array.of(10, 1, 1, 1), 2)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 4 },
    ]);
    expect(cutByEvents(Int32Array.of(1, 2), 5)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(cutByEvents(new Int32Array(0), 3)).toEqual([{ start: 0, end: 0 }]);
  });
});
