/**
 * The overlap scan of wait causes stops after MAX_OVERLAP_SCAN (20,000) other instances of the same resource. Where
 * it does, overlaps past the cap count as extraneous: report.json counts those waits and a data-quality note says
 * extraneous leans high there, instead of the split passing as exact.
 *
 * Log: 20,050 cases, each "Receive" (instant, Desk) at i·10 s, then "Work" by R from i·10 s + 1 h until day 100.
 * Every Work instance is still running when a later one waits, so the wait of case i overlaps i earlier Work
 * instances: for i ≥ 20,001 (49 cases: 20,001 … 20,049) the scan hits the cap.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { MAX_OVERLAP_SCAN } from '../../src/metrics/wait-causes.js';

const T0_MS = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

describe('wait causes past the overlap-scan cap', () => {
  it('counts the capped waits and says extraneous leans high for them', async () => {
    expect(MAX_OVERLAP_SCAN).toBe(20_000);
    const rows = ['case,activity,resource,start,end'];
    for (let i = 0; i < 20_050; i++) {
      const receivedMs = T0_MS + i * 10_000;
      rows.push(`C${i},Receive,Desk,${iso(receivedMs)},${iso(receivedMs)}`);
      rows.push(`C${i},Work,R,${iso(receivedMs + 3_600_000)},${iso(T0_MS + 100 * 86_400_000 + i * 1000)}`);
    }
    const path = join(mkdtempSync(join(tmpdir(), 'vsm-cap-')), 'capped.csv');
    writeFileSync(path, rows.join('\n') + '\n');
    const read = await readLog(path, { mapping: { case: 'case', activity: 'activity', resource: 'resource', startTimestamp: 'start', timestamp: 'end' } });
    const { report } = analyzeLog(read.log, read.report, { logName: 'capped' });
    expect(report.waitCauses?.overlapScanCapped).toBe(49);
    expect(report.dataQuality.notes).toContain(
      'wait causes: for 49 waits the look at the same resource\'s other work stopped after 20,000 instances; overlaps past that count as extraneous, so extraneous leans high and contention/prioritization low for them',
    );
  }, 60_000);
});
