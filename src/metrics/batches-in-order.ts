/**
 * detectBatches on the shared resource order (resource-order.ts): each resource's run is already in (start, index)
 * order, so one pass over it finds the batches of every activity at once — parallel ones in the blocks of equal
 * starts, sequential ones as each activity's chain of back-to-back instances — with no gather of the (resource,
 * activity) groups and no sort of their own. Batch numbers as detectBatches gives them: parallel batches first, in
 * group order, then sequential ones (numbered after the last resource, when the parallel count is known).
 */
import { BatchColumns, BatchType, type Batches } from './batch-types.js';
import type { ResourceOrder } from './resource-order.js';
import type { ResourceRange } from '../traces/start-estimation.js';

/**
 * Null when the order has no batches' activity column (then detectBatches sorts). One pass over each resource's run in
 * start order: instances of one activity starting at the same instant (a block of equal starts holds them all) form a
 * parallel batch; the others extend their activity's chain of back-to-back work, or end it and begin the next. No
 * group is gathered: each activity's chain state is a few numbers. The batches found are numbered as detectBatches
 * numbers them, by (resource, activity, start): each resource's are sorted by activity (stable) before numbering.
 */
export function detectInResourceOrder(ordered: ResourceOrder, count: number, sequentialGapMs: number, resources?: ResourceRange): Batches | null {
  const { order, runStart, start, end, enabled } = ordered;
  const activityAt = ordered.batchActivity;
  if (activityAt === null) return null;
  // One range of resources: the caller releases the column after the last range.
  if (resources === undefined) ordered.batchActivity = null;
  // The runs read: every resource's, or those of the range's codes (each batch is one resource's).
  const runs = runStart.length - 1;
  const firstRun = resources === undefined ? 0 : Math.min(resources.start, runs);
  const endRun = resources === undefined ? runs : Math.min(resources.end, runs);
  // The passes over every position or instance before and after the runs' loop are functions of their own (leaves):
  // compiled on entry (OSR), their code is not thrown away at the next loop (issue 14, warm-up at 1 M).
  const activities = activityCount(activityAt);
  const batchId = new Int32Array(count).fill(-1);
  const parallel = new BatchColumns();
  const sequential = new BatchColumns();
  // Per activity: its open chain (first position, −1 when none; its first start; its length; the end of its last
  // member), and how many of it the current block of equal starts holds (with the block it was counted in).
  const chainFirst = new Int32Array(activities).fill(-1);
  const chainFirstStart = new Float64Array(activities);
  const chainLength = new Int32Array(activities);
  const chainLastEnd = new Float64Array(activities);
  const chainLast = new Int32Array(activities);
  const inBlock = new Int32Array(activities);
  // By offset in the current run (a chain ends with its run): the next member of its chain, a position (−1: the last).
  let longest = 0;
  for (let r = firstRun; r < endRun; r++) longest = Math.max(longest, runStart[r + 1] - runStart[r]);
  const nextMember = new Int32Array(longest);
  let base = 0;
  // One resource's batches: [activity, first position, length or block end] for chains and parallel blocks.
  let chains: number[] = [];
  let blocks: number[] = [];
  let parallelCount = 0;
  let sequentialCount = 0;
  const endChain = (a: number) => {
    if (chainLength[a] >= 2) chains.push(a, chainFirst[a], chainLength[a]);
    chainFirst[a] = -1;
    chainLength[a] = 0;
  };
  // Instance at position n, alone of its activity a in its block: extends a's chain when back to back and enabled by
  // the chain's first start (detectBatches' test, the chain's previous member being a's previous instance), else
  // ends the chain and begins the next.
  const chainStep = (a: number, n: number) => {
    const gapMs = start[n] - chainLastEnd[a];
    // Read at every step, not behind the gap's tests: reached only by a back-to-back instance, it had no type feedback
    // when the run's loop was compiled, and that code bailed out in mid-loop at the first such instance.
    const enabledLate = enabled[n] > chainFirstStart[a];
    if (chainFirst[a] >= 0 && !(gapMs < 0 || gapMs > sequentialGapMs || enabledLate)) {
      nextMember[chainLast[a] - base] = n;
      chainLength[a]++;
    } else {
      endChain(a);
      chainFirst[a] = n;
      chainFirstStart[a] = start[n];
      chainLength[a] = 1;
    }
    nextMember[n - base] = -1;
    chainLast[a] = n;
    chainLastEnd[a] = end[n];
  };
  // Stable by activity: [activity, first, third] triples, first ascending within an activity as found.
  const byActivity = (triples: number[]) => {
    const indices = Array.from({ length: triples.length / 3 }, (_, i) => i);
    indices.sort((x, y) => triples[3 * x] - triples[3 * y] || x - y);
    return indices.map((i) => [triples[3 * i], triples[3 * i + 1], triples[3 * i + 2]] as const);
  };
  for (let r = firstRun; r < endRun; r++) {
    const runEnd = runStart[r + 1];
    base = runStart[r];
    for (let n = runStart[r]; n < runEnd; ) {
      let m = n + 1;
      while (m < runEnd && start[m] === start[n]) m++;
      if (m - n === 1) {
        if (activityAt[n] >= 0) chainStep(activityAt[n], n);
      } else {
        for (let i = n; i < m; i++) if (activityAt[i] >= 0) inBlock[activityAt[i]]++;
        for (let i = n; i < m; i++) {
          const a = activityAt[i];
          if (a < 0) continue;
          if (inBlock[a] === 1) chainStep(a, i);
          else if (inBlock[a] > 1) {
            // Two or more of activity a start here: a parallel batch (recorded once), which ends a's chain.
            endChain(a);
            blocks.push(a, n, m);
            inBlock[a] = -1;
          }
        }
        for (let i = n; i < m; i++) if (activityAt[i] >= 0) inBlock[activityAt[i]] = 0;
      }
      n = m;
    }
    for (let a = 0; a < activities; a++) endChain(a);
    for (const [a, from, to] of byActivity(blocks)) {
      let ready = -Infinity;
      for (let i = from; i < to; i++) {
        if (activityAt[i] !== a) continue;
        ready = Math.max(ready, enabled[i]);
        batchId[order[i]] = parallelCount;
      }
      parallel.push(BatchType.parallel, ready);
      parallelCount++;
    }
    // Sequential batches are numbered −2, −3, … here, after the parallel ones below.
    for (const [, first, length] of byActivity(chains)) {
      let ready = -Infinity;
      for (let i = first, member = 0; member < length; i = nextMember[i - base], member++) {
        ready = Math.max(ready, enabled[i]);
        batchId[order[i]] = -2 - sequentialCount;
      }
      sequential.push(BatchType.sequential, ready);
      sequentialCount++;
    }
    chains = [];
    blocks = [];
  }
  // Sequential batches numbered after the parallel ones (a pass over every instance only when there is one).
  if (sequentialCount > 0) numberSequential(batchId, parallelCount);
  return { batchId, ...parallel.finish(sequential), parallelCount, sequentialCount };
}

/** 1 + the greatest activity code at a position (0 when none). */
function activityCount(activityAt: Int32Array): number {
  let activities = 0;
  for (let n = 0; n < activityAt.length; n++) {
    // Read once, and the bound added at every position: a second read, or an addition made only when a greater code
    // turns up, had no type feedback when the loop was compiled, and that code bailed out in mid-loop.
    const bound = activityAt[n] + 1;
    if (bound > activities) activities = bound;
  }
  return activities;
}

/** Sequential batch −2 − s becomes parallelCount + s. */
function numberSequential(batchId: Int32Array, parallelCount: number): void {
  for (let k = 0; k < batchId.length; k++) if (batchId[k] <= -2) batchId[k] = parallelCount - 2 - batchId[k];
}
