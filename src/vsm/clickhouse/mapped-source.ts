/**
 * A foreign table or a `--query` SELECT mapped onto the canonical columns by the usual mapping flags
 * (`--case`, `--activity`, `--timestamp`, `--start-timestamp`, `--resource`, `--group`, `--lifecycle`,
 * `--status-log`). Column names are validated identifiers; lifecycle values map as lifecycleFromSource does.
 * Timestamps may be integer epoch ms, DateTime (seconds) or Date; other types are refused with the type named.
 * Without a source row the tie-break between events at the same instant is the server's (documented).
 */
import { VsmError } from '../../errors.js';
import type { ColumnMapping as IngestColumnMapping } from '../../ingest/read-options.js';
import type { ClickHouseHttp } from './http-client.js';
import { ident, IDENTIFIER_PATTERN, type Sql, sql, userSelect } from './sql.js';

/** The ingest mapping flags, plus `--status-log` (rows are status entries). */
export interface ColumnMapping extends IngestColumnMapping {
  statusLog?: boolean;
}

/** True when any mapping flag is given (then the table is not read as canonical). */
export function hasMapping(mapping: ColumnMapping): boolean {
  return [mapping.case, mapping.activity, mapping.timestamp, mapping.startTimestamp, mapping.resource, mapping.group, mapping.lifecycle].some((v) => v !== undefined) || mapping.statusLog === true;
}

function column(name: string, flag: string): Sql {
  if (!IDENTIFIER_PATTERN.test(name) || name.includes('.')) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'not a valid column name', where: flag, got: name, fix: 'pass a column name of letters, digits and _' });
  }
  return ident(name);
}

async function epochMsExpression(client: ClickHouseHttp, base: Sql, name: string, flag: string): Promise<Sql> {
  const col = column(name, flag);
  const rows = await client.rows<{ type: string }>(sql`SELECT toTypeName(${col}) AS type FROM ${base} LIMIT 1`);
  const type = (rows[0]?.type ?? 'Int64').replace(/^Nullable\((.*)\)$/, '$1');
  if (/^U?Int(32|64)$/.test(type)) return sql`toInt64(${col})`;
  if (/^DateTime/.test(type)) return sql`toInt64(toUInt32(${col})) * 1000`;
  if (type === 'Date') return sql`toInt64(toUInt32(toDateTime(${col}))) * 1000`;
  throw new VsmError({ code: 'BAD_TIMESTAMP', what: 'timestamp column type not supported', where: flag, got: `${name} ${type}`, fix: 'map a DateTime, Date or integer epoch-ms column' });
}

/** The FROM item (a subquery) with canonical columns over `--table` or `--query`. */
export async function mappedFrom(client: ClickHouseHttp, input: { table?: string; query?: string }, mapping: ColumnMapping): Promise<Sql> {
  const base = input.query !== undefined ? userSelect(input.query) : ident(input.table ?? '', 'table name');
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined) throw new VsmError({ code: 'BAD_OPTION', what: `mapping a foreign table needs ${flag}`, where: flag, fix: `pass ${flag} <column>` });
    return value;
  };
  const caseCol = column(need(mapping.case, '--case'), '--case');
  const activityCol = column(need(mapping.activity, '--activity'), '--activity');
  const timestamp = await epochMsExpression(client, base, need(mapping.timestamp, '--timestamp'), '--timestamp');
  const start = mapping.startTimestamp === undefined ? sql`CAST(NULL AS Nullable(Int64))` : await epochMsExpression(client, base, mapping.startTimestamp, '--start-timestamp');
  const text = (name: string | undefined, flag: string): Sql => (name === undefined ? sql`''` : sql`ifNull(toString(${column(name, flag)}), '')`);
  let lifecycle: Sql = mapping.statusLog ? sql`'enter'` : sql`'instant'`;
  if (mapping.lifecycle !== undefined) {
    // As lifecycleFromSource: an empty value is instant, others are trimmed and lower-cased. 18.16 has neither
    // trim(BOTH … FROM …) nor trimBoth, so the trim is a regular expression.
    const raw = sql`ifNull(toString(${column(mapping.lifecycle, '--lifecycle')}), '')`;
    const value = sql`lower(replaceRegexpAll(${raw}, '^[[:space:]]+|[[:space:]]+$', ''))`;
    lifecycle = sql`multiIf(${raw} = '', 'instant', ${value} IN ('start', 'started', 'begin', 'resume'), 'start',
      ${value} IN ('complete', 'completed', 'end', 'suspend', 'ate_abort', 'pi_abort', 'withdraw'), 'complete',
      ${value} IN ('schedule', 'assign', 'reassign', 'autoskip', 'manualskip'), 'schedule',
      ${value} = 'instant', 'instant', 'other')`;
  }
  return sql`(SELECT toString(${caseCol}) AS case_id, toString(${activityCol}) AS activity, ${timestamp} AS timestamp_ms, ${start} AS start_ms,
  ${lifecycle} AS lifecycle, ${text(mapping.resource, '--resource')} AS resource, ${text(mapping.group, '--group')} AS \`group\`,
  '' AS status_category, toUInt16(0) AS file_index, toInt32(0) AS source_row
FROM ${base} WHERE isNotNull(${caseCol}) AND isNotNull(${activityCol}))`;
}
