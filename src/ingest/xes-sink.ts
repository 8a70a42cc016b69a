import { MISSING_CODE } from '../model/dictionary.js';
import type { EventLogBuilder } from '../model/event-log-builder.js';
import { LifecycleCode, lifecycleFromSource } from '../model/lifecycle.js';
import type { IngestReportBuilder, RejectionReason } from './ingest-report.js';
import type { ReadOptions } from './read-options.js';
import type { IsoTimestampReader } from './xes-time.js';

/** The XES keys read as canonical fields; `options.mapping` overrides each one. */
export interface XesKeys {
  case: string;
  activity: string;
  timestamp: string;
  lifecycle: string;
  resource: string;
  group: string;
  /** Used for the group only where an event has no `group` key and the user did not map one. */
  groupFallback: string | undefined;
  startTimestamp: string;
}

export function xesKeys(options: ReadOptions): XesKeys {
  const mapping = options.mapping ?? {};
  return {
    case: mapping.case ?? 'concept:name',
    activity: mapping.activity ?? 'concept:name',
    timestamp: mapping.timestamp ?? 'time:timestamp',
    lifecycle: mapping.lifecycle ?? 'lifecycle:transition',
    resource: mapping.resource ?? 'org:resource',
    group: mapping.group ?? 'org:group',
    groupFallback: mapping.group === undefined ? 'org:role' : undefined,
    // pm4py's name for the interval start carried on the event itself (interval_event_log.xes).
    startTimestamp: mapping.startTimestamp ?? 'start_timestamp',
  };
}

/** The fields of one `<event>` as read; reused from event to event to keep allocation low. */
export class XesEventFields {
  ordinal = 0;
  line = 0;
  activity: string | undefined;
  timestampText: string | undefined;
  lifecycle: string | undefined;
  resource: string | undefined;
  group: string | undefined;
  role: string | undefined;
  startText: string | undefined;
  readonly attributeKeys: string[] = [];
  readonly attributeValues: string[] = [];
  attributeCount = 0;

  reset(ordinal: number, line: number): void {
    this.ordinal = ordinal;
    this.line = line;
    this.activity = this.timestampText = this.lifecycle = this.resource = this.group = this.role = this.startText = undefined;
    this.attributeCount = 0;
  }

  addAttribute(key: string, value: string): void {
    this.attributeKeys[this.attributeCount] = key;
    this.attributeValues[this.attributeCount] = value;
    this.attributeCount++;
  }

  /** A detached copy, for the rare event that arrives before its trace's case id. */
  copy(): XesEventFields {
    const twin = new XesEventFields();
    Object.assign(twin, this, { attributeKeys: this.attributeKeys.slice(0, this.attributeCount), attributeValues: this.attributeValues.slice(0, this.attributeCount) });
    return twin;
  }
}

/**
 * Turns finished `<event>`s into EventLog rows or IngestReport rejections. Every event passes
 * through `accept` exactly once, so rowsRead = rowsUsed + rowsRejected holds by construction.
 */
export class XesEventSink {
  groupFromKeyCount = 0;
  groupFromFallbackCount = 0;
  private lastCaseId: string | undefined;
  private lastCaseCode = MISSING_CODE;
  private lastActivity: string | undefined;
  private lastActivityCode = MISSING_CODE;
  private lastResource: string | undefined;
  private lastResourceCode = MISSING_CODE;
  private readonly lifecycleCodes = new Map<string, number>();
  private readonly attributeSetters = new Map<string, (index: number, value: string) => void>();

  constructor(
    private readonly builder: EventLogBuilder,
    private readonly report: IngestReportBuilder,
    private readonly times: IsoTimestampReader,
    private readonly keys: XesKeys,
    private readonly file: string,
    private readonly fileIndex: number,
    private readonly keepAttributes: boolean,
  ) {}

  private reject(reason: RejectionReason, fields: XesEventFields, column: string | undefined, value: string | undefined, problem: string): void {
    this.report.rowsRead++;
    this.report.reject(reason, { file: this.file, row: fields.ordinal, column, value, message: `event ${fields.ordinal} (XML line ${fields.line}): ${problem}` });
  }

