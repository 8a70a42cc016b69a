/**
 * Handoffs (DESIGN §4): two consecutive visits of a case whose owners (resource or group, `visits.ownerLevel`)
 * differ. A transition where either owner is missing is not a handoff: it is counted in
 * `transitionsWithMissingOwner` instead, so unknown owners never inflate (or hide) handoffs.
 *
 * Wait after a handoff = calendar time before work starts in the `to` visit: its queueMs + waitingMs.
 * Single-timestamp logs (`activeUnknown`) have no work start, so the wait is the `to` visit's elapsedMs
 * (previous completion → this completion, PM4Py's performance-DFG value on such logs, trap 2).
 *
 * Ping-pong: two consecutive owner changes where the second undoes the first, A→B then B→A (owners of
 * consecutive visits with changes, so A A B B A counts once; a visit without an owner breaks the chain).
 * Overlapping windows each count (A B A B = A⇄B once, B⇄A once). `a` is the owner that got the case back.
 */
import type { ReportJson } from '../contracts/report-schema.js';
import type { StepVisits } from '../traces/step-visits.js';
import { PairIndex } from './dfg.js';
import { summarize, summarizeSketch } from './distribution.js';
import { DEFAULT_SEED } from './random.js';
import { medianInPlace } from './select.js';
import { addGroupValue, type GroupedValues, groupedRoom, groupSketch, groupValues, mergeGroupedValues } from './grouped-values.js';

export type HandoffsJson = ReportJson['handoffs'] & {
  /** Consecutive-visit transitions skipped because an owner is missing. */
  transitionsWithMissingOwner: number;
  /** Owner pairs with at least one handoff (the matrix may list fewer: `maxPairs`). */
  distinctPairs: number;
};

