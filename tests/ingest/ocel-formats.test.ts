import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { readLog } from '../../src/ingest/read-log.js';
import { listOcelObjectTypes, readOcel } from '../../src/ingest/ocel.js';
import { isSqliteFile, readOcelSqliteContent } from '../../src/ingest/ocel-sqlite.js';
import { sniffSource } from '../../src/ingest/sniff.js';
import type { EventLog } from '../../src/model/event-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { SHARED_DIR } from '../shared-dir.js';

const PM4PY_SAMPLE = `${SHARED_DIR}/formats/samples/ocel/pm4py_ocel20_example.jsonocel`;

/** One order-to-delivery process written four ways (fixtures/README.md, "order-flow"). */
const FORMS = {
  'OCEL 2.0 JSON': 'fixtures/ocel/order-flow.jsonocel',
  'OCEL 1.0 JSON': 'fixtures/ocel/order-flow-v1.jsonocel',
  'OCEL 1.0 XML': 'fixtures/ocel/order-flow-v1.xmlocel',
  'OCEL 2.0 SQLite': 'fixtures/ocel/order-flow.sqlite',
} as const;
const H = 3_600_000;

/** Everything flattening decides, per event in log order: case, activity, time, resource, channel. */
function flatRows(log: EventLog): string[] {
  const channel = log.attributes.get('channel');
  const rows: string[] = [];
  for (let c = 0; c < log.caseCount; c++) {
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) {
      const channelValue = channel ? (channel.dictionary.valueOf(channel.codes[i]) ?? '-') : '-';
      rows.push(
        [log.caseIds.values[c], log.activities.values[log.activityCode[i]], new Date(log.timestampMs[i]).toISOString(), log.resources.valueOf(log.resourceCode[i]) ?? '-', channelValue].join(' | '),
      );
    }
  }
  return rows;
}

function casePriority(log: EventLog, caseId: string): string | undefined {
  const priority = log.caseAttributes.get('priority');
  return priority?.dictionary.valueOf(priority.codes[log.caseIds.codeOf(caseId)]);
}

describe.each(Object.entries(FORMS))('%s (order-flow)', (format, path) => {
  it('flattens by orders into the hand-computed log', async () => {
    const { log, report } = await readOcel(path, { objectType: 'orders' });
    expect(flatRows(log)).toEqual([
      'o1 | place order | 2024-03-04T09:00:00.000Z | ann | web',
      'o1 | pick item | 2024-03-04T13:00:00.000Z | bob | -',
      'o1 | pick item | 2024-03-05T09:30:00.000Z | bob | -',
      'o1 | ship | 2024-03-06T08:00:00.000Z | carl | -',
      'o2 | place order | 2024-03-04T10:00:00.000Z | bob | phone',
      'o2 | pick item | 2024-03-05T11:00:00.000Z | ann | -',
      'o2 | ship | 2024-03-06T16:00:00.000Z | carl | -',
    ]);
    // 8 events (a row is an event, docs/ingest-accounting.md): e1–e7 each touch one order (7 used), e8 "check stock"
    // touches only item i1 (ignored: outside the case notion, nothing wrong with it).
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored, report.duplicatesDropped]).toEqual([8, 7, 0, 1, 0]);
    expect(report.ignored).toEqual({ 'not related to any "orders" object (the case notion; pick another with --object-type)': 1 });
    expect(report.mapping.resource).toBe('related employees object');
    expect(casePriority(log, 'o1')).toBe('high');
    expect(casePriority(log, 'o2')).toBe('low');
    if (format !== 'OCEL 2.0 JSON') expect(report.notes[0]).toMatch(new RegExp(`^read as ${format}`));
  });

  it('flattens by items, copying shared events, with every row accounted', async () => {
    const { log, report } = await readOcel(path, { objectType: 'items' });
    // i1: e1, e8, e3, e6 (4) · i2: e1, e4, e6 (3) · i3: e2, e5, e7 (3) = 10 log events from 8 rows (events e1–e8, each
    // used once); e1 and e6 touch two items and are copied.
    expect([log.caseCount, log.eventCount, report.rowsRead, report.rowsUsed, report.rowsRejected]).toEqual([3, 10, 8, 8, 0]);
    expect(report.notes).toContain('2 events are related to several items objects and were copied into each of their cases');
  });

  it('measures the hand-computed lead times', async () => {
    const { log, report } = await readOcel(path, { objectType: 'orders' });
    const analysis = analyzeLog(log, report, { logName: 'order-flow' }).report;
    // o1: 03-04 09:00 → 03-06 08:00 = 47 h; o2: 03-04 10:00 → 03-06 16:00 = 54 h; median of two = 50.5 h.
    expect(analysis.leadTimeMs.n).toBe(2);
    expect(analysis.leadTimeMs.median).toBe(50.5 * H);
    expect(analysis.leadTimeMs.censored).toBe(0);
  });

  it('is sniffed by content, whatever the file is called', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-ocel-'));
    const renamed = join(dir, 'export.dat');
    copyFileSync(path, renamed);
    expect(sniffSource(renamed).source).toBe('ocel');
  });
});

