import { formatDurationMs } from '../../model/units.js';
import type { SimulateJson } from '../../contracts/simulate-schema.js';
import { CHART_CONFIG, CHART_WIDTH_PX, durationUnitFor, shortLabel, toUnit, VEGA_LITE_SCHEMA, type ChartResult } from './chart-spec.js';

/** How many owners the bar chart shows (largest active work first); the table lists them all. */
const MAX_OWNERS = 15;

/**
 * Active work per owner before and after the simulated change, as paired bars. Owners gaining more than 10 %
 * are drawn red after the change and, when the change moves the bottleneck, named so in the subtitle.
 */
export function workloadShiftChart(simulate: SimulateJson, options: { workdayMs?: number | null } = {}): ChartResult {
  const name = 'workload-shift';
  const title = `Active work per ${simulate.workload.level === 'group' ? 'team' : 'person'}, before and after`;
  const { workload } = simulate;
  if (!workload.activeKnown) return { name, title, absentBecause: 'Active time is unknown in this log (single-timestamp events), so the workload shift cannot be measured.' };
  const owners = [...workload.owners].sort((a, b) => Math.max(b.activeMsBefore, b.activeMsAfter) - Math.max(a.activeMsBefore, a.activeMsAfter) || a.owner.localeCompare(b.owner)).slice(0, MAX_OWNERS);
  if (owners.length === 0) return { name, title, absentBecause: 'No owner has active work on the closed cases.' };
  const calendar = { workdayMs: options.workdayMs ?? null };
  const unit = durationUnitFor(Math.max(...owners.map((owner) => Math.max(owner.activeMsBefore, owner.activeMsAfter))), calendar);
  const gaining = new Set(workload.gainingOwners);
  const flag = workload.movesBottleneck ? 'after: gains work, moves the bottleneck' : 'after: gains more than 10 %';
  // Owners are ordered by a numeric rank, never by a list of names: Vega-Lite turns a sort list into an expression
  // and Vega's expression parser fails on names such as "constructor" or ones containing U+2028 (issue 11).
  const bars = owners.flatMap((owner, rank) => [
    { owner: shortLabel(owner.owner, 40), rank, when: 'before', series: 'before', value: toUnit(owner.activeMsBefore, unit), text: formatDurationMs(owner.activeMsBefore, calendar) },
    {
      owner: shortLabel(owner.owner, 40),
      rank,
      when: 'after',
      series: gaining.has(owner.owner) ? flag : 'after',
      value: toUnit(owner.activeMsAfter, unit),
      text: formatDurationMs(owner.activeMsAfter, calendar),
    },
  ]);
  const domain = ['before', 'after', flag];
  return {
    name,
    title,
    description: `Summed active work on the closed cases per owner before and after the change, ${owners.length} owners; ${
      workload.gainingOwners.length === 0 ? 'no owner gains more than 10 %' : `${workload.gainingOwners.join(', ')} gain${workload.gainingOwners.length === 1 ? 's' : ''} more than 10 %${workload.movesBottleneck ? ': the change moves the bottleneck' : ''}`
    }.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: title,
        subtitle: [`summed active time over the closed cases, ${unit.unit}`, workload.movesBottleneck ? 'red: gains more than 10 % while total work does not fall — the change moves the bottleneck' : 'red: gains more than 10 %'],
      },
      width: CHART_WIDTH_PX,
      data: { values: bars },
      encoding: {
        y: { field: 'owner', type: 'nominal', title: null, sort: { field: 'rank', op: 'min', order: 'ascending' } },
        yOffset: { field: 'when', type: 'nominal', sort: ['before', 'after'] },
      },
      height: { step: 14 },
      layer: [
        {
          mark: { type: 'bar', tooltip: true },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: `active work (${unit.unit})` },
            color: { field: 'series', type: 'nominal', title: null, scale: { domain, range: ['#9fb3c8', '#17804a', '#b42318'] }, legend: { orient: 'top' } },
            tooltip: [
              { field: 'owner', type: 'nominal' },
              { field: 'when', type: 'nominal' },
              { field: 'text', type: 'nominal', title: 'active work' },
            ],
          },
        },
        { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#1f2933' }, encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } } },
      ],
      config: CHART_CONFIG,
    },
  };
}
