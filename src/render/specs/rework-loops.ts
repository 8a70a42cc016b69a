import { formatCount } from '../../model/units.js';
import { durationFormatFor } from '../duration.js';
import type { ReportJson } from '../../contracts/report-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, toUnit, VEGA_LITE_SCHEMA, type ChartResult, unknownBecause } from './chart-spec.js';
import { approximateSubtitle } from '../approximate.js';

export const REWORK_LOOP_LIMIT = 12;

/** Rework loops ranked by the total time they add (Σ over cases of time after the first pass). */
export function reworkLoopsChart(report: ReportJson): ChartResult {
  const fmt = durationFormatFor(report.calendar);
  const name = 'rework-loops';
  const title = 'Rework loops ranked by added time';
  const loops = [...report.rework.loops].sort((a, b) => b.addedMs.sum - a.addedMs.sum).slice(0, REWORK_LOOP_LIMIT);
  const unknown = unknownBecause(report, 'rework');
  if (unknown !== null) return { name, title, absentBecause: unknown };
  if (loops.length === 0) return { name, title, absentBecause: 'No case re-entered a step it had left.' };
  // Loops counted but not timed (--engine clickhouse): no ranking by a time nobody measured.
  if (loops.every((loop) => loop.addedMs.n === 0)) return { name, title, absentBecause: `The time rework loops add is unknown: ${report.rework.loops.length} loops were counted but not timed.` };
  const unit = durationUnitFor(Math.max(...loops.map((loop) => loop.addedMs.sum)), report.calendar);
  const values = loops.map((loop, rank) => ({
    // The rank keeps two loops with the same long path apart after axis truncation.
    loop: `${rank + 1}. ${loop.path.join(' → ')}`,
    rank,
    added: toUnit(loop.addedMs.sum, unit),
    cases: loop.cases,
    label: `${formatCount(loop.cases)} cases · median +${fmt(loop.addedMs.median)}`,
  }));
  return {
    name,
    title,
    description: `${loops.length} rework loops ranked by total added time in ${unit.unit}; the largest is ${loops[0].path.join(' → ')} in ${formatCount(loops[0].cases)} cases.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `loop = steps from the re-entered step back to it; bar = total time added after the first pass (${unit.unit}); label: cases, median per loop${approximateSubtitle(report.rework.loops.map((loop) => loop.addedMs))}` },
      width: CHART_WIDTH_PX,
      height: { step: 24 },
      data: { values },
      encoding: {
        y: { field: 'loop', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' } },
        x: { field: 'added', type: 'quantitative', title: `total added time (${unit.unit})` },
      },
      layer: [
        { mark: { type: 'bar', color: '#7a5195', tooltip: true } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#1f2933' }, encoding: { text: { field: 'label', type: 'nominal' } } },
      ],
      config: CHART_CONFIG,
    },
  };
}
