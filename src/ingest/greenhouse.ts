import { VsmError } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { type CanonicalChange, StatusChangeCollector } from './status-changes.js';
import { createTimeReader, instantOf, jsonRecordsOf, notRecordsError, orderTies, parseJsonText, readInputTexts, rejectNonRecords } from './status-source-kit.js';
import { looksLikeGreenhouse, wrongSourceFix } from './status-source-sniff.js';

export { looksLikeGreenhouse };

/**
 * Greenhouse application stage history (FORMATS.md §5.1): Harvest v3 `GET /v3/application_stages` — one row per
 * interview stage an application occupied, `entered_at` / `exited_at`, `exited_at` null (and `current: true`) for the
 * current stage. NOTE: verified only against the documented shape in FORMATS.md §5.1 and the synthetic sample
 * (field names beyond application_id / entered_at / exited_at / current are guesses; no real export was seen).
 *
 * Each stage entered is a status change; a last stage that was exited with no successor ends the application in a
 * done status named by its `status` (rejected → "Rejected", hired → "Hired") or "Exited". Stages are classed queue by
 * default (FORMATS.md §9): users reclassify interview stages as active.
 */
const ENVELOPE_KEYS = ['rows', 'data', 'application_stages', 'items', 'results'];
export const GREENHOUSE_DONE_STATUSES = ['Rejected', 'Hired', 'Converted', 'Exited'];

interface StageRow {
  applicationId: string;
  stage: string;
  enteredMs: number;
  exitedMs: number;
  outcome?: string;
  seq: number;
  fileIndex: number;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function stageName(row: Record<string, unknown>): string {
  const nested = row.job_interview_stage ?? row.stage;
  const nestedName = nested !== null && typeof nested === 'object' ? text((nested as Record<string, unknown>).name) : '';
  const name = text(row.stage_name) || text(row.job_interview_stage_name) || nestedName || text(row.name);
  if (name !== '') return name;
  const id = text(row.job_interview_stage_id) || text(row.stage_id);
  return id === '' ? '' : `stage ${id}`;
}

function outcomeName(status: string): string {
  const lower = status.toLowerCase();
  return lower === '' ? 'Exited' : `${lower[0].toUpperCase()}${lower.slice(1)}`;
}

/** Reads Greenhouse application stage rows (JSON file, .gz or folder of pages) into a status-shaped EventLog. */
export async function readGreenhouse(path: string, options: ReadOptions): Promise<ReadResult> {
  const inputs = await readInputTexts(path, ['.json']);
  const report = new IngestReportBuilder('greenhouse', options.source === 'greenhouse' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const collector = new StatusChangeCollector(builder, report);
  const readTime = createTimeReader(options, report, ' (Greenhouse BI Connector times are UTC)');
  Object.assign(report.mapping, { case: 'application_id', status: 'job_interview_stage (name or id)', timestamp: 'entered_at', end: 'exited_at' });
  const rows: StageRow[] = [];
  const seen = new Set<string>();
  let namedById = false;
  for (const input of inputs) {
    const fileIndex = builder.addFile(input.file);
    report.files.push(input.file);
    const value = /^\s*[[{]/.test(input.text) ? parseJsonText(input) : undefined;
    const records = jsonRecordsOf(value, ENVELOPE_KEYS);
    if (!records || (records.length > 0 && !looksLikeGreenhouse(JSON.stringify(records[0])))) {
      throw notRecordsError(value ?? input.text.slice(0, 80), input, 'greenhouse', wrongSourceFix(input.text.slice(0, 65536), 'greenhouse'));
    }
    rejectNonRecords(report, value, ENVELOPE_KEYS, input.file);
    records.forEach((record, k) => {
      report.rowsRead++;
      const where = { file: input.file, row: k + 1 };
      const key = text(record.id) || JSON.stringify(record);
      if (seen.has(key)) {
        report.duplicatesDropped++;
        return;
      }
      seen.add(key);
      const applicationId = text(record.application_id);
      const stage = stageName(record);
      const enteredMs = instantOf(record.entered_at, readTime);
      const exitedMs = record.exited_at === null || record.exited_at === undefined ? NaN : instantOf(record.exited_at, readTime);
      if (applicationId === '') return report.reject('missing-case', { ...where, column: 'application_id', message: 'stage row without application_id' });
      if (stage === '') return report.reject('missing-activity', { ...where, column: 'job_interview_stage_id', message: 'stage row without a stage' });
      if (Number.isNaN(enteredMs)) return report.reject('bad-timestamp', { ...where, column: 'entered_at', value: text(record.entered_at), message: 'expected ISO 8601' });
      namedById ||= stage.startsWith('stage ');
      report.rowsUsed++;
      report.seeTimestamp(enteredMs);
      const outcome = record.current === true ? undefined : text(record.status) || text(record.application_status);
      rows.push({ applicationId, stage, enteredMs, exitedMs, outcome, seq: k + 1, fileIndex });
    });
  }
  const gaps = emitApplications(rows, collector);
  collector.emit();
  for (const name of builder.activities.values) builder.setStatusCategory(name, GREENHOUSE_DONE_STATUSES.includes(name) ? 'done' : 'queue');
  report.note('ATS stages are classed queue by default (FORMATS.md §9): reclassify interview and offer stages as active in vsm.config.json');
  if (namedById) report.note('stage names are not in the export: stages are labelled "stage <id>"; join job_interview_stages to name them');
  if (gaps > 0) report.note(`${gaps} stage rows were exited at a different time than the next stage was entered; the next entry is used`);
  const log = builder.build();
  if (log.eventCount === 0) throw new VsmError({ code: 'NO_EVENTS', what: 'no application stage rows found', where: path, fix: 'export GET /v3/application_stages for the applications of interest' });
  return { log, report: report.finish() };
}

function emitApplications(rows: StageRow[], collector: StatusChangeCollector): number {
  const byApplication = new Map<string, StageRow[]>();
  for (const row of rows) {
    const list = byApplication.get(row.applicationId);
    if (list) list.push(row);
    else byApplication.set(row.applicationId, [row]);
  }
  let gaps = 0;
  for (const [caseId, list] of byApplication) {
    list.sort((a, b) => a.enteredMs - b.enteredMs || a.fileIndex - b.fileIndex || a.seq - b.seq);
    const first = list[0];
    collector.addCase({ caseId, createdAtMs: first.enteredMs, currentStatus: first.stage, fileIndex: first.fileIndex, sourceSeq: first.seq });
    const changes: CanonicalChange[] = [];
    for (let k = 1; k < list.length; k++) {
      const [previous, row] = [list[k - 1], list[k]];
      if (!Number.isNaN(previous.exitedMs) && Math.abs(previous.exitedMs - row.enteredMs) >= 1000) gaps++;
      changes.push({ caseId, atMs: row.enteredMs, field: 'status', from: previous.stage, to: row.stage, sourceSeq: row.seq, fileIndex: row.fileIndex });
    }
    const last = list[list.length - 1];
    if (!Number.isNaN(last.exitedMs) && last.outcome !== undefined) {
      changes.push({ caseId, atMs: last.exitedMs, field: 'status', from: last.stage, to: outcomeName(last.outcome), sourceSeq: last.seq, fileIndex: last.fileIndex });
    }
    for (const change of orderTies(changes)) collector.addChange(change, { countRow: false });
  }
  return gaps;
}
