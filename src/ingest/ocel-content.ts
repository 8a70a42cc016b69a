/**
 * The in-memory shape every OCEL reader produces (OCEL 2.0 JSON/XML in ocel.ts, OCEL 1.0 in ocel1.ts, OCEL 2.0
 * SQLite in ocel-sqlite.ts) before a case notion flattens it into an EventLog.
 */
export interface OcelObject {
  type: string;
  /** Time-stamped values (OCEL 2.0 object attributes are a state history). */
  attributes: { name: string; time: string; value: string }[];
}
export interface OcelEvent {
  id: string;
  type: string;
  time: string;
  attributes: { name: string; value: string }[];
  relationships: { objectId: string; qualifier: string }[];
}
export interface OcelContent {
  objectTypes: string[];
  /** Set when the file is not OCEL 2.0 JSON/XML ("OCEL 1.0 JSON", "OCEL 2.0 SQLite"): the report says so. */
  format?: string;
  objects: Map<string, OcelObject>;
  /** In file order; a string is an event that could not be read (its problem). */
  events: (OcelEvent | string)[];
}
