/**
 * Progress of analyzeLog (src/vsm/analyze-progress.ts): phases in order, `done` never decreasing within a phase,
 * the long loops reporting their counts, and the report byte-identical with or without the callback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { generateTicketLog, type SyntheticShape } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { ANALYZE_PHASES, PROGRESS_INTERVAL_MS, type AnalyzePhase } from '../../src/vsm/analyze-progress.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function syntheticLog(shape: SyntheticShape) {
  const path = join(dir, `${shape}.csv`);
  await writeCsv(generateTicketLog({ seed: 7, cases: 400, shape }), path, { shape });
  return readLog(path, shape === 'status-changes' ? { shape: 'status', mapping: { activity: 'status', resource: 'assignee', group: 'team' } } : {});
}

type Call = [AnalyzePhase, number, number];

/** Runs the analysis with a clock that advances past the report interval at every look, so every loop tick reports. */
function analyzeWithProgress(read: Awaited<ReturnType<typeof syntheticLog>>): { json: string; calls: Call[] } {
  let nowMs = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (nowMs += PROGRESS_INTERVAL_MS + 1));
  const calls: Call[] = [];
  const { report } = analyzeLog(read.log, read.report, { logName: 'synthetic', onPhase: (phase, done, total) => calls.push([phase, done, total]) });
  vi.restoreAllMocks();
  return { json: JSON.stringify(report), calls };
}

function expectOrdered(calls: Call[]): void {
  const phases = [...new Set(calls.map(([phase]) => phase))];
  const positions = phases.map((phase) => ANALYZE_PHASES.indexOf(phase));
  expect(positions.every((position) => position >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  // Each phase comes as one run of calls, starting at done 0, done never decreasing and never above total.
  let previous: Call | null = null;
  for (const call of calls) {
    const [phase, done, total] = call;
    if (previous === null || previous[0] !== phase) expect(done).toBe(0);
    else expect(done).toBeGreaterThanOrEqual(previous[1]);
    if (total > 0) expect(done).toBeLessThanOrEqual(total);
    previous = call;
  }
  expect(new Set(calls.map(([phase]) => phase)).size).toBe(phases.length);
}

describe('analyzeLog progress', () => {
  it('activity log: every phase in order, counts for the wait-cause sweep and the step timings, same report', async () => {
    const read = await syntheticLog('activity-start-complete');
    const plain = JSON.stringify(analyzeLog(read.log, read.report, { logName: 'synthetic' }).report);
    const { json, calls } = analyzeWithProgress(read);
    expect(json).toBe(plain);
    expectOrdered(calls);
    expect([...new Set(calls.map(([phase]) => phase))]).toEqual([...ANALYZE_PHASES]);
    const sweep = calls.filter(([phase, done]) => phase === 'wait causes' && done > 0);
    expect(sweep.length).toBeGreaterThan(0);
    expect(sweep[sweep.length - 1][1]).toBe(sweep[0][2]);
    const steps = calls.filter(([phase, done]) => phase === 'step timings' && done > 0);
    expect(steps.map(([, done]) => done)).toEqual(Array.from({ length: steps.length }, (_, i) => i + 1));
  });

  it('status log: no wait-analysis phases, the rest in order, same report', async () => {
    const read = await syntheticLog('status-changes');
    const plain = JSON.stringify(analyzeLog(read.log, read.report, { logName: 'synthetic' }).report);
    const { json, calls } = analyzeWithProgress(read);
    expect(json).toBe(plain);
    expect(read.log.shape).toBe('status');
    expectOrdered(calls);
    expect(calls[0][0]).toBe('reconstruction');
  });

  it('without the clock passing the interval, the loops stay quiet: only phase starts', async () => {
    const read = await syntheticLog('activity-start-complete');
    vi.spyOn(performance, 'now').mockReturnValue(0);
    const calls: Call[] = [];
    analyzeLog(read.log, read.report, { logName: 'synthetic', onPhase: (phase, done, total) => calls.push([phase, done, total]) });
    expect(calls.every(([, done, total]) => done === 0 && total === 0)).toBe(true);
    expect(calls.map(([phase]) => phase)).toEqual([...ANALYZE_PHASES]);
  });
});
