import { describe, expect, it } from 'vitest';
import { changedStepLabels, removedSteps } from '../../src/render/change-marks.js';
import { renderCompareHtml } from '../../src/render/compare-html.js';
import { renderCompareMarkdown } from '../../src/render/compare-markdown.js';
import { compareVerdict } from '../../src/render/compare-verdict.js';
import { durationFormatFor } from '../../src/render/duration.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { renderSimulateHtml } from '../../src/render/simulate-html.js';
import { leadTimeChart } from '../../src/render/specs/lead-time.js';
import { isChart } from '../../src/render/specs/index.js';
import { renderSimulateFiles } from '../../src/render/write-simulate.js';
import { CompareSchema, type CompareJson, type CompareMetricJson } from '../../src/contracts/compare-schema.js';
import { SIMULATE_SCHEMA_VERSION, SimulateSchema, type SimulateJson } from '../../src/contracts/simulate-schema.js';
import { HOUR_MS, jiraReport } from './render-fixtures.js';

const EVIL = '<img src=x onerror=alert(1)></script>';

/** The page without the inlined chart runtime (whose source mentions <img for Vega tooltips). */
function pageWithoutRuntime(html: string): string {
  return html.slice(0, html.indexOf('<script type="application/json"'));
}
const DAY_MS = 24 * HOUR_MS;

function metric(overrides: Partial<CompareMetricJson>): CompareMetricJson {
  return {
    id: 'leadTime', metric: 'leadTime', step: null, unit: 'ms', nBefore: 100, nAfter: 120, before: 2 * DAY_MS, after: DAY_MS, diff: -DAY_MS,
    ciLow: -1.5 * DAY_MS, ciHigh: -0.5 * DAY_MS, p85Before: null, p85After: null, p85Diff: null, p85CiLow: null, p85CiHigh: null,
    test: 'mann-whitney', pValue: 0.001, pAdjusted: 0.002, significant: true, thin: false, direction: 'down', statement: 'Lead time fell from 2 d to 1 d, significant', ...overrides,
  };
}

