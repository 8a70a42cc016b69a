/**
 * The event store of the partitioned engine (issue 14, item 3; stage 3 of docs/benchmarks.md "The plan (decided in
 * stop 27)"): coded events go into an embedded DuckDB database on disk instead of growing in-memory columns, and come
 * back as **contiguous ranges of case codes**, each sorted as EventLogBuilder.build() sorts a whole log — by (case,
 * timestamp, file, source row, push order) — so a range's columns are the in-memory log's columns for those cases.
 *
 * Why DuckDB and contiguous case ranges: its buffer pool keeps at most `memoryLimit` in memory and evicts to the
 * database file (the 20 M-event synthetic log takes 257 MB on disk, compressed); a range is a filtered scan, sorted
 * case by case in JS (src/ingest/stored-range-order.ts).
 * Case codes are dense in first-appearance order (the readers' dictionaries give them), so contiguous ranges read back
 * in order give every first-seen order of the in-memory engine with no extra key (src/vsm/case-chain.ts merges
 * partials of such ranges). Measured by bench/duckdb-partition-probe.mjs: appending 5 M events in file order 1.0 s
 * and reading them back as 8 sorted ranges 0.6 s; 20 M in 4.0 s and 1.8 s (docs/benchmarks.md "stage 3 probe").
 *
 * Loaded on demand like the Parquet reader's engine (an optional dependency): nothing else pays for it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VsmError } from '../errors.js';
import { MISSING_CODE } from '../model/dictionary.js';
import { duckDbMissing } from './duckdb-session.js';
import type { CodedColumns } from '../model/event-log-builder.js';
import { type Column, columnsInOneBuffer, placeByCase, placeOfPushOrder, placesByPushOrder, scatter, sortCases } from './stored-range-order.js';

type Bindings = typeof import('@duckdb/node-bindings');
type Connection = import('@duckdb/node-bindings').Connection;
type Database = import('@duckdb/node-bindings').Database;
type Appender = import('@duckdb/node-bindings').Appender;
type DataChunk = import('@duckdb/node-bindings').DataChunk;
type Vector = import('@duckdb/node-bindings').Vector;

/**
 * DuckDB's memory ceiling for the store unless given: its buffer pool evicts to the database file past it, and what it
 * has read of the table stays cached up to it. 1 GB until stop 29 (20 M events peaked 3.2 GB against 2.6 GB at 256 MB),
 * 256 MB until h30-native: the range reads no longer sort, so nothing needs more, and the cache was resident through
 * the analysis (5 M 872–886 MB against 940–990 at 256 MB, the same speed; an attribute log, whose places came from a
 * row_number() window then, was as fast at 128 MB and 2× slower at 64 MB: docs/benchmarks.md "h30-native").
 */
export const DEFAULT_STORE_MEMORY_LIMIT = '128MB';

/** Most events a store takes (codes and push order are 32-bit). */
export const MAX_STORE_EVENTS = 2 ** 31 - 1;

/** Most case ranges a read is cut into (a cap on a user-controlled count). */
export const MAX_STORE_RANGES = 1 << 20;

export interface EventStoreOptions {
  /** DuckDB's memory_limit, e.g. '1GB' (default DEFAULT_STORE_MEMORY_LIMIT). */
  memoryLimit?: string;
  /** DuckDB's worker threads (default 2). */
  threads?: number;
  /** The folder the database file and its spill folder are made in (default the OS temp folder). */
  folder?: string;
  /** Where messages say the store is (the input's name). */
  where?: string;
}

/** The coded columns of one push: CodedColumns with the file of each event and its attribute codes. */
export interface StoreColumns extends CodedColumns {
  fileIndex: Uint16Array;
  /** By attribute name, codes of at least `count` events (MISSING_CODE where absent; names may appear at any push). */
  attributes?: ReadonlyMap<string, Int32Array>;
}

