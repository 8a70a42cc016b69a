/**
 * From a CSV header to a column plan: which column is the case id, the activity, the timestamps, the
 * resource, group and lifecycle; which are kept as event or case attributes. Explicit mapping first,
 * else well-known names recognised case-insensitively (XES-style names before tool-export names).
 */
import { VsmError, quoteGot } from '../errors.js';
import type { ColumnMapping } from './read-options.js';

export type CanonicalField = keyof ColumnMapping;

/** The flag that sets each field, for fix hints. */
export const FIELD_FLAGS: Record<CanonicalField, string> = {
  case: '--case',
  activity: '--activity',
  timestamp: '--timestamp',
  startTimestamp: '--start-timestamp',
  resource: '--resource',
  group: '--group',
  lifecycle: '--lifecycle',
};

/**
 * Recognised names, normalised (lower case, no spaces, underscores or hyphens), in priority order.
 * `Activity` wins over `Status` on purpose: in BPIC 2013 VINST both exist and pm4py's oracle used
 * Status; the report's mapping says which was taken and `--activity Status` reproduces pm4py.
 */
const RECOGNISED: Record<CanonicalField, string[]> = {
  case: ['case:concept:name', 'caseid', 'case', 'srnumber', 'issuekey', 'ticketid', 'incidentid', 'caseidentifier', 'casename', 'traceid', 'ticket', 'issue', 'key'],
  activity: ['concept:name', 'activity', 'activityid', 'activityname', 'event', 'eventname', 'task', 'taskname', 'status', 'state', 'step'],
  timestamp: ['time:timestamp', 'completetimestamp', 'timestamp', 'changedate+time', 'endtimestamp', 'endtime', 'completetime', 'eventtime', 'datetime', 'time', 'date', 'end'],
  startTimestamp: ['start_timestamp', 'starttimestamp', 'starttime', 'start', 'startdate'],
  resource: ['org:resource', 'resource', 'user', 'assignee', 'owner', 'performer', 'agent', 'username', 'employee'],
  group: ['org:group', 'group', 'team', 'queue', 'department', 'assignmentgroup'],
  lifecycle: ['lifecycle:transition', 'lifecycle', 'transition', 'eventtype'],
};

/** Resolution order: the required fields first so they get the best-matching columns. */
const FIELD_ORDER: CanonicalField[] = ['case', 'activity', 'timestamp', 'startTimestamp', 'resource', 'group', 'lifecycle'];

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

export interface ColumnPlan {
  /** Column names after de-duplication (the header as the log will name it). */
  names: string[];
  /** Column index per canonical field, -1 when unmapped. */
  index: Record<CanonicalField, number>;
  /** Columns kept as event attributes: column index and attribute name. */
  eventAttributes: { column: number; name: string }[];
  /** `case:xyz` columns kept as case attributes named `xyz`. */
  caseAttributes: { column: number; name: string }[];
  /** Canonical field → column name, for the report. */
  mapping: Record<string, string>;
  notes: string[];
}

/** Makes each header name unique (`Variant`, `Variant` → `Variant`, `Variant_2`) and names blank ones. */
function uniqueNames(header: string[], notes: string[]): { names: string[]; indexColumn: boolean } {
  const seen = new Map<string, number>();
  const names: string[] = [];
  const duplicates: string[] = [];
  const indexColumn = header.length > 1 && header[0].trim() === '';
  header.forEach((raw, k) => {
    let name = raw.trim() === '' ? (k === 0 && indexColumn ? '' : `column_${k + 1}`) : raw;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) {
      let suffix = count;
      while (seen.has(`${name}_${suffix}`)) suffix++;
      const renamed = `${name}_${suffix}`;
      duplicates.push(`"${name}" → "${renamed}"`);
      name = renamed;
      seen.set(name, 1);
    }
    names.push(name);
  });
  if (duplicates.length > 0) {
    const more = duplicates.length > 10 ? ` and ${duplicates.length - 10} more` : '';
    notes.push(`duplicate column names renamed so no column is lost: ${duplicates.slice(0, 10).join(', ')}${more}`);
  }
  if (indexColumn) notes.push('leading unnamed column ignored (a row index, as pandas/pm4py exports write)');
  return { names, indexColumn };
}

function missingColumn(field: CanonicalField, wanted: string | undefined, names: string[], file: string): VsmError {
  const named = names.filter((n) => n !== '');
  const available = named.slice(0, 20).map((n) => `"${n}"`).join(', ') + (named.length > 20 ? ` and ${named.length - 20} more` : '');
  return new VsmError({
    code: 'MISSING_COLUMN',
    what: wanted === undefined ? `no ${field} column recognised` : `${field} column not found`,
    where: file,
    got: `${wanted === undefined ? '' : `${quoteGot(wanted)} among `}columns ${available}`,
    fix: `pass ${FIELD_FLAGS[field]} <column>`,
  });
}

/**
 * Plans the columns of one CSV. Throws MISSING_COLUMN when a mapped column is absent or no case,
 * activity or timestamp column can be recognised.
 */
export function planColumns(header: string[], mapping: ColumnMapping | undefined, keepAttributes: boolean, file: string): ColumnPlan {
  const notes: string[] = [];
  const { names, indexColumn } = uniqueNames(header, notes);
  const normalised = names.map((n, k) => (k === 0 && indexColumn ? '\u0000' : normaliseColumnName(n)));
  const index = { case: -1, activity: -1, timestamp: -1, startTimestamp: -1, resource: -1, group: -1, lifecycle: -1 } as Record<CanonicalField, number>;
  const taken = new Set<number>();

  for (const field of FIELD_ORDER) {
    const wanted = mapping?.[field];
    if (wanted === undefined || wanted === '') continue;
    let found = names.indexOf(wanted);
    if (found < 0) found = normalised.indexOf(normaliseColumnName(wanted));
    if (found < 0) throw missingColumn(field, wanted, names, file);
    index[field] = found;
    taken.add(found);
  }
  for (const field of FIELD_ORDER) {
    if (index[field] >= 0 || (mapping?.[field] !== undefined && mapping[field] !== '')) continue;
    for (const candidate of RECOGNISED[field]) {
      const found = normalised.findIndex((n, k) => n === normaliseColumnName(candidate) && !taken.has(k));
      if (found >= 0) {
        index[field] = found;
        taken.add(found);
        break;
      }
    }
  }
  for (const field of ['case', 'activity', 'timestamp'] as const) {
    if (index[field] < 0) throw missingColumn(field, undefined, names, file);
  }

  const eventAttributes: { column: number; name: string }[] = [];
  const caseAttributes: { column: number; name: string }[] = [];
  if (keepAttributes) {
    names.forEach((name, column) => {
      if (taken.has(column) || (column === 0 && indexColumn)) return;
      if (/^case:./i.test(name)) caseAttributes.push({ column, name: name.slice(5) });
      else eventAttributes.push({ column, name });
    });
  }
  const mappingReport: Record<string, string> = {};
  for (const field of FIELD_ORDER) if (index[field] >= 0) mappingReport[field] = names[index[field]];
  return { names, index, eventAttributes, caseAttributes, mapping: mappingReport, notes };
}
