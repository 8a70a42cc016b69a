import { describe, expect, it } from 'vitest';
import { MISSING_CODE } from '../../src/model/dictionary.js';
import { VisitBuffer } from '../../src/traces/visit-buffer.js';

const FLOAT_COLUMNS = ['enteredAt', 'workStartedAt', 'exitedAt', 'activeMs', 'queueMs', 'waitingMs', 'blockedMs', 'elapsedMs'] as const;
const INT_COLUMNS = ['caseCode', 'stepCode', 'ownerCode', 'firstEvent'] as const;
const BYTE_COLUMNS = ['open', 'inLead'] as const;

describe('VisitBuffer', () => {
  it('gives every column its own capacity-long range, zeroed: writing one column changes no other', () => {
    for (const capacity of [0, 1, 3, 1001]) {
      const buffer = new VisitBuffer(capacity);
      const columns = [...FLOAT_COLUMNS, ...INT_COLUMNS, ...BYTE_COLUMNS].map((name) => buffer[name]);
      for (const column of columns) {
        expect(column.length).toBe(capacity);
        expect(column.every((value) => value === 0)).toBe(true);
      }
      columns.forEach((column, k) => column.fill(k + 1));
      columns.forEach((column, k) => expect(column.every((value) => value === k + 1)).toBe(true));
      // Doubles keep their bits (an 8-byte column misaligned or overlapping would not).
      buffer.elapsedMs[capacity - 1] = 0.1 + 0.2;
      if (capacity > 0) expect(buffer.elapsedMs[capacity - 1]).toBe(0.1 + 0.2);
    }
  });

  it('push sets the keys and unknown times; trimmed views end at the count', () => {
    const buffer = new VisitBuffer(4);
    expect(buffer.push(7, 2, 11, 1_000)).toBe(0);
    expect(buffer.push(7, 3, 12, 2_000)).toBe(1);
    expect([buffer.caseCode[1], buffer.stepCode[1], buffer.ownerCode[1], buffer.firstEvent[1], buffer.enteredAt[1]]).toEqual([7, 3, MISSING_CODE, 12, 2_000]);
    expect([buffer.workStartedAt[0], buffer.exitedAt[0]]).toEqual([NaN, NaN]);
    expect(Array.from(buffer.trimmed(buffer.stepCode))).toEqual([2, 3]);
  });
});
