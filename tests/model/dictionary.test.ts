import { describe, expect, it } from 'vitest';
import { Dictionary, MISSING_CODE } from '../../src/model/dictionary.js';

describe('Dictionary', () => {
  it('gives first-seen codes; appendNew values are found by later lookups', () => {
    const dictionary = new Dictionary();
    expect(dictionary.intern('a')).toBe(0);
    expect(dictionary.appendNew('b')).toBe(1);
    expect(dictionary.appendNew('c')).toBe(2);
    // The Map catches up on the next lookup: existing values keep their codes.
    expect(dictionary.codeOf('c')).toBe(2);
    expect(dictionary.intern('b')).toBe(1);
    expect(dictionary.intern('d')).toBe(3);
    expect(dictionary.codeOf('zz')).toBe(MISSING_CODE);
    expect(dictionary.values).toEqual(['a', 'b', 'c', 'd']);
    expect(dictionary.size).toBe(4);
  });
});
