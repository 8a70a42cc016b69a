/**
 * Checks the whole byte stream of a UTF-8 input, not only its head (issue 11 #19): counts invalid sequences, keeps
 * the first one's offset, and notes whether any valid multi-byte character was seen. A file with invalid bytes and
 * no multi-byte character is consistent with Latin-1 (Windows-1252) and is re-read as such; a file with both is
 * mixed, and rows holding the undecodable bytes are rejected (decoding them would turn "Prüfung" and "Prøfung"
 * into the same "Pr\uFFFDfung"). Also finds NUL bytes, which no text export holds (issue 11 #23).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { FastPathUnsupported } from './csv-engine.js';

export interface Utf8Findings {
  invalidSequences: number;
  /** Byte offset (in the decompressed content) of the first invalid sequence, -1 when none. */
  firstInvalidOffset: number;
  multiByteSeen: boolean;
  nulBytes: number;
}

/** Bytes a lead byte says its sequence has (0 for a continuation or invalid byte). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Length of an incomplete sequence at the end of `bytes` (0–3), carried to the next chunk. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = sequenceLength(b);
    return need > back ? back : 0;
  }
  return 0;
}

export class Utf8StreamCheck implements Utf8Findings {
  invalidSequences = 0;
  firstInvalidOffset = -1;
  multiByteSeen = false;
  nulBytes = 0;
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);

  /** Checks `chunk` (the next bytes of the content). */
  check(chunk: Buffer): void {
    if (chunk.indexOf(0) >= 0) for (let k = chunk.indexOf(0); k >= 0; k = chunk.indexOf(0, k + 1)) this.nulBytes++;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const start = this.offset - this.carry.length;
    const tail = incompleteTail(bytes);
    const body = bytes.subarray(0, bytes.length - tail);
    this.carry = Buffer.from(bytes.subarray(bytes.length - tail));
    this.offset += chunk.length;
    if (isAscii(body)) return;
    if (isUtf8(body)) {
      this.multiByteSeen = true;
      return;
    }
    this.scan(body, start);
  }

  /** Call at the end: a sequence cut by the end of the file is invalid. */
  finish(): void {
    if (this.carry.length > 0) this.countInvalid(this.offset - this.carry.length);
    this.carry = Buffer.alloc(0);
  }

  private countInvalid(offset: number): void {
    this.invalidSequences++;
    if (this.firstInvalidOffset < 0) this.firstInvalidOffset = offset;
  }

  private scan(bytes: Uint8Array, start: number): void {
    let k = 0;
    while (k < bytes.length) {
      const b = bytes[k];
      if (b < 0x80) {
        k++;
        continue;
      }
      const need = sequenceLength(b);
      let valid = need > 1 && k + need <= bytes.length;
      for (let j = 1; valid && j < need; j++) if ((bytes[k + j] & 0xc0) !== 0x80) valid = false;
      if (valid && need > 2) valid = isUtf8(bytes.subarray(k, k + need));
      if (valid) {
        this.multiByteSeen = true;
        k += need;
      } else {
        this.countInvalid(start + k);
        k++;
      }
    }
  }

  /**
   * Passes `chunks` through, checking each. With `stopOnTrouble` (the byte fast path, which would decode invalid
   * bytes silently) the first NUL or invalid sequence throws FastPathUnsupported so csv-parse rereads the file.
   */
  async *wrap(chunks: AsyncIterable<Buffer>, stopOnTrouble: boolean): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.check(chunk);
      if (stopOnTrouble && (this.nulBytes > 0 || this.invalidSequences > 0)) {
        throw new FastPathUnsupported(this.nulBytes > 0 ? 'NUL bytes' : 'invalid UTF-8');
      }
      yield chunk;
    }
    this.finish();
  }
}
