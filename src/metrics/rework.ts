/**
 * Rework (DESIGN §4): a case re-entering a step it has already left.
 *
 * Every visit j of step S whose case visited S before is a re-entry; i is the case's most recent earlier visit
 * of S. Kinds, as in bupaR/edeaR:
 * - self-loop when i = j − 1 (the case left S and came straight back: activity logs, consecutive instances),
 *   repetition when other steps lie between;
 * - same owner (bupaR "repeat") unless both visits have a known owner and they differ (then "redo"). A missing
 *   owner is no evidence of a change, as for handoffs.
 *
 * A rework loop is the path from the earlier pass back to the re-entry: the steps of visits i..j, [S, …, S]
 * ([A, A] for a self-loop). `from` is the step the case came back from (visit j − 1), `to` = S. Paths longer
 * than `maxPathSteps` are summarised as [S, "… n steps …", from, S] where n counts the steps left out.
 *
 * Added time of one occurrence = calendar ms from the exit of pass i to the exit of the re-entry j
 * = Σ elapsedMs over visits i+1..j (a case's visits are contiguous: each is entered when the previous one is
 * left, so the sum is the elapsed calendar time; an open re-entry counts up to asOf). It is what the case
 * spent because it went round the loop once more. Per case, a loop's addedMs is the sum over its occurrences
 * in that case; `addedMs` is the distribution of that over the affected cases. Nested loops each count their
 * own span (A B C B A adds B→C→B to [B, C, B] and the whole span to [A, B, C, B, A]).
 */
import type { ReportJson } from '../contracts/report-schema.js';
import type { StepVisits } from '../traces/step-visits.js';
import { summarize, summarizeSketch } from './distribution.js';
import { exactValuesLimit, ValueSketch } from './value-sketch.js';
import { DEFAULT_SEED } from './random.js';

export type ReworkJson = ReportJson['rework'];

export interface ReworkOptions {
  /** Loops kept, ranked by cases affected then total added time. */
  topLoops?: number;
  /** Longest loop path shown in full (visits from the earlier pass to the re-entry, both included). */
  maxPathSteps?: number;
  /** Seed of the bootstrap interval of the addedMs medians. */
  seed?: number;
}

export const GAP_LABEL = (omittedSteps: number): string => `… ${omittedSteps} steps …`;

interface LoopTable {
  /** Representative occurrence (visit indices) to rebuild the path from. */
  firstVisit: number[];
  lastVisit: number[];
  occurrences: number[];
  cases: number[];
  lastCase: number[];
  totalAddedMs: number[];
  /** Per (case, loop) entry: the entry of the loop in the case being scanned. */
  currentEntry: number[];
}

/**
 * Rework of a partition of the cases, what the merge needs: per-step counts (sums), the loops in first-seen order
 * (each by its path's identity: step codes, and the span for a summarised path) with their occurrences, cases and
 * summed added time, and one entry per (case, loop) with the case's added time, in case order.
 */
export interface ReworkPartial {
  readonly caseCount: number;
  readonly casesWithRework: number;
  readonly stepCases: Int32Array;
  readonly repeatVisits: Int32Array;
  readonly selfSame: Int32Array;
  readonly selfOther: Int32Array;
  readonly repSame: Int32Array;
  readonly repOther: Int32Array;
  /** Visits i..j − i of each loop's path: span + 1 steps (a summarised path keeps its last two, `shortPath` 0). */
  readonly loopSpan: readonly number[];
  /** The path's step codes: all span + 1 of them, or [from, to] when the path is summarised. */
  readonly loopPath: readonly Int32Array[];
  readonly occurrences: readonly number[];
  readonly cases: readonly number[];
  readonly totalAddedMs: readonly number[];
  readonly entryLoop: Int32Array;
  readonly entryAddedMs: Float64Array;
  readonly entryCount: number;
}

/** A summarised path needs room for [S, gap, from, S]; 2 keeps self-loops whole. */
function maxPathStepsOf(options: ReworkOptions): number {
  return Math.max(2, options.maxPathSteps ?? 8);
}

