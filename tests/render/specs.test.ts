import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildCharts, isChart, type ChartSpec } from '../../src/render/specs/index.js';
import { durationUnitFor } from '../../src/render/specs/chart-spec.js';
import { leadTimeChart } from '../../src/render/specs/lead-time.js';
import { stepTimeChart } from '../../src/render/specs/step-time.js';
import type { ReportJson } from '../../src/contracts/report-schema.js';
import { HOUR_MS, hostileReport, jiraReport, syntheticReport } from './render-fixtures.js';

function compileWarnings(chart: ChartSpec): string[] {
  const messages: string[] = [];
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: readonly unknown[]) => (messages.push(`error ${args.join(' ')}`), logger),
    warn: (...args: readonly unknown[]) => (messages.push(`warn ${args.join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  compile(chart.spec, { logger: logger as never });
  return messages;
}

/** Every `title` of an x/y/color encoding in the spec (layers and concatenations included). */
function axisTitles(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => axisTitles(item, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (['x', 'y', 'color'].includes(key) && inner !== null && typeof inner === 'object' && typeof (inner as { title?: unknown }).title === 'string') found.push((inner as { title: string }).title);
      axisTitles(inner, found);
    }
  }
  return found;
}

function activeUnknownReport(): ReportJson {
  const report = syntheticReport(8);
  for (const step of report.steps) {
    step.activeUnknown = true;
    step.activeMs = { ...step.activeMs, n: 0, median: null, p85: null, p95: null };
  }
  report.flow.aging = [];
  return report;
}

const reports: Array<[string, () => ReportJson]> = [
  ['jira', jiraReport],
  ['hostile', hostileReport],
  ['synthetic 40 steps', () => syntheticReport(40)],
  ['single-timestamp', activeUnknownReport],
];

describe.each(reports)('chart specs for the %s report', (_label, makeReport) => {
  const report = makeReport();
  const before = JSON.stringify(report);
  const charts = buildCharts(report);

  it('builds the nine charts in report order and leaves the report untouched', () => {
    expect(charts.map((chart) => chart.name)).toEqual(['step-time', 'lead-time', 'handoff-matrix', 'rework-loops', 'weekly-flow', 'cumulative-flow', 'aging', 'variants', 'process-map']);
    expect(JSON.stringify(report)).toBe(before);
  });

  it.each(charts.filter(isChart).map((chart) => [chart.name, chart] as const))('%s compiles without warnings and is described', (_name, chart) => {
    expect(compileWarnings(chart)).toEqual([]);
    expect(chart.title.length).toBeGreaterThan(0);
    expect(chart.description).toMatch(/\.$/);
    const titles = axisTitles(chart.spec);
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).not.toMatch(/\bms\b/);
  });
});

describe('chart specs: units and absent charts', () => {
  it('states duration axes in days, hours or minutes', () => {
    const stepTime = stepTimeChart(jiraReport());
    if (!isChart(stepTime)) throw new Error('step-time chart expected');
    expect(axisTitles(stepTime.spec)).toContain('median per visit (days)');
  });

  it('chooses the unit from the largest value, working days on a business calendar', () => {
    const calendarDays = { workdayMs: null };
    expect(durationUnitFor(3 * 24 * HOUR_MS, calendarDays).unit).toBe('days');
    expect(durationUnitFor(5 * HOUR_MS, calendarDays).unit).toBe('hours');
    expect(durationUnitFor(30 * 60_000, calendarDays).unit).toBe('minutes');
    // 20 working hours on an 8-hour day = 2.5 working days ≥ 2 → working days.
    expect(durationUnitFor(20 * HOUR_MS, { workdayMs: 8 * HOUR_MS })).toEqual({ unit: 'working days', msPerUnit: 8 * HOUR_MS });
  });

  it('says why a chart is absent instead of drawing an empty one', () => {
    const charts = buildCharts(jiraReport());
    const handoffs = charts.find((chart) => chart.name === 'handoff-matrix');
    expect(handoffs && !isChart(handoffs) ? handoffs.absentBecause : null).toBe('No handoff between known owners was found.');
    const aging = buildCharts(activeUnknownReport()).find((chart) => chart.name === 'aging');
    expect(aging && !isChart(aging) ? aging.absentBecause : null).toBe('No case was open at the end of the log.');
  });

  it('notes censoring and the percentiles Kaplan–Meier could not reach', () => {
    const chart = leadTimeChart(jiraReport());
    if (!isChart(chart)) throw new Error('lead-time chart expected');
    // Jira report: 8 of 25 cases open; p85 and p95 are null (survival never drops below 15 %).
    expect(chart.description).toContain('8 of 25 cases still open (right-censored, Kaplan–Meier); p85, p95 not reached');
  });

  it('shows single-timestamp steps as elapsed time, not as active time', () => {
    const chart = stepTimeChart(activeUnknownReport());
    if (!isChart(chart)) throw new Error('step-time chart expected');
    const values = (chart.spec as { data: { values: Array<{ timeClass: string }> } }).data.values;
    expect(new Set(values.map((row) => row.timeClass))).toEqual(new Set(['elapsed (active unknown)']));
  });
});

describe('aging chart rows', () => {
  it('names the open cases that sit in no step "between steps" and says what that means, only when there are some', async () => {
    const { agingChart } = await import('../../src/render/specs/aging.js');
    const report = jiraReport();
    const step = report.steps[0].name;
    report.flow.aging = [
      { caseId: 'A-1', step: null, ageMs: 5 * HOUR_MS, inStepMs: HOUR_MS },
      { caseId: 'A-2', step, ageMs: 3 * HOUR_MS, inStepMs: 2 * HOUR_MS },
    ];
    const chart = agingChart(report);
    if (!isChart(chart)) throw new Error('no chart');
    const values = (chart.spec.data as { values: Array<{ step: string }> }).values;
    expect(values.map((value) => value.step)).toEqual(['between steps (waiting for the next)', step]);
    expect(JSON.stringify(chart.spec.title)).toContain('\\"between steps\\": its last step is done, the next not begun');
    report.flow.aging = [{ caseId: 'A-2', step, ageMs: 3 * HOUR_MS, inStepMs: 2 * HOUR_MS }];
    const inSteps = agingChart(report);
    if (!isChart(inSteps)) throw new Error('no chart');
    expect(JSON.stringify(inSteps.spec.title)).not.toContain('between steps');
  });
});
