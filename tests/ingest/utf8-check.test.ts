import { describe, expect, it } from 'vitest';
import { Utf8StreamCheck } from '../../src/ingest/utf8-check.js';

function checkChunks(chunks: Buffer[]): Utf8StreamCheck {
  const check = new Utf8StreamCheck();
  for (const chunk of chunks) check.check(chunk);
  check.finish();
  return check;
}

describe('Utf8StreamCheck', () => {
  it('a character split across chunk boundaries at every byte is valid UTF-8', () => {
    // "ü" is C3 BC, "€" E2 82 AC, "😀" F0 9F 98 80: split after each byte.
    const bytes = Buffer.from('aü€😀b', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const check = checkChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(check.invalidSequences, `cut at ${cut}`).toBe(0);
      expect(check.multiByteSeen).toBe(true);
    }
  });

  it('counts each invalid byte with the offset of the first, across chunks', () => {
    // Latin-1 "Prüfung" (FC at 2) and "Prøfung" (F8 at 10 = 8 + 2) in the second chunk.
    const check = checkChunks([Buffer.from('Pr\u00fcfung', 'latin1').subarray(0, 8), Buffer.from('\nPr\u00f8fung', 'latin1')]);
    expect(check.invalidSequences).toBe(2);
    expect(check.firstInvalidOffset).toBe(2);
    expect(check.multiByteSeen).toBe(false);
  });

  it('a sequence cut by the end of the stream is invalid; NUL bytes are counted', () => {
    const check = checkChunks([Buffer.from([0x61, 0x00, 0x62, 0x00]), Buffer.from([0xe2, 0x82])]);
    expect(check.nulBytes).toBe(2);
    expect(check.invalidSequences).toBe(1);
    expect(check.firstInvalidOffset).toBe(4);
  });

  it('overlong and surrogate encodings are invalid', () => {
    expect(checkChunks([Buffer.from([0x61, 0xc0, 0xaf])]).invalidSequences).toBeGreaterThan(0);
    expect(checkChunks([Buffer.from([0xed, 0xa0, 0x80])]).invalidSequences).toBeGreaterThan(0);
  });
});
