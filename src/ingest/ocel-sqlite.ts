/**
 * OCEL 2.0 SQLite (the relational format of the OCEL 2.0 specification, as pm4py writes it) read into
 * the content shape of ocel.ts, so it is flattened exactly like OCEL 2.0 JSON/XML.
 *
 * Tables read: `event(ocel_id, ocel_type)`, `object(ocel_id, ocel_type)`,
 * `event_object(ocel_event_id, ocel_object_id, ocel_qualifier)`, `event_map_type` / `object_map_type`
 * (`ocel_type` → `ocel_type_map`, the suffix of the per-type tables; older pm4py writes `*_corr_type` /
 * `ocel_type_corr`), `event_<map>(ocel_id, ocel_time, attributes…)` and
 * `object_<map>(ocel_id, ocel_time, ocel_changed_field, attributes…)`. `object_object` (O2O) is not
 * needed for flattening and is not read.
 *
 * sql.js (SQLite compiled to WebAssembly, shipped inside the npm package) opens a database from one
 * in-memory buffer, so files above OCEL_SQLITE_MAX_BYTES are refused before reading.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Database, SqlValue } from 'sql.js';
import { VsmError } from '../errors.js';
import type { OcelContent, OcelEvent, OcelObject } from './ocel-content.js';

/** Largest SQLite file read (256 MiB): the wasm build holds the whole file, and the content is then held as objects too. */
export const OCEL_SQLITE_MAX_BYTES = 256 * 1024 * 1024;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** True when the file starts with the SQLite 3 header string (gzip is not looked into: SQLite files are read as they are). */
export function isSqliteFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const bytesRead = readSync(fd, head, 0, head.length, 0);
    return bytesRead === head.length && head.toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Calls `onRow` for every row of `sql`, one row object at a time. */
function eachRow(db: Database, sql: string, onRow: (row: Record<string, SqlValue>) => void): void {
  const statement = db.prepare(sql);
  try {
    // Column names once per query: sql.js's getAsObject asks SQLite for them on every row.
    const names = statement.getColumnNames();
    while (statement.step()) {
      const values = statement.get();
      const row: Record<string, SqlValue> = {};
      for (let k = 0; k < names.length; k++) row[names[k]] = values[k];
      onRow(row);
    }
  } finally {
    statement.free();
  }
}

function text(value: SqlValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Uint8Array) return `(${value.length} bytes)`;
  return String(value);
}

/** `ocel_type` → per-type table name, from `<kind>_map_type` (OCEL 2.0) or `<kind>_corr_type` (older pm4py). */
function typeTables(db: Database, kind: 'event' | 'object', tables: Set<string>): Map<string, string> {
  const byType = new Map<string, string>();
  const [mapTable, mapColumn] = tables.has(`${kind}_map_type`) ? [`${kind}_map_type`, 'ocel_type_map'] : [`${kind}_corr_type`, 'ocel_type_corr'];
  if (!tables.has(mapTable)) return byType;
  eachRow(db, `SELECT ocel_type, ${quoteIdentifier(mapColumn)} AS suffix FROM ${quoteIdentifier(mapTable)}`, (row) => byType.set(text(row.ocel_type), `${kind}_${text(row.suffix)}`));
  return byType;
}

/** Attribute columns of a per-type table row: every non-null column other than the `ocel_` ones. */
function attributesOf(row: Record<string, SqlValue>): { name: string; value: string }[] {
  const attributes: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(row)) if (!name.startsWith('ocel_') && value !== null) attributes.push({ name, value: text(value) });
  return attributes;
}

function loadDatabaseBytes(path: string): Buffer {
  const sizeBytes = statSync(path).size;
  if (sizeBytes > OCEL_SQLITE_MAX_BYTES) {
    throw new VsmError({
      code: 'BAD_OPTION',
      what: 'OCEL SQLite file too large to read in memory',
      where: path,
      got: `${sizeBytes.toLocaleString('en-US')} bytes (limit ${OCEL_SQLITE_MAX_BYTES.toLocaleString('en-US')} bytes = ${OCEL_SQLITE_MAX_BYTES / 1048576} MiB)`,
      fix: 'export the log as OCEL 2.0 JSON or XML (read as a stream), or filter it to fewer events',
    });
  }
  return readFileSync(path);
}

