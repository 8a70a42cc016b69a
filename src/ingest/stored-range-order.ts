/**
 * A stored range's columns and their order (src/ingest/event-store.ts): the events of a range come back from DuckDB
 * unsorted, each goes to the next free place of its case, and each case is sorted here by (timestamp, file, source
 * row, push order) — the order `ORDER BY c, t, f, w, q` gave — with the attribute values placed by push order. DuckDB
 * sorted the ranges until h30-native, and its allocator kept that memory after each query (docs/benchmarks.md
 * "h30-native").
 */

/** One column of a range. */
export type Column = Int32Array | Float64Array | Uint8Array | Uint16Array;

/**
 * Typed arrays (zeroed) as views of one ArrayBuffer, the widest elements first so that every view is aligned. A
 * range's columns are one allocation so that glibc maps it and unmaps it whole: separate column-sized arrays, freed
 * range after range, raise glibc's mmap threshold to their size (up to 32 MB), so the next range's columns come from
 * the heap between the small buffers of the result chunks and leave holes there that glibc keeps (docs/benchmarks.md
 * "h30-native"). A range of more than ≈ 1 M events takes more than 32 MB, always mapped.
 */
export function columnsInOneBuffer(specs: ReadonlyArray<{ bytes: 1 | 2 | 4 | 8; length: number }>): Column[] {
  const order = specs.map((_, k) => k).sort((x, y) => specs[y].bytes - specs[x].bytes);
  const offsets = new Array<number>(specs.length);
  let byteLength = 0;
  for (const k of order) {
    offsets[k] = byteLength;
    byteLength += specs[k].bytes * specs[k].length;
  }
  const buffer = new ArrayBuffer(byteLength);
  // The store's 8-byte columns are DOUBLE, its 4-byte ones INTEGER.
  return specs.map(({ bytes, length }, k) => {
    if (bytes === 8) return new Float64Array(buffer, offsets[k], length);
    if (bytes === 4) return new Int32Array(buffer, offsets[k], length);
    return bytes === 2 ? new Uint16Array(buffer, offsets[k], length) : new Uint8Array(buffer, offsets[k], length);
  });
}

/**
 * Places of a chunk's events (case codes `cases`, of a range from case `start`): each its case's next free place.
 * False when an event is not of the range or its case has more events than counted.
 */
export function placeByCase(cases: Int32Array, m: number, start: number, cursor: Int32Array, caseStart: Int32Array, places: Int32Array): boolean {
  for (let j = 0; j < m; j++) {
    const k = cases[j] - start;
    if (k < 0 || k >= cursor.length) return false;
    const place = cursor[k]++;
    if (place >= caseStart[k + 1]) return false;
    places[j] = place;
  }
  return true;
}

export function scatter(values: Column, places: Int32Array, m: number, target: Column): void {
  for (let j = 0; j < m; j++) target[places[j]] = values[j];
}

/** DuckDB's order of DOUBLE values (its ORDER BY): NaN after every number, −0 equal to 0. */
function compareDoubles(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xNaN = Number.isNaN(x);
  return xNaN === Number.isNaN(y) ? 0 : xNaN ? 1 : -1;
}

/**
 * Sorts the events of each case (`columns`, all permuted alike) by (timestamp, file, source row, push order): the
 * order `ORDER BY c, t, f, w, q` gave in DuckDB until h30-native. Push order is unique, so the order is total. A case
 * already in order (as a log read case by case mostly is) is only checked.
 */
export function sortCases(caseStart: Int32Array, caseCount: number, columns: Column[], timestampMs: Float64Array, fileIndex: Uint16Array, sourceRow: Int32Array, pushOrder: Int32Array): void {
  const before = (a: number, b: number): number => compareDoubles(timestampMs[a], timestampMs[b]) || fileIndex[a] - fileIndex[b] || sourceRow[a] - sourceRow[b] || pushOrder[a] - pushOrder[b];
  for (let k = 0; k < caseCount; k++) {
    const from = caseStart[k];
    const to = caseStart[k + 1];
    let sorted = true;
    for (let i = from + 1; i < to && sorted; i++) sorted = before(i - 1, i) < 0;
    if (sorted) continue;
    const order = Array.from({ length: to - from }, (_, i) => from + i).sort(before);
    for (const target of columns) {
      const values = target.slice(from, to);
      for (let i = 0; i < order.length; i++) target[from + i] = values[order[i] - from];
    }
  }
}

/** A range's places sorted by their events' push order (`pushOrders` ascending, `places` alike): a radix sort. */
export function placesByPushOrder(pushOrder: Int32Array): { pushOrders: Int32Array; places: Int32Array } {
  const n = pushOrder.length;
  let keys = pushOrder.slice();
  let places = Int32Array.from({ length: n }, (_, p) => p);
  let keysOut = new Int32Array(n);
  let placesOut = new Int32Array(n);
  // Push orders are below 2³¹: two stable passes of 16 bits.
  for (const shift of [0, 16]) {
    const next = new Int32Array(0x10001);
    for (let i = 0; i < n; i++) next[((keys[i] >>> shift) & 0xffff) + 1]++;
    for (let d = 1; d <= 0x10000; d++) next[d] += next[d - 1];
    for (let i = 0; i < n; i++) {
      const at = next[(keys[i] >>> shift) & 0xffff]++;
      keysOut[at] = keys[i];
      placesOut[at] = places[i];
    }
    [keys, keysOut] = [keysOut, keys];
    [places, placesOut] = [placesOut, places];
  }
  return { pushOrders: keys, places };
}

/** The place of the event pushed `pushOrder`-th (a binary search), or −1 when the range has no such event. */
export function placeOfPushOrder({ pushOrders, places }: { pushOrders: Int32Array; places: Int32Array }, pushOrder: number): number {
  let low = 0;
  let high = pushOrders.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = pushOrders[middle];
    if (value === pushOrder) return places[middle];
    if (value < pushOrder) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
