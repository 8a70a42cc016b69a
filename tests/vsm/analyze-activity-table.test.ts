import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { sharedOrSkip } from '../shared-dir.js';

const RUNNING_EXAMPLE = sharedOrSkip('data/running-example.csv');

describe.skipIf(RUNNING_EXAMPLE === undefined)('analyzeLog activityTable option', () => {
  it('drops the per-instance table when false and leaves report.json unchanged', async () => {
    const read = await readLog(RUNNING_EXAMPLE ?? '');
    const kept = analyzeLog(read.log, read.report, { logName: 'running-example' });
    const dropped = analyzeLog(read.log, read.report, { logName: 'running-example', activityTable: false });
    expect(kept.waits?.table?.instances.count).toBeGreaterThan(0);
    expect(dropped.waits?.table).toBeUndefined();
    expect(JSON.stringify(dropped.report)).toBe(JSON.stringify(kept.report));
  });
});