  /** Reads one event of case `caseId` (undefined when its trace has none). Returns true when used. */
  accept(fields: XesEventFields, caseId: string | undefined): boolean {
    const keys = this.keys;
    if (caseId === undefined) {
      this.reject('missing-case', fields, keys.case, undefined, `its <trace> has no ${keys.case}`);
      return false;
    }
    if (fields.activity === undefined || fields.activity === '') {
      this.reject('missing-activity', fields, keys.activity, fields.activity, `no ${keys.activity}`);
      return false;
    }
    if (fields.timestampText === undefined || fields.timestampText === '') {
      this.reject('missing-timestamp', fields, keys.timestamp, fields.timestampText, `no ${keys.timestamp}`);
      return false;
    }
    const timestampMs = this.times.read(fields.timestampText);
    if (Number.isNaN(timestampMs)) {
      this.reject('bad-timestamp', fields, keys.timestamp, fields.timestampText, `${keys.timestamp} is not an ISO 8601 date`);
      return false;
    }
    let startTimestampMs = NaN;
    if (fields.startText !== undefined && fields.startText !== '') {
      startTimestampMs = this.times.read(fields.startText);
      if (Number.isNaN(startTimestampMs)) {
        this.reject('bad-start-timestamp', fields, keys.startTimestamp, fields.startText, `${keys.startTimestamp} is not an ISO 8601 date`);
        return false;
      }
    }

    const builder = this.builder;
    // Interned only now, so a trace whose events are all rejected does not become an empty case.
    if (caseId !== this.lastCaseId) {
      this.lastCaseId = caseId;
      this.lastCaseCode = builder.caseIds.intern(caseId);
    }
    let group = fields.group;
    if (group !== undefined && group !== '') this.groupFromKeyCount++;
    else if (fields.role !== undefined && fields.role !== '') {
      group = fields.role;
      this.groupFromFallbackCount++;
    }
    // Consecutive events often repeat the activity and resource (start/complete pairs): skip the Map.
    if (fields.activity !== this.lastActivity) {
      this.lastActivity = fields.activity;
      this.lastActivityCode = builder.activities.intern(fields.activity);
    }
    if (fields.resource !== this.lastResource) {
      this.lastResource = fields.resource;
      this.lastResourceCode = fields.resource === undefined || fields.resource === '' ? MISSING_CODE : builder.resources.intern(fields.resource);
    }
    const index = builder.pushCoded(
      this.lastCaseCode,
      this.lastActivityCode,
      timestampMs,
      this.lifecycleCode(fields.lifecycle),
      this.lastResourceCode,
      group === undefined || group === '' ? MISSING_CODE : builder.groups.intern(group),
      this.fileIndex,
      fields.ordinal,
    );
    if (!Number.isNaN(startTimestampMs)) builder.setStartTimestamp(index, startTimestampMs);
    if (this.keepAttributes) {
      for (let k = 0; k < fields.attributeCount; k++) this.attributeSetter(fields.attributeKeys[k])(index, fields.attributeValues[k]);
    }
    this.report.rowsRead++;
    this.report.rowsUsed++;
    this.report.seeTimestamp(timestampMs);
    if (!Number.isNaN(startTimestampMs)) this.report.seeTimestamp(startTimestampMs);
    return true;
  }

  private lifecycleCode(raw: string | undefined): number {
    if (raw === undefined || raw === '') return LifecycleCode.instant;
    this.report.countLifecycle(raw);
    let code = this.lifecycleCodes.get(raw);
    if (code === undefined) {
      code = LifecycleCode[lifecycleFromSource(raw)];
      this.lifecycleCodes.set(raw, code);
    }
    return code;
  }

  private attributeSetter(key: string): (index: number, value: string) => void {
    let setter = this.attributeSetters.get(key);
    if (!setter) {
      setter = this.builder.attributeSetter(key);
      this.attributeSetters.set(key, setter);
    }
    return setter;
  }
}
