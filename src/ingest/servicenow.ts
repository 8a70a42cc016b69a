import { VsmError, quoteGot } from '../errors.js';
import type { EventLog } from '../model/event-log.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { LifecycleCode } from '../model/lifecycle.js';
import type { StatusClass } from '../model/status-class.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { HistoryEvidenceBuilder } from './history-evidence.js';
import { isIncidentTableRecords, readIncidentRecords, SERVICENOW_HISTORY_FIX } from './servicenow-current-state.js';
import { readServiceNowSnapshots } from './servicenow-snapshot.js';
import { type CanonicalChange, StatusChangeCollector } from './status-changes.js';
import { type InputText, columnIndex, createTimeReader, orderTies, parseJsonText, readCsvRecords, readInputTexts, rejectNonRecords, type TimeReader } from './status-source-kit.js';
import { looksLikeServiceNow, wrongSourceFix } from './status-source-sniff.js';

export { looksLikeServiceNow };

/**
 * ServiceNow incident history (FORMATS.md §4): sys_audit rows (Table API JSON `{result:[…]}`, a folder of its pages,
 * or a sys_audit CSV export) or a snapshot-row incident log such as the UCI event log (one row per update).
 * State codes and hold reasons become readable status names with a status class (FORMATS.md §9).
 */
const STATE_NAMES: Record<string, string> = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };
const HOLD_REASONS: Record<string, string> = { '1': 'Awaiting Caller', '3': 'Awaiting Problem', '4': 'Awaiting Vendor', '5': 'Awaiting Change' };

/** Classes of the state names of the current model and of the legacy labels seen in the UCI log (FORMATS.md §9). */
export const SERVICENOW_STATE_CLASSES: Readonly<Record<string, StatusClass>> = {
  New: 'queue',
  'In Progress': 'active',
  Active: 'active',
  'On Hold': 'waiting',
  'On Hold - Awaiting Caller': 'waiting',
  'On Hold - Awaiting Problem': 'blocked',
  'On Hold - Awaiting Vendor': 'blocked',
  'On Hold - Awaiting Change': 'blocked',
  'Awaiting User Info': 'waiting',
  'Awaiting Caller': 'waiting',
  'Awaiting Evidence': 'waiting',
  'Awaiting Problem': 'blocked',
  'Awaiting Vendor': 'blocked',
  'Awaiting Change': 'blocked',
  Resolved: 'done',
  Closed: 'done',
  Canceled: 'done',
  Cancelled: 'done',
};

/**
 * The status name of an incident state (code "3" or display label "On Hold") with its hold reason (code or label):
 * "On Hold - Awaiting Caller". Unknown codes read "State 9" so they stay visible and can be classed in config.
 */
export function serviceNowStateName(state: string, holdReason?: string): string {
  const name = /^-?\d+$/.test(state) ? (STATE_NAMES[state] ?? `State ${state}`) : state;
  if (name !== 'On Hold' || holdReason === undefined || holdReason === '') return name;
  const reason = /^\d+$/.test(holdReason) ? (HOLD_REASONS[holdReason] ?? `Hold reason ${holdReason}`) : holdReason;
  return `On Hold - ${reason}`;
}

/** Declares the class of every status name that has one, so the log carries it as the source's own category. */
export function setServiceNowCategories(builder: EventLogBuilder): void {
  for (const name of builder.activities.values) {
    // Own keys only: a state named "constructor" must not find Object.prototype.constructor (fuzz, issue 11).
    const statusClass = Object.hasOwn(SERVICENOW_STATE_CLASSES, name) ? SERVICENOW_STATE_CLASSES[name] : undefined;
    if (statusClass !== undefined) builder.setStatusCategory(name, statusClass);
  }
}

const AUDITED_FIELDS = new Set(['state', 'hold_reason', 'assigned_to', 'assignment_group']);
const SYS_ID = /^[0-9a-f]{32}$/;

interface AuditRow {
  caseId: string;
  field: string;
  oldValue: string;
  newValue: string;
  atMs: number;
  actor?: string;
  seq: number;
  fileIndex: number;
}

