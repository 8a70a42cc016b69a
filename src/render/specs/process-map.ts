import { formatCount } from '../../model/units.js';
import { durationFormatFor } from '../duration.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, toUnit, VEGA_LITE_SCHEMA, type ChartResult, unknownBecause } from './chart-spec.js';
import { approximateSubtitle } from '../approximate.js';

export const EDGE_LIMIT = 40;

/**
 * The directly-follows graph as a ranked list of transitions (count), coloured by median transition time.
 * A slider (HTML only) hides transitions below a minimum count: the usual process-map threshold control.
 */
export function processMapChart(report: ReportJson): ChartResult {
  const fmt = durationFormatFor(report.calendar);
  const name = 'process-map';
  const title = 'Process map: transitions between steps';
  const edges = [...report.dfg.edges].sort((a, b) => b.count - a.count || (a.from + a.to < b.from + b.to ? -1 : 1)).slice(0, EDGE_LIMIT);
  const unknown = unknownBecause(report, 'stepTimes');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (edges.length === 0) return { name, title, absentBecause: 'No transitions between steps were found.' };
  const unit = durationUnitFor(Math.max(0, ...edges.map((edge) => edge.medianMs ?? 0)), report.calendar);
  const values = edges.map((edge, rank) => ({
    transition: `${rank + 1}. ${edge.from} → ${edge.to}`,
    rank,
    count: edge.count,
    median: edge.medianMs === null ? null : toUnit(edge.medianMs, unit),
    label: `${formatCount(edge.count)} · median ${fmt(edge.medianMs)}`,
  }));
  const maxCount = edges[0].count;
  const shownNote = edges.length < report.dfg.edges.length ? `the ${edges.length} most frequent of ${formatCount(report.dfg.edges.length)} transitions` : `all ${edges.length} transitions`;
  return {
    name,
    title,
    description: `Directly-follows transitions ranked by count (${shownNote}); the most frequent is ${edges[0].from} → ${edges[0].to} with ${formatCount(edges[0].count)}.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `${shownNote}; colour: median time between the two events (${unit.unit})${approximateSubtitle(edges.map((edge) => (edge.medianApproximate ? { approximate: edge.medianApproximate } : undefined)))}` },
      width: CHART_WIDTH_PX,
      height: { step: 20 },
      params: [{ name: 'minCount', value: 0, bind: { input: 'range', min: 0, max: maxCount, step: 1, name: 'hide transitions seen fewer times than ' } }],
      data: { values },
      transform: [{ filter: 'datum.count >= minCount' }],
      encoding: {
        y: { field: 'transition', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' } },
        x: { field: 'count', type: 'quantitative', title: 'times observed' },
      },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            color: {
              // Transitions without a measured time stay visible, in grey.
              condition: { test: 'datum.median == null', value: '#cbd2d9' },
              field: 'median',
              type: 'quantitative',
              title: `median (${unit.unit})`,
              scale: { scheme: 'orangered' },
              legend: { orient: 'top', gradientLength: 240 },
            },
          },
        },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#1f2933' }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
      config: CHART_CONFIG,
    },
  };
}
