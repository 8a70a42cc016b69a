/**
 * Directly-follows graph: node = step (or activity) with its number of visits (events), edge a→b = b directly
 * follows a in a case, with its count and the mean / median time between them. Start / end activities =
 * first / last item of each case.
 *
 * Time between a and b ("the wait on the edge"):
 * - single-timestamp logs: complete(b) − complete(a), as PM4Py's performance DFG (trap 2);
 * - interval logs: max(start(b), complete(a)) − complete(a), clamped ≥ 0 (PM4Py's `passed_time` / pairwise
 *   waiting value; its `discover_performance_dfg` leaves start(b) − complete(a) unclamped, negative when
 *   instances overlap — we do not).
 * From StepVisits that is the b visit's queueMs + waitingMs when its work start is known (activity logs:
 * max(start(b), exit(a)) − exit(a), since enteredAt(b) = exit(a)), else its elapsedMs (exit(a) → exit(b));
 * both in calendar ms. Edges into a visit still open at asOf count but carry no time.
 * From an EventLog: raw epoch ms (24×7), start = `startTimestampMs` where the log has one.
 */
import type { EventLog } from '../model/event-log.js';
import type { ReportJson } from '../contracts/report-schema.js';
import type { StepVisits } from '../traces/step-visits.js';
import { medianInPlace, sumInOrder } from './select.js';
import { caseSequences, isEventLog, type CaseSequences, type EventSelection } from './variants.js';
import { addGroupValue, type GroupedValues, groupedRoom, groupSketch, groupValues, mergeGroupedValues } from './grouped-values.js';
import { SKETCH_APPROXIMATION } from './value-sketch.js';

// Re-exported so existing imports of the median from the DFG module keep working.
export { medianInPlace } from './select.js';

export type DfgJson = ReportJson['dfg'];

export interface DfgOptions {
  /** EventLog only: every event (PM4Py `all_events`) or completions (`complete_only`). */
  events?: EventSelection;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Above this many possible pairs the pair → id table is a Map instead of a dense Int32Array (16 MB). */
const DENSE_PAIR_LIMIT = 1 << 22;

/**
 * Dense ids for pairs of small integer codes (DFG edges, owner handoffs, ping-pongs), in first-seen order.
 * A dense lookup table when the code space is small, else a Map keyed by `a * size + b` — never a string.
 */
export class PairIndex {
  readonly first: number[] = [];
  readonly second: number[] = [];
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  /**
   * `expectedLookups`: about how many idOf calls will come (default: many). A dense table much larger than that (a
   * partition of a few cases among thousands of owners) would cost more to fill than the lookups it saves: a Map then.
   * The ids are the same either way (first-seen order).
   */
  constructor(
    private readonly size: number,
    expectedLookups = Infinity,
  ) {
    this.dense = size * size <= DENSE_PAIR_LIMIT && size * size <= Math.max(4096, 16 * expectedLookups) ? new Int32Array(size * size).fill(-1) : null;
    this.sparse = this.dense ? null : new Map();
  }

  get count(): number {
    return this.first.length;
  }