/** A Table API field: a plain string, or `{value, display_value}` with `sysparm_display_value=all`. */
function fieldText(record: Record<string, unknown>, key: string, prefer: 'value' | 'display_value'): string {
  const raw = record[key];
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number') return String(raw);
  if (raw !== null && typeof raw === 'object') {
    const pair = raw as Record<string, unknown>;
    const chosen = pair[prefer] ?? pair.value ?? pair.display_value;
    return typeof chosen === 'string' ? chosen : '';
  }
  return '';
}

class AuditReader {
  readonly rows: AuditRow[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly report: IngestReportBuilder,
    private readonly readTime: TimeReader,
  ) {}

  /** One sys_audit record; `line` is its row (CSV line or 1-based array position). */
  add(record: Record<string, unknown>, file: string, fileIndex: number, line: number): void {
    const report = this.report;
    report.rowsRead++;
    const field = fieldText(record, 'fieldname', 'value');
    const reference = field === 'assigned_to' || field === 'assignment_group';
    const row = {
      caseId: fieldText(record, 'documentkey', 'value'),
      field,
      // Reference fields read best by name (display_value); state codes by code (value).
      oldValue: fieldText(record, 'oldvalue', reference ? 'display_value' : 'value'),
      newValue: fieldText(record, 'newvalue', reference ? 'display_value' : 'value'),
      atText: fieldText(record, 'sys_created_on', 'value'),
      table: fieldText(record, 'tablename', 'value'),
      user: fieldText(record, 'user', 'display_value'),
    };
    const sysId = fieldText(record, 'sys_id', 'value');
    const key = sysId !== '' ? sysId : [row.caseId, row.field, row.atText, row.oldValue, row.newValue, row.user].join('\u0000');
    if (this.seen.has(key)) {
      report.duplicatesDropped++;
      return;
    }
    this.seen.add(key);
    const where = { file, row: line };
    if (row.caseId === '') return report.reject('missing-case', { ...where, column: 'documentkey', message: 'sys_audit row without documentkey' });
    // Sound rows the map does not use are ignored (by reason), not rejected: nothing is wrong with them.
    if (row.table !== '' && row.table !== 'incident') return report.ignore(`not an incident row: table ${row.table} (only incident state codes are mapped)`);
    if (!AUDITED_FIELDS.has(field)) return report.ignore(`not a status/owner change: field ${field || '(none)'}`);
    const atMs = this.readTime(row.atText);
    if (Number.isNaN(atMs)) {
      return report.reject('bad-timestamp', { ...where, column: 'sys_created_on', value: row.atText, message: 'expected "YYYY-MM-DD HH:mm:ss"' });
    }
    report.rowsUsed++;
    report.seeTimestamp(atMs);
    this.rows.push({ caseId: row.caseId, field, oldValue: row.oldValue, newValue: row.newValue, atMs, actor: row.user || undefined, seq: line, fileIndex });
  }

