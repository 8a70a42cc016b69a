/**
 * The wait-causes chart on a large alphabet (issue 11 #4): 120 steps that all wait, 40 drawn (DISPLAY_LIMITS.chartSteps),
 * the longest waits kept, the rest named as "other (79 steps)" in the description (the first step has no wait).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { isChart } from '../../src/render/specs/chart-spec.js';
import { waitCausesChart } from '../../src/render/specs/wait-causes.js';
import { DISPLAY_LIMITS } from '../../src/render/top-steps.js';
import { analyzeLog } from '../../src/vsm/analyze.js';

const STEPS = 120;
const at = (minutes: number) => new Date(Date.UTC(2024, 0, 1) + minutes * 60_000).toISOString();

describe('wait-causes chart on 120 waiting steps', () => {
  it('draws the 40 longest waits and names the other 79', async () => {
    // One case walks through steps S000…S119; step k starts k + 1 minutes after the previous one ends (its wait).
    const rows = ['case,activity,resource,start_timestamp,timestamp'];
    let t = 0;
    for (let k = 0; k < STEPS; k++) {
      const start = t + k + 1;
      rows.push(`c1,S${String(k).padStart(3, '0')},r${k},${at(start)},${at(start + 1)}`);
      t = start + 1;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'vsm-cap-')), 'many.csv');
    writeFileSync(file, rows.join('\n'));
    const read = await readLog(file, {});
    const { report } = analyzeLog(read.log, read.report, { logName: 'many' });
    const chart = waitCausesChart(report);
    expect(isChart(chart)).toBe(true);
    if (!isChart(chart)) return;
    const values = (chart.spec as { data: { values: Array<{ step: string }> } }).data.values;
    const drawn = [...new Set(values.map((value) => value.step))].sort();
    expect(drawn).toHaveLength(DISPLAY_LIMITS.chartSteps);
    // The longest waits are the last steps: S080…S119 (the first step has no predecessor, so no wait).
    expect(drawn[0]).toBe('S080');
    expect(drawn.at(-1)).toBe('S119');
    expect(chart.description).toContain('Only the 40 longest waits are drawn; other (79 steps) are in steps.csv.');
  });
});
