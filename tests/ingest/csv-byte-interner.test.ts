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

  it('matches cells by every byte, in buffers at any offset, past arena growth (a Map as the reference)', () => {
    const dictionary = new Dictionary();
    const interner = new ByteInterner(dictionary, true);
    const reference = new Map<string, number>();
    // Values of 1–13 bytes that differ in one position only (inside a 4-byte word or in the tail): 3,000 of them
    // outgrow the 16 KB arena and the first tables. Each is read from a buffer whose cells start at odd offsets.
    const values: string[] = [];
    for (let length = 1; length <= 13; length++) {
      for (let position = 0; position < length; position++) {
        for (const letter of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.') values.push('x'.repeat(position) + letter + 'y'.repeat(length - position - 1));
      }
    }
    for (let round = 0; round < 2; round++) {
      for (let k = 0; k < values.length; k++) {
        const value = values[(k * 7919) % values.length];
        const padding = 1 + ((k + round) % 5);
        const backing = Buffer.from(`${'#'.repeat(padding)}${value}#`);
        const bytes = backing.subarray(padding - 1 + (k % 2));
        const start = 1 - (k % 2);
        const code = interner.intern(bytes, start, start + value.length);
        if (!reference.has(value)) reference.set(value, reference.size);
        expect(code).toBe(reference.get(value));
      }
    }
    expect(dictionary.values).toEqual([...reference.keys()]);
  });

  it('short cells (0–12 bytes, keyed by their words): every byte position, bytes past the cell ignored, prefixes apart', () => {
    const dictionary = new Dictionary();
    const interner = new ByteInterner(dictionary, false);
    const reference = new Map<string, number>();
    // Cells of 0–12 bytes (and 13–14, past the table) differing from a base in one byte, among them NUL, 0x7f–0xff
    // (words with the sign bit set) and a base byte repeated (a cell and its own prefix or extension).
    const alphabet = [0x00, 0x01, 0x2c, 0x41, 0x61, 0x7f, 0x80, 0xc3, 0xfe, 0xff];
    const values: number[][] = [];
    for (let length = 0; length <= 14; length++) {
      const base = Array.from({ length }, (_, k) => 0x61 + k);
      values.push(base);
      for (let position = 0; position < length; position++) {
        for (const byte of alphabet) values.push(base.map((b, k) => (k === position ? byte : b)));
      }
    }
    const key = (value: number[]) => value.join('.');
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < values.length; k++) {
        const value = values[(k * 7919 + round) % values.length];
        // Long buffers (the short-cell path reads three whole words) with different bytes after the cell each time,
        // and, every seventh cell, a buffer that ends right after it (the path without the table).
        const after = Array.from({ length: k % 7 === 0 ? 0 : 16 }, (_, j) => (k * 31 + j * 17 + round) & 0xff);
        const padding = (k + round) % 4;
        const bytes = Buffer.from([...Array.from({ length: padding }, () => 0x23), ...value, ...after]);
        const code = interner.intern(bytes, padding, padding + value.length);
        if (!reference.has(key(value))) reference.set(key(value), code);
        expect(code, key(value)).toBe(reference.get(key(value)));
      }
    }
    // Distinct byte strings get distinct codes unless they decode to one string (invalid UTF-8 becomes U+FFFD).
    const decoded = new Map<string, number>();
    for (const [bytes, code] of reference) {
      const text = Buffer.from(bytes === '' ? [] : bytes.split('.').map(Number)).toString('utf8');
      if (decoded.has(text)) expect(code).toBe(decoded.get(text));
      else decoded.set(text, code);
      expect(dictionary.values[code]).toBe(text);
    }
    expect(dictionary.size).toBe(decoded.size);
  });
});
