import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { readCsv } from '../../src/ingest/csv.js';

let dir = '';
let fileCounter = 0;
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-csv-prop-`);
});

function writeTemp(content: Buffer | string): string {
  const path = `${dir}/f${fileCounter++}.csv`;
  writeFileSync(path, content);
  return path;
}

const cell = fc.string({ unit: fc.constantFrom('a', 'Z', '7', 'é', '日', '😀', ',', ';', '\t', '|', '"', '\n', '\r\n', ' ', '-'), minLength: 1, maxLength: 6 });
const event = fc.record({
  caseId: fc.oneof(cell, fc.constantFrom('c1', 'c2', 'NA')),
  activity: cell,
  resource: fc.option(cell, { nil: undefined }),
  timestampMs: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) }),
});
const layout = fc.record({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  lineEnd: fc.constantFrom('\n', '\r\n'),
  quoteAll: fc.boolean(),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
});

type Layout = { delimiter: string; lineEnd: string; quoteAll: boolean; bom: boolean; finalNewline: boolean };
type Event = { caseId: string; activity: string; resource?: string; timestampMs: number };

function quote(value: string, delimiter: string, quoteAll: boolean): string {
  const needs = value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r');
  return needs || quoteAll ? `"${value.replace(/"/g, '""')}"` : value;
}

function writeCsv(events: Event[], { delimiter, lineEnd, quoteAll, bom, finalNewline }: Layout): string {
  const lines = [['case', 'activity', 'timestamp', 'resource'].join(delimiter)];
  for (const e of events) {
    lines.push([e.caseId, e.activity, new Date(e.timestampMs).toISOString(), e.resource ?? ''].map((v) => (v === '' ? v : quote(v, delimiter, quoteAll))).join(delimiter));
  }
  return `${bom ? '\ufeff' : ''}${lines.join(lineEnd)}${finalNewline ? lineEnd : ''}`;
}

/** The order DESIGN §2 promises: cases by first appearance, then time, then source row. */
function expectedOrder(events: Event[]): [string, string, string | undefined, number][] {
  const firstSeen = new Map<string, number>();
  events.forEach((e) => firstSeen.has(e.caseId) || firstSeen.set(e.caseId, firstSeen.size));
  return events
    .map((e, row) => ({ e, row }))
    .sort((a, b) => (firstSeen.get(a.e.caseId) as number) - (firstSeen.get(b.e.caseId) as number) || a.e.timestampMs - b.e.timestampMs || a.row - b.row)
    .map(({ e }) => [e.caseId, e.activity, e.resource, e.timestampMs]);
}

describe('CSV round-trip and robustness (property)', () => {
  it('random well-formed logs written to CSV read back exactly, with both engines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), layout, async (events, style) => {
        const path = writeTemp(writeCsv(events, style));
        for (const csvEngine of ['fast', 'csv-parse'] as const) {
          const { log, report } = await readCsv(path, { csvEngine, mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp', resource: 'resource' } });
          expect(report.rowsRead).toBe(events.length);
          expect(report.rowsUsed).toBe(events.length);
          const actual = Array.from({ length: log.eventCount }, (_, i) => [
            log.caseIds.valueOf(log.caseCode[i]),
            log.activities.valueOf(log.activityCode[i]),
            log.resources.valueOf(log.resourceCode[i]),
            log.timestampMs[i],
          ]);
          expect(actual).toEqual(expectedOrder(events));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('random byte corruption never crashes: a VsmError or an accounted report', async () => {
    const clean = Buffer.from(
      writeCsv(
        [
          { caseId: 'c1', activity: 'a "x"', resource: 'r,1', timestampMs: Date.UTC(2024, 0, 1) },
          { caseId: 'c1', activity: 'b\nc', timestampMs: Date.UTC(2024, 0, 2) },
          { caseId: 'c2', activity: 'ü', resource: 'r2', timestampMs: Date.UTC(2024, 0, 3) },
        ],
        { delimiter: ',', lineEnd: '\n', quoteAll: false, bom: false, finalNewline: true },
      ),
    );
    const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('replace', 'insert', 'delete') });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), async (edits) => {
        let bytes = Buffer.from(clean);
        for (const { at, byte, kind } of edits) {
          const k = at % Math.max(1, bytes.length);
          if (kind === 'replace') bytes[k] = byte;
          else if (kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, k), Buffer.from([byte]), bytes.subarray(k)]);
          else bytes = Buffer.concat([bytes.subarray(0, k), bytes.subarray(k + 1)]);
        }
        const path = writeTemp(bytes);
        for (const csvEngine of ['auto', 'csv-parse'] as const) {
          try {
            const { report } = await readCsv(path, { csvEngine });
            expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.duplicatesDropped);
          } catch (error) {
            if (!isVsmError(error)) throw error;
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
