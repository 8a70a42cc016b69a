/**
 * An event log read into the event store (issue 14, stage 3 of the partitioned engine; docs/benchmarks.md "Stage 3
 * started"): the readers' own engines, rows, rejections, dictionaries and notes, but the events handed to an embedded
 * DuckDB every `capacity` events instead of kept, then read back as EventLogs of contiguous case ranges (CSV: each
 * with its exact duplicates dropped, as readCsv drops them on the whole log). The ranges joined are readLog's log and
 * the finished report is its report (tests/ingest/stored-read.test.ts), so memory during the read follows the
 * capacity and the dictionaries (case names included), not the events.
 *
 * CSV, XES and Parquet (as its CSV copy; readLogToStore refuses the others); one thread (no threaded CSV read). The
 * analysis over the ranges is src/vsm/analyze-stored.ts (`vsm analyze --engine duckdb`).
 */
import { Dictionary } from '../model/dictionary.js';
import type { AttributeColumn, EventLog } from '../model/event-log.js';
import type { EventSpill, SpilledColumns, SpilledLog } from '../model/event-log-builder.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import { readCsvSpilled } from './csv.js';
import { noteDuplicates } from './csv-read-state.js';
import { dropExactDuplicates } from './duplicate-events.js';
import { EventStore, type EventStoreOptions, type StoredRange } from './event-store.js';
import { VsmError } from '../errors.js';
import { readRoute, readThroughSpool, withLookHint } from './read-log.js';
import { readXesSpilled } from './xes.js';
import type { ReadOptions } from './read-options.js';

/** Events a stored read holds before handing them to DuckDB (≈ 40 bytes each: 40 MB). */
export const DEFAULT_SPILL_EVENTS = 1 << 20;

/**
 * An EventSpill over a store. The first read's store is open before the read starts, so the builder hands its events
 * over from the first `capacity`; a second read of the file (the Latin-1 retry) gets a new store that opens while it
 * reads, and the builder keeps its events until then (only memory differs, never the events).
 */
class StoreSpill implements EventSpill {
  private store: EventStore | undefined;
  private discarded = false;
  private readonly opening: Promise<EventStore>;

  constructor(
    readonly capacity: number,
    store: EventStore | Promise<EventStore>,
  ) {
    if (store instanceof EventStore) this.store = store;
    this.opening = Promise.resolve(store).then((opened) => {
      if (this.discarded) opened.close();
      else this.store = opened;
      return opened;
    });
    // A failed open surfaces when the read awaits it (opened()); until then the builder keeps its events.
    this.opening.catch(() => undefined);
  }

  ready(): boolean {
    return this.store !== undefined;
  }

  append(columns: SpilledColumns): void {
    (this.store as EventStore).append(columns);
  }

  /** The store once open (throws the open's error). */
  async opened(): Promise<EventStore> {
    return this.opening;
  }

  /** Closes the store (now, or when it has opened). */
  discard(): void {
    this.discarded = true;
    this.store?.close();
    this.store = undefined;
  }
}

/** A log in the store: what the read keeps of the log, the store, and how its report is finished once the ranges are read. */
export interface StoredRead {
  readonly log: SpilledLog;
  readonly store: EventStore;
  /** Exact duplicates are dropped per range (CSV, unless kept); other readers drop repeats as they read. */
  readonly dropDuplicates: boolean;
  /** The read's IngestReport, given the duplicates the ranges dropped. */
  finishReport(dropped: number, firstExample: { row: number; repeatsRow: number } | undefined): IngestReport;
}

export interface StoredReadOptions extends EventStoreOptions {
  /** Events held before they go to the store (default DEFAULT_SPILL_EVENTS). */
  spillEvents?: number;
}

/** A stored read's spill capacity and the store's options (named after the input). */
function storeSettings(path: string, storeOptions: StoredReadOptions): { capacity: number; openOptions: EventStoreOptions } {
  return { capacity: Math.max(1, Math.floor(storeOptions.spillEvents ?? DEFAULT_SPILL_EVENTS)), openOptions: { ...storeOptions, where: storeOptions.where ?? path } };
}

