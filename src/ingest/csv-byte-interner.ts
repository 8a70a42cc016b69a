/**
 * Interns CSV cells straight from bytes: an open-addressing hash table keyed by the cell's bytes maps
 * to the code of its decoded string in a Dictionary. A repeated value (most cells of a log) costs a
 * hash and a byte compare, no string. The previous hit is checked first because event logs repeat the
 * case id (and often the resource) on consecutive rows.
 */
import type { Dictionary } from '../model/dictionary.js';

const INITIAL_TABLE_SLOTS = 32;
/**
 * The table and arena start small, so that both first grow within a column's first values: the growth code (inlined
 * into internCell) then has type feedback when V8 compiles internCell. From 1,024 slots and 16 KB they first grew after
 * ≈ 500 and ≈ 1,800 case ids, sometimes in compiled code, which threw itself away there (h27-read).
 */
const INITIAL_ARENA_BYTES = 64;
const QUICK_SLOTS = 4096;
/** Slots of the short-cell table (5 Int32 each: length + 1, three words, code): 10 KB an interner. */
const SHORT_BITS = 9;
const SHORT_CELL_BYTES = 12;
/** Per cell length 0–12, the mask of each of its three little-endian words that keeps the cell's own bytes. */
const SHORT_MASKS = new Int32Array(3 * (SHORT_CELL_BYTES + 1));
for (let length = 0; length <= SHORT_CELL_BYTES; length++) {
  for (let word = 0; word < 3; word++) {
    const bytes = Math.max(0, Math.min(4, length - 4 * word));
    SHORT_MASKS[3 * length + word] = bytes === 4 ? -1 : (1 << (8 * bytes)) - 1;
  }
}


/** The placeholders the growable fields start with (see the ByteInterner constructor). */
const NO_BYTES = Buffer.alloc(0);
const NO_VIEW = new DataView(new ArrayBuffer(0));
const NO_INT32 = new Int32Array(0);

export class ByteInterner {
  // The fields written again as the interner grows (arena, entries, table) or changes buffer (views) start as empty
  // placeholders and get their first real value in the constructor. V8 treats a field as constant until an instance
  // writes a second value to it, and throws away compiled code that relied on that: when the first interner's arena and
  // tables grew, during the read, internCell's compile was abandoned twice and sameBytes' code dropped two or three times
  // in a 1 M read (h27-read).
  private arena: Buffer = NO_BYTES;
  /**
   * DataViews of the arena and of the last cells' buffer: sameBytes compares 4 bytes per load (unaligned little-endian
   * reads compile to one load each), about a fifth less time interning (h24-read).
   */
  private arenaView: DataView<ArrayBufferLike> = NO_VIEW;
  private viewBytes: Uint8Array = NO_BYTES;
  private view: DataView<ArrayBufferLike> = NO_VIEW;
  private arenaUsed = 0;
  private entryStart: Int32Array = NO_INT32;
  private entryLength: Int32Array = NO_INT32;
  private entryHash: Int32Array = NO_INT32;
  private entryCode: Int32Array = NO_INT32;
  private entries = 0;
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private table: Int32Array = NO_INT32;
  private mask = 0;
  private lastEntry = -1;
  /**
   * Direct-mapped cache keyed by length and three sampled bytes: low-cardinality columns (activity,
   * resource, lifecycle) hit it and skip hashing the whole cell. Entry index + 1; 0 is empty.
   */
  private readonly quick = new Int32Array(QUICK_SLOTS);
  /**
   * Direct-mapped table of cells of up to 12 bytes, keyed by their bytes themselves (three zero-padded words and the
   * length: equal keys are equal bytes), so a hit needs no compare against the arena: the low-cardinality columns'
   * values (lifecycle, activity, resource, group) and a case id seen a moment ago.
   */
  private readonly short = new Int32Array(5 << SHORT_BITS);

  /**
   * Whether this interner alone adds values to `dictionary` (it started empty and no other column shares
   * it). Then a cell whose bytes miss the table is a new value when it is ASCII: distinct ASCII bytes are
   * distinct strings, and non-ASCII bytes never decode to an ASCII string (invalid UTF-8 becomes U+FFFD).
   * Non-ASCII cells go through the Map, because two invalid byte strings can decode to the same string.
   */
  private readonly exclusive: boolean;

  constructor(
    private readonly dictionary: Dictionary,
    exclusive: boolean,
  ) {
    this.exclusive = exclusive && dictionary.size === 0;
    this.arena = Buffer.allocUnsafe(INITIAL_ARENA_BYTES);
    this.arenaView = new DataView(this.arena.buffer, this.arena.byteOffset, this.arena.length);
    this.viewBytes = this.arena.subarray(0, 0);
    this.view = new DataView(this.arena.buffer, this.arena.byteOffset, 0);
    this.entryStart = new Int32Array(INITIAL_TABLE_SLOTS / 2);
    this.entryLength = new Int32Array(INITIAL_TABLE_SLOTS / 2);
    this.entryHash = new Int32Array(INITIAL_TABLE_SLOTS / 2);
    this.entryCode = new Int32Array(INITIAL_TABLE_SLOTS / 2);
    this.table = new Int32Array(INITIAL_TABLE_SLOTS);
    this.mask = INITIAL_TABLE_SLOTS - 1;
  }

