/**
 * The event log builder (DESIGN §2): readers push events in any order into growable typed columns (interning case,
 * activity, resource, group and attribute values), and build() sorts them once (event-log-sort.ts) into an EventLog.
 */
import { type CaseEvidenceInput, caseEvidenceColumns } from './case-evidence.js';
import { Dictionary, MISSING_CODE, ownString } from './dictionary.js';
import type { AttributeColumn, EventLog, LogShape } from './event-log.js';
import { type Column, grownCapacity, permutedFloat64, permutedInt32, resized, worthTrimming } from './event-log-columns.js';
import { caseTimeOrder } from './event-log-sort.js';
import { type Lifecycle, LifecycleCode } from './lifecycle.js';

export interface EventInput {
  caseId: string;
  activity: string;
  timestampMs: number;
  lifecycle?: Lifecycle;
  resource?: string;
  group?: string;
  startTimestampMs?: number;
  fileIndex?: number;
  sourceRow: number;
  attributes?: Record<string, string | undefined>;
}

/** Events already coded for a builder's dictionaries, for appendCoded; each array holds at least `count` values. */
export interface CodedColumns {
  count: number;
  caseCode: Int32Array;
  activityCode: Int32Array;
  resourceCode: Int32Array;
  groupCode: Int32Array;
  timestampMs: Float64Array;
  startTimestampMs: Float64Array | undefined;
  lifecycle: Uint8Array;
  sourceRow: Int32Array;
}

const INITIAL_CAPACITY = 1024;

/** Events a spilling builder hands over at once: its columns, the file of each event and its attribute codes. */
export interface SpilledColumns extends CodedColumns {
  fileIndex: Uint16Array;
  /** By attribute name, codes of at least `count` events. */
  attributes?: ReadonlyMap<string, Int32Array>;
}

/**
 * Where a spilling builder hands its events (the partitioned engine's event store, src/ingest/event-store.ts): it
 * keeps at most `capacity` events and hands them over in push order, so the store sees exactly the pushes.
 */
export interface EventSpill {
  /** Events held before they are handed over. */
  readonly capacity: number;
  /** False while the spill is not open yet: the builder keeps its events (growing) until it is. */
  ready(): boolean;
  append(columns: SpilledColumns): void;
}

/** What a spilled read keeps of its log once every event is in the store: the dictionaries and per-case facts. */
export type SpilledLog = Pick<EventLog, 'shape' | 'eventCount' | 'caseCount' | 'files' | 'caseIds' | 'activities' | 'resources' | 'groups' | 'caseAttributes' | 'sourceStatusCategory'> & {
  /** By event attribute name, its dictionary (the codes are in the store). */
  readonly attributeDictionaries: ReadonlyMap<string, Dictionary>;
};

/**
 * Collects events in any order and builds a sorted EventLog. Readers push one event per used row;
 * nothing is sorted or copied until `build()`.
 */
export class EventLogBuilder {
  readonly caseIds = new Dictionary();
  readonly activities = new Dictionary();
  readonly resources = new Dictionary();
  readonly groups = new Dictionary();
  readonly files: string[] = [];
  private readonly sourceStatusCategory = new Map<string, string>();
  private count = 0;
  /** The capacity reserve() was given (a reader's estimate); past it the columns grow by a quarter, not double. */
  private reserved = 0;
  private caseCode = new Int32Array(INITIAL_CAPACITY);
  private activityCode = new Int32Array(INITIAL_CAPACITY);
  private resourceCode = new Int32Array(INITIAL_CAPACITY);
  private groupCode = new Int32Array(INITIAL_CAPACITY);
  private timestampMs = new Float64Array(INITIAL_CAPACITY);
  private startTimestampMs: Float64Array | undefined;
  private lifecycle = new Uint8Array(INITIAL_CAPACITY);
  private fileIndex = new Uint16Array(INITIAL_CAPACITY);
  private sourceRow = new Int32Array(INITIAL_CAPACITY);
  private readonly attributeDictionaries = new Map<string, Dictionary>();
  private attributeCodes = new Map<string, Int32Array>();
  private readonly caseAttributeDictionaries = new Map<string, Dictionary>();
  private readonly caseAttributeValues = new Map<string, Map<number, number>>();
  private readonly caseEvidenceByCode = new Map<number, CaseEvidenceInput>();
  private statusHistory: boolean | undefined;

