// parseIsoBytes reads the usual 19-, 20-, 23-, 24-, 25- and 29-byte ISO shapes a word at a time (h26-read): it must give exactly what the
// byte-by-byte parse gives (value, NaN and offset key), for every byte of every position, at any alignment.
import { describe, expect, it } from 'vitest';
import { isoBytesOffsetKey, parseIsoBytes, parseIsoBytesGeneral } from '../../src/ingest/csv-iso-bytes.js';
import { offsetKeyText } from '../../src/ingest/csv-time-column.js';
import { parseIsoTimestamp } from '../../src/ingest/timestamp.js';

/** Both parses of `text` placed at `offset` in a buffer that may end right after it (a subarray: byteOffset ≠ 0). */
function bothParses(text: Buffer, offset: number, tail: number): { word: number; wordKey: number; general: number; generalKey: number } {
  const backing = Buffer.alloc(offset + text.length + tail + 3, 0x41);
  const bytes = backing.subarray(3, 3 + offset + text.length + tail);
  text.copy(bytes, offset);
  const word = parseIsoBytes(bytes, offset, offset + text.length);
  const wordKey = isoBytesOffsetKey;
  const general = parseIsoBytesGeneral(bytes, offset, offset + text.length);
  const generalKey = isoBytesOffsetKey;
  return { word, wordKey, general, generalKey };
}

function expectSame(text: Buffer, offset = 1, tail = 0): void {
  const { word, wordKey, general, generalKey } = bothParses(text, offset, tail);
  const label = `${JSON.stringify(text.toString('latin1'))} at ${offset}`;
  expect(Object.is(word, general) || (Number.isNaN(word) && Number.isNaN(general)), `${label}: ${word} vs ${general}`).toBe(true);
  if (!Number.isNaN(word)) expect(wordKey, label).toBe(generalKey);
}

const SHAPES = [
  '2024-01-31T12:17:02.233+05:30',
  '2024-02-29T23:59:59.999Z',
  '2024-12-01 00:00:00.000',
  '2010-12-30 14:32:00+01:00',
  '2024-02-29T23:59:60Z',
  '2014/10/22 11:15:41',
];

describe('parseIsoBytes word path', () => {
  for (const shape of SHAPES) {
    it(`every byte value at every position of ${shape} (${shape.length} bytes)`, () => {
      const base = Buffer.from(shape, 'latin1');
      for (let position = 0; position < base.length; position++) {
        for (let value = 0; value < 256; value++) {
          const text = Buffer.from(base);
          text[position] = value;
          expectSame(text, 1 + (value % 4), value % 3 === 0 ? 0 : 5);
        }
      }
    });
  }

  it('every separator choice, and pairs of changed bytes', () => {
    for (const shape of SHAPES) {
      const base = Buffer.from(shape, 'latin1');
      const choices = [0x2d, 0x2f, 0x54, 0x74, 0x20, 0x3a, 0x2e, 0x2c, 0x2b, 0x5a, 0x7a, 0x30, 0x39, 0x31, 0x32, 0x36, 0xfa, 0xff];
      for (let a = 0; a < base.length; a++) {
        for (let b = a + 1; b < base.length; b++) {
          for (const va of choices) {
            const text = Buffer.from(base);
            text[a] = va;
            text[b] = choices[(va + a + b) % choices.length];
            expectSame(text, (a + b) % 4);
          }
        }
      }
    }
  });

  it('random dates, times and offsets at their limits agree with both parses', () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pad = (value: number, width: number): string => String(value).padStart(width, '0');
    const years = [1900, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999, 0];
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      const date = `${pad(years[next(years.length)], 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}`;
      const time = `${pad(next(26), 2)}:${pad(next(61), 2)}:${pad(next(62), 2)}${next(3) === 0 ? '' : `.${pad(next(1000), 3)}`}`;
      const zone = ['Z', 'z', '', `+${pad(next(20), 2)}:${pad(next(61), 2)}`, `-${pad(next(20), 2)}:${pad(next(61), 2)}`][next(5)];
      const midnight = next(10) === 0 ? 'T24:00:00.000' : null;
      const text = `${date}${midnight ?? `${'T t'[next(3)]}${time}`}${zone}`;
      expectSame(Buffer.from(text), next(4), next(2));
      const bytes = Buffer.from(text);
      const word = parseIsoBytes(bytes, 0, bytes.length);
      if (!Number.isNaN(word)) {
        accepted++;
        const expected = parseIsoTimestamp(text);
        expect(word, text).toBe(expected.timestampMs);
        expect(isoBytesOffsetKey === -1 ? '' : offsetKeyText(isoBytesOffsetKey), text).toBe(expected.offset);
      }
    }
    expect(accepted).toBeGreaterThan(5000);
  });
});