  private sameBytes(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    if (this.entryLength[entry] !== length) return false;
    const arena = this.arena;
    const from = this.entryStart[entry];
    let k = 0;
    if (length >= 4) {
      const view = this.viewOf(bytes);
      const arenaView = this.arenaView;
      for (; k + 4 <= length; k += 4) if (arenaView.getInt32(from + k, true) !== view.getInt32(start + k, true)) return false;
    }
    for (; k < length; k++) if (arena[from + k] !== bytes[start + k]) return false;
    return true;
  }

  /**
   * A DataView of the cells' buffer, made again when the buffer changes. The fast engine calls useBuffer once per chunk,
   * so in its reads the check always passes: V8 compiles intern on the first chunk, and a view made inside it at the
   * second chunk had no type feedback and threw the compiled code away (h27-read).
   */
  private viewOf(bytes: Uint8Array): DataView {
    if (bytes !== this.viewBytes) this.useBuffer(bytes);
    return this.view;
  }

  /** The buffer the next cells lie in: its view is made now. */
  useBuffer(bytes: Uint8Array): void {
    if (bytes === this.viewBytes) return;
    this.viewBytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** The dictionary code of the UTF-8 cell bytes[start, end). */
  intern(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    // Three whole words must lie inside the buffer (a cell near its end takes the path below).
    if (length > SHORT_CELL_BYTES || start + SHORT_CELL_BYTES > bytes.length) return this.internCell(bytes, start, end);
    const view = this.viewOf(bytes);
    const m = 3 * length;
    const w0 = view.getInt32(start, true) & SHORT_MASKS[m];
    const w1 = view.getInt32(start + 4, true) & SHORT_MASKS[m + 1];
    const w2 = view.getInt32(start + 8, true) & SHORT_MASKS[m + 2];
    const slot = 5 * (Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2 ^ length, 0x85ebca6b), 0x27d4eb2d) >>> (32 - SHORT_BITS));
    const short = this.short;
    if (short[slot] === length + 1 && short[slot + 1] === w0 && short[slot + 2] === w1 && short[slot + 3] === w2) return short[slot + 4];
    const code = this.internCell(bytes, start, end);
    short[slot] = length + 1;
    short[slot + 1] = w0;
    short[slot + 2] = w1;
    short[slot + 3] = w2;
    short[slot + 4] = code;
    return code;
  }

  /** intern without the short-cell table. */
  private internCell(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    const last = this.lastEntry;
    if (last >= 0 && this.sameBytes(last, bytes, start, length)) return this.entryCode[last];
    const quickKey =
      length === 0 ? 0 : (Math.imul(length, 0x9e3779b1) ^ (bytes[start] << 3) ^ (bytes[end - 1] << 7) ^ (bytes[start + (length >> 1)] << 1)) & (QUICK_SLOTS - 1);
    const quickEntry = this.quick[quickKey] - 1;
    if (quickEntry >= 0 && this.sameBytes(quickEntry, bytes, start, length)) {
      this.lastEntry = quickEntry;
      return this.entryCode[quickEntry];
    }
    let hash = 0x811c9dc5;
    let anyByte = 0;
    for (let k = start; k < end; k++) {
      const b = bytes[k];
      anyByte |= b;
      hash = Math.imul(hash ^ b, 0x01000193);
    }
    hash |= 0;
    let slot = hash & this.mask;
    for (;;) {
      const occupant = this.table[slot];
      if (occupant === 0) break;
      const entry = occupant - 1;
      if (this.entryHash[entry] === hash && this.sameBytes(entry, bytes, start, length)) {
        this.lastEntry = entry;
        this.quick[quickKey] = entry + 1;
        return this.entryCode[entry];
      }
      slot = (slot + 1) & this.mask;
    }
    const code =
      this.exclusive && anyByte < 0x80 ? this.dictionary.appendNewAscii(bytes, start, end) : this.dictionary.intern(bytes.toString('utf8', start, end));
    const entry = this.addEntry(bytes, start, length, hash, code);
    this.table[slot] = entry + 1;
    this.lastEntry = entry;
    this.quick[quickKey] = entry + 1;
    if (this.entries * 2 > this.table.length) this.rehash();
    return code;
  }

  private addEntry(bytes: Buffer, start: number, length: number, hash: number, code: number): number {
    if (this.arenaUsed + length > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + length));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
    }
    // A byte loop: Buffer#copy's call overhead is larger than a typical cell (ids of ~10 bytes).
    const arena = this.arena;
    const to = this.arenaUsed - start;
    for (let k = start; k < start + length; k++) arena[to + k] = bytes[k];
    const entry = this.entries;
    if (entry >= this.entryStart.length) {
      const capacity = this.entryStart.length * 2;
      const grow = (old: Int32Array): Int32Array => {
        const next = new Int32Array(capacity);
        next.set(old);
        return next;
      };
      this.entryStart = grow(this.entryStart);
      this.entryLength = grow(this.entryLength);
      this.entryHash = grow(this.entryHash);
      this.entryCode = grow(this.entryCode);
    }
    this.entryStart[entry] = this.arenaUsed;
    this.entryLength[entry] = length;
    this.entryHash[entry] = hash;
    this.entryCode[entry] = code;
    this.arenaUsed += length;
    this.entries = entry + 1;
    return entry;
  }

  private rehash(): void {
    const slots = this.table.length * 2;
    const table = new Int32Array(slots);
    const mask = slots - 1;
    for (let entry = 0; entry < this.entries; entry++) {
      let slot = this.entryHash[entry] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
