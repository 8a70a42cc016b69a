import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { generateTicketLog, type SyntheticShape } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { reportFromVisits } from '../../src/vsm/analyze.js';
import { type LogHandover, measureVisits } from '../../src/vsm/analyze-visits.js';
import type { VsmConfig } from '../../src/model/config-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-handover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function logFile(shape: SyntheticShape): Promise<string> {
  const path = join(dir, `${shape}.csv`);
  await writeCsv(generateTicketLog({ seed: 7, cases: 400, shape }), path);
  return path;
}

describe('measureVisits on a handed-over log', () => {
  it.each(['activity-start-complete', 'activity-complete-only', 'status-changes'] as const)('gives the report of the log itself (%s) and takes the log out', async (shape) => {
    const path = await logFile(shape);
    const readOptions = shape === 'status-changes' ? { shape: 'status' as const } : {};
    const options = { logName: shape, activityTable: false };
    const held = await readLog(path, readOptions);
    const fromLog = reportFromVisits(measureVisits(held.log, held.report, options), held.report, options).report;
    const read = await readLog(path, readOptions);
    const handover: LogHandover = { log: read.log };
    const measured = measureVisits(handover, read.report, options);
    expect(handover.log).toBeUndefined();
    expect(JSON.stringify(reportFromVisits(measured, read.report, options).report)).toBe(JSON.stringify(fromLog));
    expect(() => measureVisits(handover, read.report, options)).toThrow(/already taken/);
  });

  it.each(['resource', 'group'] as const)('gives the same report with the owners at the %s level (the other owner column dropped)', async (ownerLevel) => {
    const path = await logFile('activity-start-complete');
    const options = { logName: 'owners', activityTable: false, config: { ownerLevel } as VsmConfig };
    const held = await readLog(path);
    const fromLog = reportFromVisits(measureVisits(held.log, held.report, options), held.report, options).report;
    const read = await readLog(path);
    const measured = measureVisits({ log: read.log }, read.report, options);
    expect(JSON.stringify(reportFromVisits(measured, read.report, options).report)).toBe(JSON.stringify(fromLog));
  });
});
