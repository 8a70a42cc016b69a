/**
 * The columns one chunk of a split CSV reads into on a worker thread (csv-threaded): what CsvRowSink writes to an
 * EventLogBuilder, kept as plain typed arrays and chunk-local dictionaries so they travel to the main thread by
 * transfer (no per-row objects) and are merged there in file order, codes remapped (csv-chunk-merge).
 */
import { Dictionary, MISSING_CODE } from '../model/dictionary.js';
import { type Column, grow } from '../model/event-log-columns.js';
import { stringHash } from './csv-merge-interner.js';
import type { SinkBuilder } from './csv-row-sink.js';

/** One event attribute column of a chunk: its values in first-seen order and a code per event. */
export interface ChunkAttribute {
  name: string;
  values: string[];
  /** stringHash of each value, computed here so the main thread does not. */
  hashes: Int32Array;
  codes: Int32Array;
}

/** A chunk's events, transferable: codes index the chunk's own dictionaries; sourceRow counts from 1 in the chunk. */
export interface ChunkColumns {
  count: number;
  caseIds: string[];
  activities: string[];
  resources: string[];
  groups: string[];
  caseIdHashes: Int32Array;
  activityHashes: Int32Array;
  resourceHashes: Int32Array;
  groupHashes: Int32Array;
  caseCode: Int32Array;
  activityCode: Int32Array;
  resourceCode: Int32Array;
  groupCode: Int32Array;
  timestampMs: Float64Array;
  startTimestampMs: Float64Array | undefined;
  lifecycle: Uint8Array;
  sourceRow: Int32Array;
  /** In the order the chunk met each attribute's first value. */
  attributes: ChunkAttribute[];
  /** Case attributes as the sink set them, in row order: case id, attribute name, value. */
  caseAttributes: [string, string, string][];
}

const MIN_CAPACITY = 1024;

export class ChunkBuilder implements SinkBuilder {
  readonly caseIds = new Dictionary();
  readonly activities = new Dictionary();
  readonly resources = new Dictionary();
  readonly groups = new Dictionary();
  private count = 0;
  private caseCode: Int32Array;
  private activityCode: Int32Array;
  private resourceCode: Int32Array;
  private groupCode: Int32Array;
  private timestampMs: Float64Array;
  private startTimestampMs: Float64Array | undefined;
  private lifecycle: Uint8Array;
  private sourceRow: Int32Array;
  private readonly attributes: { name: string; dictionary: Dictionary; codes: Int32Array }[] = [];
  private readonly attributeByName = new Map<string, number>();
  private readonly caseAttributes: [string, string, string][] = [];

  /** @param capacityHint events expected (from the chunk's bytes): sized once, grown by doubling past it. */
  constructor(capacityHint: number) {
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(capacityHint));
    this.caseCode = new Int32Array(capacity);
    this.activityCode = new Int32Array(capacity);
    this.resourceCode = new Int32Array(capacity);
    this.groupCode = new Int32Array(capacity);
    this.timestampMs = new Float64Array(capacity);
    this.lifecycle = new Uint8Array(capacity);
    this.sourceRow = new Int32Array(capacity);
  }

  private ensure(needed: number): void {
    const old = this.caseCode.length;
    this.caseCode = grow(this.caseCode, needed);
    this.activityCode = grow(this.activityCode, needed);
    this.resourceCode = grow(this.resourceCode, needed);
    this.groupCode = grow(this.groupCode, needed);
    this.timestampMs = grow(this.timestampMs, needed);
    this.lifecycle = grow(this.lifecycle, needed);
    this.sourceRow = grow(this.sourceRow, needed);
    if (this.startTimestampMs) this.startTimestampMs = grownFilled(this.startTimestampMs, needed, old, NaN);
    for (const attribute of this.attributes) attribute.codes = grownFilled(attribute.codes, needed, old, MISSING_CODE);
  }

  pushCoded(caseCode: number, activityCode: number, timestampMs: number, lifecycleCode: number, resourceCode: number, groupCode: number, _fileIndex: number, sourceRow: number): number {
    const index = this.count;
    if (index >= this.caseCode.length) this.ensure(index + 1);
    this.caseCode[index] = caseCode;
    this.activityCode[index] = activityCode;
    this.resourceCode[index] = resourceCode;
    this.groupCode[index] = groupCode;
    this.timestampMs[index] = timestampMs;
    this.lifecycle[index] = lifecycleCode;
    this.sourceRow[index] = sourceRow;
    this.count = index + 1;
    return index;
  }

  setStartTimestamp(index: number, startTimestampMs: number): void {
    if (!this.startTimestampMs) this.startTimestampMs = new Float64Array(this.caseCode.length).fill(NaN);
    this.startTimestampMs[index] = startTimestampMs;
  }

  attributeCodeWriter(name: string, dictionary?: Dictionary): { dictionary: Dictionary; set: (index: number, code: number) => void } {
    let at = this.attributeByName.get(name);
    if (at === undefined) {
      at = this.attributes.length;
      this.attributeByName.set(name, at);
      this.attributes.push({ name, dictionary: dictionary ?? new Dictionary(), codes: new Int32Array(this.caseCode.length).fill(MISSING_CODE) });
    }
    const attribute = this.attributes[at];
    return {
      dictionary: attribute.dictionary,
      set: (index, code) => {
        attribute.codes[index] = code;
      },
    };
  }

  setCaseAttribute(caseId: string, name: string, value: string): void {
    this.caseAttributes.push([caseId, name, value]);
  }

  /** The chunk's columns, to post with `transferList(columns)`; the builder is spent afterwards. */
  columns(): ChunkColumns {
    return {
      count: this.count,
      caseIds: this.caseIds.values,
      activities: this.activities.values,
      resources: this.resources.values,
      groups: this.groups.values,
      caseIdHashes: hashesOf(this.caseIds.values),
      activityHashes: hashesOf(this.activities.values),
      resourceHashes: hashesOf(this.resources.values),
      groupHashes: hashesOf(this.groups.values),
      caseCode: this.caseCode,
      activityCode: this.activityCode,
      resourceCode: this.resourceCode,
      groupCode: this.groupCode,
      timestampMs: this.timestampMs,
      startTimestampMs: this.startTimestampMs,
      lifecycle: this.lifecycle,
      sourceRow: this.sourceRow,
      attributes: this.attributes.map(({ name, dictionary, codes }) => ({ name, values: dictionary.values, hashes: hashesOf(dictionary.values), codes })),
      caseAttributes: this.caseAttributes,
    };
  }
}

/** The buffers of `columns`' typed arrays (each its own buffer), for postMessage's transfer list. */
export function transferList(columns: ChunkColumns): ArrayBuffer[] {
  const arrays: Column[] = [columns.caseCode, columns.activityCode, columns.resourceCode, columns.groupCode, columns.timestampMs, columns.lifecycle, columns.sourceRow];
  arrays.push(columns.caseIdHashes, columns.activityHashes, columns.resourceHashes, columns.groupHashes);
  if (columns.startTimestampMs) arrays.push(columns.startTimestampMs);
  for (const attribute of columns.attributes) arrays.push(attribute.codes, attribute.hashes);
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

function hashesOf(values: readonly string[]): Int32Array {
  const hashes = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) hashes[k] = stringHash(values[k]);
  return hashes;
}

function grownFilled<T extends Int32Array | Float64Array>(array: T, needed: number, filledUpTo: number, fill: number): T {
  const bigger = grow(array, needed);
  if (bigger !== array) bigger.fill(fill, filledUpTo);
  return bigger;
}
