/**
 * The Fivetran warehouse table `ticket_field_history` as CSV (FORMATS.md §2): new values only, so each row's `from` is
 * the ticket's previous row for that field; an exact repeat (an overlapping sync) is dropped as a duplicate.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { ZendeskContext } from './zendesk-records.js';
import { FIELD_OF } from './zendesk-shape.js';

/** Fivetran `ticket_field_history`: one row per new value; the `from` of a row is the previous row's value for that ticket and field. */
export function readFieldHistoryCsv(ctx: ZendeskContext, file: string, text: string): void {
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  const fileIndex = ctx.builder.addFile(file);
  const byKey = new Map<string, { row: Record<string, string>; line: number; atMs: number }[]>();
  for (const [k, row] of rows.entries()) {
    const field = FIELD_OF[row.field_name ?? ''];
    const line = k + 2;
    const atMs = ctx.readTime(row.updated ?? '');
    ctx.evidence.seeInstant(atMs);
    if (field === undefined) {
      ctx.report.readIgnored(`not a status/owner change: field ${row.field_name || '(none)'}`);
      ctx.evidence.ignoreField(row.field_name || '(no field)');
      continue;
    }
    if (!row.ticket_id) {
      ctx.report.rowsRead++;
      ctx.report.reject('missing-case', { file, row: line, column: 'ticket_id', message: 'row without ticket_id' });
      continue;
    }
    if (Number.isNaN(atMs)) {
      ctx.report.rowsRead++;
      ctx.report.reject('bad-timestamp', { file, row: line, column: 'updated', value: row.updated, message: `ticket ${row.ticket_id}: time not readable` });
      continue;
    }
    const key = `${row.ticket_id}\u0000${field}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ row, line, atMs });
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => a.atMs - b.atMs || a.line - b.line);
    let from: string | null = null;
    let previous: { atMs: number; value: string | null; from: string | null } | undefined;
    for (const entry of list) {
      const value = entry.row.value === '' ? null : entry.row.value;
      // An exact repeat of the previous row (overlapping sync) gets the same `from`, so the collector drops it as a duplicate.
      const repeat = previous !== undefined && previous.atMs === entry.atMs && previous.value === value;
      const rowFrom = repeat && previous ? previous.from : from;
      ctx.changes.push({
        caseId: entry.row.ticket_id,
        atMs: entry.atMs,
        field: FIELD_OF[entry.row.field_name],
        from: rowFrom,
        to: value,
        actor: entry.row.user_id || undefined,
        fileIndex,
        orderId: 0,
        position: entry.line,
      });
      if (!repeat) {
        previous = { atMs: entry.atMs, value, from: rowFrom };
        from = value;
      }
    }
  }
  ctx.report.mapping.timestamp = 'updated';
}