/** One contiguous range of cases read back, sorted as a built EventLog is. */
export interface StoredRange {
  /** The log's case code of the range's case 0. */
  readonly firstCase: number;
  readonly caseCount: number;
  readonly eventCount: number;
  /** Length caseCount + 1, from 0: the events of the range's case k are [caseStart[k], caseStart[k + 1]). */
  readonly caseStart: Int32Array;
  readonly activityCode: Int32Array;
  readonly resourceCode: Int32Array;
  readonly groupCode: Int32Array;
  readonly timestampMs: Float64Array;
  /** NaN where an event has no start; undefined when no event pushed a start column. */
  readonly startTimestampMs: Float64Array | undefined;
  readonly lifecycle: Uint8Array;
  readonly fileIndex: Uint16Array;
  readonly sourceRow: Int32Array;
  readonly attributes: ReadonlyMap<string, Int32Array>;
}

/** EventStore.summary: what is known of all the stored events before they are read by ranges. */
export interface StoreSummary {
  readonly minMs: number;
  readonly maxMs: number;
  readonly nonFiniteTimes: number;
  /** By activity code: bit `1 << lifecycle code` set when some event of the activity has that lifecycle. */
  readonly lifecycles: Uint32Array;
}

async function loadBindings(where: string): Promise<Bindings> {
  let loaded: Bindings | { default: Bindings };
  try {
    loaded = await import('@duckdb/node-bindings');
  } catch (error) {
    throw duckDbMissing(where, error, '');
  }
  // A CommonJS native addon: Node's ESM import gives its exports as `default` (vitest's interop gives them named).
  return 'create_config' in loaded ? loaded : loaded.default;
}

interface ColumnSpec {
  readonly name: string;
  readonly sql: string;
  readonly bytes: 1 | 2 | 4 | 8;
}

const FIXED_COLUMNS: readonly ColumnSpec[] = [
  { name: 'c', sql: 'INTEGER', bytes: 4 },
  { name: 'a', sql: 'INTEGER', bytes: 4 },
  { name: 'r', sql: 'INTEGER', bytes: 4 },
  { name: 'g', sql: 'INTEGER', bytes: 4 },
  { name: 't', sql: 'DOUBLE', bytes: 8 },
  { name: 's', sql: 'DOUBLE', bytes: 8 },
  { name: 'l', sql: 'UTINYINT', bytes: 1 },
  { name: 'f', sql: 'USMALLINT', bytes: 2 },
  { name: 'w', sql: 'INTEGER', bytes: 4 },
  { name: 'q', sql: 'INTEGER', bytes: 4 },
];

function makeColumn(bytes: 1 | 2 | 4 | 8, length: number, float: boolean): Column {
  if (bytes === 8) return new Float64Array(length);
  if (bytes === 4) return float ? new Float64Array(length) : new Int32Array(length);
  return bytes === 2 ? new Uint16Array(length) : new Uint8Array(length);
}

/**
 * Coded events on disk in DuckDB, read back by contiguous case ranges. Push with `append` (synchronous, in chunks of
 * DuckDB's vector size), then `finish()`, then `ranges(…)`; `close()` always (it removes the folder).
 *
 * @example
 * const store = await EventStore.open({ where: 'events.csv' });
 * try { store.append(columns); await store.finish(); for await (const range of store.ranges(caseCount, 4)) use(range); }
 * finally { store.close(); }
 */
export class EventStore {
  private pushed = 0;
  private hasStart = false;
  private closed = false;
  private appends = 0;
  private appender: Appender | null;
  private attributeAppender: Appender | null;
  private readonly chunk: DataChunk;
  private readonly vectors: Vector[];
  private readonly scratch: Column[];
  /** The attribute table's chunk: (case, push order, attribute slot, code) of every event attribute that has a value. */
  private readonly attributeChunk: DataChunk;
  private readonly attributeVectors: Vector[];
  private readonly attributeScratch: Int32Array[];
  private attributeRows = 0;
  /** Attribute names in the order they were first pushed: a name's slot is its index. */
  private readonly attributeNames: string[] = [];
  private readonly slotOf = new Map<string, number>();
  /** Events appended by case code (grown as codes appear): what a `GROUP BY c` over the table would count. */
  private eventsByCase = new Int32Array(1024);

