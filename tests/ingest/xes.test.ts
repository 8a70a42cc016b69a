import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { readXes } from '../../src/ingest/xes.js';
import { activityCounts, attributeOf, lifecycleOf, type EventLog } from '../../src/model/event-log.js';

const FIXTURES = 'fixtures/xes';

/** Events of case `caseId` in log order as [activity, ISO time]. */
function eventsOf(log: EventLog, caseId: string): [string, string][] {
  const c = log.caseIds.codeOf(caseId);
  const out: [string, string][] = [];
  for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) {
    out.push([log.activities.values[log.activityCode[i]], new Date(log.timestampMs[i]).toISOString()]);
  }
  return out;
}

async function readError(path: string): Promise<VsmError> {
  try {
    await readXes(path, {});
  } catch (error) {
    if (error instanceof VsmError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('readXes on lifecycle-pairs.xes', () => {
  it('reads cases, lifecycles, offsets, groups and intervals', async () => {
    const { log, report } = await readXes(`${FIXTURES}/lifecycle-pairs.xes`, {});
    expect(log.caseCount).toBe(2);
    expect(log.eventCount).toBe(4);
    expect(report.rowsRead).toBe(4);
    expect(report.rowsUsed).toBe(4);
    // <global> and <classifier> hold a date and a concept:name but are not events.
    expect(eventsOf(log, 'order-1')).toEqual([
      ['Review', '2024-03-30T08:00:00.000Z'], // 09:00 +01:00
      ['Review', '2024-03-31T08:30:00.250Z'], // 10:30:00.250 +02:00
      ['Ship', '2024-03-31T08:45:00.000Z'],
    ]);
    // start → complete across the DST change, true elapsed time: 24 h 30 min 0.25 s = 88,200,250 ms.
    expect(log.timestampMs[1] - log.timestampMs[0]).toBe(88_200_250);
    expect([0, 1, 2, 3].map((i) => lifecycleOf(log, i))).toEqual(['start', 'complete', 'schedule', 'complete']);
    expect(report.lifecycleValues).toEqual({ start: 1, COMPLETE: 1, schedule: 1, complete: 1 });
    expect(report.timeZone.offsetsSeen).toEqual(['+01:00', '+02:00', '-05:00', 'Z']);
    expect(report.timeZone.assumed).toBeUndefined();

    expect(log.resources.valueOf(log.resourceCode[0])).toBe('Ann');
    expect(log.resourceCode[2]).toBe(-1);
    // org:group where present, org:role where not.
    expect([0, 1, 2, 3].map((i) => log.groups.valueOf(log.groupCode[i]))).toEqual(['Sales', 'Sales', 'Logistics', 'Back office']);
    expect(report.mapping.group).toBe('org:group, else org:role');
    expect(report.notes.some((n) => n.includes('2 events without it took org:role'))).toBe(true);

    // order-2's single event carries its own start: 11:15 -05:00 = 16:15Z, complete 17:00Z.
    expect(log.startTimestampMs).toBeDefined();
    expect(Number.isNaN(log.startTimestampMs?.[0])).toBe(true);
    expect(new Date(log.startTimestampMs?.[3] ?? NaN).toISOString()).toBe('2024-04-01T16:15:00.000Z');
    expect(report.mapping.startTimestamp).toBe('start_timestamp');

    expect(attributeOf(log, 'pages', 1)).toBe('4');
    expect(attributeOf(log, 'pages', 0)).toBeUndefined();
    expect(attributeOf(log, 'org:role', 2)).toBe('Logistics');
    const amount = log.caseAttributes.get('amount');
    expect(amount?.dictionary.valueOf(amount.codes[log.caseIds.codeOf('order-1')])).toBe('120.5');
    expect(log.caseAttributes.has('creator')).toBe(false); // a log-level attribute, not a case one
    expect(report.timeRange).toEqual({ from: '2024-03-30T08:00:00.000Z', to: '2024-04-01T17:00:00.000Z' });
    expect(log.sourceRow[3]).toBe(4);
  });

  it('keeps no extra attributes when keepAttributes is false', async () => {
    const { log } = await readXes(`${FIXTURES}/lifecycle-pairs.xes`, { keepAttributes: false });
    expect(log.attributes.size).toBe(0);
    expect(log.caseAttributes.size).toBe(0);
  });

  it('lets the mapping override keys: resource from org:group, no group fallback', async () => {
    const { log, report } = await readXes(`${FIXTURES}/lifecycle-pairs.xes`, { mapping: { resource: 'org:group', group: 'none' } });
    expect(log.resources.values).toEqual(['Sales']);
    expect(log.groups.size).toBe(0);
    expect(report.mapping.resource).toBe('org:group');
    expect(report.mapping.group).toBeUndefined();
  });
});

describe('readXes rejections', () => {
  it('accounts for every event with a reason, ordinal and line', async () => {
    const { log, report } = await readXes(`${FIXTURES}/missing-fields.xes`, {});
    // 8 <event>s: 2 in a trace without id, 1 early event kept, 4 with bad fields, 1 string-typed time kept.
    expect(report.rowsRead).toBe(8);
    expect(report.rowsUsed).toBe(2);
    expect(report.rowsRejected).toBe(6);
    expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
    expect(report.rejections['missing-case']?.count).toBe(2);
    expect(report.rejections['missing-case']?.examples[0]).toMatchObject({ row: 1, column: 'concept:name' });
    expect(report.rejections['missing-case']?.examples[0].message).toContain('XML line 5');
    expect(report.rejections['missing-activity']).toMatchObject({ count: 1, examples: [{ row: 4 }] });
    expect(report.rejections['missing-timestamp']).toMatchObject({ count: 1, examples: [{ row: 5 }] });
    expect(report.rejections['bad-timestamp']).toMatchObject({ count: 1, examples: [{ row: 6, value: '2024-02-30T10:00:00Z' }] });
    expect(report.rejections['bad-start-timestamp']).toMatchObject({ count: 1, examples: [{ row: 8, value: 'yesterday' }] });
    // The event before the trace's concept:name still lands in that case; the empty trace is no case.
    expect(log.caseCount).toBe(1);
    expect(eventsOf(log, 'late-id')).toEqual([
      ['Early', '2024-01-02T09:00:00.000Z'],
      ['String time', '2024-01-02T12:00:00.000Z'],
    ]);
    expect(report.notes).toContain('1 time:timestamp values were <string>, not <date>; read as dates');
    expect(report.notes).toContain('1 <trace> elements had no events');
  });
});

describe('readXes attribute shapes and time zones', () => {
  it('skips nested attribute children and keeps top-level values', async () => {
    const { log, report } = await readXes(`${FIXTURES}/nested-attributes.xes`, {});
    expect(eventsOf(log, 'c1')).toEqual([
      ['Pick', '2024-05-01T08:00:00.000Z'],
      ['Pack', '2024-05-01T09:00:00.000Z'],
    ]);
    expect(attributeOf(log, 'colour', 0)).toBe('blue');
    expect(log.attributes.has('box')).toBe(false); // a container has no value of its own
    // Skipped children one level down: log float (1), list values (1), Pick's string (2), box (2).
    expect(report.notes).toContain('6 nested attribute values (list/container children) skipped; top-level values kept');
  });

  it('reads offset-less dates as UTC and says so', async () => {
    const { log, report } = await readXes(`${FIXTURES}/offsetless.xes`, {});
    expect(new Date(log.timestampMs[0]).toISOString()).toBe('2024-03-30T12:00:00.000Z');
    expect(report.timeZone.assumed).toBe('UTC');
    expect(report.notes[0]).toContain('2 timestamps had no UTC offset; read as UTC');
  });

  it('reads offset-less dates in the given zone, across DST', async () => {
    const { log, report } = await readXes(`${FIXTURES}/offsetless.xes`, { timeZone: 'Europe/Amsterdam' });
    // 12:00 CET (+01:00) = 11:00Z; 12:00 CEST (+02:00) the next day = 10:00Z: 23 h apart, not 24.
    expect(new Date(log.timestampMs[0]).toISOString()).toBe('2024-03-30T11:00:00.000Z');
    expect(new Date(log.timestampMs[1]).toISOString()).toBe('2024-03-31T10:00:00.000Z');
    expect(log.timestampMs[1] - log.timestampMs[0]).toBe(23 * 3_600_000);
    expect(report.timeZone.given).toBe('Europe/Amsterdam');
  });

  it('rejects an unknown zone', async () => {
    await expect(readXes(`${FIXTURES}/offsetless.xes`, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_TIME_ZONE' });
  });

  it('detects gzip by magic bytes, whatever the name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-xes-'));
    const path = join(dir, 'log.xml');
    writeFileSync(path, gzipSync(readFileSync(`${FIXTURES}/lifecycle-pairs.xes`)));
    const seen: number[] = [];
    const { log, report } = await readXes(path, { onProgress: (read) => seen.push(read) });
    expect(log.eventCount).toBe(4);
    expect(report.formatDetectedBy).toBe('sniffed: XML with a <log> root');
    expect(seen.at(-1)).toBe(readFileSync(path).length); // compressed bytes, not text length
  });

  it('reports progress in bytes of the input file', async () => {
    const seen: [number, number][] = [];
    await readXes(`${FIXTURES}/lifecycle-pairs.xes`, { onProgress: (read, total) => seen.push([read, total]) });
    const size = readFileSync(`${FIXTURES}/lifecycle-pairs.xes`).length;
    expect(seen.at(-1)).toEqual([size, size]);
  });
});

describe('readXes fatal errors', () => {
  it('malformed XML gives file:line:column and a fix', async () => {
    const error = await readError(`${FIXTURES}/malformed.xes`);
    expect(error.code).toBe('XML_PARSE');
    // </evnt> closes <event> on line 8; saxes reports the position after the tag.
    expect(error.where).toMatch(/malformed\.xes:8:\d+$/);
    expect(error.got).toContain('unexpected close tag');
    expect(error.fix).toContain('export the log again');
  });

  it('a truncated file is malformed XML', async () => {
    expect((await readError(`${FIXTURES}/truncated.xes`)).code).toBe('XML_PARSE');
  });

  it('XML without a <log> root is not XES', async () => {
    const error = await readError(`${FIXTURES}/not-xes.xml`);
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.got).toContain('<catalog>');
  });

  it('a CSV named .xes is not XES', async () => {
    expect((await readError(`${FIXTURES}/csv-named.xes`)).code).toBe('UNKNOWN_FORMAT');
  });

  it('OCEL 2.0 XML is pointed to --source ocel', async () => {
    const error = await readError('fixtures/ocel/pm4py_ocel20_example.xmlocel');
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.fix).toContain('--source ocel');
  });

  it('empty file, no events, missing path, directory', async () => {
    expect((await readError(`${FIXTURES}/empty.xes`)).code).toBe('EMPTY_FILE');
    expect((await readError(`${FIXTURES}/no-events.xes`)).code).toBe('NO_EVENTS');
    expect((await readError(`${FIXTURES}/does-not-exist.xes`)).code).toBe('FILE_NOT_FOUND');
    expect((await readError(FIXTURES)).code).toBe('NOT_A_FILE');
  });
});

describe('readXes activity counts', () => {
  it('counts activities of the fixture', async () => {
    const { log } = await readXes(`${FIXTURES}/lifecycle-pairs.xes`, {});
    expect(Object.fromEntries(activityCounts(log))).toEqual({ Review: 3, Ship: 1 });
  });
});