/** The rework partial of visits, in one pass over them. */
export function accumulateRework(visits: StepVisits, options: Pick<ReworkOptions, 'maxPathSteps'> = {}): ReworkPartial {
  const maxPathSteps = maxPathStepsOf(options);
  const stepCount = visits.steps.length;
  const { stepCode, ownerCode, elapsedMs, caseVisitStart } = visits;

  // Per step: the case it was last seen in and the visit index, so "seen before in this case" is O(1).
  const lastSeenCase = new Int32Array(stepCount).fill(-1);
  const lastSeenVisit = new Int32Array(stepCount);
  const reworkCaseStamp = new Int32Array(stepCount).fill(-1);
  const stepCases = new Int32Array(stepCount);
  const repeatVisits = new Int32Array(stepCount);
  const selfSame = new Int32Array(stepCount);
  const selfOther = new Int32Array(stepCount);
  const repSame = new Int32Array(stepCount);
  const repOther = new Int32Array(stepCount);

  // Loops are found by a 30-bit hash of their path (a small-integer Map key, no string per re-entry), checked
  // against the loop's first occurrence; loops whose hashes collide chain through nextWithSameHash.
  const loopOfHash = new Map<number, number>();
  const nextWithSameHash: number[] = [];
  const loops: LoopTable = { firstVisit: [], lastVisit: [], occurrences: [], cases: [], lastCase: [], totalAddedMs: [], currentEntry: [] };
  // One entry per (case, loop): typed arrays grown by doubling (a million entries on big logs).
  let entryLoop = new Int32Array(1024);
  let entryAddedMs = new Float64Array(1024);
  let entryCount = 0;
  // Elapsed ms of the case's visits so far, by position in the case (only the case being scanned is read): a column
  // the length of the longest case, not of all visits (a fresh 8 bytes a visit was the pass's largest cost, its pages
  // touched for the first time).
  let cumulativeMs = new Float64Array(16);
  const isShort = (i: number, j: number): boolean => j - i + 1 <= maxPathSteps;
  const pathHash = (i: number, j: number): number => {
    let hash = 0x811c9dc5 ^ (j - i);
    if (isShort(i, j)) {
      for (let k = i; k <= j; k++) hash = Math.imul(hash ^ stepCode[k], 0x01000193);
    } else {
      hash = Math.imul(hash ^ 0x5bd1e995, 0x01000193);
      hash = Math.imul(hash ^ stepCode[j - 1], 0x01000193);
      hash = Math.imul(hash ^ stepCode[j], 0x01000193);
    }
    return hash & 0x3fffffff;
  };
  // Same path as the loop's first occurrence (i0, j0): full paths step by step; summarised ones by re-entered
  // step, the step come back from and the number of steps left out.
  const samePath = (loop: number, i: number, j: number): boolean => {
    const i0 = loops.firstVisit[loop];
    const j0 = loops.lastVisit[loop];
    if (j0 - i0 !== j - i || stepCode[j0] !== stepCode[j] || stepCode[j0 - 1] !== stepCode[j - 1]) return false;
    if (!isShort(i, j)) return true;
    for (let k = 0; k < j - i; k++) if (stepCode[i0 + k] !== stepCode[i + k]) return false;
    return true;
  };

  let casesWithRework = 0;
  for (let c = 0; c < visits.caseCount; c++) {
    const begin = caseVisitStart[c];
    const end = caseVisitStart[c + 1];
    let caseHasRework = false;
    let runningMs = 0;
    if (end - begin > cumulativeMs.length) cumulativeMs = new Float64Array(Math.max(end - begin, 2 * cumulativeMs.length));
    for (let j = begin; j < end; j++) {
      runningMs += elapsedMs[j];
      cumulativeMs[j - begin] = runningMs;
      const step = stepCode[j];
      if (lastSeenCase[step] !== c) {
        lastSeenCase[step] = c;
        lastSeenVisit[step] = j;
        continue;
      }
      const i = lastSeenVisit[step];
      lastSeenVisit[step] = j;
      caseHasRework = true;
      repeatVisits[step]++;
      if (reworkCaseStamp[step] !== c) {
        reworkCaseStamp[step] = c;
        stepCases[step]++;
      }
      const ownerBefore = ownerCode[i];
      const ownerNow = ownerCode[j];
      const otherOwner = ownerBefore >= 0 && ownerNow >= 0 && ownerBefore !== ownerNow;
      if (i === j - 1) {
        if (otherOwner) selfOther[step]++;
        else selfSame[step]++;
      } else if (otherOwner) repOther[step]++;
      else repSame[step]++;

      const hash = pathHash(i, j);
      let loop = loopOfHash.get(hash);
      let previousInChain = -1;
      while (loop !== undefined && loop >= 0 && !samePath(loop, i, j)) {
        previousInChain = loop;
        loop = nextWithSameHash[loop];
      }
      if (loop === undefined || loop < 0) {
        loop = loops.occurrences.length;
        if (previousInChain >= 0) nextWithSameHash[previousInChain] = loop;
        else loopOfHash.set(hash, loop);
        nextWithSameHash.push(-1);
        loops.firstVisit.push(i);
        loops.lastVisit.push(j);
        loops.occurrences.push(0);
        loops.cases.push(0);
        loops.lastCase.push(-1);
        loops.totalAddedMs.push(0);
        loops.currentEntry.push(-1);
      }
      const addedMs = runningMs - cumulativeMs[i - begin];
      loops.occurrences[loop]++;
      loops.totalAddedMs[loop] += addedMs;
      if (loops.lastCase[loop] !== c) {
        loops.lastCase[loop] = c;
        loops.cases[loop]++;
        if (entryCount === entryLoop.length) {
          const biggerLoop = new Int32Array(entryCount * 2);
          biggerLoop.set(entryLoop);
          entryLoop = biggerLoop;
          const biggerAdded = new Float64Array(entryCount * 2);
          biggerAdded.set(entryAddedMs);
          entryAddedMs = biggerAdded;
        }
        loops.currentEntry[loop] = entryCount;
        entryLoop[entryCount] = loop;
        entryAddedMs[entryCount++] = addedMs;
      } else {
        entryAddedMs[loops.currentEntry[loop]] += addedMs;
      }
    }
    if (caseHasRework) casesWithRework++;
  }

  const loopSpan = loops.firstVisit.map((i, loop) => loops.lastVisit[loop] - i);
  const loopPath = loops.firstVisit.map((i, loop) => {
    const j = loops.lastVisit[loop];
    return isShort(i, j) ? stepCode.slice(i, j + 1) : Int32Array.of(stepCode[j - 1], stepCode[j]);
  });
  return {
    caseCount: visits.caseCount,
    casesWithRework,
    stepCases,
    repeatVisits,
    selfSame,
    selfOther,
    repSame,
    repOther,
    loopSpan,
    loopPath,
    occurrences: loops.occurrences,
    cases: loops.cases,
    totalAddedMs: loops.totalAddedMs,
    entryLoop,
    entryAddedMs,
    entryCount,
  };
}

