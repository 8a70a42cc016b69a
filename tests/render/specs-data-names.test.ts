import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../src/render/charts-svg.js';
import { isChart } from '../../src/render/specs/index.js';
import { workloadShiftChart } from '../../src/render/specs/workload-shift.js';
import { compareTrendChart } from '../../src/render/specs/compare-trend.js';
import type { CompareJson } from '../../src/contracts/compare-schema.js';
import type { SimulateJson } from '../../src/contracts/simulate-schema.js';

const DAY_MS = 86_400_000;

/*
 * Issue 11 items 5 and 6 for the simulate page: the workload chart sorted owners by a list of names, which
 * Vega-Lite compiles into an expression that Vega cannot parse for "constructor" or a name with U+2028.
 */
describe('workload-shift chart with data names that break Vega expressions', () => {
  it('renders owners named constructor, __proto__ and one containing U+2028', async () => {
    const owners = ['constructor', '__proto__', 'Team\u2028B'].map((owner, k) => ({ owner, activeMsBefore: (k + 1) * DAY_MS, activeMsAfter: (k + 2) * DAY_MS, shift: 0.5 }));
    const simulate = { workload: { level: 'group', activeKnown: true, totalActiveMsBefore: 6 * DAY_MS, totalActiveMsAfter: 9 * DAY_MS, owners, movesBottleneck: false, gainingOwners: ['constructor'] } } as unknown as SimulateJson;
    const chart = workloadShiftChart(simulate);
    if (!isChart(chart)) throw new Error('chart expected');
    const svg = await renderChartSvg(chart);
    expect(svg).toContain('constructor');
    expect(svg).toContain('__proto__');
  });
});

describe('compare-trend chart with period labels that break Vega expressions', () => {
  it('renders when the compared files are named constructor and one with U+2028', async () => {
    const weeks = [0, 1, 2, 3].map((k) => ({ period: k < 2 ? 'before' : 'after', weekStart: `2024-01-${String(1 + 7 * k).padStart(2, '0')}`, cases: 3, medianLeadMs: (k + 1) * DAY_MS, signal: null }));
    const compare = {
      periods: [{ label: 'constructor' }, { label: 'b\u2028.csv' }],
      trend: { method: 'xmr-weekly-median', centerMs: 1.5 * DAY_MS, upperMs: 3 * DAY_MS, lowerMs: 0, weeks },
    } as unknown as CompareJson;
    const chart = compareTrendChart(compare);
    if (!isChart(chart)) throw new Error('chart expected');
    expect(await renderChartSvg(chart)).toContain('before: constructor');
  });
});
