import { VsmError, quoteGot } from '../errors.js';
import type { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions } from './read-options.js';
import type { CanonicalChange, StatusChangeCollector } from './status-changes.js';
import { type CsvRecord, type InputText, type TimeReader, columnIndex, createTimeReader, detectSlashDateOrder, orderTies, slashDateFormatOf } from './status-source-kit.js';
import { parseIsoTimestamp } from './timestamp.js';

/**
 * Snapshot-row incident logs (FORMATS.md §4.4, §8.3), e.g. the UCI "incident management process enriched event log":
 * one row per update of an incident, carrying the state *after* the update. A change is where the state (or the
 * assignee / group) differs from the previous row of the same incident; rows that changed none of these are used
 * but merged into the visit before them. States that lived between two snapshots are invisible.
 */
export interface SnapshotFile {
  input: InputText;
  fileIndex: number;
  header: string[];
  records: CsvRecord[];
  options: ReadOptions;
  report: IngestReportBuilder;
  collector: StatusChangeCollector;
}

/** The UCI log writes `?` for a missing value. */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' || trimmed === '?' ? undefined : trimmed;
}

const CASE_ATTRIBUTES = ['priority', 'category', 'subcategory', 'contact_type', 'impact', 'urgency'];

/**
 * The time reader of a snapshot file: --date-format when given, ISO when the values are ISO, else the day/month order
 * proven by the values themselves (a first part above 12 means day-first: `29/2/2016`). Never guesses per value.
 */
function snapshotTimeReader(file: SnapshotFile, timeValues: string[]): TimeReader {
  const { options, report } = file;
  const sample = timeValues.find((v) => present(v) !== undefined) ?? '';
  if (options.dateFormat !== undefined || !Number.isNaN(parseIsoTimestamp(sample).timestampMs)) return createTimeReader(options, report);
  const order = detectSlashDateOrder(timeValues);
  const where = `${file.input.file} column "sys_updated_at"`;
  if (order === 'ambiguous' || order === 'conflict') {
    throw new VsmError({
      code: 'BAD_DATE_FORMAT',
      what: order === 'ambiguous' ? 'day and month order cannot be told apart (no day above 12)' : 'dates are day-first in some rows and month-first in others',
      where,
      got: quoteGot(sample),
      fix: 'pass --date-format "d/M/yyyy H:mm" (day first) or "M/d/yyyy H:mm" (month first)',
    });
  }
  const format = slashDateFormatOf(sample, order);
  if (format === undefined) {
    throw new VsmError({ code: 'BAD_DATE_FORMAT', what: 'timestamps are neither ISO 8601 nor d/M/yyyy H:mm', where, got: quoteGot(sample), fix: 'pass --date-format with date-fns tokens, e.g. "dd.MM.yyyy HH:mm"' });
  }
  report.note(`dates read ${order} ("${format}"), proven by values such as a day or month above 12`);
  return createTimeReader({ ...options, dateFormat: format }, report);
}

interface SnapshotRow {
  caseId: string;
  state: string;
  atMs: number;
  modCount: number;
  line: number;
  values: string[];
}