describe('the same process in every OCEL form', () => {
  it('gives the same flattened log, case attributes and object-type counts', async () => {
    const reference = await readOcel(FORMS['OCEL 2.0 JSON'], {});
    const referenceTypes = await listOcelObjectTypes(FORMS['OCEL 2.0 JSON']);
    // items (3 objects, 8 events) lead, so items is the case notion picked without --object-type.
    expect(referenceTypes[0]).toEqual({ type: 'items', objects: 3, events: 8 });
    for (const path of Object.values(FORMS).slice(1)) {
      const other = await readOcel(path, {});
      expect(flatRows(other.log), path).toEqual(flatRows(reference.log));
      expect(Array.from(other.log.timestampMs), path).toEqual(Array.from(reference.log.timestampMs));
      expect(other.report.mapping, path).toEqual(reference.report.mapping);
      expect(await listOcelObjectTypes(path), path).toEqual(referenceTypes);
    }
  });

  it('reads OCEL 1.0 and SQLite through readLog with --object-type', async () => {
    const { log, report } = await readLog(FORMS['OCEL 2.0 SQLite'], { objectType: 'orders' });
    expect(report.format).toBe('ocel');
    expect(report.formatDetectedBy).toContain('SQLite');
    expect(log.caseIds.values).toEqual(['o1', 'o2']);
    // SQLite times are offset-less TEXT (as pandas writes them): read as UTC, and the report says so.
    expect(report.timeZone.assumed).toBe('UTC');
    const v1 = await readLog(FORMS['OCEL 1.0 XML'], { objectType: 'employees' });
    // ann: e1, e5 · bob: e2, e3, e4 · carl: e6, e7.
    expect(v1.log.caseIds.values.slice().sort()).toEqual(['ann', 'bob', 'carl']);
    expect(v1.log.eventCount).toBe(7);
  });
});

describe.skipIf(!existsSync(PM4PY_SAMPLE))('the pm4py OCEL 2.0 sample written as SQLite by fixtures/ocel/make-sqlite.mjs', () => {
  it('flattens like its JSON original, object attribute history included', async () => {
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'vsm-ocel-pm4py-')), 'ocel20_example.sqlite');
    const made = spawnSync(process.execPath, ['fixtures/ocel/make-sqlite.mjs', PM4PY_SAMPLE, sqlitePath], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const json = await readOcel(PM4PY_SAMPLE, {});
    const sqlite = await readOcel(sqlitePath, {});
    // FORMATS.md §10 check 8: flattened by Invoice, 9 rows of 13 events.
    expect([sqlite.log.eventCount, sqlite.report.rowsRead]).toEqual([9, 13]);
    expect(flatRows(sqlite.log)).toEqual(flatRows(json.log));
    expect(Array.from(sqlite.log.timestampMs)).toEqual(Array.from(json.log.timestampMs));
    // R3's is_blocked history No (1970, initial row) → Yes → No (two ocel_changed_field rows of object_Invoice).
    const content = await readOcelSqliteContent(sqlitePath);
    expect(content.objects.get('R3')?.attributes.map(({ time, value }) => `${time.slice(0, 10)} ${value}`)).toEqual(['1970-01-01 No', '2022-02-03 Yes', '2022-02-03 No']);
    const blocked = sqlite.log.caseAttributes.get('is_blocked');
    expect(blocked?.dictionary.valueOf(blocked.codes[sqlite.log.caseIds.codeOf('R3')])).toBe('No');
    expect(await listOcelObjectTypes(sqlitePath)).toEqual(await listOcelObjectTypes(PM4PY_SAMPLE));
  });
});

