import { describe, expect, it } from 'vitest';
import { Dictionary } from '../../src/model/dictionary.js';
import { ByteInterner } from '../../src/ingest/csv-byte-interner.js';

function cell(bytes: number[]): [Buffer, number, number] {
  const buffer = Buffer.from([44, ...bytes, 44]);
  return [buffer, 1, 1 + bytes.length];
}

describe('ByteInterner', () => {
  it('appends new ASCII cells and finds repeats, in first-seen order', () => {
    const dictionary = new Dictionary();
    const interner = new ByteInterner(dictionary, true);
    const ids = ['T-1', 'T-2', 'T-1', 'T-3', 'T-2'].map((id) => interner.intern(...cell([...Buffer.from(id)])));
    expect(ids).toEqual([0, 1, 0, 2, 1]);
    expect(dictionary.values).toEqual(['T-1', 'T-2', 'T-3']);
    expect(dictionary.codeOf('T-3')).toBe(2);
  });

  it('gives one code to different invalid UTF-8 bytes that decode to the same string', () => {
    const dictionary = new Dictionary();
    const interner = new ByteInterner(dictionary, true);
    // 0xFF and 0xFE are each invalid UTF-8 and both decode to U+FFFD, as csv-parse's decoder does.
    const first = interner.intern(...cell([0x61, 0xff]));
    const second = interner.intern(...cell([0x61, 0xfe]));
    expect(second).toBe(first);
    expect(dictionary.values).toEqual(['a\ufffd']);
    // Valid multi-byte UTF-8 decodes to its character.
    expect(dictionary.values[interner.intern(...cell([...Buffer.from('é')]))]).toBe('é');
  });

  it('does not append blindly into a dictionary that already has values', () => {
    const dictionary = new Dictionary();
    dictionary.intern('x');
    const interner = new ByteInterner(dictionary, true);
    expect(interner.intern(...cell([0x78]))).toBe(0);
    expect(dictionary.values).toEqual(['x']);
  });
});
