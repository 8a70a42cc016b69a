import { SaxesParser } from 'saxes';
import { z } from 'zod';
import { VsmError } from '../errors.js';
import { MISSING_CODE } from '../model/dictionary.js';
import { EventLogBuilder } from '../model/event-log-builder.js';
import { LifecycleCode } from '../model/lifecycle.js';
import { IngestReportBuilder } from './ingest-report.js';
import type { ReadOptions, ReadResult } from './read-options.js';
import { parseIsoTimestamp } from './timestamp.js';
import { ingestLimits, valueTooLongError } from './ingest-limits.js';
import { openTextSource } from './xes-source.js';
import { IsoTimestampReader } from './xes-time.js';
import type { OcelContent, OcelEvent, OcelObject } from './ocel-content.js';
import { isOcel1Json, ocel1FromJson, ocel1XmlParser } from './ocel1.js';
import { isOcel1XmlHead } from './ocel1-sniff.js';
import { isSqliteFile, readOcelSqliteContent } from './ocel-sqlite.js';

/** One object type of an OCEL log: how many objects it has and how many events touch one of them. */
export interface OcelObjectTypeCount {
  type: string;
  objects: number;
  events: number;
}

export type { OcelContent, OcelEvent, OcelObject } from './ocel-content.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? '' : String(value)));
const relationshipSchema = z.object({ objectId: z.union([z.string(), z.number()]).transform(String), qualifier: z.string().default('') });
const objectSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
  attributes: z.array(z.object({ name: z.string(), time: z.string().default(''), value: scalar })).default([]),
});
const eventSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
  time: z.string(),
  attributes: z.array(z.object({ name: z.string(), value: scalar })).default([]),
  relationships: z.array(relationshipSchema).default([]),
});
const topSchema = z.object({
  objectTypes: z.array(z.object({ name: z.string() })).default([]),
  objects: z.array(z.unknown()).default([]),
  events: z.array(z.unknown()),
});

function notOcel(path: string, got: string, fix = 'OCEL 2.0 is JSON with objectTypes/objects/events, or XML with <object-types>/<objects>/<events>'): VsmError {
  return new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an OCEL 2.0 log', where: path, got, fix });
}

function parseOcelJson(text: string, path: string): OcelContent {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new VsmError({ code: 'JSON_PARSE', what: 'malformed JSON', where: path, got: error instanceof Error ? error.message : String(error), fix: 'repair the file or export the OCEL log again' });
  }
  if (isOcel1Json(raw)) return ocel1FromJson(raw, path);
  const top = topSchema.safeParse(raw);
  if (!top.success) throw notOcel(path, z.prettifyError(top.error).split('\n')[0]);
  const objects = new Map<string, OcelObject>();
  for (const candidate of top.data.objects) {
    const object = objectSchema.safeParse(candidate);
    if (object.success) objects.set(object.data.id, object.data);
  }
  const events = top.data.events.map((candidate) => {
    const event = eventSchema.safeParse(candidate);
    return event.success ? event.data : z.prettifyError(event.error).replace(/\n/g, ' ');
  });
  return { objectTypes: top.data.objectTypes.map((type) => type.name), objects, events };
}