  /** A built EventLog holds these very columns (build() found them in order): copy before writing below `count`. */
  private shared = false;
  /** Spilling (spillTo): where the events go, and how many went there already (event indices count them). */
  private spill: EventSpill | undefined;
  private flushed = 0;

  constructor(readonly shape: LogShape = 'activity') {}

  private unshare(): void {
    this.shared = false;
    this.caseCode = this.caseCode.slice();
    this.activityCode = this.activityCode.slice();
    this.resourceCode = this.resourceCode.slice();
    this.groupCode = this.groupCode.slice();
    this.timestampMs = this.timestampMs.slice();
    if (this.startTimestampMs) this.startTimestampMs = this.startTimestampMs.slice();
    this.lifecycle = this.lifecycle.slice();
    this.fileIndex = this.fileIndex.slice();
    this.sourceRow = this.sourceRow.slice();
    for (const [name, codes] of this.attributeCodes) this.attributeCodes.set(name, codes.slice());
  }

  get eventCount(): number {
    return this.flushed + this.count;
  }

  /**
   * Hands the events to `spill` every `spill.capacity` events instead of growing (the partitioned engine: memory then
   * follows the capacity, not the log). Event indices stay global; writes by index (start times, attributes) must be
   * to events not yet handed over — the readers write to the event they just pushed. End with finishSpilled(), not
   * build(). Before any push.
   */
  spillTo(spill: EventSpill): void {
    if (this.flushed + this.count > 0) throw new Error('EventLogBuilder.spillTo after events were pushed');
    this.spill = spill;
    this.ensureExactly(Math.max(1, spill.capacity));
    this.reserved = this.caseCode.length;
  }

  /** The local slot of global event `index`; an event already handed over is an internal error. */
  private slot(index: number): number {
    const local = index - this.flushed;
    if (local < 0) throw new Error(`EventLogBuilder: event ${index} was already handed to the spill`);
    return local;
  }

  /** Room for one more event at local `index`: hands the events over when spilling to an open spill, else grows. */
  private room(index: number): number {
    const spill = this.spill;
    if (spill !== undefined && spill.ready()) {
      this.handOver(spill);
      return 0;
    }
    this.ensure(index + 1);
    return index;
  }

  private handOver(spill: EventSpill): void {
    const count = this.count;
    if (count === 0) return;
    spill.append({
      count,
      caseCode: this.caseCode,
      activityCode: this.activityCode,
      resourceCode: this.resourceCode,
      groupCode: this.groupCode,
      timestampMs: this.timestampMs,
      startTimestampMs: this.startTimestampMs,
      lifecycle: this.lifecycle,
      sourceRow: this.sourceRow,
      fileIndex: this.fileIndex,
      attributes: this.attributeCodes,
    });
    this.flushed += count;
    this.count = 0;
    // The columns grew while the spill was opening: back to its capacity, so memory follows it again.
    if (this.caseCode.length > 2 * spill.capacity) this.ensureExactly(spill.capacity);
  }

  /** True once any event has a start time column (build() then gives the log a `startTimestampMs`). */
  get hasStartTimestamps(): boolean {
    return this.startTimestampMs !== undefined;
  }

  /** Hands the last events over and returns what the log keeps besides them (spillTo's end; the spill must be open). */
  finishSpilled(): SpilledLog {
    const spill = this.spill;
    if (spill === undefined || !spill.ready()) throw new Error('EventLogBuilder.finishSpilled without an open spill');
    // Case evidence (API sources) is not kept by a spilled log yet: refuse rather than lose it.
    if (this.caseEvidenceByCode.size > 0 || this.statusHistory !== undefined) throw new Error('EventLogBuilder.finishSpilled: case evidence is not kept by a spilled log');
    this.handOver(spill);
    const caseCount = this.caseIds.size;
    return {
      ...this.dictionaries(),
      eventCount: this.flushed,
      caseCount,
      attributeDictionaries: new Map(this.attributeDictionaries),
      caseAttributes: this.caseAttributeColumns(caseCount),
      sourceStatusCategory: new Map(this.sourceStatusCategory),
    };
  }

  addFile(path: string): number {
    const existing = this.files.indexOf(path);
    if (existing >= 0) return existing;
    this.files.push(path);
    return this.files.length - 1;
  }

  /** Records the source's own category for a status (e.g. Jira statusCategory key). */
  setStatusCategory(status: string, category: string): void {
    this.sourceStatusCategory.set(status, category);
  }