/**
 * Reads a CSV log into a new event store. The caller closes `store` (also after an error in later steps).
 * @example const stored = await readCsvToStore('events.csv', {}); try { for await (const log of storedLogs(stored, 4)) use(log); } finally { stored.store.close(); }
 */
export async function readCsvToStore(path: string, options: ReadOptions = {}, storeOptions: StoredReadOptions = {}): Promise<StoredRead> {
  const { capacity, openOptions } = storeSettings(path, storeOptions);
  let next: EventStore | Promise<EventStore> | undefined = await EventStore.open(openOptions);
  let current: StoreSpill | undefined;
  const makeSpill = (): EventSpill => {
    current?.discard();
    current = new StoreSpill(capacity, next ?? EventStore.open(openOptions));
    next = undefined;
    return current;
  };
  try {
    const { state } = await readCsvSpilled(path, options, makeSpill, () => current?.discard());
    const spill = current;
    if (spill === undefined) throw new Error('readCsvToStore: the read ended without a spill');
    const store = await spill.opened();
    const log = state.builder.finishSpilled();
    store.finish();
    const { report } = state;
    return {
      log,
      store,
      dropDuplicates: options.duplicateRows !== 'keep',
      finishReport: (dropped, firstExample) => {
        noteDuplicates(report, dropped, firstExample);
        return report.finish();
      },
    };
  } catch (error) {
    current?.discard();
    if (next instanceof EventStore) next.close();
    throw error;
  }
}

/** The EventLog of one stored range (its cases renumbered from 0; names, dictionaries and case attributes the log's). */
export function rangeLog(log: SpilledLog, range: StoredRange): EventLog {
  const { firstCase, caseCount, eventCount, caseStart } = range;
  const caseIds = new Dictionary();
  for (let c = 0; c < caseCount; c++) caseIds.appendNewFrom(log.caseIds, firstCase + c);
  const caseCode = new Int32Array(eventCount);
  for (let c = 0; c < caseCount; c++) caseCode.fill(c, caseStart[c], caseStart[c + 1]);
  const attributes = new Map<string, AttributeColumn>();
  for (const [name, dictionary] of log.attributeDictionaries) {
    const codes = range.attributes.get(name);
    if (codes === undefined) throw new Error(`rangeLog: attribute "${name}" is not in the store`);
    attributes.set(name, { name, dictionary, codes });
  }
  const caseAttributes = new Map<string, AttributeColumn>();
  for (const [name, column] of log.caseAttributes) caseAttributes.set(name, { ...column, codes: column.codes.slice(firstCase, firstCase + caseCount) });
  return {
    shape: log.shape,
    eventCount,
    caseCount,
    files: log.files,
    caseIds,
    activities: log.activities,
    resources: log.resources,
    groups: log.groups,
    caseCode,
    activityCode: range.activityCode,
    resourceCode: range.resourceCode,
    groupCode: range.groupCode,
    timestampMs: range.timestampMs,
    startTimestampMs: range.startTimestampMs,
    lifecycle: range.lifecycle,
    fileIndex: range.fileIndex,
    sourceRow: range.sourceRow,
    caseStart,
    attributes,
    caseAttributes,
    sourceStatusCategory: log.sourceStatusCategory,
  };
}

/** A stored range as an EventLog with its exact duplicates dropped, and where its cases start in the whole log. */
export interface StoredLogRange {
  readonly log: EventLog;
  readonly firstCase: number;
}

/**
 * The stored log as EventLogs of `rangeCount` contiguous case ranges, in case order, duplicates dropped per range
 * (they are events of one case: the same drops as on the whole log, the first example found in the same order).
 * After the last range, `finishStoredReport` gives the read's IngestReport.
 */
export async function* storedLogs(stored: StoredRead, rangeCount: number): AsyncGenerator<StoredLogRange> {
  let dropped = 0;
  let firstExample: { row: number; repeatsRow: number } | undefined;
  for await (const range of stored.store.ranges(stored.log.caseCount, rangeCount)) {
    const log = rangeLog(stored.log, range);
    if (!stored.dropDuplicates) {
      yield { log, firstCase: range.firstCase };
      continue;
    }
    const drop = dropExactDuplicates(log);
    dropped += drop.dropped;
    firstExample ??= drop.firstExample;
    yield { log: drop.log, firstCase: range.firstCase };
  }
  duplicatesOf.set(stored, { dropped, firstExample });
}

