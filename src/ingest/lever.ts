import { VsmError } from '../errors.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { type CanonicalChange, StatusChangeCollector } from './status-changes.js';
import { createTimeReader, instantOf, jsonRecordsOf, notRecordsError, orderTies, parseJsonText, readInputTexts, rejectNonRecords } from './status-source-kit.js';
import { looksLikeLever, wrongSourceFix } from './status-source-sniff.js';

export { looksLikeLever };

/**
 * Lever opportunities (FORMATS.md §5.2): `GET /v1/opportunities` pages (`{data:[…], hasNext, next}`), a bare array, or
 * one opportunity. Each `stageChanges[]` element `{toStageId, toStageIndex, updatedAt, userId}` (epoch ms) is a
 * stage entry; `archived.archivedAt` ends the opportunity in the done status "Archived". NOTE: verified only against
 * the documented shape in FORMATS.md §5.2 and the synthetic sample; no real export was seen.
 *
 * Rows accounted: each stageChanges element, the archive record, and an opportunity without stage changes (read
 * from its current `stage`). Stages are classed queue by default (FORMATS.md §9). The owner has no history in the
 * API, so it is kept as a case attribute, not as the owner of past visits.
 */
const ENVELOPE_KEYS = ['data', 'opportunities', 'results'];
export const LEVER_ARCHIVED = 'Archived';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/** `stage` is an id, or `{id, text}` with `expand=stage`. */
function stageOf(value: unknown): { id: string; name?: string } {
  if (value !== null && typeof value === 'object') {
    const stage = value as Record<string, unknown>;
    return { id: text(stage.id), name: text(stage.text) || undefined };
  }
  return { id: text(value) };
}