  /**
   * Turns the rows of each incident into canonical changes. state and hold_reason rows at the same instant merge
   * into one status change ("In Progress" → "On Hold - Awaiting Caller"); an insert (first state row with an empty
   * old value, no earlier row) is the creation, not a change.
   */
  emit(collector: StatusChangeCollector): { mergedRows: number; referenceIds: number } {
    const byCase = new Map<string, AuditRow[]>();
    for (const row of this.rows) {
      const list = byCase.get(row.caseId);
      if (list) list.push(row);
      else byCase.set(row.caseId, [row]);
    }
    let mergedRows = 0;
    let referenceIds = 0;
    for (const [caseId, rows] of byCase) {
      rows.sort((a, b) => a.atMs - b.atMs || a.fileIndex - b.fileIndex || a.seq - b.seq);
      const changes: CanonicalChange[] = [];
      const firstState = rows.find((r) => r.field === 'state');
      const firstHold = rows.find((r) => r.field === 'hold_reason');
      let state = firstState?.oldValue ?? '';
      let hold = firstHold?.oldValue ?? '';
      const label = () => (state === '' ? undefined : serviceNowStateName(state, hold));
      let k = 0;
      while (k < rows.length) {
        const atMs = rows[k].atMs;
        const before = label();
        let statusRows = 0;
        let first: AuditRow | undefined;
        for (; k < rows.length && rows[k].atMs === atMs; k++) {
          const row = rows[k];
          const common = { caseId, atMs, actor: row.actor, sourceSeq: row.seq, fileIndex: row.fileIndex };
          if (row.field === 'state' || row.field === 'hold_reason') {
            if (row.field === 'state') state = row.newValue;
            else hold = row.newValue;
            statusRows++;
            first ??= row;
          } else {
            if (SYS_ID.test(row.newValue)) referenceIds++;
            changes.push({ ...common, field: row.field === 'assigned_to' ? 'assignee' : 'group', from: row.oldValue || null, to: row.newValue || null });
          }
        }
        const after = label();
        if (first === undefined) continue;
        if (after === before) {
          mergedRows += statusRows;
          continue;
        }
        mergedRows += statusRows - 1;
        // sys_audit writes the insert as a state row with an empty old value: that is the creation, not a change.
        const isInsert = before === undefined && firstState !== undefined && firstState.atMs === atMs && firstState.oldValue === '' && atMs === rows[0].atMs;
        if (isInsert) collector.addCase({ caseId, createdAtMs: atMs, currentStatus: after, fileIndex: first.fileIndex, sourceSeq: first.seq });
        else changes.push({ caseId, atMs, field: 'status', from: before ?? null, to: after ?? null, actor: first.actor, sourceSeq: first.seq, fileIndex: first.fileIndex });
      }
      collector.addCase({ caseId });
      for (const change of orderTies(changes)) collector.addChange(change, { countRow: false });
    }
    return { mergedRows, referenceIds };
  }
}

function auditRecordsOf(value: unknown, input: InputText): Record<string, unknown>[] {
  const records = Array.isArray(value) ? value : (value as { result?: unknown } | null)?.result;
  if (!Array.isArray(records)) {
    const error = (value as { error?: { message?: unknown } } | null)?.error;
    if (error !== undefined) {
      throw new VsmError({ code: 'API_ERROR_BODY', what: 'the file is a ServiceNow API error, not data', where: input.file, got: quoteGot(String(error.message ?? JSON.stringify(error))), fix: 'repeat the export with a user that may read sys_audit' });
    }
    const keys = value !== null && typeof value === 'object' ? Object.keys(value).join(', ') : typeof value;
    throw new VsmError({ code: 'WRONG_SOURCE', what: 'not a ServiceNow sys_audit export', where: input.file, got: quoteGot(keys), fix: wrongSourceFix(input.text.slice(0, 65536), 'servicenow') });
  }
  return records.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object');
}

