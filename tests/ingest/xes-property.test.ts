import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readXes } from '../../src/ingest/xes.js';

interface GeneratedEvent {
  activity: string;
  timestampMs: number;
  offsetMinutes: number;
}

const textUnit = fc.constantFrom('a', 'B', ' ', '&', '<', '>', '"', "'", 'é', '中', '😀', ':', '-');
const eventArbitrary = fc.record({
  activity: fc.string({ unit: textUnit, minLength: 1, maxLength: 8 }),
  // 1970 … 2033, whole milliseconds.
  timestampMs: fc.integer({ min: 0, max: 2_000_000_000_000 }),
  offsetMinutes: fc.constantFrom(-300, 0, 60, 120, 330),
});
const logArbitrary = fc.array(fc.array(eventArbitrary, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 });

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The instant written as wall-clock time at `offsetMinutes` with an explicit ±hh:mm offset. */
function xesDate(event: GeneratedEvent): string {
  const wall = new Date(event.timestampMs + event.offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = event.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(event.offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function toXes(traces: GeneratedEvent[][]): string {
  const body = traces
    .map((events, c) => {
      const eventXml = events
        .map((e) => `<event><string key="concept:name" value="${escapeXml(e.activity)}"/><date key="time:timestamp" value="${xesDate(e)}"/></event>`)
        .join('\n');
      return `<trace><string key="concept:name" value="case &amp; ${c}"/>\n${eventXml}</trace>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<log>\n${body}\n</log>\n`;
}

describe('readXes property: what is written is what is read', () => {
  it('keeps every event, escaped names and the true UTC instant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsm-xes-prop-'));
    await fc.assert(
      fc.asyncProperty(logArbitrary, async (traces) => {
        const path = join(dir, 'log.xes');
        writeFileSync(path, toXes(traces));
        const { log, report } = await readXes(path, {});
        expect(report.rowsUsed).toBe(traces.flat().length);
        expect(log.caseCount).toBe(traces.length);
        traces.forEach((events, c) => {
          const code = log.caseIds.codeOf(`case & ${c}`);
          // Expected order: the log's stable sort by time, ties in file order.
          const expected = events.map((e, k) => ({ ...e, k })).sort((a, b) => a.timestampMs - b.timestampMs || a.k - b.k);
          const read = [];
          for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
            read.push([log.activities.values[log.activityCode[i]], log.timestampMs[i]]);
          }
          expect(read).toEqual(expected.map((e) => [e.activity, e.timestampMs]));
        });
      }),
      { numRuns: 60 },
    );
  });
});
