/**
 * A CSV event log read into the event store (issue 14, stage 3 of the partitioned engine; docs/benchmarks.md "Stage
 * 3 started"): the CSV reader's own engines, rows, rejections, dictionaries and notes, but the events handed to an
 * embedded DuckDB every `capacity` events instead of kept, then read back as EventLogs of contiguous case ranges,
 * each with its exact duplicates dropped. The ranges joined are readCsv's log and the finished report is its report
 * (tests/ingest/csv-stored.test.ts), so memory during the read follows the capacity and the dictionaries (case
 * names included), not the events.
 *
 * Not yet: the threaded read (one thread here), sources other than CSV, and the analysis over ranges (the case chain
 * takes ranges; the wait chain does not yet).
 */
import { Dictionary } from '../model/dictionary.js';
import type { AttributeColumn, EventLog } from '../model/event-log.js';
import type { EventSpill, SpilledColumns, SpilledLog } from '../model/event-log-builder.js';
import type { IngestReport } from '../contracts/ingest-report.js';
import { readCsvSpilled } from './csv.js';
import { noteDuplicates } from './csv-read-state.js';
import { dropExactDuplicates } from './duplicate-events.js';
import { EventStore, type EventStoreOptions, type StoredRange } from './event-store.js';
import type { IngestReportBuilder } from './ingest-report.js';
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

/** A CSV log in the store: what the read keeps of the log, the store, and the report finished once the ranges are read. */
export interface StoredCsv {
  readonly log: SpilledLog;
  readonly store: EventStore;
  readonly report: IngestReportBuilder;
  readonly keepDuplicates: boolean;
}

export interface StoredReadOptions extends EventStoreOptions {
  /** Events held before they go to the store (default DEFAULT_SPILL_EVENTS). */
  spillEvents?: number;
}

/**
 * Reads a CSV log into a new event store. The caller closes `store` (also after an error in later steps).
 * @example const stored = await readCsvToStore('events.csv', {}); try { for await (const log of storedLogs(stored, 4)) use(log); } finally { stored.store.close(); }
 */
export async function readCsvToStore(path: string, options: ReadOptions = {}, storeOptions: StoredReadOptions = {}): Promise<StoredCsv> {
  const capacity = Math.max(1, Math.floor(storeOptions.spillEvents ?? DEFAULT_SPILL_EVENTS));
  const openOptions = { ...storeOptions, where: storeOptions.where ?? path };
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
    return { log, store, report: state.report, keepDuplicates: options.duplicateRows === 'keep' };
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
  for (let c = 0; c < caseCount; c++) caseIds.appendNew(log.caseIds.values[firstCase + c]);
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
export async function* storedLogs(stored: StoredCsv, rangeCount: number): AsyncGenerator<StoredLogRange> {
  let dropped = 0;
  let firstExample: { row: number; repeatsRow: number } | undefined;
  for await (const range of stored.store.ranges(stored.log.caseCount, rangeCount)) {
    const log = rangeLog(stored.log, range);
    if (stored.keepDuplicates) {
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

const duplicatesOf = new WeakMap<StoredCsv, { dropped: number; firstExample: { row: number; repeatsRow: number } | undefined }>();

/** The read's IngestReport, once storedLogs has given every range (its duplicate counts and note are theirs). */
export function finishStoredReport(stored: StoredCsv): IngestReport {
  const duplicates = duplicatesOf.get(stored);
  if (duplicates === undefined) throw new Error('finishStoredReport before storedLogs gave its last range');
  noteDuplicates(stored.report, duplicates.dropped, duplicates.firstExample);
  return stored.report.finish();
}
