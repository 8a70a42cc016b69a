/**
 * Where the log cannot support a metric, the map and the charts say "unknown" with the reason — never "none found",
 * "no case re-entered a step" or an empty box area, which an analyst would read as "there is none".
 */
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { reworkLoopsChart } from '../../src/render/specs/rework-loops.js';
import { stepTimeChart } from '../../src/render/specs/step-time.js';
import { variantsChart } from '../../src/render/specs/variants.js';
import { isChart } from '../../src/render/specs/chart-spec.js';
import { NOT_COMPUTED, NOT_SUPPORTED, noFindingShort, noFindingText } from '../../src/render/answers.js';
import { NOT_COMPUTED_BY_ENGINE } from '../../src/vsm/sufficiency.js';
import { sufficiencyLines } from '../../src/render/sufficiency.js';

async function reportOf(path: string) {
  const read = await readLog(path, {});
  return analyzeLog(read.log, read.report, { logName: 'unknown' }).report;
}

describe('unknown, not none', () => {
  it('a Jira search without changelog: the map says why no step is drawn and every answer is unknown', async () => {
    const report = await reportOf('fixtures/jira/search-no-changelog.json');
    const svg = renderMapSvg(report);
    expect(svg).toContain('No step can be drawn: the export holds no status history');
    expect(svg).toContain('Fix: re-export the issues with expand=changelog');
    expect(svg).toContain('biggest delay: unknown: this log cannot support it');
    expect(svg).toContain('handoff to simplify: unknown: this log cannot support it');
    expect(svg).not.toContain('none found');
    for (const chart of [stepTimeChart(report), variantsChart(report)]) {
      expect(isChart(chart)).toBe(false);
      expect('absentBecause' in chart && chart.absentBecause).toMatch(/^Unknown: the export holds no status history/);
    }
  });

  it('an answer the engine did not compute reads "not computed by this engine", not "this log cannot support it"', async () => {
    const report = await reportOf('fixtures/jira/search-no-changelog.json');
    const sufficiency = report.dataQuality.sufficiency!;
    const engineOnly = { ...report, dataQuality: { ...report.dataQuality, sufficiency: {
      ...sufficiency,
      stepTimes: { ...sufficiency.stepTimes!, reason: `step times by status class: ${NOT_COMPUTED_BY_ENGINE}`, notComputedBy: { engine: 'clickhouse', only: true } },
      handoffs: { ...sufficiency.handoffs!, reason: `handoffs: ${NOT_COMPUTED_BY_ENGINE}`, notComputedBy: { engine: 'clickhouse', only: true } },
    } } };
    expect(noFindingText(engineOnly, 'handoffs')).toBe(NOT_COMPUTED);
    expect(noFindingShort(engineOnly, 'stepTimes')).toBe('unknown: not computed by this engine');
    expect(renderMapSvg(engineOnly)).toContain('biggest delay: unknown: not computed by this engine');
    // The log's own limit still wins when both apply.
    expect(noFindingText(report, 'handoffs')).toBe(NOT_SUPPORTED);
    // --strict (dataOnly) lists what the data cannot support, never a figure only the engine left unknown.
    const listed = (lines: { text: string }[]) => lines.map((line) => line.text.split(':')[0]);
    expect(listed(sufficiencyLines(engineOnly))).toEqual(expect.arrayContaining(['step times', 'handoffs']));
    expect(listed(sufficiencyLines(engineOnly, { dataOnly: true }))).not.toContain('step times');
    expect(listed(sufficiencyLines(engineOnly, { dataOnly: true }))).not.toContain('handoffs');
    expect(sufficiencyLines(engineOnly, { dataOnly: true }).length).toBe(sufficiencyLines(engineOnly).length - 2);
  });

  it('a wide stage-date CSV: the rework chart says rework is invisible in this shape, not "no case re-entered"', async () => {
    const report = await reportOf('fixtures/wide/jira-to-analytics.csv');
    const chart = reworkLoopsChart(report);
    expect('absentBecause' in chart && chart.absentBecause).toBe('Unknown: a wide stage-date CSV holds one date per stage: backward moves and repeat visits are invisible.');
    expect(renderMapSvg(report)).toContain('most common rework loop: unknown: this log cannot support it');
  });

  it('a log that supports every answer (the demo) draws its steps and names its answers', async () => {
    const report = await reportOf('fixtures/demo/helpdesk.csv.gz');
    const svg = renderMapSvg(report);
    expect(svg).not.toContain('unknown: this log cannot support it');
    expect(svg).not.toContain('No step can be drawn');
  });
});
