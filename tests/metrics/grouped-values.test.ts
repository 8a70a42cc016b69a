import { describe, expect, it } from 'vitest';
import { addGroupValue, groupedRoom, groupSketch, groupValues, mergeGroupedValues } from '../../src/metrics/grouped-values.js';

describe('GroupedValues over the exact-values limit', () => {
  it('gives a group over the limit a sketch and no room; the others exact rooms', () => {
    const grouped = groupedRoom([2, 5, 3], 3, 3);
    expect(grouped.values.length).toBe(5);
    expect(groupSketch(grouped, 0)).toBeUndefined();
    expect(groupSketch(grouped, 1)).toBeDefined();
    for (const value of [1, 2]) addGroupValue(grouped, 0, value);
    for (const value of [10, 0, 30, 40, NaN]) addGroupValue(grouped, 1, value);
    for (const value of [7, 8, 9]) addGroupValue(grouped, 2, value);
    expect([...groupValues(grouped, 0)]).toEqual([1, 2]);
    expect([...groupValues(grouped, 1)]).toEqual([]);
    expect([...groupValues(grouped, 2)]).toEqual([7, 8, 9]);
    const sketch = groupSketch(grouped, 1);
    expect([sketch?.count, sketch?.sum, sketch?.min, sketch?.max, sketch?.zeros]).toEqual([4, 80, 0, 40, 1]);
    expect(groupedRoom([2, 3], 2, 3).sketches).toBeNull();
  });

  it('merges parts into a sketch when the merged count is over the limit, as one pass gives it', () => {
    const values = [5, 1, 0, 9, 12, 3, 3, 100];
    const whole = groupedRoom([values.length], 1, 4);
    for (const value of values) addGroupValue(whole, 0, value);
    // Part 0 within the limit (exact), part 1 over it (sketch).
    const part0 = groupedRoom([3], 1, 4);
    const part1 = groupedRoom([5], 1, 4);
    values.slice(0, 3).forEach((value) => addGroupValue(part0, 0, value));
    values.slice(3).forEach((value) => addGroupValue(part1, 0, value));
    const merged = mergeGroupedValues([part0, part1], [[0], [0]], [values.length], 1, 4);
    const a = groupSketch(merged, 0);
    const b = groupSketch(whole, 0);
    expect(a).toBeDefined();
    expect([a?.count, a?.sum, a?.min, a?.max, a?.zeros]).toEqual([b?.count, b?.sum, b?.min, b?.max, b?.zeros]);
    for (let r = 0; r < values.length; r++) expect(a?.valueAtRank(r)).toBe(b?.valueAtRank(r));
    // Within the limit the merge is the concatenation in partition order, as before.
    const exact = mergeGroupedValues([part0, part0], [[0], [0]], [6], 1, 8);
    expect([...groupValues(exact, 0)]).toEqual([5, 1, 0, 5, 1, 0]);
  });

  it('refuses a sketched part landing in an exact group (counts below what the parts hold)', () => {
    const part = groupedRoom([5], 1, 4);
    expect(() => mergeGroupedValues([part], [[0]], [3], 1, 4)).toThrow(/exact-values limit/);
  });
});
