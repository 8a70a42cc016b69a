import { formatCount } from '../../model/units.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, durationUnitFor, toUnit, unknownBecause, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';
import { approximateSubtitle } from '../approximate.js';

/** The largest pairs drawn; the full matrix is in report.json. */
export const HANDOFF_PAIR_LIMIT = 60;

/** Handoff matrix: from-owner rows × to-owner columns, colour and label = handoff count. */
export function handoffMatrixChart(report: ReportJson): ChartResult {
  const name = 'handoff-matrix';
  const title = 'Handoffs between owners';
  const matrix = report.handoffs.matrix;
  const unknown = unknownBecause(report, 'handoffs');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (matrix.length === 0) return { name, title, absentBecause: 'No handoff between known owners was found.' };
  const pairs = [...matrix].sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1)).slice(0, HANDOFF_PAIR_LIMIT);
  const unit = durationUnitFor(Math.max(0, ...pairs.map((pair) => pair.waitAfterMs.median ?? 0)), report.calendar);
  const values = pairs.map((pair) => ({
    from: pair.from,
    to: pair.to,
    count: pair.count,
    cases: pair.cases,
    waitAfter: pair.waitAfterMs.median === null ? null : toUnit(pair.waitAfterMs.median, unit),
  }));
  const ownerCount = new Set(values.flatMap((pair) => [pair.from, pair.to])).size;
  const shownNote = pairs.length < matrix.length ? `; the ${pairs.length} largest of ${formatCount(matrix.length)} pairs` : '';
  return {
    name,
    title,
    description: `${report.handoffs.total === null ? 'An unknown number of' : formatCount(report.handoffs.total)} handoffs at ${report.handoffs.level} level between ${ownerCount} owners shown as a from × to matrix${shownNote}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: [`rows: from owner · columns: to owner (${report.handoffs.level} level)`, `cell: number of handoffs${shownNote}${approximateSubtitle(pairs.map((pair) => pair.waitAfterMs))}`] },
      width: { step: 34 },
      height: { step: 24 },
      data: { values },
      encoding: {
        y: { field: 'from', type: 'nominal', title: null },
        x: { field: 'to', type: 'nominal', title: null, axis: { labelAngle: -40, labelLimit: 160, orient: 'top' } },
      },
      layer: [
        {
          mark: { type: 'rect', tooltip: true },
          encoding: {
            color: { field: 'count', type: 'quantitative', title: 'handoffs', scale: { scheme: 'blues' } },
            tooltip: [
              { field: 'from', type: 'nominal' },
              { field: 'to', type: 'nominal' },
              { field: 'count', type: 'quantitative', title: 'handoffs' },
              { field: 'cases', type: 'quantitative' },
              { field: 'waitAfter', type: 'quantitative', title: `median wait after (${unit.unit})`, format: '.1f' },
            ],
          },
        },
        {
          mark: { type: 'text', fontSize: 10 },
          encoding: {
            text: { field: 'count', type: 'quantitative' },
            color: { condition: { test: `datum.count > ${Math.max(...values.map((pair) => pair.count)) / 2}`, value: '#ffffff' }, value: '#1f2933' },
          },
        },
      ],
      config: CHART_CONFIG,
    },
  };
}