/** Reads an OCEL 2.0 SQLite database; events that cannot be read become their problem text (as in ocel.ts). */
export async function readOcelSqliteContent(path: string): Promise<OcelContent> {
  const bytes = loadDatabaseBytes(path);
  const initSqlJs = (await import('sql.js')).default;
  const SQL = await initSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (error) {
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'SQLite file cannot be opened', where: path, got: error instanceof Error ? error.message : String(error), fix: 'export the OCEL log again' });
  }
  try {
    const tables = new Set<string>();
    try {
      eachRow(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')", (row) => tables.add(text(row.name)));
    } catch (error) {
      throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'SQLite file cannot be read', where: path, got: error instanceof Error ? error.message : String(error), fix: 'export the OCEL log again (the file may be truncated or encrypted)' });
    }
    const missing = ['event', 'object', 'event_object'].filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw new VsmError({
        code: 'UNKNOWN_FORMAT',
        what: 'SQLite database is not an OCEL 2.0 log',
        where: path,
        got: `no table ${missing.join(', ')} (tables: ${[...tables].slice(0, 8).join(', ') || 'none'})`,
        fix: 'OCEL 2.0 SQLite has tables event, object, event_object, event_<type>, object_<type> (pm4py.write_ocel2_sqlite)',
      });
    }
    return readContent(db, tables);
  } finally {
    db.close();
  }
}

function readContent(db: Database, tables: Set<string>): OcelContent {
  const objectTables = typeTables(db, 'object', tables);
  const eventTables = typeTables(db, 'event', tables);
  const objects = new Map<string, OcelObject>();
  eachRow(db, 'SELECT ocel_id, ocel_type FROM object ORDER BY rowid', (row) => objects.set(text(row.ocel_id), { type: text(row.ocel_type), attributes: [] }));
  const objectTypes = [...new Set([...objectTables.keys(), ...[...objects.values()].map((object) => object.type)])];
  for (const table of new Set(objectTables.values())) {
    if (!tables.has(table)) continue;
    // Initial values (ocel_changed_field NULL, time 1970) and later changes alike: a time-stamped value history.
    eachRow(db, `SELECT * FROM ${quoteIdentifier(table)}`, (row) => {
      const object = objects.get(text(row.ocel_id));
      if (!object) return;
      for (const { name, value } of attributesOf(row)) object.attributes.push({ name, time: text(row.ocel_time), value });
    });
  }

  // The `event` table's row order stands in for file order (ties in time keep it).
  const eventById = new Map<string, OcelEvent>();
  const order: OcelEvent[] = [];
  eachRow(db, 'SELECT ocel_id, ocel_type FROM event ORDER BY rowid', (row) => {
    const event: OcelEvent = { id: text(row.ocel_id), type: text(row.ocel_type), time: '', attributes: [], relationships: [] };
    eventById.set(event.id, event);
    order.push(event);
  });
  for (const table of new Set(eventTables.values())) {
    if (!tables.has(table)) continue;
    eachRow(db, `SELECT * FROM ${quoteIdentifier(table)}`, (row) => {
      const event = eventById.get(text(row.ocel_id));
      if (!event || event.time !== '') return;
      event.time = text(row.ocel_time);
      event.attributes = attributesOf(row);
    });
  }
  eachRow(db, 'SELECT ocel_event_id, ocel_object_id, ocel_qualifier FROM event_object ORDER BY rowid', (row) => {
    eventById.get(text(row.ocel_event_id))?.relationships.push({ objectId: text(row.ocel_object_id), qualifier: text(row.ocel_qualifier) });
  });
  const events = order.map((event): OcelEvent | string => {
    if (event.type === '') return `event ${event.id} has no type`;
    if (event.time === '') return `event ${event.id} (${event.type}) has no row with ocel_time in ${eventTables.get(event.type) ?? `an event_<type> table (no ${'event_map_type'} entry)`}`;
    return event;
  });
  return { objectTypes, objects, events, format: 'OCEL 2.0 SQLite' };
}