/** Reads one snapshot CSV into the collector; returns how many rows were merged (no state change). */
export function readServiceNowSnapshots(file: SnapshotFile): number {
  const { input, fileIndex, header, records, report, collector } = file;
  const col = (name: string) => columnIndex(header, [name]);
  const [numberAt, stateAt, updatedAt] = [col('number'), col('incident_state'), col('sys_updated_at')];
  if (updatedAt < 0) {
    throw new VsmError({ code: 'MISSING_COLUMN', what: 'snapshot log has no sys_updated_at column', where: input.file, got: quoteGot(header.join(',')), fix: 'export the incident rows with sys_updated_at (the time of each update)' });
  }
  const [modAt, openedAt, createdAt, assigneeAt, groupAt, updatedByAt] = ['sys_mod_count', 'opened_at', 'sys_created_at', 'assigned_to', 'assignment_group', 'sys_updated_by'].map(col);
  const attributeAt = CASE_ATTRIBUTES.map((name) => [name, col(name)] as const).filter(([, at]) => at >= 0);
  Object.assign(report.mapping, { case: 'number', status: 'incident_state', timestamp: 'sys_updated_at', order: 'sys_mod_count', created: 'opened_at', resource: 'assigned_to', group: 'assignment_group' });

  const readTime = snapshotTimeReader(file, records.flatMap((r) => [r.values[updatedAt], openedAt >= 0 ? r.values[openedAt] : ''].filter((v) => v !== undefined)));
  const seen = new Set<string>();
  const byCase = new Map<string, SnapshotRow[]>();
  for (const record of records) {
    report.rowsRead++;
    const where = { file: input.file, row: record.line };
    const key = record.values.join('\u0001');
    if (seen.has(key)) {
      report.duplicatesDropped++;
      continue;
    }
    seen.add(key);
    const caseId = present(record.values[numberAt]);
    const state = present(record.values[stateAt]);
    const atText = record.values[updatedAt] ?? '';
    const atMs = readTime(atText);
    if (caseId === undefined) report.reject('missing-case', { ...where, column: 'number', message: 'row without incident number' });
    else if (state === undefined) report.reject('missing-activity', { ...where, column: 'incident_state', value: record.values[stateAt], message: 'row without incident_state' });
    else if (Number.isNaN(atMs)) report.reject('bad-timestamp', { ...where, column: 'sys_updated_at', value: atText, message: 'timestamp not parseable' });
    else {
      report.rowsUsed++;
      report.seeTimestamp(atMs);
      const modCount = modAt >= 0 ? Number(record.values[modAt]) : NaN;
      const row = { caseId, state, atMs, modCount: Number.isNaN(modCount) ? Infinity : modCount, line: record.line, values: record.values };
      const list = byCase.get(caseId);
      if (list) list.push(row);
      else byCase.set(caseId, [row]);
    }
  }

  let merged = 0;
  const valueAt = (row: SnapshotRow, at: number) => (at >= 0 ? present(row.values[at]) : undefined);
  for (const [caseId, rows] of byCase) {
    // sys_mod_count orders updates that share a minute (FORMATS.md §4.4: INC0000047 mods 5 and 6 at 09:14).
    rows.sort((a, b) => a.atMs - b.atMs || a.modCount - b.modCount || a.line - b.line);
    const first = rows[0];
    const openedMs = [valueAt(first, openedAt), valueAt(first, createdAt)].map((t) => (t === undefined ? NaN : readTime(t))).find((t) => !Number.isNaN(t));
    collector.addCase({
      caseId,
      createdAtMs: openedMs ?? first.atMs,
      currentStatus: first.state,
      currentAssignee: valueAt(first, assigneeAt),
      currentGroup: valueAt(first, groupAt),
      attributes: Object.fromEntries(attributeAt.map(([name, at]) => [name, valueAt(first, at)])),
      fileIndex,
      sourceSeq: first.line,
    });
    const changes: CanonicalChange[] = [];
    for (let k = 1; k < rows.length; k++) {
      const [previous, row] = [rows[k - 1], rows[k]];
      const common = { caseId, atMs: row.atMs, actor: valueAt(row, updatedByAt), sourceSeq: row.line, fileIndex };
      if (row.state !== previous.state) changes.push({ ...common, field: 'status', from: previous.state, to: row.state });
      else merged++;
      for (const [field, at] of [['assignee', assigneeAt], ['group', groupAt]] as const) {
        const [before, after] = [valueAt(previous, at), valueAt(row, at)];
        if (before !== after) changes.push({ ...common, field, from: before ?? null, to: after ?? null });
      }
    }
    for (const change of orderTies(changes)) collector.addChange(change, { countRow: false });
  }
  return merged;
}