/** Streams OCEL 2.0 XML into the same shape as the JSON reader (element names as in the spec). */
function ocelXmlParser(path: string): { parser: SaxesParser<{ xmlns: false; position: true }>; content: OcelContent } {
  const content: OcelContent = { objectTypes: [], objects: new Map(), events: [] };
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let object: OcelObject | undefined;
  let event: OcelEvent | undefined;
  let attribute: { name: string; time: string } | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    const name = tag.name;
    const parent = stack[stack.length - 1];
    const a = tag.attributes;
    if (stack.length === 0 && name !== 'log') throw notOcel(path, `root element <${name}>`);
    if (name === 'trace') throw notOcel(path, '<trace> elements (an XES log)', 'read it with --source xes');
    if (name === 'object-type' && parent === 'object-types') content.objectTypes.push(a.name ?? '');
    else if (name === 'object' && parent === 'objects' && stack.length === 2) {
      object = { type: a.type ?? '', attributes: [] };
      content.objects.set(a.id ?? '', object);
    } else if (name === 'event' && parent === 'events') {
      event = { id: a.id ?? '', type: a.type ?? '', time: a.time ?? '', attributes: [], relationships: [] };
    } else if (name === 'attribute' && parent === 'attributes' && (object || event)) {
      attribute = { name: a.name ?? '', time: a.time ?? '' };
      text = '';
    } else if (name === 'relationship' && event) {
      event.relationships.push({ objectId: a['object-id'] ?? '', qualifier: a.qualifier ?? '' });
    }
    stack.push(name);
  });
  parser.on('text', (chunk) => {
    if (attribute) text += chunk;
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'attribute' && attribute) {
      if (event) event.attributes.push({ name: attribute.name, value: text.trim() });
      else if (object) object.attributes.push({ ...attribute, value: text.trim() });
      attribute = undefined;
    } else if (tag.name === 'object' && object && stack.length === 2) object = undefined;
    else if (tag.name === 'event' && event) {
      content.events.push(event.type === '' || event.time === '' ? `event ${event.id} has no type or time attribute` : event);
      event = undefined;
    }
  });
  parser.on('error', (error) => {
    throw new VsmError({ code: 'XML_PARSE', what: 'malformed XML', where: `${path}:${parser.line}:${parser.column + 1}`, got: error.message.replace(/^\d+:\d+: /, ''), fix: 'repair the file or export the OCEL log again' });
  });
  return { parser, content };
}

async function readOcelContent(path: string, options: ReadOptions): Promise<OcelContent> {
  if (isSqliteFile(path)) return readOcelSqliteContent(path);
  const source = await openTextSource(path, { onProgress: options.onProgress, limits: options.limits });
  const maxJsonChars = ingestLimits(options.limits).maxWholeTextChars;
  let jsonChars = 0;
  let kind: 'json' | 'xml' | undefined;
  const jsonParts: string[] = [];
  let xml: ReturnType<typeof ocelXmlParser> | undefined;
  for await (const chunk of source.chunks) {
    if (kind === undefined) {
      const start = chunk.replace(/^\uFEFF?\s*/, '');
      if (start === '') continue;
      kind = start.startsWith('{') ? 'json' : start.startsWith('<') ? 'xml' : undefined;
      if (kind === undefined) throw notOcel(path, `content starting ${JSON.stringify(start.slice(0, 20))}`);
      if (kind === 'xml') xml = isOcel1XmlHead(chunk) ? ocel1XmlParser(path) : ocelXmlParser(path);
    }
    if (xml) xml.parser.write(chunk);
    else {
      // OCEL JSON is parsed whole: stop with a clear error before the text passes what one string can hold.
      jsonChars += chunk.length;
      if (jsonChars > maxJsonChars) throw valueTooLongError('OCEL JSON too large to be parsed whole', path, jsonChars, maxJsonChars, 'export the log as OCEL XML (.xmlocel), which is read as a stream');
      jsonParts.push(chunk);
    }
  }
  if (kind === undefined) throw new VsmError({ code: 'EMPTY_FILE', what: 'OCEL file holds only white space', where: path, fix: 'export the log again' });
  if (!xml) return parseOcelJson(jsonParts.join(''), path);
  xml.parser.close();
  if (xml.content.objectTypes.length === 0 && xml.content.events.length === 0) throw notOcel(path, 'a <log> without <object-types> or <events>');
  return xml.content;
}