  private constructor(
    private readonly duckdb: Bindings,
    private readonly database: Database,
    private readonly connection: Connection,
    private readonly folder: string,
    private readonly where: string,
  ) {
    const size = duckdb.vector_size();
    const T = duckdb.Type;
    const typeOf = (spec: ColumnSpec) => (spec.sql === 'DOUBLE' ? T.DOUBLE : spec.sql === 'UTINYINT' ? T.UTINYINT : spec.sql === 'USMALLINT' ? T.USMALLINT : T.INTEGER);
    this.chunk = duckdb.create_data_chunk(FIXED_COLUMNS.map((spec) => duckdb.create_logical_type(typeOf(spec))));
    this.vectors = FIXED_COLUMNS.map((_, k) => duckdb.data_chunk_get_vector(this.chunk, k));
    this.scratch = FIXED_COLUMNS.map((spec) => makeColumn(spec.bytes, size, spec.sql === 'DOUBLE'));
    this.attributeChunk = duckdb.create_data_chunk([0, 1, 2, 3].map(() => duckdb.create_logical_type(T.INTEGER)));
    this.attributeVectors = [0, 1, 2, 3].map((k) => duckdb.data_chunk_get_vector(this.attributeChunk, k));
    this.attributeScratch = [0, 1, 2, 3].map(() => new Int32Array(size));
    this.appender = duckdb.appender_create(connection, null, 'events');
    this.attributeAppender = duckdb.appender_create(connection, null, 'attributes');
  }

