/** A string interner for merging chunk dictionaries into a file's Dictionary (csv-chunk-merge). */
import type { Dictionary } from '../model/dictionary.js';

/**
 * Interns chunk values into one of the file's dictionaries through its own string hash table, adding new values with
 * Dictionary.appendNew as the one-thread read's byte interner does: 600,000 case ids then cost no Map inserts (which
 * the merge would otherwise pay on the main thread while the workers wait).
 */
export class MergeInterner {
  private table = new Int32Array(1024);
  private hashes = new Int32Array(512);
  /** dictionary.values[0, known) are in the table. */
  private known = 0;

  constructor(readonly dictionary: Dictionary) {}

  /** The dictionary code of `value` (whose stringHash is `hash`, computed on the worker), appended when new. */
  code(value: string, hash: number): number {
    if (this.known < this.dictionary.size) this.catchUp();
    const values = this.dictionary.values;
    let slot = hash & (this.table.length - 1);
    for (;;) {
      const occupant = this.table[slot];
      if (occupant === 0) break;
      if (this.hashes[occupant - 1] === hash && values[occupant - 1] === value) return occupant - 1;
      slot = (slot + 1) & (this.table.length - 1);
    }
    // Every value of the dictionary is in the table, so a miss is a new value.
    const code = this.dictionary.appendNew(value);
    this.add(code, hash);
    return code;
  }

  /** Takes in values someone else added to the dictionary (none in a CSV merge; kept correct regardless). */
  private catchUp(): void {
    for (let code = this.known; code < this.dictionary.size; code++) this.add(code, stringHash(this.dictionary.values[code]));
  }

  private add(code: number, hash: number): void {
    if (code >= this.hashes.length) {
      const bigger = new Int32Array(this.hashes.length * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.hashes[code] = hash;
    this.known = code + 1;
    if (this.known * 2 > this.table.length) {
      this.rehash();
      return;
    }
    let slot = hash & (this.table.length - 1);
    while (this.table[slot] !== 0) slot = (slot + 1) & (this.table.length - 1);
    this.table[slot] = code + 1;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let code = 0; code < this.known; code++) {
      let slot = this.hashes[code] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = code + 1;
    }
    this.table = table;
  }
}

/** FNV-1a over UTF-16 code units. */
export function stringHash(value: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < value.length; k++) hash = Math.imul(hash ^ value.charCodeAt(k), 0x01000193);
  return hash;
}