function compareJson(): CompareJson {
  return CompareSchema.parse({
    schemaVersion: '1.0.0', tool: { name: 'valuestream', version: '0.1.0' }, by: 'completed', alpha: 0.05, seed: 42, resamples: 300,
    periods: [
      { role: 'before', label: `Q1 ${EVIL}`, from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z', source: 'x.csv', cases: 100, closedCases: 100 },
      { role: 'after', label: 'Q2', from: '2024-04-01T00:00:00.000Z', to: '2024-07-01T00:00:00.000Z', source: 'x.csv', cases: 120, closedCases: 120 },
    ],
    metrics: [
      metric({}),
      metric({ id: `step:${EVIL}:wait`, metric: 'wait', step: EVIL, significant: false, pAdjusted: 0.4, statement: `Wait before ${EVIL}: 1 h → 1 h, no significant change` }),
    ],
    summary: { compared: 2, tested: 2, significant: 1, thin: 0 },
    trend: {
      method: 'xmr-weekly-median', centerMs: 2 * DAY_MS, upperMs: 3 * DAY_MS, lowerMs: DAY_MS,
      weeks: [
        { period: 'before', weekStart: '2024-01-01', cases: 10, medianLeadMs: 2 * DAY_MS, signal: null },
        { period: 'before', weekStart: '2024-01-08', cases: 12, medianLeadMs: 2.2 * DAY_MS, signal: null },
        { period: 'after', weekStart: '2024-04-01', cases: 11, medianLeadMs: 0.5 * DAY_MS, signal: 'below' },
      ],
    },
    notes: [`note ${EVIL}`],
  });
}

/** Jira steps with "Test" 1 d faster to wait for, and "Dev Active" and "Dev Done" merged into a new "Dev Active + Dev Done". */
function simulateJson(): SimulateJson {
  const report = jiraReport();
  const test = report.steps.find((step) => step.name === 'Test');
  if (!test) throw new Error('Test step expected in the Jira fixture');
  const faster = { ...test, delayMs: { ...test.delayMs, median: (test.delayMs.median ?? 0) - DAY_MS } };
  const merged = { ...report.steps[3], name: 'Dev Active + Dev Done' };
  const interval = (estimate: number) => ({ estimate, ciLow: estimate * 0.9, ciHigh: estimate * 1.1 });
  const state = (scale: number) => ({ leadTimeMs: { median: interval(2 * DAY_MS * scale), p85: interval(5 * DAY_MS * scale), p95: interval(9 * DAY_MS * scale), mean: interval(3 * DAY_MS * scale) }, flowEfficiency: interval(0.2 / scale) });
  return SimulateSchema.parse({
    schemaVersion: SIMULATE_SCHEMA_VERSION, tool: { name: 'valuestream', version: '0.1.0' },
    log: { name: `jira ${EVIL}`, cases: 25, closedCases: 17, openCasesExcluded: 8 }, runs: 100, method: 'monte-carlo', seed: 42,
    changes: [{ kind: 'merge', spec: 'Dev Active+Dev Done', description: `Merge ${EVIL}`, steps: ['Dev Active', 'Dev Done'], owners: [EVIL], visitsAffected: 20, notes: [] }],
    measured: { leadTimeMedianMs: 2 * DAY_MS, leadTimeP85Ms: 5 * DAY_MS, leadTimeP95Ms: 9 * DAY_MS },
    before: state(1), after: state(0.8),
    difference: { leadTimeMedianMs: interval(-0.4 * DAY_MS), leadTimeP85Ms: interval(-DAY_MS), leadTimeP95Ms: interval(-1.8 * DAY_MS), flowEfficiency: interval(0.05) },
    workload: {
      level: 'group', activeKnown: true, totalActiveMsBefore: 20 * DAY_MS, totalActiveMsAfter: 20 * DAY_MS,
      owners: [{ owner: EVIL, activeMsBefore: 10 * DAY_MS, activeMsAfter: 12 * DAY_MS, shift: 0.2 }, { owner: 'QA', activeMsBefore: 10 * DAY_MS, activeMsAfter: 8 * DAY_MS, shift: -0.2 }],
      movesBottleneck: true, gainingOwners: [EVIL],
    },
    futureSteps: [report.steps[0], report.steps[1], faster, merged, report.steps[4]],
    changedSteps: ['Test', 'Dev Active', 'Dev Done', 'Dev Active + Dev Done'],
    statement: `Median lead time 2 d → 1 d 14 h ${EVIL}`,
    notes: [],
  });
}

describe('compare.html', () => {
  it('puts the significant statement first and highlighted, escapes every data string, embeds the XmR chart', () => {
    const html = renderCompareHtml(compareJson());
    expect(pageWithoutRuntime(html)).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
    expect(html).toContain('default-src &#39;none&#39;');
    expect(html).toContain('<li class="significant">Lead time fell from 2 d to 1 d, significant</li>');
    expect(html.indexOf('id="statements"')).toBeLessThan(html.indexOf('id="metrics"'));
    expect(html).toContain('1 significant change of 2 tested metrics');
    expect(html).toContain('id="chart-compare-trend"');
    // The spec travels as JSON with < escaped, so the hostile period label cannot close the element.
    expect(html).toContain('\\u003cimg');
    expect(renderCompareHtml(compareJson())).toBe(html);
  });
  it('says which intervals are bootstrapped and which come from order statistics (vsm compare switches above 1,000 values)', () => {
    expect(renderCompareHtml(compareJson())).toMatch(/<dt>intervals<\/dt><dd>bootstrap \([\d,]+ resamples, seed \d+\) where a period has at most 1,000 values; order-statistic standard errors above<\/dd>/);
  });

  it('says "no significant change" when nothing is significant', () => {
    const quiet = compareJson();
    quiet.metrics = quiet.metrics.map((entry) => ({ ...entry, significant: false }));
    expect(renderCompareHtml(quiet)).toContain('No significant change: none of the 2 tested metrics');
  });
});

describe('simulate.html and the future map', () => {
  it('labels changed steps by what changed; merged-away steps are listed, not drawn', () => {
    const report = jiraReport();
    const labels = changedStepLabels(report.steps, simulateJson(), durationFormatFor(report.calendar));
    // Test: delay median lowered by exactly 1 day (86,400,000 ms) → "−1 d delay"; nothing else changed.
    expect(labels.get('Test')).toBe('Δ −1 d delay');
    expect(labels.get('Dev Active + Dev Done')).toBe('Δ new: replaces Dev Active + Dev Done');
    expect(labels.has('Dev Active')).toBe(false);
    expect(removedSteps(simulateJson())).toEqual(['Dev Active', 'Dev Done']);
  });
  it('marks changed boxes on the future map only', () => {
    const files = renderSimulateFiles(jiraReport(), simulateJson());
    expect([...files.keys()]).toEqual(['simulate.json', 'simulate.html', 'simulate.md', 'map.svg', 'future-map.svg']);
    const markdown = files.get('simulate.md') ?? '';
    expect(markdown).toContain('**Moves the bottleneck:** &lt;img');
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain('![Current-state value stream map](map.svg)');
    const future = files.get('future-map.svg') ?? '';
    expect(future).toContain('Future-state value stream');
    expect(future.match(/class="vsm-changed"/g)?.length).toBe(2);
    expect(future).toContain('Δ −1 d delay');
    expect(files.get('map.svg')).not.toContain('vsm-changed');
    expect(renderSimulateFiles(jiraReport(), simulateJson())).toEqual(files);
  });
  it('shows the statement, the interval table, the bottleneck flag in red and both maps, all escaped', () => {
    const report = jiraReport();
    const html = renderSimulateHtml(simulateJson(), { currentMapSvg: renderMapSvg(report), futureMapSvg: '<svg class="future"></svg>' });
    expect(pageWithoutRuntime(html)).not.toContain('<img');
    expect(html).toContain('Median lead time 2 d → 1 d 14 h &lt;img');
    // before median 2 d with 95 % run interval 0.9×–1.1× = 1 d 19 h … 2 d 5 h (43.2 h, 52.8 h).
    expect(html).toContain('2 d (1 d 19 h … 2 d 5 h)');
    expect(html).toContain('<strong class="warn">Moves the bottleneck:</strong>');
    expect(html).toContain('<tr class="bottleneck">');
    expect(html).toContain('Removed or merged away: Dev Active, Dev Done.');
    expect(html.indexOf('id="current-map"')).toBeLessThan(html.indexOf('id="future-map"'));
    expect(html).toContain('id="chart-workload-shift"');
    expect(html).toContain('100 Monte Carlo runs of the closed cases (seed 42)');
  });
  it('says when the runs come from the normal approximation, in the HTML and the Markdown', () => {
    const approximated = { ...simulateJson(), method: 'normal-approximation' as const };
    const html = renderSimulateHtml(approximated, { currentMapSvg: '<svg></svg>', futureMapSvg: '<svg></svg>' });
    expect(html).toContain('100 runs from the normal approximation of resampling the closed cases (seed 42)');
    expect(html).not.toContain('Monte Carlo runs');
    expect(renderSimulateFiles(jiraReport(), approximated).get('simulate.md')).toContain('Estimate over 100 runs from the normal approximation of resampling the closed cases (seed 42)');
  });
});

describe('lead-time histogram chart', () => {
  it('stacks closed and open cases per bin, labels the overflow bin and the percentiles', () => {
    const report = jiraReport();
    report.leadTimeMs = {
      ...report.leadTimeMs, median: 3 * DAY_MS, p85: 9 * DAY_MS, p95: null,
      histogram: [
        { fromMs: 0, toMs: 5 * DAY_MS, closed: 10, censored: 2 },
        { fromMs: 5 * DAY_MS, toMs: 10 * DAY_MS, closed: 5, censored: 0 },
        { fromMs: 10 * DAY_MS, toMs: null, closed: 2, censored: 6 },
      ],
    };
    const chart = leadTimeChart(report);
    if (!isChart(chart)) throw new Error('chart expected');
    const text = JSON.stringify(chart.spec);
    expect(text).toContain('open (censored): still running, counted at their age so far');
    expect(text).toContain('"text":"≥ 10 d"');
    expect(text).toContain('"text":"p50 3 d"');
    expect(text).toContain('"text":"p85 9 d"');
    // Overflow bin drawn one bin (5 d) wide: axis ends at 15 d, in days since 15 d ≥ 2 d.
    expect(text).toContain('"domain":[0,15]');
    expect(chart.description).toContain('8 of 25 cases still open');
  });
  it('falls back to the percentile bars without a histogram', () => {
    const chart = leadTimeChart(jiraReport());
    if (!isChart(chart)) throw new Error('chart expected');
    expect(JSON.stringify(chart.spec)).not.toContain('censored): still running');
  });
});

describe('the ladder total active (map summary)', () => {
  it('shows the median active time per closed case, "active unknown" when absent', () => {
    const report = jiraReport();
    expect(renderMapSvg(report)).toContain('>active unknown</text>');
    const withActive = { ...report, flowEfficiency: { ...report.flowEfficiency, activeMsPerCase: { ...report.leadTimeMs, median: 5 * HOUR_MS } } };
    // 5 h = 18,000,000 ms → "5 h".
    expect(renderMapSvg(withActive)).toContain('>active 5 h (p50 per case)</text>');
  });
});

describe('compare.md', () => {
  it('leads with the statements (significant in bold) and escapes data', () => {
    const text = renderCompareMarkdown(compareJson());
    expect(text.indexOf('## What changed')).toBeLessThan(text.indexOf('## Metrics'));
    expect(text).toContain('- **Lead time fell from 2 d to 1 d, significant**');
    expect(text).not.toContain('<img');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // after week 2024-04-01: median 0.5 d = 12 h, below the limits.
    expect(text).toContain('- after week of 2024-04-01: 12 h (11 cases), below the limits');
  });
});

describe('the compare verdict (compare-verdict.ts), in every output', () => {
  it('says nothing was compared when a period holds no case, instead of "no significant change"', () => {
    const base = compareJson();
    const emptyAfter: CompareJson = {
      ...base,
      periods: [base.periods[0], { ...base.periods[1], label: '2030-Q1', cases: 0, closedCases: 0 }],
      metrics: base.metrics.map((entry) => ({ ...entry, significant: false, thin: true, pValue: null, pAdjusted: null })),
      summary: { ...base.summary, tested: 0, significant: 0 },
    };
    const text = "Nothing compared: 2030-Q1 holds no case (cases by completion time); check --periods against the log's time range (vsm inspect prints it).";
    expect(compareVerdict(emptyAfter)).toEqual({ kind: 'nothing-compared', text });
    const html = renderCompareHtml(emptyAfter);
    expect(html).toContain(`<strong class="warn">Nothing compared: 2030-Q1 holds no case`);
    expect(html).not.toContain('No significant change');
    expect(renderCompareMarkdown(emptyAfter)).toContain(`**Nothing compared: 2030-Q1 holds no case`);
  });
  it('says nothing was tested when every metric is thin', () => {
    const base = compareJson();
    const thin: CompareJson = { ...base, metrics: base.metrics.map((entry) => ({ ...entry, significant: false, thin: true })), summary: { ...base.summary, tested: 0, significant: 0, thin: base.metrics.length } };
    expect(compareVerdict(thin).kind).toBe('nothing-tested');
    expect(renderCompareHtml(thin)).toContain('Nothing tested: no metric has 30 values in both periods');
    expect(renderCompareMarkdown(thin)).not.toContain('No significant change');
  });
  it('keeps "no significant change" and the count of changes otherwise', () => {
    const base = compareJson();
    expect(compareVerdict(base)).toEqual({ kind: 'changes', text: `1 significant change of ${base.summary.tested} tested metrics:` });
  });
});