  private ensure(needed: number): void {
    if (needed <= this.caseCode.length) return;
    this.ensureExactly(grownCapacity(this.caseCode.length, needed, this.reserved));
  }

  /** Slots the columns have now (events pushed plus room). */
  get capacity(): number {
    return this.caseCode.length;
  }

  /**
   * Pre-sizes the columns for about `eventCapacity` events (a reader's estimate); saves regrowth copies. Past it they
   * grow by a quarter (GROWTH_PAST_RESERVE), and build() trims them when much of that room is unused.
   */
  reserve(eventCapacity: number): void {
    if (this.spill !== undefined) return;
    if (eventCapacity > this.caseCode.length) this.ensureExactly(Math.ceil(eventCapacity));
    this.reserved = Math.max(this.reserved, Math.ceil(eventCapacity));
  }

  private ensureExactly(capacity: number): void {
    const resize = <T extends Column>(array: T): T => resized(array, capacity);
    this.caseCode = resize(this.caseCode);
    this.activityCode = resize(this.activityCode);
    this.resourceCode = resize(this.resourceCode);
    this.groupCode = resize(this.groupCode);
    this.timestampMs = resize(this.timestampMs);
    if (this.startTimestampMs) this.startTimestampMs = resize(this.startTimestampMs);
    this.lifecycle = resize(this.lifecycle);
    this.fileIndex = resize(this.fileIndex);
    this.sourceRow = resize(this.sourceRow);
    for (const [name, codes] of this.attributeCodes) this.attributeCodes.set(name, resize(codes));
  }

  /**
   * Hot-path push with pre-interned codes (readers that intern themselves). Returns the event index.
   * `resourceCode`/`groupCode` are MISSING_CODE when absent.
   */
  pushCoded(
    caseCode: number,
    activityCode: number,
    timestampMs: number,
    lifecycleCode: number,
    resourceCode: number,
    groupCode: number,
    fileIndex: number,
    sourceRow: number,
  ): number {
    let index = this.count;
    if (index >= this.caseCode.length) index = this.room(index);
    this.caseCode[index] = caseCode;
    this.activityCode[index] = activityCode;
    this.resourceCode[index] = resourceCode;
    this.groupCode[index] = groupCode;
    this.timestampMs[index] = timestampMs;
    this.lifecycle[index] = lifecycleCode;
    this.fileIndex[index] = fileIndex;
    this.sourceRow[index] = sourceRow;
    if (this.startTimestampMs) this.startTimestampMs[index] = NaN;
    if (this.attributeCodes.size > 0) for (const codes of this.attributeCodes.values()) codes[index] = MISSING_CODE;
    this.count = index + 1;
    return this.flushed + index;
  }

  /**
   * Bulk pushCoded (the CSV reader merging a chunk read on a worker thread): appends `columns.count` events whose codes
   * are already this builder's, all from file `fileIndex`; NaN start times are absent. Returns the first event's index.
   */
  appendCoded(columns: CodedColumns, fileIndex: number): number {
    if (this.shared) this.unshare();
    const spill = this.spill;
    if (spill !== undefined && spill.ready() && this.count + columns.count > this.caseCode.length) this.handOver(spill);
    const first = this.count;
    const count = columns.count;
    this.ensure(first + count);
    this.caseCode.set(columns.caseCode.subarray(0, count), first);
    this.activityCode.set(columns.activityCode.subarray(0, count), first);
    this.resourceCode.set(columns.resourceCode.subarray(0, count), first);
    this.groupCode.set(columns.groupCode.subarray(0, count), first);
    this.timestampMs.set(columns.timestampMs.subarray(0, count), first);
    this.lifecycle.set(columns.lifecycle.subarray(0, count), first);
    this.sourceRow.set(columns.sourceRow.subarray(0, count), first);
    this.fileIndex.fill(fileIndex, first, first + count);
    if (columns.startTimestampMs) {
      if (!this.startTimestampMs) this.startTimestampMs = new Float64Array(this.caseCode.length).fill(NaN);
      this.startTimestampMs.set(columns.startTimestampMs.subarray(0, count), first);
    } else if (this.startTimestampMs) {
      this.startTimestampMs.fill(NaN, first, first + count);
    }
    for (const codes of this.attributeCodes.values()) codes.fill(MISSING_CODE, first, first + count);
    this.count = first + count;
    return this.flushed + first;
  }

