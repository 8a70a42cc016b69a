import type { CaseEvidence } from './case-evidence.js';
import type { Dictionary } from './dictionary.js';
import { LIFECYCLES, type Lifecycle } from './lifecycle.js';

/** The shape of a log decides how step visits are reconstructed (DESIGN §3). */
export type LogShape = 'activity' | 'status';

/** An extra attribute kept by name: dictionary-encoded, MISSING_CODE where absent. */
export interface AttributeColumn {
  readonly name: string;
  readonly dictionary: Dictionary;
  readonly codes: Int32Array;
}

/**
 * The columnar event log (DESIGN §2). Events are sorted by (case, timestamp, source order) once;
 * the events of case `c` are the index range [caseStart[c], caseStart[c + 1]).
 * Case codes are dense in the order of first appearance in the source.
 */
export interface EventLog {
  readonly shape: LogShape;
  readonly eventCount: number;
  readonly caseCount: number;
  readonly files: readonly string[];
  readonly caseIds: Dictionary;
  readonly activities: Dictionary;
  readonly resources: Dictionary;
  readonly groups: Dictionary;
  /** Per event, sorted. */
  readonly caseCode: Int32Array;
  readonly activityCode: Int32Array;
  readonly resourceCode: Int32Array;
  readonly groupCode: Int32Array;
  readonly timestampMs: Float64Array;
  /** Start of an interval carried on the same row (e.g. a `start_timestamp` column), NaN when absent. */
  readonly startTimestampMs: Float64Array | undefined;
  /**
   * True when some start times were estimated (wait-analysis.ts) rather than recorded: visits then keep the recorded
   * completion order, so variants, rework loops and handoffs are those of the data, not of the estimate.
   */
  readonly startsEstimated?: boolean;
  readonly lifecycle: Uint8Array;
  readonly fileIndex: Uint16Array;
  /** 1-based data row (CSV) or event ordinal (XES/JSON) in its file: the tie-breaker and the address in messages. */
  readonly sourceRow: Int32Array;
  /** Length caseCount + 1. */
  readonly caseStart: Int32Array;
  readonly attributes: ReadonlyMap<string, AttributeColumn>;
  /** Case-level attributes (XES trace attributes, Jira fields), by name then case code. */
  readonly caseAttributes: ReadonlyMap<string, AttributeColumn>;
  /** Per-status class from the source's own category (Jira statusCategory, Zendesk status), by activity code. */
  readonly sourceStatusCategory: ReadonlyMap<string, string>;
  /** Case fields and history coverage from API adapters (model/case-evidence.ts); absent for event-only sources. */
  readonly caseEvidence?: CaseEvidence;
}

/**
 * The log as the analysis reads it once the events are sorted: without the case code of each event (the case ranges
 * `caseStart` say it) and without the file and source row of each event (the sort's tie-breakers and the addresses in
 * the reader's messages). `vsm analyze` lets those three columns go before the wait analysis (10 bytes an event:
 * issue 14, peak memory); an EventLog is one.
 */
export type AnalysisLog = Omit<EventLog, 'caseCode' | 'fileIndex' | 'sourceRow'>;

/**
 * The log as the reconstruction reads it: an AnalysisLog whose owner column at the level the reconstruction does not
 * use may be gone (`vsm analyze` drops `resourceCode` once the wait analysis has collected its instances when the
 * owners are groups: 4 bytes an event).
 */
export type ReconstructionLog = Omit<AnalysisLog, 'resourceCode' | 'groupCode'> & Partial<Pick<AnalysisLog, 'resourceCode' | 'groupCode'>>;

/** The lifecycle of event `index` as a name. */
export function lifecycleOf(log: EventLog, index: number): Lifecycle {
  return LIFECYCLES[log.lifecycle[index]];
}

/** Value of attribute `name` on event `index`, undefined when absent. */
export function attributeOf(log: EventLog, name: string, index: number): string | undefined {
  const column = log.attributes.get(name);
  return column ? column.dictionary.valueOf(column.codes[index]) : undefined;
}

/** Number of events per activity name, in descending count then name order. */
export function activityCounts(log: EventLog): Map<string, number> {
  const counts = new Int32Array(log.activities.size);
  for (let i = 0; i < log.eventCount; i++) counts[log.activityCode[i]]++;
  const entries = log.activities.values.map((name, code) => [name, counts[code]] as const).filter(([, n]) => n > 0);
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(entries);
}
