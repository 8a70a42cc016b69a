/**
 * detectBatches on the shared resource order (resource-order.ts): each resource's run is already in (start, index)
 * order, so a stable counting sort on its candidates' activity codes gives the (resource, activity, start, index)
 * order of the batches' groups, and only runs of equal starts are put in (end, index) order — the order of
 * sortByGroupStartEnd exactly, without a start sort of its own. One resource at a time, in scratch columns sized by
 * the longest run. Batch numbers as detectBatches gives them: parallel batches first, in group order, then
 * sequential ones (numbered after the last resource, when the parallel count is known).
 */
import { BatchColumns, BatchType, type Batches } from './batch-types.js';
import type { ResourceOrder } from './resource-order.js';

/** Puts the positions [from, to) of each run of equal starts in (end + 0, index) order where they are not (position, start and end move). */
function orderEqualStarts(from: number, to: number, position: Int32Array, start: Float64Array, end: Float64Array, order: Int32Array): void {
  for (let i = from; i < to; ) {
    let j = i + 1;
    let inOrder = true;
    while (j < to && start[j] === start[i]) {
      if (end[j - 1] + 0 > end[j] + 0) inOrder = false;
      j++;
    }
    if (!inOrder) {
      const run = Array.from({ length: j - i }, (_, r) => i + r).sort((a, b) => end[a] + 0 - (end[b] + 0) || order[position[a]] - order[position[b]]);
      const moved = run.map((p) => [position[p], start[p], end[p]] as const);
      moved.forEach(([n, startMs, endMs], r) => {
        position[i + r] = n;
        start[i + r] = startMs;
        end[i + r] = endMs;
      });
    }
    i = j;
  }
}

/** Null when the order has no batches' activity column (then detectBatches sorts). */
export function detectInResourceOrder(ordered: ResourceOrder, count: number, sequentialGapMs: number): Batches | null {
  const { order, runStart, start: startAt, end: endAt, enabled: enabledAt } = ordered;
  const activityAt = ordered.batchActivity;
  if (activityAt === null) return null;
  ordered.batchActivity = null;
  let activities = 0;
  for (let n = 0; n < activityAt.length; n++) if (activityAt[n] >= activities) activities = activityAt[n] + 1;
  let longest = 0;
  for (let r = 0; r + 1 < runStart.length; r++) longest = Math.max(longest, runStart[r + 1] - runStart[r]);
  const batchId = new Int32Array(count).fill(-1);
  // Per batch: parallel ones in their numbers' order, sequential ones (numbered after them at the end) apart.
  const parallel = new BatchColumns();
  const sequential = new BatchColumns();
  // One resource's candidates by (activity, start, end, index): their positions and columns.
  const position = new Int32Array(longest);
  const start = new Float64Array(longest);
  const end = new Float64Array(longest);
  // (No enabled column of its own: enabled times are read by position, in the rare back-to-back checks and batches.)
  const inBatch = new Uint8Array(longest);
  const groupStart = new Int32Array(activities + 1);
  let parallelCount = 0;
  let sequentialCount = 0;
  const close = (from: number, to: number, type: number, id: number) => {
    let ready = -Infinity;
    for (let i = from; i < to; i++) ready = Math.max(ready, enabledAt[position[i]]);
    for (let i = from; i < to; i++) {
      batchId[order[position[i]]] = id;
      inBatch[i] = 1;
    }
    (type === BatchType.parallel ? parallel : sequential).push(type, ready);
  };
  for (let r = 0; r + 1 < runStart.length; r++) {
    groupStart.fill(0);
    for (let n = runStart[r]; n < runStart[r + 1]; n++) if (activityAt[n] >= 0) groupStart[activityAt[n] + 1]++;
    for (let a = 0; a < activities; a++) groupStart[a + 1] += groupStart[a];
    const length = groupStart[activities];
    if (length < 2) continue;
    const cursor = groupStart.slice(0, activities);
    for (let n = runStart[r]; n < runStart[r + 1]; n++) {
      const a = activityAt[n];
      if (a < 0) continue;
      const p = cursor[a]++;
      position[p] = n;
      start[p] = startAt[n];
      end[p] = endAt[n];
    }
    inBatch.fill(0, 0, length);
    for (let a = 0; a < activities; a++) {
      const from = groupStart[a];
      const to = groupStart[a + 1];
      if (to - from < 2) continue;
      orderEqualStarts(from, to, position, start, end, order);
      // Parallel batches: runs of equal starts.
      for (let n = from; n < to; ) {
        let m = n + 1;
        while (m < to && start[m] === start[n]) m++;
        if (m - n >= 2) close(n, m, BatchType.parallel, parallelCount++);
        n = m;
      }
    }
    // Sequential batches: back-to-back chains of the remaining instances, all enabled by the chain's first start
    // (numbered −2, −3, … here, after the parallel ones below).
    for (let a = 0; a < activities; a++) {
      const to = groupStart[a + 1];
      for (let n = groupStart[a]; n < to; ) {
        if (inBatch[n] === 1) {
          n++;
          continue;
        }
        let m = n + 1;
        while (m < to) {
          if (inBatch[m] === 1) break;
          const gapMs = start[m] - end[m - 1];
          if (gapMs < 0 || gapMs > sequentialGapMs || enabledAt[position[m]] > start[n]) break;
          m++;
        }
        if (m - n >= 2) close(n, m, BatchType.sequential, -2 - sequentialCount++);
        n = Math.max(m, n + 1);
      }
    }
  }
  for (let k = 0; k < count; k++) if (batchId[k] <= -2) batchId[k] = parallelCount - 2 - batchId[k];
  return { batchId, ...parallel.finish(sequential), parallelCount, sequentialCount };
}
