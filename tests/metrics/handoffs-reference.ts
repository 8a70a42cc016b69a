/** computeHandoffs as it was before h26-cases (per-handoff pair and wait columns): the reference of handoffs-walks.test.ts. */
import type { ReportJson } from '../../src/contracts/report-schema.js';
import type { StepVisits } from '../../src/traces/step-visits.js';
import { PairIndex } from '../../src/metrics/dfg.js';
import { summarize } from '../../src/metrics/distribution.js';
import { DEFAULT_SEED } from '../../src/metrics/random.js';
import { medianInPlace } from '../../src/metrics/select.js';

type HandoffsJson = ReportJson['handoffs'] & {
  /** Consecutive-visit transitions skipped because an owner is missing. */
  transitionsWithMissingOwner: number;
  /** Owner pairs with at least one handoff (the matrix may list fewer: `maxPairs`). */
  distinctPairs: number;
};

interface HandoffOptions {
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
 * Owner→owner handoff matrix, wait after each handoff and ping-pong, in one pass over the visits.
 * @example computeHandoffs(visits).matrix[0] // { from: 'Support L1', to: 'Support L2', count: 912, cases: 640, waitAfterMs: {…} }
 */
export function computeHandoffsOneWalk(visits: StepVisits, options: HandoffOptions = {}): HandoffsJson {
  const { maxPairs = 100, seed = DEFAULT_SEED } = options;
  const ownerCount = visits.owners.size;
  const { ownerCode, caseVisitStart, queueMs, waitingMs, elapsedMs } = visits;

  // Pairs are keyed by from * ownerCount + to (numbers, not strings); each handoff records its pair and wait.
  const pairIndex = new PairIndex(ownerCount);
  const pairFrom = pairIndex.first;
  const pairTo = pairIndex.second;
  const pairCount: number[] = [];
  const pairCases: number[] = [];
  const pairLastCase: number[] = [];
  // At most one handoff per consecutive pair of visits: sized once, no growing copies.
  let transitions = 0;
  for (let c = 0; c < visits.caseCount; c++) transitions += Math.max(0, caseVisitStart[c + 1] - caseVisitStart[c] - 1);
  const handoffPair = new Int32Array(transitions);
  const handoffWaitMs = new Float64Array(transitions);
  let total = 0;
  let missing = 0;
  let casesWithHandoff = 0;

  // Ping-pong (a, b): a handed to b and got the case back.
  const pingIndex = new PairIndex(ownerCount);
  const pingA = pingIndex.first;
  const pingB = pingIndex.second;
  const pingCount: number[] = [];
  const pingCases: number[] = [];
  const pingLastCase: number[] = [];

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
      handoffPair[total] = pair;
      handoffWaitMs[total] = visits.activeUnknown ? elapsedMs[v] : queueMs[v] + waitingMs[v];
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

  // Group the waits by pair with a counting sort: one pass, one Float64Array.
  const offset = new Int32Array(pairFrom.length + 1);
  for (let h = 0; h < total; h++) offset[handoffPair[h] + 1]++;
  for (let p = 0; p < pairFrom.length; p++) offset[p + 1] += offset[p];
  const cursor = offset.slice(0, pairFrom.length);
  const waitsByPair = new Float64Array(total);
  for (let h = 0; h < total; h++) waitsByPair[cursor[handoffPair[h]]++] = handoffWaitMs[h];

  const name = (code: number): string => visits.owners.values[code];
  const byName = (a: number, b: number): number => compareText(name(pairFrom[a]), name(pairFrom[b])) || compareText(name(pairTo[a]), name(pairTo[b]));
  const pairs = pairFrom.map((_, pair) => pair);
  const keep = new Uint8Array(pairs.length);
  for (const pair of [...pairs].sort((a, b) => pairCount[b] - pairCount[a] || byName(a, b)).slice(0, maxPairs)) keep[pair] = 1;
  if (pairs.length > maxPairs) {
    const cost = pairs.map((pair) => pairCount[pair] * (medianInPlace(waitsByPair.subarray(offset[pair], offset[pair + 1])) ?? 0));
    for (const pair of [...pairs].sort((a, b) => cost[b] - cost[a] || byName(a, b)).slice(0, maxPairs)) keep[pair] = 1;
  }
  const kept = pairs.filter((pair) => keep[pair] === 1).sort((a, b) => pairCount[b] - pairCount[a] || byName(a, b));

  const pings = pingA.map((_, ping) => ping);
  pings.sort(
    (a, b) => pingCount[b] - pingCount[a] || compareText(name(pingA[a]), name(pingA[b])) || compareText(name(pingB[a]), name(pingB[b])),
  );

  return {
    level: visits.ownerLevel,
    total,
    casesWithHandoff,
    transitionsWithMissingOwner: missing,
    distinctPairs: pairFrom.length,
    matrix: kept.map((pair) => ({
      from: name(pairFrom[pair]),
      to: name(pairTo[pair]),
      count: pairCount[pair],
      cases: pairCases[pair],
      waitAfterMs: summarize(waitsByPair.subarray(offset[pair], offset[pair + 1]), { seed }),
    })),
    pingPong: pings.map((ping) => ({ a: name(pingA[ping]), b: name(pingB[ping]), count: pingCount[ping], cases: pingCases[ping] })),
  };
}
