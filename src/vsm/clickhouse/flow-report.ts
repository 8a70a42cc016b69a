/** The flow section (weekly arrivals, throughput, WIP, per-step flow, aging) of a ClickHouse analysis. */
import type { ReportJson } from '../../contracts/report-schema.js';
import type { ZoneClock } from '../../calendar/zone-clock.js';
import { STEP_WEEKS_TOP } from '../../metrics/flow.js';
import { isoDay, MAX_FLOW_BUCKETS, planTimeBuckets } from '../../metrics/time-buckets.js';
import type { ClickHouseAnalysis } from './engine.js';

/** Map order of every step, outcome steps last (traces/step-order.ts): by first-entry rank, visits, name. */
function mapOrder(steps: ClickHouseAnalysis['allSteps']): string[] {
  return [...steps]
    .sort((a, b) => Number(a.outcome) - Number(b.outcome) || a.medianFirstRank - b.medianFirstRank || b.visits - a.visits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((step) => step.name);
}

/** The flow section from the per-slot counts, built as metrics/flow.ts builds it (dense rows, cumulative WIP). */
export function flowOf(analysis: ClickHouseAnalysis, clock: ZoneClock | null): ReportJson['flow'] {
  const counts = analysis.flow;
  if (counts === null) return { weeks: [], stepWeeks: [], aging: [], bucket: { unit: 'week', count: 0, reason: null, stepsShown: 0, otherSteps: 0 } };
  const buckets = planTimeBuckets(counts.firstMs, counts.lastMs, clock);
  const arrivals = new Array<number>(buckets.count).fill(0);
  const throughput = new Array<number>(buckets.count).fill(0);
  for (const row of counts.slots) {
    arrivals[row.slot] += row.arrivals;
    throughput[row.slot] += row.throughput;
  }
  let wip = 0;
  const weeks = buckets.startLabels.map((weekStart, w) => {
    wip += arrivals[w] - throughput[w];
    return { weekStart, arrivals: arrivals[w], throughput: throughput[w], wip };
  });
  const stepWeeks: ReportJson['flow']['stepWeeks'] = [];
  let rowNames: string[] = [];
  let otherSteps = 0;
  if (counts.stepSlots !== null) {
    const order = mapOrder(analysis.allSteps);
    const visitsOf = new Map(analysis.allSteps.map((step) => [step.name, step.visits]));
    const kept =
      order.length <= STEP_WEEKS_TOP
        ? order
        : order
            .map((name, position) => ({ name, position }))
            .sort((a, b) => (visitsOf.get(b.name) ?? 0) - (visitsOf.get(a.name) ?? 0) || a.position - b.position)
            .slice(0, STEP_WEEKS_TOP)
            .sort((a, b) => a.position - b.position)
            .map((entry) => entry.name);
    otherSteps = order.length - kept.length;
    rowNames = otherSteps > 0 ? [...kept, `other (${otherSteps.toLocaleString('en-US')} steps)`] : kept;
    const rowOf = new Map(kept.map((name, row) => [name, row]));
    const cells = new Map<number, { entered: number; exited: number }>();
    for (const cell of counts.stepSlots) {
      const row = rowOf.get(cell.step) ?? rowNames.length - 1;
      const key = cell.slot * rowNames.length + row;
      const sum = cells.get(key) ?? { entered: 0, exited: 0 };
      sum.entered += cell.entered;
      sum.exited += cell.exited;
      cells.set(key, sum);
    }
    const rowWip = new Array<number>(rowNames.length).fill(0);
    for (let w = 0; w < buckets.count; w++) {
      for (let r = 0; r < rowNames.length; r++) {
        const cell = cells.get(w * rowNames.length + r) ?? { entered: 0, exited: 0 };
        rowWip[r] += cell.entered - cell.exited;
        const row = { step: rowNames[r], weekStart: buckets.startLabels[w], entered: cell.entered, exited: cell.exited, wip: rowWip[r] };
        stepWeeks.push(r === rowNames.length - 1 && otherSteps > 0 ? { ...row, otherSteps } : row);
      }
    }
  }
  return {
    weeks,
    stepWeeks,
    aging: counts.aging ?? [],
    bucket: {
      unit: buckets.unit,
      count: buckets.count,
      reason:
        buckets.unit === 'week'
          ? null
          : `the log spans ${isoDay(counts.firstMs)} to ${isoDay(counts.lastMs)}, more than ${MAX_FLOW_BUCKETS} weeks: one slot per ${buckets.unit} keeps the series within ${MAX_FLOW_BUCKETS} slots`,
      stepsShown: rowNames.length - (otherSteps > 0 ? 1 : 0),
      otherSteps,
    },
  };
}