export interface HandoffOptions {
  /**
   * Matrix size: the top `maxPairs` pairs by count, plus any pair in the top `maxPairs` by count × median wait
   * (the handoff-to-simplify ranking), so a rare but slow handoff is never cut. Default 100; all pairs count in
   * `total` and `distinctPairs`.
   */
  maxPairs?: number;
  /** Seed of the bootstrap interval of the wait medians. */
  seed?: number;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The second walk of computeHandoffs: the same handoffs in the same order (consecutive visits of a case, both owners
 * known and different), each one's wait (queue + waiting, or elapsed when active time is unknown) written at its
 * pair's cursor. `pairIndex` already holds every pair.
 */
function fillWaitsByPair(visits: StepVisits, pairIndex: PairIndex, waits: GroupedValues): void {
  const { ownerCode, caseVisitStart, queueMs, waitingMs, elapsedMs, activeUnknown } = visits;
  const cursor = waits.end;
  const waitsByPair = waits.values;
  // A pair with more handoffs than the exact-values limit holds a sketch instead (addGroupValue: the slow path).
  const sketched = waits.sketches !== null;
  for (let c = 0; c < visits.caseCount; c++) {
    const end = caseVisitStart[c + 1];
    for (let v = caseVisitStart[c] + 1; v < end; v++) {
      const from = ownerCode[v - 1];
      const to = ownerCode[v];
      if (from < 0 || to < 0 || from === to) continue;
      const pair = pairIndex.idOf(from, to);
      const wait = activeUnknown ? elapsedMs[v] : queueMs[v] + waitingMs[v];
      if (sketched) addGroupValue(waits, pair, wait);
      else waitsByPair[cursor[pair]++] = wait;
    }
  }
}

/**
 * Handoffs of a partition of the cases, what the merge needs: the pairs and ping-pongs in first-seen order with
 * their counts and cases (sums: a case lies in one partition), each pair's waits in visit order, the totals.
 */
export interface HandoffPartial {
  readonly ownerCount: number;
  readonly pairFrom: readonly number[];
  readonly pairTo: readonly number[];
  readonly pairCount: readonly number[];
  readonly pairCases: readonly number[];
  /** Pair p's waits (all of its handoffs), in visit order. */
  readonly waits: GroupedValues;
  readonly pingA: readonly number[];
  readonly pingB: readonly number[];
  readonly pingCount: readonly number[];
  readonly pingCases: readonly number[];
  readonly total: number;
  readonly missing: number;
  readonly casesWithHandoff: number;
}

/** The handoff partial of visits: the pairs, their counts and cases, the ping-pongs, then each handoff's wait. */
export function accumulateHandoffs(visits: StepVisits): HandoffPartial {
  const ownerCount = visits.owners.size;
  const { ownerCode, caseVisitStart } = visits;

  // Pairs are keyed by from * ownerCount + to (numbers, not strings).
  const pairIndex = new PairIndex(ownerCount, visits.count);
  const pairCount: number[] = [];
  const pairCases: number[] = [];
  const pairLastCase: number[] = [];
  let total = 0;
  let missing = 0;
  let casesWithHandoff = 0;

  // Ping-pong (a, b): a handed to b and got the case back.
  const pingIndex = new PairIndex(ownerCount, visits.count);
  const pingCount: number[] = [];
  const pingCases: number[] = [];
  const pingLastCase: number[] = [];

  // First walk: the pairs, their counts and cases, and the ping-pongs.
  for (let c = 0; c < visits.caseCount; c++) {
    const begin = caseVisitStart[c];
    const end = caseVisitStart[c + 1];
    let caseHasHandoff = false;
    // The owner before the last owner change in this case (-1 = none yet), for ping-pong.
    let ownerBeforeChange = -1;
    for (let v = begin + 1; v < end; v++) {
      const from = ownerCode[v - 1];
      const to = ownerCode[v];
      if (from < 0 || to < 0) {
        missing++;
        ownerBeforeChange = -1;
        continue;
      }
      if (from === to) continue;
      caseHasHandoff = true;
      const pair = pairIndex.idOf(from, to);
      if (pair === pairCount.length) {
        pairCount.push(0);
        pairCases.push(0);
        pairLastCase.push(-1);
      }
      pairCount[pair]++;
      if (pairLastCase[pair] !== c) {
        pairLastCase[pair] = c;
        pairCases[pair]++;
      }
      total++;

      if (ownerBeforeChange === to) {
        const ping = pingIndex.idOf(to, from);
        if (ping === pingCount.length) {
          pingCount.push(0);
          pingCases.push(0);
          pingLastCase.push(-1);
        }
        pingCount[ping]++;
        if (pingLastCase[ping] !== c) {
          pingLastCase[ping] = c;
          pingCases[ping]++;
        }
      }
      ownerBeforeChange = from;
    }
    if (caseHasHandoff) casesWithHandoff++;
  }

  // Second walk: each handoff's wait written straight into its pair's range (ranges from the counts), in visit order
  // within a pair as the first walk met them — no per-handoff pair and wait columns, no pass over them.
  const waits = groupedRoom(pairCount, pairCount.length);
  fillWaitsByPair(visits, pairIndex, waits);
  return {
    ownerCount,
    pairFrom: pairIndex.first,
    pairTo: pairIndex.second,
    pairCount,
    pairCases,
    waits,
    pingA: pingIndex.first,
    pingB: pingIndex.second,
    pingCount,
    pingCases,
    total,
    missing,
    casesWithHandoff,
  };
}

/**
 * One partition's (a, b) pairs added into the merged index with their counts and case counts (new pairs in the
 * partition's first-seen order); returns each partition pair's merged id.
 */
function addPairCounts(
  index: PairIndex,
  counts: number[],
  cases: number[],
  first: readonly number[],
  second: readonly number[],
  partCounts: readonly number[],
  partCases: readonly number[],
): number[] {
  return first.map((a, k) => {
    const id = index.idOf(a, second[k]);
    if (id === counts.length) {
      counts.push(0);
      cases.push(0);
    }
    counts[id] += partCounts[k];
    cases[id] += partCases[k];
    return id;
  });
}

/** The partials of contiguous case partitions as one, in partition order (the first itself when it is alone). */
export function mergeHandoffs(parts: readonly HandoffPartial[]): HandoffPartial {
  if (parts.length === 1) return parts[0];
  const { ownerCount } = parts[0];
  const pairIndex = new PairIndex(ownerCount);
  const pairCount: number[] = [];
  const pairCases: number[] = [];
  const pingIndex = new PairIndex(ownerCount);
  const pingCount: number[] = [];
  const pingCases: number[] = [];
  let total = 0;
  let missing = 0;
  let casesWithHandoff = 0;
  const pairOf = parts.map((part) => {
    total += part.total;
    missing += part.missing;
    casesWithHandoff += part.casesWithHandoff;
    addPairCounts(pingIndex, pingCount, pingCases, part.pingA, part.pingB, part.pingCount, part.pingCases);
    return addPairCounts(pairIndex, pairCount, pairCases, part.pairFrom, part.pairTo, part.pairCount, part.pairCases);
  });
  const waits = mergeGroupedValues(
    parts.map((part) => part.waits),
    pairOf,
    pairCount,
    pairCount.length,
  );
  return {
    ownerCount,
    pairFrom: pairIndex.first,
    pairTo: pairIndex.second,
    pairCount,
    pairCases,
    waits,
    pingA: pingIndex.first,
    pingB: pingIndex.second,
    pingCount,
    pingCases,
    total,
    missing,
    casesWithHandoff,
  };
}

/** The report's handoffs from a (merged) partial: the matrix (count, then cost ranking), the ping-pongs. */
export function finishHandoffs(partial: HandoffPartial, owners: StepVisits['owners'], level: StepVisits['ownerLevel'], options: HandoffOptions = {}): HandoffsJson {
  const { maxPairs = 100, seed = DEFAULT_SEED } = options;
  const { pairFrom, pairTo, pairCount, pairCases, waits, pingA, pingB, pingCount, pingCases } = partial;
  const waitsOf = (pair: number): Float64Array => groupValues(waits, pair);
  /** The pair's median wait, from its sketch when it has one (a sketch skips NaN, as summarize does). */
  const medianOf = (pair: number): number | null => {
    const sketch = groupSketch(waits, pair);
    if (sketch === undefined) return medianInPlace(waitsOf(pair));
    return sketch.count === 0 ? null : sketch.quantile(0.5);
  };
  const waitsSummary = (pair: number) => {
    const sketch = groupSketch(waits, pair);
    return sketch === undefined ? summarize(waitsOf(pair), { seed }) : summarizeSketch(sketch);
  };
  const name = (code: number): string => owners.values[code];
  const byName = (a: number, b: number): number => compareText(name(pairFrom[a]), name(pairFrom[b])) || compareText(name(pairTo[a]), name(pairTo[b]));
  const pairs = pairFrom.map((_, pair) => pair);
  const keep = new Uint8Array(pairs.length);
  for (const pair of [...pairs].sort((a, b) => pairCount[b] - pairCount[a] || byName(a, b)).slice(0, maxPairs)) keep[pair] = 1;
  if (pairs.length > maxPairs) {
    const cost = pairs.map((pair) => pairCount[pair] * (medianOf(pair) ?? 0));
    for (const pair of [...pairs].sort((a, b) => cost[b] - cost[a] || byName(a, b)).slice(0, maxPairs)) keep[pair] = 1;
  }
  const kept = pairs.filter((pair) => keep[pair] === 1).sort((a, b) => pairCount[b] - pairCount[a] || byName(a, b));

  const pings = pingA.map((_, ping) => ping);
  pings.sort(
    (a, b) => pingCount[b] - pingCount[a] || compareText(name(pingA[a]), name(pingA[b])) || compareText(name(pingB[a]), name(pingB[b])),
  );

  return {
    level,
    total: partial.total,
    casesWithHandoff: partial.casesWithHandoff,
    transitionsWithMissingOwner: partial.missing,
    distinctPairs: pairFrom.length,
    matrix: kept.map((pair) => ({
      from: name(pairFrom[pair]),
      to: name(pairTo[pair]),
      count: pairCount[pair],
      cases: pairCases[pair],
      waitAfterMs: waitsSummary(pair),
    })),
    pingPong: pings.map((ping) => ({ a: name(pingA[ping]), b: name(pingB[ping]), count: pingCount[ping], cases: pingCases[ping] })),
  };
}

/**
 * Owner→owner handoff matrix, wait after each handoff and ping-pong, in two walks over the visits.
 * @example computeHandoffs(visits).matrix[0] // { from: 'Support L1', to: 'Support L2', count: 912, cases: 640, waitAfterMs: {…} }
 */
export function computeHandoffs(visits: StepVisits, options: HandoffOptions = {}): HandoffsJson {
  return finishHandoffs(accumulateHandoffs(visits), visits.owners, visits.ownerLevel, options);
}
