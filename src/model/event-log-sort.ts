/**
 * The event order of a built EventLog (DESIGN §2): events grouped by case (a counting sort, skipped when the rows are
 * already grouped), then by (timestamp, file, source row) inside each case (a sort only for the cases out of order).
 * Pure over the builder's columns; EventLogBuilder.build() permutes its columns by the order returned.
 */

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
  const caseStart = new Int32Array(caseCount + 1);
  // Rows grouped by case (case codes count up in first-appearance order) need no counting sort.
  let grouped = true;
  for (let i = 1; i < eventCount; i++) {
    if (caseCodes[i] < caseCodes[i - 1]) {
      grouped = false;
      break;
    }
  }
  for (let i = 0; i < eventCount; i++) caseStart[caseCodes[i] + 1]++;
  for (let c = 0; c < caseCount; c++) caseStart[c + 1] += caseStart[c];
  let order: Int32Array | undefined;
  if (!grouped) {
    const cursor = caseStart.slice(0, caseCount);
    order = new Int32Array(eventCount);
    for (let i = 0; i < eventCount; i++) order[cursor[caseCodes[i]]++] = i;
  }

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
  return { caseStart, order };
}

function identityOrder(eventCount: number): Int32Array {
  const order = new Int32Array(eventCount);
  for (let k = 0; k < eventCount; k++) order[k] = k;
  return order;
}
