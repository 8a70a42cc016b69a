import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWideCsv } from '../../src/ingest/wide-csv.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 0, 1);
const dir = mkdtempSync(join(tmpdir(), 'vsm-wide-prop-'));

/** A wide table: per item, per stage, a day offset from the previous dated stage, or null (blank cell). */
const tableArbitrary = fc.integer({ min: 2, max: 6 }).chain((stageCount) =>
  fc.record({
    stageCount: fc.constant(stageCount),
    rows: fc.array(fc.array(fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }), { minLength: stageCount, maxLength: stageCount }), { minLength: 1, maxLength: 25 }),
  }),
);

describe('wide stage-date CSV, for any table of increasing stage dates', () => {
  it('reads every non-blank cell as one enter event, in column order, and accounts for every cell', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(tableArbitrary, async ({ stageCount, rows }) => {
        const stages = Array.from({ length: stageCount }, (_, k) => `Stage ${String.fromCharCode(65 + k)}`);
        const expected = new Map<string, string[]>();
        const lines = [['Key', 'Summary', ...stages].join(',')];
        let cells = 0;
        rows.forEach((offsets, r) => {
          let dayMs = START_MS + r * DAY_MS;
          const id = `W-${r + 1}`;
          const visits: string[] = [];
          const dates = offsets.map((offset, k) => {
            if (offset === null) return '';
            dayMs += offset * DAY_MS;
            visits.push(`${stages[k]}@${dayMs}`);
            cells++;
            return new Date(dayMs).toISOString().slice(0, 10);
          });
          if (visits.length > 0) expected.set(id, visits);
          lines.push([id, `item ${r + 1}`, ...dates].join(','));
        });
        // A table without any date has no stage column: that is the MISSING_COLUMN error (wide-csv.test.ts).
        fc.pre(cells > 0);
        const path = join(dir, `table-${file++}.csv`);
        writeFileSync(path, `${lines.join('\n')}\n`);
        const { log, report } = await readWideCsv(path, { wide: true });
        expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([cells, cells, 0, 0]);
        const actual = new Map<string, string[]>();
        for (let c = 0; c < log.caseCount; c++) {
          const visits: string[] = [];
          for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) visits.push(`${log.activities.values[log.activityCode[i]]}@${log.timestampMs[i]}`);
          actual.set(log.caseIds.values[c], visits);
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