/** Reads a ServiceNow sys_audit export or snapshot-row incident log into a status-shaped EventLog. */
export async function readServiceNow(path: string, options: ReadOptions): Promise<ReadResult> {
  const inputs = await readInputTexts(path, ['.json', '.csv']);
  const report = new IngestReportBuilder('servicenow', options.source === 'servicenow' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const collector = new StatusChangeCollector(builder, report);
  const readTime = createTimeReader(options, report, ' (ServiceNow stores sys_audit times in UTC, right for a Table API export without display values)');
  const audit = new AuditReader(report, readTime);
  let mergedSnapshotRows = 0;
  const evidence = new HistoryEvidenceBuilder('servicenow', SERVICENOW_HISTORY_FIX);
  let incidentRows = 0;
  for (const input of inputs) {
    const fileIndex = builder.addFile(input.file);
    report.files.push(input.file);
    if (/^\s*[[{]/.test(input.text)) {
      const value = parseJsonText(input);
      evidence.seePage(value);
      const records = auditRecordsOf(value, input);
      // null / non-object rows of `result`: read and rejected (bad-record), never dropped silently.
      rejectNonRecords(report, value, ['result'], input.file);
      if (isIncidentTableRecords(records)) {
        // Incident rows (current state), not sys_audit: lead time from opened_at → resolved_at only.
        readIncidentRecords(records, { collector, readTime, evidence, fieldText, stateName: (state) => serviceNowStateName(state), fileIndex });
        incidentRows += records.length;
        Object.assign(report.mapping, { case: 'number', created: 'opened_at', resolved: 'resolved_at (else closed_at)', status: 'state' });
        continue;
      }
      records.forEach((record, k) => audit.add(record, input.file, fileIndex, k + 1));
      Object.assign(report.mapping, { case: 'documentkey', status: 'fieldname=state (+hold_reason)', timestamp: 'sys_created_on', resource: 'assigned_to', group: 'assignment_group' });
      continue;
    }
    const { header, records } = readCsvRecords(input, report, options.delimiter);
    if (columnIndex(header, ['documentkey']) >= 0 && columnIndex(header, ['fieldname']) >= 0) {
      for (const record of records) audit.add(Object.fromEntries(header.map((name, k) => [name.toLowerCase(), record.values[k]])), input.file, fileIndex, record.line);
      Object.assign(report.mapping, { case: 'documentkey', status: 'fieldname=state (+hold_reason)', timestamp: 'sys_created_on' });
    } else if (columnIndex(header, ['number']) >= 0 && columnIndex(header, ['incident_state']) >= 0) {
      mergedSnapshotRows += readServiceNowSnapshots({ input, fileIndex, header, records, options, report, collector });
    } else if (looksLikeServiceNow(input.text.slice(0, 65536))) {
      throw new VsmError({ code: 'MISSING_COLUMN', what: 'ServiceNow CSV lacks needed columns', where: input.file, got: quoteGot(header.join(',')), fix: 'export sys_audit (documentkey, fieldname, oldvalue, newvalue, sys_created_on) or incident rows with number, incident_state, sys_updated_at' });
    } else {
      throw new VsmError({ code: 'WRONG_SOURCE', what: 'not a ServiceNow export', where: input.file, got: quoteGot(header.join(',')), fix: wrongSourceFix(input.text.slice(0, 65536), 'servicenow') });
    }
  }
  const { mergedRows, referenceIds } = audit.emit(collector);
  if (mergedRows > 0) report.note(`${mergedRows} sys_audit state/hold_reason rows merged into a status change at the same instant (or changed nothing)`);
  if (referenceIds > 0) report.note('assigned_to / assignment_group values are sys_ids: export with sysparm_display_value=all to see names');
  if (mergedSnapshotRows > 0) report.note(`${mergedSnapshotRows} snapshot rows without a state change merged into the visit before them`);
  if (incidentRows > 0 && audit.rows.length === 0) {
    evidence.statusHistory = false;
    builder.setStatusHistory(false);
    report.note(`${incidentRows} incident rows without sys_audit history: lead time comes from opened_at → resolved_at; no step can be timed`);
  }
  collector.emit();
  evidence.applyTo(report);
  setServiceNowCategories(builder);
  const log = builder.build();
  noteOpenIncidents(log, report);
  if (log.eventCount === 0) throw new VsmError({ code: 'NO_EVENTS', what: 'no incident state changes found', where: path, fix: 'include fieldname state in the sys_audit export' });
  return { log, report: report.finish() };
}

/** Incidents whose last status is not done are open at the end of the export (right-censored downstream). */
function noteOpenIncidents(log: EventLog, report: IngestReportBuilder): void {
  const open: string[] = [];
  for (let c = 0; c < log.caseCount; c++) {
    let last: string | undefined;
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) if (log.lifecycle[i] === LifecycleCode.enter) last = log.activities.valueOf(log.activityCode[i]);
    if (last === undefined || SERVICENOW_STATE_CLASSES[last] !== 'done') open.push(log.caseIds.valueOf(c) ?? String(c));
  }
  if (open.length > 0) report.note(`${open.length} incidents not resolved, closed or canceled at the end of the export (open), e.g. ${open.slice(0, 3).join(', ')}`);
}