const duplicatesOf = new WeakMap<StoredRead, { dropped: number; firstExample: { row: number; repeatsRow: number } | undefined }>();

/** The read's IngestReport, once storedLogs has given every range (its duplicate counts and note are theirs). */
export function finishStoredReport(stored: StoredRead): IngestReport {
  const duplicates = duplicatesOf.get(stored);
  if (duplicates === undefined) throw new Error('finishStoredReport before storedLogs gave its last range');
  return stored.finishReport(duplicates.dropped, duplicates.firstExample);
}

/** An XES log into a new event store (readXes's events, dictionaries and report). The caller closes `store`. */
export async function readXesToStore(path: string, options: ReadOptions = {}, storeOptions: StoredReadOptions = {}): Promise<StoredRead> {
  const { capacity, openOptions } = storeSettings(path, storeOptions);
  const store = await EventStore.open(openOptions);
  try {
    const { log, report } = await readXesSpilled(path, options, new StoreSpill(capacity, store));
    store.finish();
    return { log, store, dropDuplicates: false, finishReport: () => report };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** A stored read whose report, once finished, is fixed up by `fix` (the Parquet file's name, a spooled input's). */
function withReport(read: StoredRead, fix: (report: IngestReport) => void): StoredRead {
  return {
    ...read,
    finishReport: (dropped, firstExample) => {
      const report = read.finishReport(dropped, firstExample);
      fix(report);
      return report;
    },
  };
}

/** What the event store reads (CSV, XES and Parquet as CSV); the refusal for the rest says to read them in memory. */
function refuseRoute(path: string, got: string): never {
  throw new VsmError({ code: 'BAD_OPTION', what: 'the event store reads CSV, XES and Parquet event logs only (so far)', where: path, got, fix: 'analyse it in memory (vsm analyze without --engine duckdb)' });
}

async function readPathToStore(path: string, options: ReadOptions, storeOptions: StoredReadOptions): Promise<StoredRead> {
  const route = readRoute(path, options);
  if (route.kind === 'pull') refuseRoute(path, 'a vsm pull folder');
  if (route.kind === 'wide') refuseRoute(path, `a wide stage-date CSV, one row per case (${route.detectedBy})`);
  if (route.kind === 'parquet') {
    const { withParquetCsv } = await import('./parquet.js');
    return withParquetCsv(path, options, async ({ csvPath, csvOptions, fixReport, fixFiles }) => {
      const read = await readPathToStore(csvPath, csvOptions, { ...storeOptions, where: storeOptions.where ?? path });
      return { ...withReport(read, fixReport), log: { ...read.log, files: fixFiles(read.log.files) } };
    });
  }
  const { source, detectedBy } = route.sniffed;
  if (source !== 'csv' && source !== 'xes') refuseRoute(path, `a ${source} export`);
  const read = await (source === 'csv' ? readCsvToStore(path, { ...options, source }, storeOptions) : readXesToStore(path, { ...options, source }, storeOptions)).catch((error: unknown) => {
    throw options.source ? withLookHint(error, path, options.source) : error;
  });
  return withReport(read, (report) => {
    report.formatDetectedBy = options.source ? 'flag --source' : detectedBy;
  });
}

/**
 * A log into a new event store, found and refused as readLog finds its readers (read-log.ts readRoute): CSV, XES and
 * Parquet (as its CSV copy, as readLog reads it); standard input, pipes and FIFOs through a temporary copy. The other
 * sources, `vsm pull` folders and wide stage-date CSVs are refused with a clear error (they read in memory).
 */
export async function readLogToStore(path: string, options: ReadOptions = {}, storeOptions: StoredReadOptions = {}): Promise<StoredRead> {
  return readThroughSpool(path, options, (readable) => readPathToStore(readable, options, { ...storeOptions, where: storeOptions.where ?? path }), withReport);
}