  /** Convenience push for adapters; returns the event index. */
  push(event: EventInput): number {
    const index = this.pushCoded(
      this.caseIds.intern(event.caseId),
      this.activities.intern(event.activity),
      event.timestampMs,
      LifecycleCode[event.lifecycle ?? 'instant'],
      event.resource === undefined || event.resource === '' ? MISSING_CODE : this.resources.intern(event.resource),
      event.group === undefined || event.group === '' ? MISSING_CODE : this.groups.intern(event.group),
      event.fileIndex ?? 0,
      event.sourceRow,
    );
    if (event.startTimestampMs !== undefined) this.setStartTimestamp(index, event.startTimestampMs);
    if (event.attributes) {
      for (const [name, value] of Object.entries(event.attributes)) {
        if (value !== undefined && value !== '') this.setAttribute(index, name, value);
      }
    }
    return index;
  }

  setStartTimestamp(index: number, startTimestampMs: number): void {
    if (this.shared) this.unshare();
    if (!this.startTimestampMs) {
      this.startTimestampMs = new Float64Array(this.caseCode.length).fill(NaN);
    }
    this.startTimestampMs[this.slot(index)] = startTimestampMs;
  }

  /** Sets an extra event attribute by name (dictionary-encoded). */
  setAttribute(index: number, name: string, value: string): void {
    if (this.shared) this.unshare();
    let dictionary = this.attributeDictionaries.get(name);
    let codes = this.attributeCodes.get(name);
    if (!dictionary || !codes) {
      dictionary = new Dictionary();
      codes = new Int32Array(this.caseCode.length).fill(MISSING_CODE);
      // The name as a string of its own: a reader's cut-out would keep its whole chunk of text alive (ownString).
      const owned = ownString(name);
      this.attributeDictionaries.set(owned, dictionary);
      this.attributeCodes.set(owned, codes);
    }
    codes[this.slot(index)] = dictionary.intern(value);
  }

  /** Returns a setter bound to one attribute name: the fast path for readers with fixed columns. */
  attributeSetter(name: string): (index: number, value: string) => void {
    if (!this.attributeDictionaries.has(name)) {
      this.attributeDictionaries.set(name, new Dictionary());
      this.attributeCodes.set(name, new Int32Array(this.caseCode.length).fill(MISSING_CODE));
    }
    const dictionary = this.attributeDictionaries.get(name) as Dictionary;
    return (index, value) => {
      if (this.shared) this.unshare();
      (this.attributeCodes.get(name) as Int32Array)[this.slot(index)] = dictionary.intern(value);
    };
  }

  /**
   * Coded fast path for readers that intern values themselves (CSV): the attribute's dictionary and a
   * setter that stores an already-interned code of that dictionary.
   */
  attributeCodeWriter(name: string, dictionary?: Dictionary): { dictionary: Dictionary; set: (index: number, code: number) => void } {
    if (!this.attributeDictionaries.has(name)) {
      // A reader may bring the dictionary it already interned into (CSV makes the column on its first value).
      this.attributeDictionaries.set(name, dictionary ?? new Dictionary());
      this.attributeCodes.set(name, new Int32Array(this.caseCode.length).fill(MISSING_CODE));
    }
    const columnDictionary = this.attributeDictionaries.get(name) as Dictionary;
    return {
      dictionary: columnDictionary,
      set: (index, code) => {
        if (this.shared) this.unshare();
        (this.attributeCodes.get(name) as Int32Array)[this.slot(index)] = code;
      },
    };
  }

  /** Sets a case-level attribute (first value wins; later different values are ignored). */
  setCaseAttribute(caseId: string, name: string, value: string): void {
    const caseCode = this.caseIds.intern(caseId);
    let dictionary = this.caseAttributeDictionaries.get(name);
    let values = this.caseAttributeValues.get(name);
    if (!dictionary || !values) {
      dictionary = new Dictionary();
      values = new Map();
      const owned = ownString(name);
      this.caseAttributeDictionaries.set(owned, dictionary);
      this.caseAttributeValues.set(owned, values);
    }
    if (!values.has(caseCode)) values.set(caseCode, dictionary.intern(value));
  }

  /** Records what the export says about a case beyond its events (later values fill gaps, never overwrite). */
  setCaseEvidence(caseId: string, evidence: CaseEvidenceInput): void {
    const caseCode = this.caseIds.intern(caseId);
    const existing = this.caseEvidenceByCode.get(caseCode) ?? {};
    this.caseEvidenceByCode.set(caseCode, { ...evidence, ...Object.fromEntries(Object.entries(existing).filter(([, v]) => v !== undefined)) });
  }