/** Reads Lever opportunities (JSON file, .gz or folder of pages) into a status-shaped EventLog. */
export async function readLever(path: string, options: ReadOptions): Promise<ReadResult> {
  const inputs = await readInputTexts(path, ['.json']);
  const report = new IngestReportBuilder('lever', options.source === 'lever' ? 'flag' : 'sniffed');
  const builder = new EventLogBuilder('status');
  const collector = new StatusChangeCollector(builder, report);
  const readTime = createTimeReader(options, report);
  Object.assign(report.mapping, { case: 'id', status: 'stageChanges[].toStageId', timestamp: 'stageChanges[].updatedAt', actor: 'stageChanges[].userId', end: 'archived.archivedAt' });
  const seenOpportunities = new Set<string>();
  for (const input of inputs) {
    const fileIndex = builder.addFile(input.file);
    report.files.push(input.file);
    const value = /^\s*[[{]/.test(input.text) ? parseJsonText(input) : undefined;
    const single = value !== null && typeof value === 'object' && 'stageChanges' in value ? [value as Record<string, unknown>] : undefined;
    const opportunities = single ?? jsonRecordsOf(value, ENVELOPE_KEYS);
    if (!opportunities || (opportunities.length > 0 && !opportunities.some((o) => 'stageChanges' in o || 'stage' in o))) {
      throw notRecordsError(value ?? input.text.slice(0, 80), input, 'lever', wrongSourceFix(input.text.slice(0, 65536), 'lever'));
    }
    if (!single) rejectNonRecords(report, value, ENVELOPE_KEYS, input.file);
    let ordinal = 0;
    for (const opportunity of opportunities) {
      const stageChanges = Array.isArray(opportunity.stageChanges) ? opportunity.stageChanges.filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object') : [];
      const badChanges = Array.isArray(opportunity.stageChanges) ? opportunity.stageChanges.length - stageChanges.length : 0;
      for (let k = 0; k < badChanges; k++) {
        report.readRejected('bad-record', { file: input.file, row: ordinal + 1, column: 'stageChanges', message: `a stage change of opportunity ${text(opportunity.id) || '?'} is not an object` });
      }
      const archived = opportunity.archived !== null && typeof opportunity.archived === 'object' ? (opportunity.archived as Record<string, unknown>) : undefined;
      const current = stageOf(opportunity.stage);
      const currentStage = current.name ?? current.id;
      const rowCount = Math.max(1, stageChanges.length + (archived ? 1 : 0));
      const firstRow = ordinal + 1;
      ordinal += rowCount;
      report.rowsRead += rowCount;
      const caseId = text(opportunity.id);
      const where = { file: input.file, row: firstRow };
      if (caseId === '') {
        for (let k = 0; k < rowCount; k++) report.reject('missing-case', { ...where, column: 'id', message: 'opportunity without id' });
        continue;
      }
      if (seenOpportunities.has(caseId)) {
        // Overlapping pages repeat an opportunity: the first copy is kept.
        report.duplicatesDropped += rowCount;
        continue;
      }
      seenOpportunities.add(caseId);
      const entries: { stage: string; atMs: number; actor?: string; seq: number }[] = [];
      stageChanges.forEach((change, k) => {
        const atMs = instantOf(change.updatedAt, readTime);
        const stage = text(change.toStageId);
        const at = { ...where, row: firstRow + k };
        if (stage === '') return report.reject('missing-activity', { ...at, column: 'stageChanges[].toStageId', message: 'stage change without toStageId' });
        if (Number.isNaN(atMs)) return report.reject('bad-timestamp', { ...at, column: 'stageChanges[].updatedAt', value: text(change.updatedAt), message: 'expected epoch milliseconds' });
        entries.push({ stage, atMs, actor: text(change.userId) || undefined, seq: firstRow + k });
      });
      entries.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
      const createdAtMs = instantOf(opportunity.createdAt, readTime);
      const archivedAtMs = archived ? instantOf(archived.archivedAt, readTime) : NaN;
      if (archived && Number.isNaN(archivedAtMs)) report.reject('bad-timestamp', { ...where, row: firstRow + stageChanges.length, column: 'archived.archivedAt', value: text(archived.archivedAt), message: 'expected epoch milliseconds' });
      // Rows not yet rejected: the valid stage entries, the archive, and the opportunity itself when it has neither.
      const archiveOk = archived !== undefined && !Number.isNaN(archivedAtMs);
      const pending = entries.length + (archiveOk ? 1 : 0) + (stageChanges.length === 0 && !archived ? 1 : 0);
      const first = entries[0];
      // The first stage entry is the start; without stage changes the current stage is seeded at createdAt.
      const startMs = first?.atMs ?? createdAtMs;
      if (!first && current.id === '') {
        for (let k = 0; k < pending; k++) report.reject('missing-activity', { ...where, column: 'stage', message: 'opportunity without stage or stageChanges' });
        continue;
      }
      if (Number.isNaN(startMs)) {
        for (let k = 0; k < pending; k++) report.reject('bad-timestamp', { ...where, column: 'createdAt', value: text(opportunity.createdAt), message: 'opportunity without a usable createdAt' });
        continue;
      }
      report.rowsUsed += pending;
      report.seeTimestamp(startMs);
      const reason = archived ? text(archived.reason) : '';
      collector.addCase({ caseId, createdAtMs: startMs, currentStatus: first?.stage ?? currentStage, fileIndex, sourceSeq: firstRow, attributes: { archiveReason: reason || undefined } });
      const changes: CanonicalChange[] = entries.slice(1).map((entry, k) => ({ caseId, atMs: entry.atMs, field: 'status', from: entries[k].stage, to: entry.stage, actor: entry.actor, sourceSeq: entry.seq, fileIndex }));
      if (archiveOk) {
        const lastStage = entries.length > 0 ? entries[entries.length - 1].stage : currentStage;
        changes.push({ caseId, atMs: archivedAtMs, field: 'status', from: lastStage, to: LEVER_ARCHIVED, sourceSeq: firstRow + stageChanges.length, fileIndex });
      }
      for (const change of orderTies(changes)) collector.addChange(change, { countRow: false });
    }
  }
  collector.emit();
  for (const name of builder.activities.values) builder.setStatusCategory(name, name === LEVER_ARCHIVED ? 'done' : 'queue');
  report.note('ATS stages are classed queue by default (FORMATS.md §9): reclassify interview and offer stages as active in vsm.config.json');
  if ([...builder.activities.values].some((name) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(name))) {
    report.note('stages are named by their Lever stage id: look the names up with GET /v1/stages and rename them in vsm.config.json');
  }
  const log = builder.build();
  if (log.eventCount === 0) throw new VsmError({ code: 'NO_EVENTS', what: 'no opportunity stage changes found', where: path, fix: 'export GET /v1/opportunities (stageChanges is part of each opportunity)' });
  return { log, report: report.finish() };
}
