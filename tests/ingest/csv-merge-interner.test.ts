import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/model/dictionary.js';
import { MergeInterner, stringHash } from '../../src/ingest/csv-merge-interner.js';

const code = (interner: MergeInterner, value: string) => interner.code(value, stringHash(value));

describe('MergeInterner', () => {
  it('gives each distinct value one code in first-seen order, through many rehashes', () => {
    const dictionary = new Dictionary();
    const interner = new MergeInterner(dictionary);
    const values = Array.from({ length: 5000 }, (_, k) => `T-${String(k).padStart(7, '0')}`);
    values.forEach((value, k) => expect(code(interner, value)).toBe(k));
    // Equal text from another source (a chunk's clone) finds the same code.
    values.forEach((value, k) => expect(code(interner, `${value.slice(0, 2)}${value.slice(2)}`)).toBe(k));
    expect(dictionary.values).toEqual(values);
    expect(dictionary.codeOf('T-0004999')).toBe(4999);
  });

  it('knows values the dictionary held before, or got from elsewhere in between', () => {
    const dictionary = new Dictionary();
    dictionary.intern('a');
    const interner = new MergeInterner(dictionary);
    expect(code(interner, 'b')).toBe(1);
    dictionary.intern('c');
    expect(code(interner, 'a')).toBe(0);
    expect(code(interner, 'c')).toBe(2);
    expect(code(interner, 'ü')).toBe(3);
    expect(dictionary.values).toEqual(['a', 'b', 'c', 'ü']);
  });
});