function objectTypeCounts(content: OcelContent): OcelObjectTypeCount[] {
  const counts = new Map<string, OcelObjectTypeCount>();
  const entry = (type: string): OcelObjectTypeCount => {
    let found = counts.get(type);
    if (!found) counts.set(type, (found = { type, objects: 0, events: 0 }));
    return found;
  };
  for (const type of content.objectTypes) entry(type);
  for (const object of content.objects.values()) entry(object.type).objects++;
  for (const event of content.events) {
    if (typeof event === 'string') continue;
    const types = new Set(event.relationships.map((r) => content.objects.get(r.objectId)?.type).filter((type) => type !== undefined));
    for (const type of types) entry(type).events++;
  }
  return [...counts.values()].sort((a, b) => b.events - a.events || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

/**
 * Lists the object types of an OCEL 2.0 log (JSON or XML) with their object and related-event
 * counts, most related events first: the candidates for `--object-type`.
 */
export async function listOcelObjectTypes(path: string): Promise<OcelObjectTypeCount[]> {
  return objectTypeCounts(await readOcelContent(path, {}));
}

/** Object types that name people: their related objects are the event's resource. */
const PERSON_TYPE = /^(employees?|resources?|users?|workers?|staff|persons?|people|agents?|actors?|clerks?)$/i;

function attributeTimeMs(time: string): number {
  const parsed = parseIsoTimestamp(time).timestampMs;
  return Number.isNaN(parsed) ? Number.MIN_SAFE_INTEGER : parsed;
}

function typesText(counts: OcelObjectTypeCount[]): string {
  return counts.map((c) => `${c.type} (${c.objects} objects, ${c.events} events)`).join(', ');
}

/**
 * Reads an OCEL 2.0 log (`.jsonocel`/`.json` or `.xmlocel`, gzip allowed; also OCEL 1.0 JSON/XML via
 * ocel1.ts and OCEL 2.0 SQLite via ocel-sqlite.ts, same flattening) and flattens it on one
 * object type (pm4py's `ocel_flattening`): each object of that type is a case, an event related to
 * k such objects is copied into k cases, and an event related to none is ignored ("not related to any
 * <type> object"). A row is one OCEL event (docs/ingest-accounting.md): used once however many cases it is
 * copied into. Event type → activity, event time → timestamp.
 *
 * Resource: `mapping.resource` may name an event attribute or an object type (its related object's
 * id is the resource); without it, a related object of a person-like type ("employees",
 * "resources", …) or with a person-like qualifier is taken, else an `org:resource`/`resource` event
 * attribute. `mapping.group` works the same way, without the guess. The report says which was used.
 * Case attributes are the case object's attributes at their first (earliest) value.
 */
export async function readOcel(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const content = await readOcelContent(path, options);
  const report = new IngestReportBuilder('ocel', options.source === 'ocel' ? 'flag' : /\.(json|xml)ocel(\.gz)?$/i.test(path) ? 'extension' : 'sniffed');
  report.files.push(path);
  const counts = objectTypeCounts(content);
  const types = counts.map((c) => c.type);
  const caseType = options.objectType ?? counts[0]?.type;
  if (caseType === undefined || !types.includes(caseType)) {
    throw new VsmError({ code: 'BAD_OPTION', what: 'object type not in this OCEL log', where: '--object-type', got: caseType ?? '(the log has no object types)', fix: `pass one of: ${typesText(counts)}` });
  }
  if (content.format !== undefined) report.note(`read as ${content.format}${content.format.startsWith('OCEL 1.0') ? ': OCEL 1.0 has no relationship qualifiers and object attributes carry no time' : ''}`);
  report.note(`case notion: object type "${caseType}" (${options.objectType ? '--object-type' : 'picked: most related events'}); object types: ${typesText(counts)}`);

  const builder = new EventLogBuilder('activity');
  const fileIndex = builder.addFile(path);
  const times = new IsoTimestampReader(report, options.timeZone);
  const keep = options.keepAttributes !== false;
  const resourceKey = options.mapping?.resource;
  const groupKey = options.mapping?.group;
  const personType = resourceKey === undefined ? types.find((type) => PERSON_TYPE.test(type)) : undefined;
  const sources = { resource: new Set<string>(), group: new Set<string>() };
  const typeOf = (objectId: string): string | undefined => content.objects.get(objectId)?.type;

  /** Resource or group of an event from an object type or an event attribute named `key`. */
  const lookup = (event: OcelEvent, key: string | undefined, field: 'resource' | 'group'): string | undefined => {
    if (key !== undefined && types.includes(key)) {
      const related = event.relationships.find((r) => typeOf(r.objectId) === key);
      if (related) sources[field].add(`related ${key} object`);
      return related?.objectId;
    }
    const attributeNames = key !== undefined ? [key] : field === 'resource' ? ['org:resource', 'resource'] : [];
    if (field === 'resource' && key === undefined) {
      const person = event.relationships.find((r) => (personType !== undefined && typeOf(r.objectId) === personType) || PERSON_TYPE.test(r.qualifier));
      if (person) {
        sources.resource.add(personType ? `related ${personType} object` : 'object with a person-like qualifier');
        return person.objectId;
      }
    }
    const attribute = event.attributes.find(({ name, value }) => value !== '' && attributeNames.includes(name));
    if (attribute) sources[field].add(`event attribute ${attribute.name}`);
    return attribute?.value;
  };

  let ordinal = 0;
  let copiedEventCount = 0;
  const reject = (reason: Parameters<IngestReportBuilder['reject']>[0], row: number, column: string | undefined, value: string | undefined, message: string): void => {
    report.rowsRead++;
    report.reject(reason, { file: path, row, column, value, message });
  };
  for (const event of content.events) {
    ordinal++;
    if (typeof event === 'string') {
      reject('bad-event', ordinal, undefined, undefined, `event ${ordinal}: ${event}`);
      continue;
    }
    const caseObjects = [...new Set(event.relationships.filter((r) => typeOf(r.objectId) === caseType).map((r) => r.objectId))];
    if (caseObjects.length === 0) {
      // A sound event outside the chosen case notion: ignored (by reason), not rejected.
      report.readIgnored(`not related to any "${caseType}" object (the case notion; pick another with --object-type)`);
      continue;
    }
    if (event.type === '') {
      reject('missing-activity', ordinal, 'type', '', `event ${event.id} has no type`);
      continue;
    }
    const timestampMs = times.read(event.time);
    if (Number.isNaN(timestampMs)) {
      reject('bad-timestamp', ordinal, 'time', event.time, `event ${event.id}: time is not an ISO 8601 date`);
      continue;
    }
    const activityCode = builder.activities.intern(event.type);
    const resource = lookup(event, resourceKey, 'resource');
    const group = lookup(event, groupKey, 'group');
    const resourceCode = resource === undefined ? MISSING_CODE : builder.resources.intern(resource);
    const groupCode = group === undefined ? MISSING_CODE : builder.groups.intern(group);
    if (caseObjects.length > 1) copiedEventCount++;
    for (const objectId of caseObjects) {
      const index = builder.pushCoded(builder.caseIds.intern(objectId), activityCode, timestampMs, LifecycleCode.instant, resourceCode, groupCode, fileIndex, ordinal);
      if (keep) for (const { name, value } of event.attributes) if (value !== '' && name !== resourceKey && name !== groupKey) builder.setAttribute(index, name, value);
    }
    report.rowsRead++;
    report.rowsUsed++;
    report.seeTimestamp(timestampMs);
  }

  if (keep) {
    for (const objectId of builder.caseIds.values) {
      // Earliest value first (setCaseAttribute keeps the first); undated values count as earliest.
      const history = [...(content.objects.get(objectId)?.attributes ?? [])].sort((a, b) => attributeTimeMs(a.time) - attributeTimeMs(b.time));
      for (const attribute of history) builder.setCaseAttribute(objectId, attribute.name, attribute.value);
    }
  }
  times.finish();
  report.mapping.case = `objects of type "${caseType}"`;
  report.mapping.activity = 'event type';
  report.mapping.timestamp = 'event time';
  if (sources.resource.size > 0) report.mapping.resource = [...sources.resource].join(', ');
  else report.note('no resource found: pass --resource with an event attribute or an object type');
  if (sources.group.size > 0) report.mapping.group = [...sources.group].join(', ');
  if (copiedEventCount > 0) report.note(`${copiedEventCount} events are related to several ${caseType} objects and were copied into each of their cases`);
  let danglingCount = 0;
  for (const event of content.events) if (typeof event !== 'string') for (const r of event.relationships) if (!content.objects.has(r.objectId)) danglingCount++;
  if (danglingCount > 0) report.note(`${danglingCount} event→object relationships name an object the log does not define; ignored`);
  const caseless = (counts.find((c) => c.type === caseType)?.objects ?? 0) - builder.caseIds.size;
  if (caseless > 0) report.note(`${caseless} ${caseType} objects have no usable event and are not cases`);
  return { log: builder.build(), report: report.finish() };
}
