import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Dictionary, MISSING_CODE } from '../../src/model/dictionary.js';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';

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

describe('Dictionary.appendNewAscii', () => {
  const bytes = Buffer.from(',T-1,case-0000000000042,T-2,');
  const cell = (text: string): [Buffer, number, number] => {
    const start = bytes.indexOf(`,${text},`) + 1;
    return [bytes, start, start + text.length];
  };

  it('keeps values as bytes until read, with the codes and strings appendNew would give', () => {
    const dictionary = new Dictionary();
    expect(dictionary.appendNewAscii(...cell('T-1'))).toBe(0);
    // Longer than 12 bytes: the other decoding path.
    expect(dictionary.appendNewAscii(...cell('case-0000000000042'))).toBe(1);
    expect(dictionary.size).toBe(2);
    expect(dictionary.valueOf(1)).toBe('case-0000000000042');
    expect(dictionary.valueOf(2)).toBeUndefined();
    expect(dictionary.valueOf(MISSING_CODE)).toBeUndefined();
    expect(dictionary.codeOf('T-1')).toBe(0);
    expect(dictionary.appendNewAscii(...cell('T-2'))).toBe(2);
    expect(dictionary.appendNew('x')).toBe(3);
    // Bytes again after a string: a new byte store.
    expect(dictionary.appendNewAscii(Buffer.from(',U,'), 1, 2)).toBe(4);
    expect(dictionary.intern('T-2')).toBe(2);
    expect(dictionary.intern('U')).toBe(4);
    expect(dictionary.intern('y')).toBe(5);
    expect(dictionary.values).toEqual(['T-1', 'case-0000000000042', 'T-2', 'x', 'U', 'y']);
    expect(dictionary.size).toBe(6);
  });

  it('holds what a values array taken earlier holds, plus what came as bytes since when read again', () => {
    const dictionary = new Dictionary();
    dictionary.intern('a');
    const taken = dictionary.values;
    dictionary.appendNewAscii(...cell('T-1'));
    expect(taken).toEqual(['a']);
    expect(dictionary.values).toEqual(['a', 'T-1']);
    expect(dictionary.values).toBe(taken);
  });
});

describe('Dictionary.appendNewFrom', () => {
  it('copies values from another dictionary, strings and byte-held ones alike, without decoding the source', () => {
    const source = new Dictionary();
    source.appendNew('first');
    const bytes = Buffer.from('T-1|case-0000000000042|x');
    source.appendNewAscii(bytes, 0, 3);
    source.appendNewAscii(bytes, 4, 22);
    source.appendNewAscii(bytes, 23, 24);
    const range = new Dictionary();
    for (const code of [2, 0, 3]) range.appendNewFrom(source, code);
    expect(range.values).toEqual(['case-0000000000042', 'first', 'x']);
    expect(range.codeOf('x')).toBe(2);
    // The source still holds its values as bytes: a later byte append lands after them (decoding would not change
    // the codes either, but `values` is only built when asked for).
    expect(Object.getOwnPropertyDescriptor(source, 'pendingCount')?.value).toBe(3);
    expect(source.values).toEqual(['first', 'T-1', 'case-0000000000042', 'x']);
  });
});

describe('Dictionary keeps values of its own', () => {
  it('does not keep alive the long text a value was sliced from (a reader\'s chunk)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const dictionary = new Dictionary();
    for (let k = 0; k < 40; k++) {
      // A 2 MB text, as a reader's chunk, and a 30-character value sliced out of it (V8 slices from 13 characters on).
      const chunk = `${'x'.repeat(2_000_000)}${k} value number ${String(k).padStart(6, '0')} of this chunk`;
      dictionary.intern(chunk.slice(2_000_000 - 5, 2_000_000 + 25));
      dictionary.appendNew(chunk.slice(2_000_000 - 8, 2_000_000 + 30));
    }
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    // Forty chunks would be 80 MB; the values themselves are a few kilobytes.
    expect(kept).toBeLessThan(8_000_000);
    expect(dictionary.size).toBe(80);
    expect(dictionary.valueOf(0)).toBe('xxxxx0 value number 000000 of ');
  });

  it('and neither do the attribute names an EventLogBuilder keeps', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const builder = new EventLogBuilder('activity');
    const index = builder.push({ caseId: 'c1', activity: 'A', timestampMs: 0, sourceRow: 1 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < 40; k++) {
      const chunk = `${'y'.repeat(2_000_000)}attribute:name:number:${String(k).padStart(4, '0')}`;
      const name = chunk.slice(2_000_000);
      builder.setAttribute(index, name, 'v');
      builder.setCaseAttribute('c1', name, 'w');
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8_000_000);
    expect(builder.build().attributes.size).toBe(40);
  });
});