describe('OCEL SQLite and 1.0 errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-ocel-bad-'));

  async function readError(path: string): Promise<VsmError> {
    try {
      await readOcel(path, {});
    } catch (error) {
      if (error instanceof VsmError) return error;
      throw error;
    }
    throw new Error(`expected ${path} to fail`);
  }

  it('names the missing OCEL tables of a SQLite file of another schema', async () => {
    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE tickets (id TEXT)');
    const path = join(dir, 'tickets.db');
    writeFileSync(path, db.export());
    db.close();
    expect(isSqliteFile(path)).toBe(true);
    const error = await readError(path);
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.got).toContain('no table event, object, event_object');
    expect(error.got).toContain('tickets');
  });

  it('refuses a SQLite file above the in-memory limit before reading it', async () => {
    const { OCEL_SQLITE_MAX_BYTES } = await import('../../src/ingest/ocel-sqlite.js');
    const { truncateSync } = await import('node:fs');
    const path = join(dir, 'huge.sqlite');
    writeFileSync(path, 'SQLite format 3\u0000');
    truncateSync(path, OCEL_SQLITE_MAX_BYTES + 1); // sparse: no disk used
    const error = await readError(path);
    expect(error.what).toBe('OCEL SQLite file too large to read in memory');
    expect(error.got).toBe('268,435,457 bytes (limit 268,435,456 bytes = 256 MiB)');
    expect(error.fix).toContain('OCEL 2.0 JSON or XML');
  });

  it('asks to gunzip a gzip-compressed SQLite file', async () => {
    const { gzipSync } = await import('node:zlib');
    const { readFileSync } = await import('node:fs');
    const path = join(dir, 'order-flow.sqlite.gz');
    writeFileSync(path, gzipSync(readFileSync(FORMS['OCEL 2.0 SQLite'])));
    expect(() => sniffSource(path)).toThrow('gzip-compressed SQLite database');
  });

  it('says a truncated SQLite file cannot be read', async () => {
    const path = join(dir, 'cut.sqlite');
    const { readFileSync } = await import('node:fs');
    writeFileSync(path, readFileSync(FORMS['OCEL 2.0 SQLite']).subarray(0, 1024));
    expect((await readError(path)).code).toBe('UNKNOWN_FORMAT');
  });

  it('rejects an OCEL 1.0 event without a timestamp and keeps the rest', async () => {
    const path = join(dir, 'missing-time.jsonocel');
    writeFileSync(
      path,
      JSON.stringify({
        'ocel:global-log': { 'ocel:object-types': ['orders'] },
        'ocel:events': {
          e1: { 'ocel:activity': 'place order', 'ocel:timestamp': '2024-03-04T09:00:00Z', 'ocel:omap': ['o1'], 'ocel:vmap': {} },
          e2: { 'ocel:activity': 'ship', 'ocel:omap': ['o1'], 'ocel:vmap': {} },
        },
        'ocel:objects': { o1: { 'ocel:type': 'orders', 'ocel:ovmap': {} } },
      }),
    );
    const { log, report } = await readOcel(path, {});
    expect(log.eventCount).toBe(1);
    expect([report.rowsRead, report.rowsUsed, report.rejections['bad-event']?.count]).toEqual([2, 1, 1]);
    expect(report.rejections['bad-event']?.examples[0].message).toContain('ocel:timestamp');
  });
});