  /** Opens a store in a new folder (a DuckDB file database with its spill folder beside it). */
  static async open(options: EventStoreOptions = {}): Promise<EventStore> {
    const where = options.where ?? 'event store';
    const duckdb = await loadBindings(where);
    const parent = options.folder ?? tmpdir();
    removeAbandonedStores(parent);
    const folder = mkdtempSync(join(parent, `${STORE_FOLDER_PREFIX}${process.pid}-`));
    try {
      const config = duckdb.create_config();
      duckdb.set_config(config, 'memory_limit', options.memoryLimit ?? DEFAULT_STORE_MEMORY_LIMIT);
      duckdb.set_config(config, 'threads', String(options.threads ?? 2));
      duckdb.set_config(config, 'temp_directory', join(folder, 'spill'));
      duckdb.set_config(config, 'preserve_insertion_order', 'false');
      const database = await duckdb.open(join(folder, 'events.duckdb'), config);
      const connection = await duckdb.connect(database);
      const columnsSql = FIXED_COLUMNS.map((spec) => `${spec.name} ${spec.sql} NOT NULL`).join(', ');
      await duckdb.query(connection, `CREATE TABLE events (${columnsSql})`);
      // Attributes in a table of their own with a fixed schema: a reader finds attribute columns as it reads, and
      // DuckDB's DDL is asynchronous while the readers push synchronously. The case code is there for the range reads.
      await duckdb.query(connection, 'CREATE TABLE attributes (c INTEGER NOT NULL, q INTEGER NOT NULL, k INTEGER NOT NULL, code INTEGER NOT NULL)');
      return new EventStore(duckdb, database, connection, folder, where);
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
  }

  get eventCount(): number {
    return this.pushed;
  }

  /** How many append calls the store took (tests: a read that spilled as it went, not once at its end). */
  get appendCount(): number {
    return this.appends;
  }

  /** Appends the first `columns.count` events (push order continues from the events already appended). */
  append(columns: StoreColumns): void {
    const appender = this.appender;
    if (appender === null) throw new Error('EventStore.append after finish()');
    const { count } = columns;
    if (count > MAX_STORE_EVENTS - this.pushed) {
      throw new VsmError({ code: 'INPUT_TOO_LARGE', what: 'too many events for the event store', where: this.where, got: `${this.pushed + count} events`, fix: `split the input: the store takes at most ${MAX_STORE_EVENTS} events` });
    }
    if (columns.startTimestampMs) this.hasStart = true;
    const { duckdb, chunk, vectors, scratch } = this;
    const size = scratch[0].length;
    const sources: Array<Column | undefined> = [
      columns.caseCode,
      columns.activityCode,
      columns.resourceCode,
      columns.groupCode,
      columns.timestampMs,
      columns.startTimestampMs,
      columns.lifecycle,
      columns.fileIndex,
      columns.sourceRow,
      undefined,
    ];
    for (let from = 0; from < count; from += size) {
      const m = Math.min(size, count - from);
      duckdb.data_chunk_reset(chunk);
      for (let k = 0; k < sources.length; k++) {
        const target = scratch[k];
        const source = sources[k];
        if (k === 5 && source === undefined) (target as Float64Array).fill(NaN, 0, m);
        else if (k === 9) fillSequence(target as Int32Array, this.pushed + from, m);
        else if (source === undefined) throw new Error(`EventStore.append: column ${FIXED_COLUMNS[k].name} missing`);
        else target.set(source.subarray(from, from + m) as never);
        duckdb.copy_data_to_vector(vectors[k], 0, target.buffer as ArrayBuffer, 0, m * FIXED_COLUMNS[k].bytes);
      }
      duckdb.data_chunk_set_size(chunk, m);
      this.appendChunk(appender, chunk);
    }
    this.countByCase(columns.caseCode, count);
    for (const [name, codes] of columns.attributes ?? []) this.appendAttribute(this.slotFor(name), codes, columns.caseCode, count);
    this.flushAttributes();
    this.pushed += count;
    this.appends++;
  }

  private countByCase(caseCode: Int32Array, count: number): void {
    let counts = this.eventsByCase;
    for (let j = 0; j < count; j++) {
      const c = caseCode[j];
      if (c < 0) continue;
      if (c >= counts.length) {
        const grown = new Int32Array(Math.max(c + 1, counts.length * 2));
        grown.set(counts);
        counts = this.eventsByCase = grown;
      }
      counts[c]++;
    }
  }

  private slotFor(name: string): number {
    let slot = this.slotOf.get(name);
    if (slot === undefined) {
      slot = this.attributeNames.length;
      this.attributeNames.push(name);
      this.slotOf.set(name, slot);
    }
    return slot;
  }

  /** Rows (case, push order, slot, code) for the events of this push that have a value of the attribute. */
  private appendAttribute(slot: number, codes: Int32Array, caseCode: Int32Array, count: number): void {
    const [c, q, k, code] = this.attributeScratch;
    const size = q.length;
    for (let j = 0; j < count; j++) {
      const value = codes[j];
      if (value === MISSING_CODE) continue;
      const row = this.attributeRows;
      c[row] = caseCode[j];
      q[row] = this.pushed + j;
      k[row] = slot;
      code[row] = value;
      this.attributeRows = row + 1;
      if (row + 1 === size) this.flushAttributes();
    }
  }

  private flushAttributes(): void {
    const m = this.attributeRows;
    if (m === 0 || this.attributeAppender === null) return;
    const { duckdb } = this;
    duckdb.data_chunk_reset(this.attributeChunk);
    for (let k = 0; k < this.attributeVectors.length; k++) duckdb.copy_data_to_vector(this.attributeVectors[k], 0, this.attributeScratch[k].buffer as ArrayBuffer, 0, m * 4);
    duckdb.data_chunk_set_size(this.attributeChunk, m);
    this.appendChunk(this.attributeAppender, this.attributeChunk);
    this.attributeRows = 0;
  }

  /** Ends the appending (flushes the appender); ranges() reads after this. */
  finish(): void {
    if (this.appender === null) return;
    const { appender, attributeAppender } = this;
    this.appender = null;
    this.attributeAppender = null;
    try {
      this.duckdb.appender_close_sync(appender);
      if (attributeAppender !== null) this.duckdb.appender_close_sync(attributeAppender);
    } catch (error) {
      this.failed(error);
    }
  }

  private appendChunk(appender: Appender, chunk: DataChunk): void {
    try {
      this.duckdb.append_data_chunk(appender, chunk);
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * Events per case code 0 … caseCount − 1 (cases with no stored event count 0), counted as they were appended: a
   * `GROUP BY c` before every pass over the ranges held a hash table of all cases in DuckDB's memory.
   */
  eventsPerCase(caseCount: number): Int32Array {
    if (caseCount > this.eventsByCase.length) {
      const grown = new Int32Array(caseCount);
      grown.set(this.eventsByCase);
      this.eventsByCase = grown;
    }
    // A view, not a copy: the counts do not change once the appending is done.
    return this.eventsByCase.subarray(0, caseCount);
  }

  /**
   * What an analysis needs to know of all the events before it reads them by ranges (src/vsm/analyze-stored.ts): the
   * least and greatest finite timestamp (NaN when none), how many timestamps are not finite, and by activity code the
   * lifecycle codes its events have (bit `1 << code`).
   */
  async summary(activityCount: number): Promise<StoreSummary> {
    this.finish();
    let minMs = NaN;
    let maxMs = NaN;
    let nonFiniteTimes = 0;
    const times = 'coalesce(min(t) FILTER (WHERE isfinite(t)), \'NaN\'::DOUBLE), coalesce(max(t) FILTER (WHERE isfinite(t)), \'NaN\'::DOUBLE)';
    await this.stream(`SELECT ${times}, (count(*) FILTER (WHERE NOT isfinite(t)))::INTEGER FROM events`, (chunk) => {
      minMs = this.float64(chunk, 0, 1)[0];
      maxMs = this.float64(chunk, 1, 1)[0];
      nonFiniteTimes = this.int32(chunk, 2, 1)[0];
    });
    const lifecycles = new Uint32Array(activityCount);
    await this.stream(`SELECT a, l::INTEGER FROM events WHERE a >= 0 AND a < ${activityCount} GROUP BY a, l`, (chunk, m) => {
      const activity = this.int32(chunk, 0, m);
      const lifecycle = this.int32(chunk, 1, m);
      for (let j = 0; j < m; j++) lifecycles[activity[j]] |= 1 << lifecycle[j];
    });
    return { minMs, maxMs, nonFiniteTimes, lifecycles };
  }

  /**
   * Reads the events back as `rangeCount` contiguous case ranges of about equal event counts (fewer when there are
   * fewer cases), in case order, each sorted by (case, timestamp, file, source row, push order).
   */
  async *ranges(caseCount: number, rangeCount: number): AsyncGenerator<StoredRange> {
    this.finish();
    const perCase = this.eventsPerCase(caseCount);
    for (const { start, end } of cutByEvents(perCase, Math.max(1, Math.min(Math.floor(rangeCount), MAX_STORE_RANGES)))) {
      yield await this.readRange(perCase, start, end);
    }
  }

  private async readRange(perCase: Int32Array, start: number, end: number): Promise<StoredRange> {
    const caseCount = end - start;
    let eventCount = 0;
    for (let c = start; c < end; c++) eventCount += perCase[c];
    // The start column only when some push had one (else the range has none: no 8 bytes an event read and kept).
    const names = this.hasStart ? ['a', 'r', 'g', 't', 's', 'l', 'f', 'w'] : ['a', 'r', 'g', 't', 'l', 'f', 'w'];
    const specs = names.map((name) => FIXED_COLUMNS.find((spec) => spec.name === name) as ColumnSpec);
    const [caseStartColumn, ...columns] = columnsInOneBuffer([
      { bytes: 4, length: caseCount + 1 },
      ...specs.map((spec) => ({ bytes: spec.bytes, length: eventCount })),
      ...this.attributeNames.map(() => ({ bytes: 4 as const, length: eventCount })),
    ]);
    const caseStart = caseStartColumn as Int32Array;
    for (let c = start; c < end; c++) caseStart[c - start + 1] = caseStart[c - start] + perCase[c];
    const out = columns.slice(0, specs.length);
    const column = (name: string) => out[names.indexOf(name)];
    const where = `c >= ${start} AND c < ${end}`;
    // Unsorted: each event goes to the next free place of its case, then each case is sorted by (timestamp, file,
    // source row, push order) here. With an ORDER BY, DuckDB sorted the range, and its allocator kept that memory
    // after the query (≈ 170 MB at 2²¹ events: docs/benchmarks.md "h30-native").
    const cursor = caseStart.slice(0, caseCount);
    const pushOrder = new Int32Array(eventCount);
    const places = new Int32Array(this.scratch[0].length);
    await this.stream(`SELECT c, ${names.join(', ')}, q FROM events WHERE ${where}`, (chunk, m) => {
      const cases = this.int32(chunk, 0, m);
      if (!placeByCase(cases, m, start, cursor, caseStart, places)) throw new Error(`EventStore: range [${start}, ${end}) returned more than its ${eventCount} events`);
      for (let k = 0; k <= specs.length; k++) {
        const bytes = this.duckdb.vector_get_data(this.duckdb.data_chunk_get_vector(chunk, k + 1), m * (k < specs.length ? specs[k].bytes : 4));
        const target = k < specs.length ? out[k] : pushOrder;
        scatter(new (target.constructor as typeof Uint8Array)(bytes.buffer, bytes.byteOffset, m), places, m, target);
      }
    });
    for (let k = 0; k < caseCount; k++) {
      if (cursor[k] !== caseStart[k + 1]) throw new Error(`EventStore: range [${start}, ${end}) returned fewer than its ${eventCount} events`);
    }
    sortCases(caseStart, caseCount, [...out, pushOrder], column('t') as Float64Array, column('f') as Uint16Array, column('w') as Int32Array, pushOrder);
    const attributes = new Map<string, Int32Array>();
    const slots = this.attributeNames.map((name, k) => {
      const codes = (columns[specs.length + k] as Int32Array).fill(MISSING_CODE);
      attributes.set(name, codes);
      return codes;
    });
    if (slots.length > 0) {
      // Each attribute value at its event's place, found by its push order (no join, no sort in DuckDB).
      const byPushOrder = placesByPushOrder(pushOrder);
      await this.stream(`SELECT q, k, code FROM attributes WHERE ${where}`, (chunk, m) => {
        const q = this.int32(chunk, 0, m);
        const k = this.int32(chunk, 1, m);
        const code = this.int32(chunk, 2, m);
        for (let j = 0; j < m; j++) {
          const place = placeOfPushOrder(byPushOrder, q[j]);
          if (place < 0) throw new Error(`EventStore: an attribute of push ${q[j]} is not in range [${start}, ${end})`);
          slots[k[j]][place] = code[j];
        }
      });
    }
    return {
      firstCase: start,
      caseCount,
      eventCount,
      caseStart,
      activityCode: column('a') as Int32Array,
      resourceCode: column('r') as Int32Array,
      groupCode: column('g') as Int32Array,
      timestampMs: column('t') as Float64Array,
      startTimestampMs: this.hasStart ? (column('s') as Float64Array) : undefined,
      lifecycle: column('l') as Uint8Array,
      fileIndex: column('f') as Uint16Array,
      sourceRow: column('w') as Int32Array,
      attributes,
    };
  }

  private float64(chunk: DataChunk, column: number, m: number): Float64Array {
    const bytes = this.duckdb.vector_get_data(this.duckdb.data_chunk_get_vector(chunk, column), m * 8);
    return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + m * 8));
  }

  private int32(chunk: DataChunk, column: number, m: number): Int32Array {
    const bytes = this.duckdb.vector_get_data(this.duckdb.data_chunk_get_vector(chunk, column), m * 4);
    return new Int32Array(bytes.buffer, bytes.byteOffset, m);
  }

  /** Runs a query and hands each result chunk (with its row count) to `onChunk`, streaming. */
  private async stream(sql: string, onChunk: (chunk: DataChunk, rows: number) => void): Promise<void> {
    const { duckdb } = this;
    const prepared = await duckdb.prepare(this.connection, sql).catch((error: unknown) => this.failed(error));
    try {
      const result = await duckdb.execute_pending(duckdb.pending_prepared_streaming(prepared));
      for (;;) {
        const chunk = await duckdb.fetch_chunk(result);
        if (chunk === null) break;
        const m = duckdb.data_chunk_get_size(chunk);
        if (m === 0) break;
        onChunk(chunk, m);
      }
    } catch (error) {
      this.failed(error);
    } finally {
      duckdb.destroy_prepare_sync(prepared);
    }
  }

  /**
   * Rethrows a DuckDB error; one that says the machine ran out of disk or memory under the store (the database and its
   * spill files in the temporary folder, its memory limit) as a VsmError naming the fix (exit 2, not an internal error).
   */
  private failed(error: unknown): never {
    const text = error instanceof Error ? error.message : String(error);
    if (!/No space left on device|Out of Memory Error|could not allocate|failed to pin/i.test(text)) throw error;
    throw new VsmError({
      code: 'INPUT_TOO_LARGE',
      what: 'the event store ran out of disk or memory',
      where: `${this.where} (store in ${this.folder})`,
      got: text.split('\n')[0],
      fix: 'free space in the temporary folder or point TMPDIR at a larger disk, or analyse a shorter period',
    });
  }

  /** Closes the database and removes its folder (safe to call twice). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.finish();
      this.duckdb.disconnect_sync(this.connection);
      this.duckdb.close_sync(this.database);
    } finally {
      rmSync(this.folder, { recursive: true, force: true });
    }
  }
}

/** A store's folder is named vsm-store-<pid>-<random>: the process that made it. */
const STORE_FOLDER_PREFIX = 'vsm-store-';

/** Most folders of `parent` looked at for abandoned stores (a cap on a folder's size; the rest wait for a later run). */
const MAX_FOLDERS_SWEPT = 10_000;

/**
 * Removes the store folders in `parent` whose process is gone: a run stopped by a signal (Ctrl-C, the OOM killer)
 * cannot remove its own, and a stored log can be gigabytes. A folder of a live process, or of a process this user may
 * not signal, is left alone; the pid could have been reused, which only leaves a folder in place, never removes a
 * live one.
 */
export function removeAbandonedStores(parent: string): number {
  let names: string[];
  try {
    names = readdirSync(parent).slice(0, MAX_FOLDERS_SWEPT);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const match = /^vsm-store-(\d+)-/.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function fillSequence(target: Int32Array, first: number, m: number): void {
  for (let j = 0; j < m; j++) target[j] = first + j;
}

/**
 * Cuts cases [0, perCase.length) into at most `count` contiguous ranges of about equal event counts (a case is never
 * split; an empty log gives one empty range).
 */
export function cutByEvents(perCase: Int32Array, count: number): Array<{ start: number; end: number }> {
  const caseCount = perCase.length;
  let total = 0;
  for (let c = 0; c < caseCount; c++) total += perCase[c];
  const k = Math.max(1, Math.min(count, caseCount));
  const ranges: Array<{ start: number; end: number }> = [];
  let start = 0;
  let seen = 0;
  for (let c = 0; c < caseCount - 1 && ranges.length < k - 1; c++) {
    seen += perCase[c];
    // Ranges still to cut after this one; a cut here leaves caseCount − c − 1 cases for them.
    const after = k - 1 - ranges.length;
    if (seen * k >= total * (ranges.length + 1) || caseCount - c - 1 === after) {
      ranges.push({ start, end: c + 1 });
      start = c + 1;
    }
  }
  ranges.push({ start, end: caseCount });
  return ranges;
}
