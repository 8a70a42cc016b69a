/**
 * The event order of a built EventLog (DESIGN §2): events grouped by case (a counting sort, skipped when the rows are
 * already grouped), then by (timestamp, file, source row) inside each case (a sort only for the cases out of order).
 * Pure over the builder's columns; EventLogBuilder.build() permutes its columns by the order returned.
 */
import { prefixSumsInPlace } from './prefix-sums.js';

/**
 * The case boundaries (`caseStart`, length caseCount + 1) and the sort order of the first `eventCount` events,
 * undefined when they are already in (case, timestamp, file, source row) order.
 */
export function caseTimeOrder(
  eventCount: number,
  caseCount: number,
  caseCodes: Int32Array,
  timestampMs: Float64Array,
  fileIndex: Uint16Array,
  sourceRow: Int32Array,
): { caseStart: Int32Array; order: Int32Array | undefined } {
  // Each pass over the events is a function of its own (a leaf): compiled on entry into its loop (OSR), its code is
  // not thrown away when the code after the loop, which has never run, is reached (issue 14, warm-up at 1 M: this
  // function was compiled four times and bailed out of three).
  const caseStart = prefixSumsInPlace(countByCase(eventCount, caseCount, caseCodes));
  const order = isGroupedByCase(eventCount, caseCodes) ? undefined : scatterByCase(eventCount, caseCount, caseCodes, caseStart);
  return { caseStart, order: sortCasesByTime(caseCount, caseStart, order, eventCount, timestampMs, fileIndex, sourceRow) };
}

/** Rows grouped by case (case codes count up in first-appearance order) need no counting sort. */
function isGroupedByCase(eventCount: number, caseCodes: Int32Array): boolean {
  for (let i = 1; i < eventCount; i++) if (caseCodes[i] < caseCodes[i - 1]) return false;
  return true;
}

/** The events of case c at c + 1 (length caseCount + 1; the prefix sums make it caseStart). */
function countByCase(eventCount: number, caseCount: number, caseCodes: Int32Array): Int32Array {
  const counts = new Int32Array(caseCount + 1);
  for (let i = 0; i < eventCount; i++) counts[caseCodes[i] + 1]++;
  return counts;
}

/** The counting sort's order: events grouped by case, in row order inside a case. */
function scatterByCase(eventCount: number, caseCount: number, caseCodes: Int32Array, caseStart: Int32Array): Int32Array {
  const cursor = caseStart.slice(0, caseCount);
  const order = new Int32Array(eventCount);
  for (let i = 0; i < eventCount; i++) order[cursor[caseCodes[i]]++] = i;
  return order;
}

/** Sorts by (timestamp, file, source row) the cases out of that order; the order (undefined: every event in place). */
function sortCasesByTime(
  caseCount: number,
  caseStart: Int32Array,
  order: Int32Array | undefined,
  eventCount: number,
  timestampMs: Float64Array,
  fileIndex: Uint16Array,
  sourceRow: Int32Array,
): Int32Array | undefined {
  const before = (a: number, b: number): number =>
    timestampMs[a] - timestampMs[b] || fileIndex[a] - fileIndex[b] || sourceRow[a] - sourceRow[b] || a - b;
  for (let c = 0; c < caseCount; c++) {
    const from = caseStart[c];
    const to = caseStart[c + 1];
    let sorted = true;
    for (let k = from + 1; k < to; k++) {
      if (before(order === undefined ? k - 1 : order[k - 1], order === undefined ? k : order[k]) > 0) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      if (order === undefined) order = identityOrder(eventCount);
      const slice = Array.from(order.subarray(from, to)).sort(before);
      order.set(slice, from);
    }
  }
  return order;
}

function identityOrder(eventCount: number): Int32Array {
  const order = new Int32Array(eventCount);
  for (let k = 0; k < eventCount; k++) order[k] = k;
  return order;
}