/** The partials of contiguous case partitions as one, in partition order (the first itself when it is alone). */
export function mergeRework(parts: readonly ReworkPartial[]): ReworkPartial {
  if (parts.length === 1) return parts[0];
  const stepCount = parts[0].stepCases.length;
  const sumOf = (column: (part: ReworkPartial) => Int32Array): Int32Array => {
    const sum = new Int32Array(stepCount);
    for (const part of parts) for (let s = 0; s < stepCount; s++) sum[s] += column(part)[s];
    return sum;
  };
  const loopOf = new Map<string, number>();
  const loopSpan: number[] = [];
  const loopPath: Int32Array[] = [];
  const occurrences: number[] = [];
  const cases: number[] = [];
  const totalAddedMs: number[] = [];
  let entryCount = 0;
  for (const part of parts) entryCount += part.entryCount;
  const entryLoop = new Int32Array(entryCount);
  const entryAddedMs = new Float64Array(entryCount);
  let entry = 0;
  let caseCount = 0;
  let casesWithRework = 0;
  for (const part of parts) {
    caseCount += part.caseCount;
    casesWithRework += part.casesWithRework;
    const globalLoop = part.loopSpan.map((span, k) => {
      const key = `${span}:${part.loopPath[k].join(',')}`;
      let loop = loopOf.get(key);
      if (loop === undefined) {
        loop = occurrences.length;
        loopOf.set(key, loop);
        loopSpan.push(span);
        loopPath.push(part.loopPath[k]);
        occurrences.push(0);
        cases.push(0);
        totalAddedMs.push(0);
      }
      occurrences[loop] += part.occurrences[k];
      cases[loop] += part.cases[k];
      totalAddedMs[loop] += part.totalAddedMs[k];
      return loop;
    });
    for (let e = 0; e < part.entryCount; e++) {
      entryLoop[entry] = globalLoop[part.entryLoop[e]];
      entryAddedMs[entry++] = part.entryAddedMs[e];
    }
  }
  return {
    caseCount,
    casesWithRework,
    stepCases: sumOf((part) => part.stepCases),
    repeatVisits: sumOf((part) => part.repeatVisits),
    selfSame: sumOf((part) => part.selfSame),
    selfOther: sumOf((part) => part.selfOther),
    repSame: sumOf((part) => part.repSame),
    repOther: sumOf((part) => part.repOther),
    loopSpan,
    loopPath,
    occurrences,
    cases,
    totalAddedMs,
    entryLoop,
    entryAddedMs,
    entryCount,
  };
}

