/**
 * A string dictionary: each distinct value gets a dense integer code in first-seen order.
 * Columns of the EventLog store codes in Int32Arrays; `MISSING_CODE` (-1) marks an absent value.
 */
import { asciiString } from './ascii-string.js';

export const MISSING_CODE = -1;

/** Below this length V8 copies a slice of a string; from it on, a slice points into its parent (a SlicedString). */
const SLICE_MIN_LENGTH = 13;

/**
 * `value` as a string of its own. A value sliced out of a long text (a reader's 1 MB chunk: the XES tokenizers, saxes)
 * keeps that whole text alive for as long as the dictionary keeps the value. A 91 MB XES of 300,000 long case ids
 * held 145 MB of heap after the read, and 91 MB with its values copied (docs/limits.md). Slicing a fresh
 * concatenation copies the value into a new string first, so what the slice keeps alive is that string, one
 * character longer than the value.
 */
export function ownString(value: string): string {
  return value.length < SLICE_MIN_LENGTH ? value : ` ${value}`.slice(1);
}

/** The byte store of the values appended by appendNewAscii starts this small and doubles. */
const INITIAL_PENDING_BYTES = 64;
const INITIAL_PENDING_VALUES = 16;

export class Dictionary {
  /** The values that are strings already: codes [0, strings.length). */
  private readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  /**
   * values[0, mapped) are in `codes`. `appendNew` leaves its values out of the Map until the next lookup,
   * so a reader that already knows a value is new (the CSV byte interner, for 600k case ids) skips the
   * Map insert unless someone looks a value up later.
   */
  private mapped = 0;
  /**
   * Values appended as ASCII bytes (appendNewAscii), codes [strings.length, size): pendingBytes[pendingEnd[i − 1],
   * pendingEnd[i]) is pending value i. They become strings when the whole list is asked for (`values`, a lookup);
   * `valueOf` decodes one alone. A 5 M-event log's 600k case ids are then no strings in V8's heap, which every full
   * collection marks (≈ 12 ms of each pause at 5 M, docs/benchmarks.md h29-speed), and no young strings the read
   * allocates and the scavenges copy; the analysis reads a case id only for the few cases it names.
   */
  private pendingBytes: Buffer = Buffer.alloc(0);
  private pendingEnd: Int32Array = new Int32Array(0);
  private pendingCount = 0;

  /**
   * Every value by code (the pending ones become strings now). The array is the dictionary's own and grows with it,
   * except by values appended as bytes after it was taken: read `values` again (or `valueOf`) after appending.
   */
  get values(): string[] {
    if (this.pendingCount > 0) this.decodePending();
    return this.strings;
  }

  /** Returns the code of `value`, adding it when new. */
  intern(value: string): number {
    if (this.mapped < this.size) this.mapRest();
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.length;
      const owned = ownString(value);
      this.strings.push(owned);
      this.codes.set(owned, code);
      this.mapped = code + 1;
    }
    return code;
  }

  /**
   * Adds `value` without looking it up: the caller guarantees it is not in the dictionary yet (else it
   * would get a second code). Returns its code.
   */
  appendNew(value: string): number {
    if (this.pendingCount > 0) this.decodePending();
    this.strings.push(ownString(value));
    return this.strings.length - 1;
  }

  /**
   * appendNew for the string of the ASCII bytes[start, end) (every byte < 0x80), kept as bytes until it is read
   * (the CSV byte interner's new cells). Returns its code.
   */
  appendNewAscii(bytes: Buffer, start: number, end: number): number {
    const from = this.pendingCount === 0 ? 0 : this.pendingEnd[this.pendingCount - 1];
    const to = from + end - start;
    if (to > this.pendingBytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(INITIAL_PENDING_BYTES, 2 * this.pendingBytes.length, to));
      this.pendingBytes.copy(bigger, 0, 0, from);
      this.pendingBytes = bigger;
    }
    if (this.pendingCount === this.pendingEnd.length) {
      const bigger = new Int32Array(Math.max(INITIAL_PENDING_VALUES, 2 * this.pendingEnd.length));
      bigger.set(this.pendingEnd);
      this.pendingEnd = bigger;
    }
    // A byte loop: Buffer#copy's call overhead is larger than a typical cell (ids of ~10 bytes).
    const store = this.pendingBytes;
    for (let k = start, at = from; k < end; k++, at++) store[at] = bytes[k];
    this.pendingEnd[this.pendingCount++] = to;
    return this.strings.length + this.pendingCount - 1;
  }

  /**
   * appendNew of `source`'s value of `code` (the caller guarantees it is new here): a value `source` holds as bytes
   * is copied as bytes, so neither dictionary decodes it (the event store's ranges take their case ids from the log's
   * dictionary: reading its `values` turned 12 M case ids into ≈ 480 MB of strings at 100 M events).
   */
  appendNewFrom(source: Dictionary, code: number): number {
    const pending = code - source.strings.length;
    if (pending < 0 || pending >= source.pendingCount) return this.appendNew(source.valueOf(code) as string);
    return this.appendNewAscii(source.pendingBytes, pending === 0 ? 0 : source.pendingEnd[pending - 1], source.pendingEnd[pending]);
  }

  /** Returns the code of `value`, or MISSING_CODE when it was never interned. */
  codeOf(value: string): number {
    if (this.mapped < this.size) this.mapRest();
    return this.codes.get(value) ?? MISSING_CODE;
  }

  /** Returns the value of `code`, or undefined for MISSING_CODE. */
  valueOf(code: number): string | undefined {
    if (code < 0) return undefined;
    const pending = code - this.strings.length;
    if (pending < 0) return this.strings[code];
    if (pending >= this.pendingCount) return undefined;
    return asciiString(this.pendingBytes, pending === 0 ? 0 : this.pendingEnd[pending - 1], this.pendingEnd[pending]);
  }

  get size(): number {
    return this.strings.length + this.pendingCount;
  }

  private mapRest(): void {
    const values = this.values;
    const codes = this.codes;
    for (let code = this.mapped; code < values.length; code++) {
      // First code wins, as intern would have given it, should a caller break appendNew's promise.
      if (!codes.has(values[code])) codes.set(values[code], code);
    }
    this.mapped = values.length;
  }

  /** The pending values as strings, after the others; the byte store goes. */
  private decodePending(): void {
    const { pendingBytes, pendingEnd, pendingCount, strings } = this;
    for (let i = 0, from = 0; i < pendingCount; i++) {
      strings.push(asciiString(pendingBytes, from, pendingEnd[i]));
      from = pendingEnd[i];
    }
    this.pendingBytes = Buffer.alloc(0);
    this.pendingEnd = new Int32Array(0);
    this.pendingCount = 0;
  }
}
