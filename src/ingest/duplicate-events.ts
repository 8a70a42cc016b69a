/**
 * Exact duplicate events in a built EventLog: same case, timestamp, activity, lifecycle, resource, group,
 * start time and every kept attribute. CSV exports repeat rows when pages overlap or a sheet is pasted twice;
 * kept, each repeat reads as a self-loop "A → A" (issue 11 #21). The other sources drop repeats as they read;
 * for CSV it is done here, once, on the sorted log, where repeats sit next to each other (same case and time).
 */
import type { AttributeColumn, EventLog } from '../model/event-log.js';

/** A run of events with one case and one timestamp longer than this is compared by key, not pairwise. */
const PAIRWISE_RUN_LIMIT = 32;

export interface DuplicateDrop {
  log: EventLog;
  dropped: number;
  /** The first repeat found: its source row and the row it repeats. */
  firstExample?: { row: number; repeatsRow: number };
}

function sameEvent(log: EventLog, attributes: readonly AttributeColumn[], a: number, b: number): boolean {
  if (log.activityCode[a] !== log.activityCode[b] || log.lifecycle[a] !== log.lifecycle[b]) return false;
  if (log.resourceCode[a] !== log.resourceCode[b] || log.groupCode[a] !== log.groupCode[b]) return false;
  const start = log.startTimestampMs;
  if (start !== undefined && !Object.is(start[a], start[b])) return false;
  for (const attribute of attributes) if (attribute.codes[a] !== attribute.codes[b]) return false;
  return true;
}

function eventKey(log: EventLog, attributes: readonly AttributeColumn[], k: number): string {
  const parts = [log.activityCode[k], log.lifecycle[k], log.resourceCode[k], log.groupCode[k], log.startTimestampMs?.[k] ?? 0];
  for (const attribute of attributes) parts.push(attribute.codes[k]);
  return parts.join(',');
}

/** Marks repeats in the run [from, to) of one case and timestamp; returns how many it marked. */
function markRun(log: EventLog, attributes: readonly AttributeColumn[], from: number, to: number, drop: Uint8Array, onDrop: (k: number, original: number) => void): number {
  let marked = 0;
  if (to - from <= PAIRWISE_RUN_LIMIT) {
    for (let k = from + 1; k < to; k++) {
      for (let j = from; j < k; j++) {
        if (drop[j] === 0 && sameEvent(log, attributes, j, k)) {
          drop[k] = 1;
          marked++;
          onDrop(k, j);
          break;
        }
      }
    }
    return marked;
  }
  const firstByKey = new Map<string, number>();
  for (let k = from; k < to; k++) {
    const key = eventKey(log, attributes, k);
    const original = firstByKey.get(key);
    if (original === undefined) firstByKey.set(key, k);
    else {
      drop[k] = 1;
      marked++;
      onDrop(k, original);
    }
  }
  return marked;
}

/** Returns the log without exact repeats (the first occurrence, in source order, is kept). */
export function dropExactDuplicates(log: EventLog): DuplicateDrop {
  const drop = new Uint8Array(log.eventCount);
  const attributes = [...log.attributes.values()];
  let dropped = 0;
  let firstExample: DuplicateDrop['firstExample'];
  const onDrop = (k: number, original: number) => {
    firstExample ??= { row: log.sourceRow[k], repeatsRow: log.sourceRow[original] };
  };
  for (let c = 0; c < log.caseCount; c++) {
    const end = log.caseStart[c + 1];
    let runStart = log.caseStart[c];
    for (let k = runStart + 1; k <= end; k++) {
      if (k < end && log.timestampMs[k] === log.timestampMs[runStart]) continue;
      if (k - runStart > 1) dropped += markRun(log, attributes, runStart, k, drop, onDrop);
      runStart = k;
    }
  }
  if (dropped === 0) return { log, dropped: 0 };
  return { log: withoutEvents(log, drop, dropped), dropped, firstExample };
}

function withoutEvents(log: EventLog, drop: Uint8Array, dropped: number): EventLog {
  const eventCount = log.eventCount - dropped;
  const keep = new Int32Array(eventCount);
  let n = 0;
  for (let k = 0; k < log.eventCount; k++) if (drop[k] === 0) keep[n++] = k;
  const pick = <T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(source: T, make: (length: number) => T): T => {
    const out = make(eventCount);
    for (let k = 0; k < eventCount; k++) out[k] = source[keep[k]];
    return out;
  };
  const caseStart = new Int32Array(log.caseCount + 1);
  for (let c = 0; c < log.caseCount; c++) {
    let kept = 0;
    for (let k = log.caseStart[c]; k < log.caseStart[c + 1]; k++) if (drop[k] === 0) kept++;
    caseStart[c + 1] = caseStart[c] + kept;
  }
  const attributes = new Map<string, AttributeColumn>();
  for (const [name, column] of log.attributes) attributes.set(name, { ...column, codes: pick(column.codes, (l) => new Int32Array(l)) });
  return {
    ...log,
    eventCount,
    caseCode: pick(log.caseCode, (l) => new Int32Array(l)),
    activityCode: pick(log.activityCode, (l) => new Int32Array(l)),
    resourceCode: pick(log.resourceCode, (l) => new Int32Array(l)),
    groupCode: pick(log.groupCode, (l) => new Int32Array(l)),
    timestampMs: pick(log.timestampMs, (l) => new Float64Array(l)),
    startTimestampMs: log.startTimestampMs === undefined ? undefined : pick(log.startTimestampMs, (l) => new Float64Array(l)),
    lifecycle: pick(log.lifecycle, (l) => new Uint8Array(l)),
    fileIndex: pick(log.fileIndex, (l) => new Uint16Array(l)),
    sourceRow: pick(log.sourceRow, (l) => new Int32Array(l)),
    caseStart,
    attributes,
  };
}