/** The report's rework from a (merged) partial: per step, and the top loops with their added time per case. */
export function finishRework(partial: ReworkPartial, steps: StepVisits['steps'], options: ReworkOptions = {}): ReworkJson {
  const { topLoops = 20, seed = DEFAULT_SEED } = options;
  const maxPathSteps = maxPathStepsOf(options);
  const { stepCases, repeatVisits, selfSame, selfOther, repSame, repOther, loopSpan, loopPath, cases, occurrences, totalAddedMs, entryLoop, entryAddedMs, entryCount, casesWithRework } = partial;
  const stepName = (code: number): string => steps[code].name;
  const pathOf = (loop: number): string[] => {
    const span = loopSpan[loop];
    const path = loopPath[loop];
    if (span + 1 <= maxPathSteps) return Array.from(path, stepName);
    const to = path[path.length - 1];
    return [stepName(to), GAP_LABEL(span - 2), stepName(path[path.length - 2]), stepName(to)];
  };

  const loopCount = occurrences.length;
  const paths = new Map<number, string>();
  const pathKey = (loop: number): string => {
    let key = paths.get(loop);
    if (key === undefined) {
      key = pathOf(loop).join('\u0000');
      paths.set(loop, key);
    }
    return key;
  };
  const ranked = Array.from({ length: loopCount }, (_, loop) => loop).sort(
    (a, b) => cases[b] - cases[a] || totalAddedMs[b] - totalAddedMs[a] || (pathKey(a) < pathKey(b) ? -1 : pathKey(a) > pathKey(b) ? 1 : 0),
  );
  const kept = ranked.slice(0, topLoops);
  const rankOfLoop = new Int32Array(loopCount).fill(-1);
  kept.forEach((loop, rank) => (rankOfLoop[loop] = rank));
  // A kept loop with more cases than the exact-values limit gathers its added times into a sketch, not an array.
  const limit = exactValuesLimit();
  const sketches = kept.map((loop) => (cases[loop] > limit ? new ValueSketch() : undefined));
  const addedPerCase = kept.map((loop) => new Float64Array(cases[loop] > limit ? 0 : cases[loop]));
  const filled = new Int32Array(kept.length);
  for (let e = 0; e < entryCount; e++) {
    const rank = rankOfLoop[entryLoop[e]];
    if (rank < 0) continue;
    const sketch = sketches[rank];
    if (sketch !== undefined) sketch.add(entryAddedMs[e]);
    else addedPerCase[rank][filled[rank]++] = entryAddedMs[e];
  }

  return {
    casesWithRework,
    share: partial.caseCount > 0 ? casesWithRework / partial.caseCount : 0,
    byStep: steps.map((step, code) => ({
      step: step.name,
      cases: stepCases[code],
      repeatVisits: repeatVisits[code],
      selfLoopSameOwner: selfSame[code],
      selfLoopOtherOwner: selfOther[code],
      repetitionSameOwner: repSame[code],
      repetitionOtherOwner: repOther[code],
    })),
    loops: kept.map((loop, rank) => {
      const path = loopPath[loop];
      return {
        path: pathOf(loop),
        from: stepName(path[path.length - 2]),
        to: stepName(path[path.length - 1]),
        cases: cases[loop],
        occurrences: occurrences[loop],
        addedMs: sketches[rank] !== undefined ? summarizeSketch(sketches[rank]) : summarize(addedPerCase[rank], { seed }),
      };
    }),
  };
}

/**
 * Rework per step (kinds) and the top rework loops, in one pass over the visits.
 * @example computeRework(visits, { topLoops: 10 }).loops[0] // { path: ['Review', 'Fix', 'Review'], cases: 1240, … }
 */
export function computeRework(visits: StepVisits, options: ReworkOptions = {}): ReworkJson {
  return finishRework(accumulateRework(visits, options), visits.steps, options);
}
