/**
 * Timestamps far outside the bulk of the log (issue 11 item 1): a year 9999, an epoch read in the wrong unit,
 * a 1900 placeholder. They are kept (the log says so) but listed as a data-quality note, because one of them
 * stretches every time axis and the flow series' slots (see time-buckets.ts).
 *
 * Rule (robust, works from 3 events): with m the median event time and MAD the median absolute deviation from m,
 * an event is far out when |t − m| > max(FAR_MAD_FACTOR × MAD, FAR_MIN_DISTANCE_MS). The median and MAD ignore up
 * to half the events, so a few bad stamps cannot hide themselves by widening the spread (a percentile fence such
 * as p99 + k × (p90 − p10) is pulled along by the bad stamp itself on small logs). The one-year floor keeps a
 * burst of events with a few follow-ups weeks later from being flagged. Above SAMPLE_LIMIT events the median and
 * MAD come from an evenly strided sample (deterministic); every event is then tested.
 */
import type { EventLog } from '../model/event-log.js';
import { medianInPlace } from './select.js';
import { groupThousands } from '../model/units.js';
import { recordAddress } from '../contracts/ingest-report.js';

export const FAR_MAD_FACTOR = 10;
export const FAR_MIN_DISTANCE_MS = 365 * 86_400_000;
const SAMPLE_LIMIT = 200_000;
/** Rows listed in the note (the count covers all). */
export const FAR_EXAMPLES = 10;

export interface FarTimestamps {
  count: number;
  medianMs: number | null;
  /** Events closer than this to the median are in the bulk. */
  limitMs: number | null;
  examples: Array<{ file: string; row: number; timestamp: string }>;
}

export function findFarTimestamps(log: EventLog): FarTimestamps {
  const n = log.eventCount;
  const none: FarTimestamps = { count: 0, medianMs: null, limitMs: null, examples: [] };
  if (n < 3) return none;
  const stride = Math.max(1, Math.floor(n / SAMPLE_LIMIT));
  const sample = new Float64Array(Math.ceil(n / stride));
  let size = 0;
  for (let i = 0; i < n; i += stride) if (Number.isFinite(log.timestampMs[i])) sample[size++] = log.timestampMs[i];
  if (size < 3) return none;
  const values = sample.subarray(0, size);
  const medianMs = medianInPlace(values.slice()) as number;
  for (let k = 0; k < size; k++) values[k] = Math.abs(values[k] - medianMs);
  const madMs = medianInPlace(values) as number;
  const limitMs = Math.max(FAR_MAD_FACTOR * madMs, FAR_MIN_DISTANCE_MS);
  const result: FarTimestamps = { count: 0, medianMs, limitMs, examples: [] };
  const far: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Math.abs(log.timestampMs[i] - medianMs) <= limitMs) continue;
    result.count++;
    if (far.length < FAR_EXAMPLES) far.push(i);
  }
  result.examples = far.map((i) => ({ file: log.files[log.fileIndex[i]] ?? '', row: log.sourceRow[i], timestamp: new Date(log.timestampMs[i]).toISOString() }));
  return result;
}

/** The data-quality note, or null when every event is in the bulk. */
export function farTimestampsNote(far: FarTimestamps): string | null {
  if (far.count === 0 || far.medianMs === null || far.limitMs === null) return null;
  const days = groupThousands(Math.round(far.limitMs / 86_400_000));
  const rows = far.examples.map((example) => `${recordAddress(example.file, example.row)} ${example.timestamp}`).join(', ');
  return `${groupThousands(far.count)} event${far.count === 1 ? ' lies' : 's lie'} far outside the bulk of the log (more than ${days} days from the median event time ${new Date(far.medianMs).toISOString().slice(0, 10)}): ${rows}${far.count > far.examples.length ? ', …' : ''}; check these timestamps (a wrong year or unit) — they stretch every time axis`;
}
