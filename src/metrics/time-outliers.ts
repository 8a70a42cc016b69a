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

/** The bulk of the log's times: the median and the distance beyond which a time is far out. */
export interface FarLimits {
  readonly medianMs: number;
  readonly limitMs: number;
}

/** The events of one part of the log (all of it, or a stored range) with where its event 0 is in the whole log. */
export type FarPart = Pick<EventLog, 'eventCount' | 'timestampMs' | 'files' | 'fileIndex' | 'sourceRow'>;

/**
 * The evenly strided sample of a log's event times the median and MAD come from, taken part by part: every event
 * whose index in the whole log is a multiple of the stride (the whole log's event count sets it), so the parts of a
 * log in order give the sample the whole log gives.
 */
export class FarSample {
  readonly stride: number;
  private readonly values: Float64Array;
  private size = 0;

  constructor(readonly eventCount: number) {
    this.stride = Math.max(1, Math.floor(eventCount / SAMPLE_LIMIT));
    this.values = new Float64Array(Math.ceil(eventCount / this.stride));
  }

  /** Samples `part`, whose event 0 is event `eventBase` of the whole log (parts in order). */
  add(part: FarPart, eventBase: number): void {
    const { stride } = this;
    const first = (stride - (eventBase % stride)) % stride;
    for (let i = first; i < part.eventCount; i += stride) if (Number.isFinite(part.timestampMs[i])) this.values[this.size++] = part.timestampMs[i];
  }

  /** The median and the far limit; null when fewer than 3 events (or sampled times) give no bulk. */
  limits(): FarLimits | null {
    if (this.eventCount < 3 || this.size < 3) return null;
    const values = this.values.subarray(0, this.size);
    const medianMs = medianInPlace(values.slice()) as number;
    for (let k = 0; k < values.length; k++) values[k] = Math.abs(values[k] - medianMs);
    const madMs = medianInPlace(values) as number;
    return { medianMs, limitMs: Math.max(FAR_MAD_FACTOR * madMs, FAR_MIN_DISTANCE_MS) };
  }
}

/** Counts the far events of the parts in order, keeping the first FAR_EXAMPLES with their file and row. */
export class FarCounter {
  readonly result: FarTimestamps;

  constructor(private readonly limits: FarLimits | null) {
    this.result = { count: 0, medianMs: limits?.medianMs ?? null, limitMs: limits?.limitMs ?? null, examples: [] };
  }

  add(part: FarPart): void {
    if (this.limits === null) return;
    const { medianMs, limitMs } = this.limits;
    const { result } = this;
    for (let i = 0; i < part.eventCount; i++) {
      if (Math.abs(part.timestampMs[i] - medianMs) <= limitMs) continue;
      result.count++;
      if (result.examples.length < FAR_EXAMPLES) result.examples.push({ file: part.files[part.fileIndex[i]] ?? '', row: part.sourceRow[i], timestamp: new Date(part.timestampMs[i]).toISOString() });
    }
  }
}

export function findFarTimestamps(log: EventLog): FarTimestamps {
  const sample = new FarSample(log.eventCount);
  sample.add(log, 0);
  const counter = new FarCounter(sample.limits());
  counter.add(log);
  return counter.result;
}

/** The data-quality note, or null when every event is in the bulk. */
export function farTimestampsNote(far: FarTimestamps): string | null {
  if (far.count === 0 || far.medianMs === null || far.limitMs === null) return null;
  const days = groupThousands(Math.round(far.limitMs / 86_400_000));
  const rows = far.examples.map((example) => `${recordAddress(example.file, example.row)} ${example.timestamp}`).join(', ');
  return `${groupThousands(far.count)} event${far.count === 1 ? ' lies' : 's lie'} far outside the bulk of the log (more than ${days} days from the median event time ${new Date(far.medianMs).toISOString().slice(0, 10)}): ${rows}${far.count > far.examples.length ? ', …' : ''}; check these timestamps (a wrong year or unit) — they stretch every time axis`;
}
