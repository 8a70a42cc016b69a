import { describe, expect, it } from 'vitest';
import { caseTimeOrder } from '../../src/model/event-log-sort.js';

/** The order caseTimeOrder promises: by case code, then timestamp, file, source row, position (a full comparison sort). */
function referenceOrder(caseCodes: Int32Array, timestampMs: Float64Array, fileIndex: Uint16Array, sourceRow: Int32Array): number[] {
  return Array.from({ length: caseCodes.length }, (_, k) => k).sort(
    (a, b) => caseCodes[a] - caseCodes[b] || timestampMs[a] - timestampMs[b] || fileIndex[a] - fileIndex[b] || sourceRow[a] - sourceRow[b] || a - b,
  );
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('caseTimeOrder', () => {
  it('gives the (case, timestamp, file, source row) order, or undefined exactly when the events are already in it', () => {
    const random = seeded(7);
    let alreadyInOrder = 0;
    for (let round = 0; round < 400; round++) {
      const eventCount = 1 + Math.floor(random() * 12);
      const caseCount = 1 + Math.floor(random() * 3);
      // Grouped rows (case codes ascending, as a case-sorted file gives them) in most rounds; few distinct values so that
      // timestamps, files and rows tie often and every tie-break decides somewhere.
      const grouped = round % 4 !== 0;
      const caseCodes = new Int32Array(eventCount);
      for (let k = 0; k < eventCount; k++) caseCodes[k] = Math.floor(random() * caseCount);
      if (grouped) caseCodes.sort();
      const used = Math.max(...caseCodes) + 1;
      const timestampMs = Float64Array.from({ length: eventCount }, () => Math.floor(random() * 3) * 1000);
      const fileIndex = Uint16Array.from({ length: eventCount }, () => Math.floor(random() * 2));
      const sourceRow = Int32Array.from({ length: eventCount }, () => Math.floor(random() * 3));
      const { caseStart, order } = caseTimeOrder(eventCount, used, caseCodes, timestampMs, fileIndex, sourceRow);
      const expected = referenceOrder(caseCodes, timestampMs, fileIndex, sourceRow);
      const identity = expected.every((event, k) => event === k);
      if (identity) alreadyInOrder++;
      expect(order === undefined).toBe(identity);
      expect(order === undefined ? expected.map((_, k) => k) : Array.from(order)).toEqual(expected);
      for (let c = 0; c < used; c++) expect(caseStart[c + 1] - caseStart[c]).toBe(caseCodes.filter((code) => code === c).length);
    }
    // Both answers were exercised.
    expect(alreadyInOrder).toBeGreaterThan(20);
    expect(alreadyInOrder).toBeLessThan(380);
  });

  it('sorts a grouped case whose only disorder is in the file or source-row tie-break', () => {
    const caseCodes = Int32Array.of(0, 0, 1, 1);
    const timestampMs = Float64Array.of(5, 5, 7, 7);
    const byFile = caseTimeOrder(4, 2, caseCodes, timestampMs, Uint16Array.of(0, 0, 1, 0), Int32Array.of(1, 2, 3, 4));
    expect(Array.from(byFile.order ?? [])).toEqual([0, 1, 3, 2]);
    const byRow = caseTimeOrder(4, 2, caseCodes, timestampMs, Uint16Array.of(0, 0, 0, 0), Int32Array.of(2, 1, 3, 4));
    expect(Array.from(byRow.order ?? [])).toEqual([1, 0, 2, 3]);
    expect(caseTimeOrder(4, 2, caseCodes, timestampMs, Uint16Array.of(0, 1, 0, 0), Int32Array.of(2, 1, 3, 4)).order).toBeUndefined();
  });
});
