/**
 * A wait overlapped by more than MAX_OVERLAP_SCAN (20,000) other instances of the same resource gets the
 * definition's exact split (the sweep has no cap): a capped scan would leave out the earliest overlaps and turn
 * the time they cover into unavailability and extraneous, and report.json would count it in overlapScanCapped.
 *
 * Log (R works all of it; every "Receive" is instant, by Desk):
 * - case L: Receive at T0, Work by R from T0 to T0 + 100 days (enabled at T0: it waits 0);
 * - cases S0 … S20049: Receive and Work by R at T0 + 1 h + i·10 s, Work lasting 1 s (each waits 0);
 * - case X: Receive at T0 + 30 min, Work by R starting 10 s after S20049 (an hour and 55 h later).
 * X's wait [T0 + 30 min, its start) is overlapped by L and all 20,050 S instances: 20,051 > the cap. L covers it
 * whole and was enabled before X, so the exact answer is all contention. A scan capped at the 20,000 latest
 * starts misses L (and S0 … S49): it would find 20,000 s of prioritization and leave the rest unexplained.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { MAX_OVERLAP_SCAN } from '../../src/metrics/wait-causes.js';

const T0_MS = Date.UTC(2024, 0, 1);
const HOUR_MS = 3_600_000;
const SHORT = 20_050;
const iso = (ms: number) => new Date(ms).toISOString();

const enabledMs = T0_MS + HOUR_MS / 2;
const startMs = T0_MS + HOUR_MS + SHORT * 10_000;

async function analyzeCapLog(extraRows: string[]) {
  const rows = ['case,activity,resource,start,end'];
  const row = (caseId: string, activity: string, resource: string, startMs: number, endMs: number) =>
    rows.push(`${caseId},${activity},${resource},${iso(startMs)},${iso(endMs)}`);
  row('L', 'Receive', 'Desk', T0_MS, T0_MS);
  row('L', 'Work', 'R', T0_MS, T0_MS + 100 * 24 * HOUR_MS);
  for (let i = 0; i < SHORT; i++) {
    const atMs = T0_MS + HOUR_MS + i * 10_000;
    row(`S${i}`, 'Receive', 'Desk', atMs, atMs);
    row(`S${i}`, 'Work', 'R', atMs, atMs + 1_000);
  }
  row('X', 'Receive', 'Desk', enabledMs, enabledMs);
  row('X', 'Work', 'R', startMs, startMs + 1_000);
  rows.push(...extraRows);
  const path = join(mkdtempSync(join(tmpdir(), 'vsm-cap-')), 'capped.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  const read = await readLog(path, { mapping: { case: 'case', activity: 'activity', resource: 'resource', startTimestamp: 'start', timestamp: 'end' } });
  return analyzeLog(read.log, read.report, { logName: 'capped' }).report;
}

describe('wait causes past the overlap-scan cap', () => {
  it('splits a wait overlapped by more than MAX_OVERLAP_SCAN instances exactly, with no capped count or note', async () => {
    expect(MAX_OVERLAP_SCAN).toBe(20_000);
    const report = await analyzeCapLog([]);
    const waits = report.waitCauses;
    // X's is the only wait: 30 min + 20,050 · 10 s = 202,300,000 ms, all contention.
    expect(waits?.totalMs).toBe(startMs - enabledMs);
    expect(waits?.totalMs).toBe(202_300_000);
    expect(waits?.byCauseMs).toEqual({ batching: 0, contention: 202_300_000, prioritization: 0, unavailability: 0, extraneous: 0 });
    expect(waits?.overlapScanCapped).toBeUndefined();
    expect(report.dataQuality.notes.some((note) => note.includes('stopped after'))).toBe(false);
  }, 60_000);

  it('still caps the scanned wait of a batch member, and counts and notes it', async () => {
    // Y starts with X (a parallel batch of Work by R): both waits are scanned, over 20,051 earlier instances of R.
    const yEnabledMs = startMs - 5_000;
    const report = await analyzeCapLog([
      `Y,Receive,Desk,${iso(yEnabledMs)},${iso(yEnabledMs)}`,
      `Y,Work,R,${iso(startMs)},${iso(startMs + 2_000)}`,
    ]);
    expect(report.waitCauses?.batches.parallel).toBe(1);
    expect(report.waitCauses?.overlapScanCapped).toBe(2);
    expect(report.dataQuality.notes).toContain(
      "wait causes: for 2 waits of batch members the look at the same resource's other work stopped after 20,000 instances; overlaps past that count as extraneous, so extraneous leans high and contention/prioritization low for them",
    );
  }, 60_000);
});
