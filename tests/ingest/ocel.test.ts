import { describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { listOcelObjectTypes, readOcel } from '../../src/ingest/ocel.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { attributeOf, type EventLog } from '../../src/model/event-log.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const SAMPLES = `${SHARED_DIR}/formats/samples/ocel`;
const JSON_SAMPLE = `${SAMPLES}/pm4py_ocel20_example.jsonocel`;
const XML_SAMPLE = `${SAMPLES}/pm4py_ocel20_example.xmlocel`;
const FIXTURE = 'fixtures/ocel/employees-orders.jsonocel';

/** Per case: [activity, ISO time] in log order. */
function casesOf(log: EventLog): Record<string, [string, string][]> {
  const out: Record<string, [string, string][]> = {};
  for (let c = 0; c < log.caseCount; c++) {
    const events: [string, string][] = [];
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) {
      events.push([log.activities.values[log.activityCode[i]], new Date(log.timestampMs[i]).toISOString()]);
    }
    out[log.caseIds.values[c]] = events;
  }
  return out;
}

async function readError(path: string, options: ReadOptions = {}): Promise<VsmError> {
  try {
    await readOcel(path, options);
  } catch (error) {
    if (error instanceof VsmError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

describe.skipIf(!hasShared(SAMPLES))('readOcel on the pm4py OCEL 2.0 samples', () => {
  it('lists object types with objects and related events', async () => {
    // Hand count from the 13 events' relationships: Invoice R1–R3 ← e5–e13 (9 events); Purchase Order
    // PO1 ← e3–e6, PO2 ← e10 (5); Payment P1–P3 ← e7, e8, e13 (3); Purchase Requisition PR1 ← e1–e3 (3).
    const expected = [
      { type: 'Invoice', objects: 3, events: 9 },
      { type: 'Purchase Order', objects: 2, events: 5 },
      { type: 'Payment', objects: 3, events: 3 },
      { type: 'Purchase Requisition', objects: 1, events: 3 },
    ];
    expect(await listOcelObjectTypes(JSON_SAMPLE)).toEqual(expected);
    expect(await listOcelObjectTypes(XML_SAMPLE)).toEqual(expected);
  });

  it('flattens the JSON by Invoice (picked: most related events) into 9 rows', async () => {
    const { log, report } = await readOcel(JSON_SAMPLE, {});
    expect(report.notes[0]).toBe(
      'case notion: object type "Invoice" (picked: most related events); object types: Invoice (3 objects, 9 events), Purchase Order (2 objects, 5 events), Payment (3 objects, 3 events), Purchase Requisition (1 objects, 3 events)',
    );
    expect(log.eventCount).toBe(9); // FORMATS.md §10 check 8
    // A row is an OCEL event: 13 events = 9 used (each related to exactly one invoice) + e1–e4, related to no invoice (ignored).
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([13, 9, 0, 4]);
    expect(report.ignored).toEqual({ 'not related to any "Invoice" object (the case notion; pick another with --object-type)': 4 });
    expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.rowsIgnored + report.duplicatesDropped);
    expect(casesOf(log)).toEqual({
      R1: [['Insert Invoice', '2022-01-14T11:00:00.000Z'], ['Insert Payment', '2022-01-30T22:00:00.000Z']],
      R2: [['Insert Invoice', '2022-01-16T10:00:00.000Z'], ['Insert Payment', '2022-01-31T21:00:00.000Z']],
      R3: [
        ['Insert Invoice', '2022-02-02T08:00:00.000Z'],
        ['Create Purchase Order', '2022-02-02T16:00:00.000Z'],
        ['Set Payment Block', '2022-02-03T06:30:00.000Z'],
        ['Remove Payment Block', '2022-02-03T22:30:00.000Z'],
        ['Insert Payment', '2022-02-28T22:00:00.000Z'],
      ],
    });
    // R3: 2022-02-02T08:00 → 02-28T22:00 = 26 d 14 h = 2,296,800 s.
    const r3 = log.caseIds.codeOf('R3');
    expect(log.timestampMs[log.caseStart[r3 + 1] - 1] - log.timestampMs[log.caseStart[r3]]).toBe(2_296_800_000);
    // is_blocked history No (1970) → Yes → No: the case attribute is the first value.
    const blocked = log.caseAttributes.get('is_blocked');
    expect(blocked?.dictionary.valueOf(blocked.codes[r3])).toBe('No');
    expect(attributeOf(log, 'invoice_inserter', 0)).toBe('Luke');
    expect(report.notes).toContain('no resource found: pass --resource with an event attribute or an object type');
    expect(report.timeZone.offsetsSeen).toEqual(['+00:00']);
  });

  it('flattens by Purchase Order: 5 rows in 2 cases', async () => {
    const { log, report } = await readOcel(JSON_SAMPLE, { objectType: 'Purchase Order' });
    expect(Object.keys(casesOf(log))).toEqual(['PO1', 'PO2']);
    expect(casesOf(log).PO1.map(([activity]) => activity)).toEqual(['Create Purchase Order', 'Change PO Quantity', 'Insert Invoice', 'Insert Invoice']);
    // 13 events: 5 related to a purchase order (used), 8 related to none (ignored), none rejected.
    expect([report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([5, 0, 8]);
  });

  it('reads the XML twin: offset-less times are UTC unless a zone is given', async () => {
    const json = await readOcel(JSON_SAMPLE, { objectType: 'Invoice' });
    const naive = await readOcel(XML_SAMPLE, { objectType: 'Invoice' });
    expect(naive.log.eventCount).toBe(9);
    expect(naive.report.timeZone.assumed).toBe('UTC');
    // The XML was written in CET wall-clock time: one hour later than the JSON's +00:00 times.
    expect(naive.log.timestampMs[0] - json.log.timestampMs[0]).toBe(3_600_000);
    const zoned = await readOcel(XML_SAMPLE, { objectType: 'Invoice', timeZone: 'Europe/Amsterdam' });
    expect(Array.from(zoned.log.timestampMs)).toEqual(Array.from(json.log.timestampMs));
    expect(casesOf(zoned.log)).toEqual(casesOf(json.log));
  });

  it('takes the resource from an event attribute when mapped', async () => {
    const { log, report } = await readOcel(JSON_SAMPLE, { objectType: 'Invoice', mapping: { resource: 'invoice_inserter' } });
    const resources = Array.from(log.resourceCode, (code) => log.resources.valueOf(code) ?? '-');
    // Insert Invoice: R1 Luke, R2 Luke, R3 Mario; other events carry no invoice_inserter.
    expect(resources).toEqual(['Luke', '-', 'Luke', '-', 'Mario', '-', '-', '-', '-']);
    expect(report.mapping.resource).toBe('event attribute invoice_inserter');
  });

  it('rejects an unknown object type with the list to pick from', async () => {
    const error = await readError(JSON_SAMPLE, { objectType: 'Customer' });
    expect(error.code).toBe('BAD_OPTION');
    expect(error.fix).toContain('Invoice (3 objects, 9 events)');
  });
});

describe('readOcel on a hand-made log', () => {
  it('copies shared events, guesses the employee resource, accounts for every row', async () => {
    const { log, report } = await readOcel(FIXTURE, {});
    // orders are related to e1, e2, e4, e5 (4 events) > employees (3) > items (1).
    expect(report.mapping.case).toBe('objects of type "orders"');
    expect(casesOf(log)).toEqual({
      o1: [['place order', '2024-01-01T08:00:00.000Z'], ['ship', '2024-01-03T12:30:00.000Z']],
      o2: [['place order', '2024-01-01T10:00:00.000Z'], ['ship', '2024-01-03T12:30:00.000Z']],
    });
    // Rows are events: e1, e2, e4 used (e4 is copied into o1 and o2 but is one row) + e3 not related (ignored)
    // + e5 bad time + e6 no type (rejected) = 6 = 3 + 2 + 1.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([6, 3, 2, 1]);
    expect(log.eventCount).toBe(4);
    expect(report.rejections['bad-timestamp']?.examples[0]).toMatchObject({ row: 5, value: 'next tuesday' });
    expect(report.rejections['bad-event']?.examples[0].row).toBe(6);
    expect(report.notes).toContain('1 events are related to several orders objects and were copied into each of their cases');
    expect(report.notes).toContain('1 orders objects have no usable event and are not cases');
    expect(report.notes).toContain('1 event→object relationships name an object the log does not define; ignored'); // e2 → "ghost"
    expect(report.mapping.resource).toBe('related employees object');
    expect(Array.from(log.resourceCode, (code) => log.resources.valueOf(code) ?? '-')).toEqual(['ann', 'bob', '-', 'bob']);
    expect(attributeOf(log, 'channel', 2)).toBe('42');
    const priority = log.caseAttributes.get('priority');
    expect(priority?.dictionary.valueOf(priority.codes[log.caseIds.codeOf('o1')])).toBe('low'); // 1970 value first
    expect(report.timeZone.offsetsSeen).toEqual(['+01:00', 'Z']);
  });

  it('maps the resource to an event attribute instead', async () => {
    const { log } = await readOcel(FIXTURE, { objectType: 'orders', mapping: { resource: 'channel' } });
    expect(log.resources.values).toEqual(['web', '42']);
    expect(log.attributes.has('channel')).toBe(false);
  });

  it('fails clearly on OCEL 1.0, truncated JSON, XES and missing files', async () => {
    expect((await readError('fixtures/ocel/ocel1.jsonocel')).code).toBe('NO_EVENTS'); // OCEL 1.0 is read (ocel-formats.test.ts); this one is empty
    expect((await readError('fixtures/ocel/truncated.jsonocel')).code).toBe('JSON_PARSE');
    expect((await readError('fixtures/xes/lifecycle-pairs.xes')).fix).toContain('--source xes');
    expect((await readError('fixtures/ocel/nope.jsonocel')).code).toBe('FILE_NOT_FOUND');
    expect((await readError('fixtures/xes/empty.xes')).code).toBe('EMPTY_FILE');
  });
});