  /** Says whether the export carries status history (false: a current-state export). */
  setStatusHistory(present: boolean): void {
    this.statusHistory = present;
  }

  /** What a built or spilled log takes of the builder as it is: the shape, the files and the dictionaries. */
  private dictionaries(): Pick<EventLog, 'shape' | 'files' | 'caseIds' | 'activities' | 'resources' | 'groups'> {
    return { shape: this.shape, files: [...this.files], caseIds: this.caseIds, activities: this.activities, resources: this.resources, groups: this.groups };
  }

  private caseAttributeColumns(caseCount: number): Map<string, AttributeColumn> {
    const caseAttributes = new Map<string, AttributeColumn>();
    for (const [name, dictionary] of this.caseAttributeDictionaries) {
      const codes = new Int32Array(caseCount).fill(MISSING_CODE);
      for (const [caseCode, code] of this.caseAttributeValues.get(name) as Map<number, number>) codes[caseCode] = code;
      caseAttributes.set(name, { name, dictionary, codes });
    }
    return caseAttributes;
  }

  /**
   * Sorts once by (case, timestamp, file, source row) and returns the EventLog. Cases keep their
   * first-appearance order; a counting sort by case then an insertion-friendly sort inside each case
   * keeps this O(n) for logs that are already in time order within cases.
   */
  build(): EventLog {
    if (this.spill !== undefined) throw new Error('EventLogBuilder.build on a spilling builder: use finishSpilled()');
    const eventCount = this.count;
    // Much unused room (an estimate too high, a last growth): exact copies, one column at a time, before the log
    // takes the columns as they are.
    if (worthTrimming(this.caseCode.length, eventCount)) {
      this.ensureExactly(eventCount);
      this.shared = false;
    }
    const caseCount = this.caseIds.size;
    const timestampMs = this.timestampMs;
    const fileIndex = this.fileIndex;
    const sourceRow = this.sourceRow;
    const { caseStart, order } = caseTimeOrder(eventCount, caseCount, this.caseCode, timestampMs, fileIndex, sourceRow);

    // Already in order (the usual export): the columns are handed over, not copied. The builder then
    // copies them before any later write, so the EventLog never changes under its reader.
    const sortOrder = order;
    if (sortOrder === undefined) this.shared = true;
    const permuteInt32 = (source: Int32Array): Int32Array => permutedInt32(source, sortOrder, eventCount);
    const permuteFloat64 = (source: Float64Array): Float64Array => permutedFloat64(source, sortOrder, eventCount);
    let lifecycle: Uint8Array;
    let sortedFileIndex: Uint16Array;
    if (sortOrder === undefined) {
      lifecycle = this.lifecycle.subarray(0, eventCount);
      sortedFileIndex = fileIndex.subarray(0, eventCount);
    } else {
      lifecycle = new Uint8Array(eventCount);
      sortedFileIndex = new Uint16Array(eventCount);
      for (let k = 0; k < eventCount; k++) {
        lifecycle[k] = this.lifecycle[sortOrder[k]];
        sortedFileIndex[k] = fileIndex[sortOrder[k]];
      }
    }

    const attributes = new Map<string, AttributeColumn>();
    for (const [name, dictionary] of this.attributeDictionaries) {
      attributes.set(name, { name, dictionary, codes: permuteInt32(this.attributeCodes.get(name) as Int32Array) });
    }
    const caseAttributes = this.caseAttributeColumns(caseCount);

    return {
      ...this.dictionaries(),
      eventCount,
      caseCount,
      caseCode: permuteInt32(this.caseCode),
      activityCode: permuteInt32(this.activityCode),
      resourceCode: permuteInt32(this.resourceCode),
      groupCode: permuteInt32(this.groupCode),
      timestampMs: permuteFloat64(timestampMs),
      startTimestampMs: this.startTimestampMs ? permuteFloat64(this.startTimestampMs) : undefined,
      lifecycle,
      fileIndex: sortedFileIndex,
      sourceRow: permuteInt32(sourceRow),
      caseStart,
      attributes,
      caseAttributes,
      sourceStatusCategory: new Map(this.sourceStatusCategory),
      caseEvidence: caseEvidenceColumns(this.statusHistory, this.caseEvidenceByCode, caseCount),
    };
  }
}
