/** computeDfg as it was before h26-cases (per-transition edge and time columns): the reference of dfg-walks.test.ts. */
import type { EventLog } from '../../src/model/event-log.js';
import type { ReportJson } from '../../src/contracts/report-schema.js';
import type { StepVisits } from '../../src/traces/step-visits.js';
import { PairIndex } from '../../src/metrics/dfg.js';
import { medianInPlace } from '../../src/metrics/select.js';
import { caseSequences, isEventLog, type EventSelection } from '../../src/metrics/variants.js';


type DfgJson = ReportJson['dfg'];

interface DfgOptions {
  /** EventLog only: every event (PM4Py `all_events`) or completions (`complete_only`). */
  events?: EventSelection;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Above this many possible pairs the pair → id table is a Map instead of a dense Int32Array (16 MB). */
export function computeDfgColumns(source: StepVisits | EventLog, options: DfgOptions = {}): DfgJson {
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
  const edgeIndex = new PairIndex(nodeCount);
  const edgeFrom = edgeIndex.first;
  const edgeTo = edgeIndex.second;
  const edgeCount: number[] = [];
  let nonEmptyCases = 0;
  for (let c = 0; c < sequences.caseCount; c++) if (caseStart[c + 1] > caseStart[c]) nonEmptyCases++;
  const transitions = code.length - nonEmptyCases;
  const transitionEdge = new Int32Array(transitions);
  const transitionMs = new Float64Array(transitions);
  let transitionCount = 0;

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
      transitionEdge[transitionCount] = edge;
      transitionMs[transitionCount++] = edgeMs(b - 1, b);
    }
  }

  // Group the finite times by edge (counting sort), then mean and median per edge.
  const edges = edgeFrom.length;
  const offset = new Int32Array(edges + 1);
  for (let t = 0; t < transitionCount; t++) if (!Number.isNaN(transitionMs[t])) offset[transitionEdge[t] + 1]++;
  for (let e = 0; e < edges; e++) offset[e + 1] += offset[e];
  const cursor = offset.slice(0, edges);
  const grouped = new Float64Array(offset[edges]);
  for (let t = 0; t < transitionCount; t++) if (!Number.isNaN(transitionMs[t])) grouped[cursor[transitionEdge[t]]++] = transitionMs[t];

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
      const times = grouped.subarray(offset[edge], offset[edge + 1]);
      let sumMs = 0;
      for (let k = 0; k < times.length; k++) sumMs += times[k];
      return {
        from: names[edgeFrom[edge]],
        to: names[edgeTo[edge]],
        count: edgeCount[edge],
        meanMs: times.length > 0 ? sumMs / times.length : null,
        medianMs: medianInPlace(times),
      };
    }),
    startActivities: countsByName(starts),
    endActivities: countsByName(ends),
  };
}