  /** The id of (a, b), added when new. */
  idOf(a: number, b: number): number {
    const key = a * this.size + b;
    let id = this.dense ? this.dense[key] : (this.sparse?.get(key) ?? -1);
    if (id < 0) {
      id = this.first.length;
      this.first.push(a);
      this.second.push(b);
      if (this.dense) this.dense[key] = id;
      else this.sparse?.set(key, id);
    }
    return id;
  }
}

/**
 * The DFG of a partition of the cases, what the merge needs: node, start and end counts (sums), the edges in
 * first-seen order with their counts, and each edge's finite times in walk order (GroupedValues).
 */
export interface DfgPartial {
  readonly names: readonly string[];
  readonly nodeVisits: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly edgeFrom: readonly number[];
  readonly edgeTo: readonly number[];
  readonly edgeCount: readonly number[];
  /** Edge e's finite times, in walk order. */
  readonly times: GroupedValues;
}

/** The DFG partial of visits (the map's steps) or events (PM4Py semantics). */
export function accumulateDfg(source: StepVisits | EventLog, options: DfgOptions = {}): DfgPartial {
  const sequences = caseSequences(source, options.events ?? 'all');
  const { caseStart, code, sourceIndex, names } = sequences;
  const nodeCount = names.length;

  // Time from item a (previous) to item b; NaN = no time (open visit).
  let edgeMs: (a: number, b: number) => number;
  if (isEventLog(source)) {
    const timestampMs = source.timestampMs;
    const startMs = source.startTimestampMs;
    edgeMs = (itemA, itemB) => {
      const a = sourceIndex ? sourceIndex[itemA] : itemA;
      const b = sourceIndex ? sourceIndex[itemB] : itemB;
      const startB = startMs ? startMs[b] : NaN;
      if (Number.isNaN(startB)) return timestampMs[b] - timestampMs[a];
      return Math.max(startB, timestampMs[a]) - timestampMs[a];
    };
  } else {
    const { workStartedAt, queueMs, waitingMs, elapsedMs, open } = source;
    edgeMs = (_itemA, visit) => {
      if (open[visit] === 1) return NaN;
      return Number.isNaN(workStartedAt[visit]) ? elapsedMs[visit] : queueMs[visit] + waitingMs[visit];
    };
  }

  const nodeVisits = new Int32Array(nodeCount);
  const starts = new Int32Array(nodeCount);
  const ends = new Int32Array(nodeCount);
  const edgeIndex = new PairIndex(nodeCount, code.length);
  const edgeCount: number[] = [];

  // First walk: node counts, start and end activities, the edges and their counts.
  for (let c = 0; c < sequences.caseCount; c++) {
    const begin = caseStart[c];
    const end = caseStart[c + 1];
    if (begin === end) continue;
    starts[code[begin]]++;
    ends[code[end - 1]]++;
    nodeVisits[code[begin]]++;
    for (let b = begin + 1; b < end; b++) {
      nodeVisits[code[b]]++;
      const edge = edgeIndex.idOf(code[b - 1], code[b]);
      if (edge === edgeCount.length) edgeCount.push(0);
      edgeCount[edge]++;
    }
  }

  const times = groupedRoom(edgeCount, edgeCount.length);
  fillEdgeTimes(sequences, edgeIndex, edgeMs, times);
  return { names, nodeVisits, starts, ends, edgeFrom: edgeIndex.first, edgeTo: edgeIndex.second, edgeCount, times };
}

/**
 * Second walk: each transition's time written straight into its edge's range (ranges from the counts; an edge's
 * finite times are [offset[e], end[e]) after it, in walk order) — no per-transition edge and time columns.
 * An edge with more transitions than the exact-values limit holds a sketch instead (addGroupValue: the slow path).
 * A leaf: inside accumulateDfg, the code compiled on entry into the first walk (OSR) bailed out at the statement after
 * it (no type feedback yet), and this walk then began unoptimised (issue 14, warm-up at 1 M).
 */
function fillEdgeTimes(sequences: CaseSequences, edgeIndex: PairIndex, edgeMs: (a: number, b: number) => number, times: GroupedValues): void {
  const { caseStart, code } = sequences;
  const cursor = times.end;
  const grouped = times.values;
  const sketched = times.sketches !== null;
  for (let c = 0; c < sequences.caseCount; c++) {
    const end = caseStart[c + 1];
    for (let b = caseStart[c] + 1; b < end; b++) {
      const ms = edgeMs(b - 1, b);
      if (Number.isNaN(ms)) continue;
      const edge = edgeIndex.idOf(code[b - 1], code[b]);
      if (sketched) addGroupValue(times, edge, ms);
      else grouped[cursor[edge]++] = ms;
    }
  }
}

/** The partials of contiguous case partitions as one, in partition order (the first itself when it is alone). */
export function mergeDfg(parts: readonly DfgPartial[]): DfgPartial {
  if (parts.length === 1) return parts[0];
  const { names } = parts[0];
  const nodeCount = names.length;
  const nodeVisits = new Int32Array(nodeCount);
  const starts = new Int32Array(nodeCount);
  const ends = new Int32Array(nodeCount);
  const edgeIndex = new PairIndex(nodeCount);
  const edgeCount: number[] = [];
  const edgeOf = parts.map((part) => {
    for (let n = 0; n < nodeCount; n++) {
      nodeVisits[n] += part.nodeVisits[n];
      starts[n] += part.starts[n];
      ends[n] += part.ends[n];
    }
    return part.edgeFrom.map((from, e) => {
      const edge = edgeIndex.idOf(from, part.edgeTo[e]);
      if (edge === edgeCount.length) edgeCount.push(0);
      edgeCount[edge] += part.edgeCount[e];
      return edge;
    });
  });
  const times = mergeGroupedValues(
    parts.map((part) => part.times),
    edgeOf,
    edgeCount,
    edgeCount.length,
  );
  return { names, nodeVisits, starts, ends, edgeFrom: edgeIndex.first, edgeTo: edgeIndex.second, edgeCount, times };
}

/** The report's DFG from a (merged) partial: edges by count, then names; each edge's mean and median time. */
export function finishDfg(partial: DfgPartial): DfgJson {
  const { names, nodeVisits, starts, ends, edgeFrom, edgeTo, edgeCount, times } = partial;
  const edgeOrder = edgeFrom.map((_, edge) => edge);
  edgeOrder.sort(
    (a, b) => edgeCount[b] - edgeCount[a] || compareText(names[edgeFrom[a]], names[edgeFrom[b]]) || compareText(names[edgeTo[a]], names[edgeTo[b]]),
  );
  const nodeOrder = names.map((_, node) => node).filter((node) => nodeVisits[node] > 0);
  nodeOrder.sort((a, b) => nodeVisits[b] - nodeVisits[a] || compareText(names[a], names[b]));
  // fromEntries defines own properties, so an activity named "__proto__" stays a plain key.
  const countsByName = (counts: Int32Array): Record<string, number> =>
    Object.fromEntries(
      nodeOrder
        .filter((node) => counts[node] > 0)
        .sort((a, b) => counts[b] - counts[a] || compareText(names[a], names[b]))
        .map((node) => [names[node], counts[node]]),
    );

  return {
    nodes: nodeOrder.map((node) => ({ name: names[node], count: nodeVisits[node] })),
    edges: edgeOrder.map((edge) => {
      const from = names[edgeFrom[edge]];
      const to = names[edgeTo[edge]];
      const sketch = groupSketch(times, edge);
      if (sketch !== undefined) {
        // Over the exact-values limit: the mean is exact (count and sum are kept), the median is the sketch's.
        const timed = sketch.count > 0;
        return {
          from,
          to,
          count: edgeCount[edge],
          meanMs: timed ? sketch.sum / sketch.count : null,
          medianMs: timed ? sketch.quantile(0.5) : null,
          ...(timed ? { medianApproximate: { ...SKETCH_APPROXIMATION } } : {}),
        };
      }
      const edgeTimes = groupValues(times, edge);
      const sumMs = sumInOrder(edgeTimes);
      return {
        from,
        to,
        count: edgeCount[edge],
        meanMs: edgeTimes.length > 0 ? sumMs / edgeTimes.length : null,
        medianMs: medianInPlace(edgeTimes),
      };
    }),
    startActivities: countsByName(starts),
    endActivities: countsByName(ends),
  };
}

/**
 * Frequency and performance directly-follows graph of visits (the map's steps) or events (PM4Py semantics).
 * @example computeDfg(log).edges[0] // { from: 'check ticket', to: 'decide', count: 6, meanMs: 181960000, medianMs: 129300000 }
 */
export function computeDfg(source: StepVisits | EventLog, options: DfgOptions = {}): DfgJson {
  return finishDfg(accumulateDfg(source, options));
}
