/**
 * The map's left-to-right order (report StepSchema.order): configured steps in config order, then the others by
 * the median position at which cases first enter them (ties: more visits first, then name); outcome (done)
 * steps last. Re-codes the visits' step codes in place so step code = map position.
 */
import type { StepDefinition } from './step-visits.js';
import type { VisitBuffer } from './visit-buffer.js';

const RANK_BUCKETS = 256;

/**
 * What the order needs of a set of cases, a sum over cases (so the counts of contiguous case partitions add up to
 * the whole log's): per step, its first-entry positions (a histogram capped at RANK_BUCKETS − 1) and its visits.
 * `width` ranks per step: no case enters more distinct steps than it has visits, so a partition of short cases
 * keeps a narrow histogram (one partition per case of a 398-step log: 2 ranks, not 256).
 */
export interface StepOrderCounts {
  readonly width: number;
  /** Step s's count at rank r is histogram[s * width + r]. */
  readonly histogram: Int32Array;
  readonly visitCounts: Int32Array;
}

/** The order counts of visits whose cases' visits are [caseVisitStart[c], caseVisitStart[c + 1]). */
export function stepOrderCounts(stepCount: number, stepCode: Int32Array, caseVisitStart: Int32Array): StepOrderCounts {
  // Histogram of first-entry positions per step (capped): a median without storing a rank per case.
  const caseCount = caseVisitStart.length - 1;
  const width = Math.min(RANK_BUCKETS, Math.max(1, stepCount), longestCase(caseVisitStart));
  const histogram = new Int32Array(stepCount * width);
  const visitCounts = new Int32Array(stepCount);
  const seenInCase = new Int32Array(stepCount).fill(-1);
  for (let c = 0; c < caseCount; c++) {
    let rank = 0;
    for (let v = caseVisitStart[c]; v < caseVisitStart[c + 1]; v++) {
      const step = stepCode[v];
      visitCounts[step]++;
      if (seenInCase[step] === c) continue;
      seenInCase[step] = c;
      histogram[step * width + Math.min(rank, width - 1)]++;
      rank++;
    }
  }
  return { width, histogram, visitCounts };
}

/**
 * The most visits of one case (at least 1). A leaf: inside stepOrderCounts, the code compiled on entry into this loop
 * (OSR) bailed out at the statement after it (no type feedback yet), and the visits' loop then began unoptimised.
 */
function longestCase(caseVisitStart: Int32Array): number {
  let longest = 1;
  for (let c = 0; c + 1 < caseVisitStart.length; c++) longest = Math.max(longest, caseVisitStart[c + 1] - caseVisitStart[c]);
  return longest;
}

/** The counts of several case partitions added up (in any order: integer sums). */
export function mergeStepOrderCounts(parts: readonly StepOrderCounts[]): StepOrderCounts {
  if (parts.length === 1) return parts[0];
  const stepCount = parts[0].visitCounts.length;
  let width = 1;
  for (const part of parts) width = Math.max(width, part.width);
  const histogram = new Int32Array(stepCount * width);
  const visitCounts = new Int32Array(stepCount);
  for (const part of parts) addCounts(part, histogram, width, visitCounts);
  return { width, histogram, visitCounts };
}

/** Adds one partition's counts into a histogram of `width` ≥ its own (its ranks are below its width: no rank was capped there that is not capped here). */
function addCounts(part: StepOrderCounts, histogram: Int32Array, width: number, visitCounts: Int32Array): void {
  const stepCount = visitCounts.length;
  const own = part.width;
  for (let s = 0; s < stepCount; s++) {
    visitCounts[s] += part.visitCounts[s];
    for (let r = 0; r < own; r++) histogram[s * width + r] += part.histogram[s * own + r];
  }
}

/** The map order from the counts: the steps in map order and each old code's new code (null when no code changes). */
export function stepOrderOf(steps: readonly StepDefinition[], configuredCount: number, counts: StepOrderCounts): { steps: StepDefinition[]; newCodeOfOld: Int32Array | null } {
  const stepCount = steps.length;
  const { width, histogram, visitCounts } = counts;
  const medianRank = (step: number): number => {
    let total = 0;
    for (let r = 0; r < width; r++) total += histogram[step * width + r];
    if (total === 0) return Infinity;
    let cumulative = 0;
    for (let r = 0; r < width; r++) {
      cumulative += histogram[step * width + r];
      if (cumulative * 2 >= total) return r;
    }
    return RANK_BUCKETS;
  };
  const others = steps.map((_, code) => code).filter((code) => code >= configuredCount);
  const medians = new Map(others.map((code) => [code, medianRank(code)]));
  others.sort((a, b) => {
    const outcomeA = steps[a].outcome ? 1 : 0;
    const outcomeB = steps[b].outcome ? 1 : 0;
    if (outcomeA !== outcomeB) return outcomeA - outcomeB;
    const byRank = (medians.get(a) as number) - (medians.get(b) as number);
    if (byRank !== 0 && !Number.isNaN(byRank)) return byRank;
    if (visitCounts[a] !== visitCounts[b]) return visitCounts[b] - visitCounts[a];
    return steps[a].name < steps[b].name ? -1 : steps[a].name > steps[b].name ? 1 : 0;
  });
  const oldCodes = [...steps.keys()].filter((code) => code < configuredCount).concat(others);
  const newCodeOfOld = new Int32Array(stepCount);
  oldCodes.forEach((oldCode, newCode) => (newCodeOfOld[oldCode] = newCode));
  // The map order is often the order the steps were first met in: then no visit changes code.
  let identity = true;
  for (let code = 0; code < stepCount; code++) if (newCodeOfOld[code] !== code) identity = false;
  return { steps: oldCodes.map((oldCode) => steps[oldCode]), newCodeOfOld: identity ? null : newCodeOfOld };
}

/** Re-codes step codes[0, count) in place to the map order. */
export function recodeSteps(stepCode: Int32Array, count: number, newCodeOfOld: Int32Array): void {
  for (let v = 0; v < count; v++) stepCode[v] = newCodeOfOld[stepCode[v]];
}

export function orderSteps(
  steps: readonly StepDefinition[],
  configuredCount: number,
  visits: VisitBuffer,
  caseVisitStart: Int32Array,
): StepDefinition[] {
  const order = stepOrderOf(steps, configuredCount, stepOrderCounts(steps.length, visits.stepCode, caseVisitStart));
  if (order.newCodeOfOld !== null) recodeSteps(visits.stepCode, visits.count, order.newCodeOfOld);
  return order.steps;
}
