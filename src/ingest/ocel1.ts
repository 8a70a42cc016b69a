/**
 * OCEL 1.0 (JSON `.jsonocel` and XML `.xmlocel`, ocel-standard.org 2020) read into the OCEL 2.0
 * content shape of ocel.ts, so one flattening serves every OCEL version (see docs/sources-extra.md).
 *
 * OCEL 1.0 → 2.0 content:
 * - `ocel:events` (a map id → event): event id, `ocel:activity` → type, `ocel:timestamp` → time,
 *   `ocel:omap` (object ids) → relationships with an empty qualifier (1.0 has none), `ocel:vmap` → attributes;
 * - `ocel:objects` (a map id → object): `ocel:type` → type, `ocel:ovmap` → attributes without a time
 *   (1.0 object attributes are one value, not a history);
 * - `ocel:global-log` `ocel:object-types` → object types (plus any type an object names).
 */
import { SaxesParser } from 'saxes';
import { z } from 'zod';
import { VsmError } from '../errors.js';
import type { OcelContent, OcelEvent, OcelObject } from './ocel-content.js';

const scalarText = z.union([z.string(), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? '' : String(value)));
const valueMap = z.record(z.string(), z.unknown()).default({});
const eventSchema = z.object({
  'ocel:activity': z.string(),
  'ocel:timestamp': z.string(),
  'ocel:omap': z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  'ocel:vmap': valueMap,
});
const objectSchema = z.object({ 'ocel:type': z.string(), 'ocel:ovmap': valueMap });
const topSchema = z.object({
  'ocel:global-log': z.object({ 'ocel:object-types': z.array(z.string()).default([]) }).passthrough().default({ 'ocel:object-types': [] }),
  'ocel:events': z.record(z.string(), z.unknown()),
  'ocel:objects': z.record(z.string(), z.unknown()).default({}),
});

/** Attribute values that are not scalars (lists, maps) are kept as their JSON text. */
function attributeValue(value: unknown): string {
  const scalar = scalarText.safeParse(value);
  return scalar.success ? scalar.data : JSON.stringify(value);
}

/** True when a parsed JSON value is an OCEL 1.0 log (has `ocel:events`). */
export function isOcel1Json(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'ocel:events' in raw;
}

/** Converts a parsed OCEL 1.0 JSON log; events that cannot be read become their problem text (as in ocel.ts). */
export function ocel1FromJson(raw: unknown, path: string): OcelContent {
  const top = topSchema.safeParse(raw);
  if (!top.success) {
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an OCEL 1.0 log', where: path, got: z.prettifyError(top.error).split('\n')[0], fix: 'OCEL 1.0 JSON has "ocel:global-log", "ocel:events" and "ocel:objects" maps' });
  }
  if (Object.keys(top.data['ocel:events']).length === 0) {
    throw new VsmError({ code: 'NO_EVENTS', what: 'OCEL 1.0 log holds no events', where: path, got: '"ocel:events": {}', fix: 'export the log again with its events' });
  }
  const objects = new Map<string, OcelObject>();
  for (const [id, candidate] of Object.entries(top.data['ocel:objects'])) {
    const object = objectSchema.safeParse(candidate);
    if (!object.success) continue;
    const attributes = Object.entries(object.data['ocel:ovmap']).map(([name, value]) => ({ name, time: '', value: attributeValue(value) }));
    objects.set(id, { type: object.data['ocel:type'], attributes });
  }
  const events = Object.entries(top.data['ocel:events']).map(([id, candidate]): OcelEvent | string => {
    const event = eventSchema.safeParse(candidate);
    if (!event.success) return `event ${id}: ${z.prettifyError(event.error).replace(/\n/g, ' ')}`;
    return {
      id,
      type: event.data['ocel:activity'],
      time: event.data['ocel:timestamp'],
      attributes: Object.entries(event.data['ocel:vmap']).map(([name, value]) => ({ name, value: attributeValue(value) })),
      relationships: event.data['ocel:omap'].map((objectId) => ({ objectId, qualifier: '' })),
    };
  });
  const objectTypes = [...new Set([...top.data['ocel:global-log']['ocel:object-types'], ...[...objects.values()].map((object) => object.type)])];
  return { objectTypes, objects, events, format: 'OCEL 1.0 JSON' };
}

/** Keys are written bare in the XML standard (`activity`); some writers keep the JSON prefix (`ocel:activity`). */
function bareKey(key: string | undefined): string {
  return (key ?? '').replace(/^ocel:/, '');
}

/**
 * Streams OCEL 1.0 XML into the OCEL 2.0 content shape: `<log><global scope="log"><list key="object-types">`,
 * `<events><event>` with typed children keyed `id`, `activity`, `timestamp`, `<list key="omap">` of object ids
 * and `<list key="vmap">`; `<objects><object>` keyed `id`, `type`, `<list key="ovmap">`.
 */
export function ocel1XmlParser(path: string): { parser: SaxesParser<{ xmlns: false; position: true }>; content: OcelContent } {
  const content: OcelContent = { objectTypes: [], objects: new Map(), events: [], format: 'OCEL 1.0 XML' };
  const parser = new SaxesParser({ xmlns: false, position: true });
  /** Element names from the root, with the `key` of each `<list>` in place of "list". */
  const stack: string[] = [];
  let event: OcelEvent | undefined;
  let object: (OcelObject & { id: string }) | undefined;
  let globalScope = '';
  parser.on('opentag', (tag) => {
    const name = tag.name;
    const key = bareKey(tag.attributes.key);
    const value = tag.attributes.value ?? '';
    const parent = stack[stack.length - 1];
    if (stack.length === 0 && name !== 'log') {
      throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an OCEL 1.0 log', where: path, got: `root element <${name}>`, fix: 'OCEL 1.0 XML has a <log> root with <events> and <objects>' });
    }
    if (name === 'trace') throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'not an OCEL log', where: path, got: '<trace> elements (an XES log)', fix: 'read it with --source xes' });
    if (name === 'global') globalScope = tag.attributes.scope ?? '';
    else if (name === 'event' && parent === 'events') event = { id: '', type: '', time: '', attributes: [], relationships: [] };
    else if (name === 'object' && parent === 'objects') object = { id: '', type: '', attributes: [] };
    else if (parent === 'object-types' && globalScope === 'log') content.objectTypes.push(value);
    else if (event && parent === 'event') {
      if (key === 'id') event.id = value;
      else if (key === 'activity') event.type = value;
      else if (key === 'timestamp') event.time = value;
    } else if (event && parent === 'omap') event.relationships.push({ objectId: value, qualifier: '' });
    else if (event && parent === 'vmap') event.attributes.push({ name: key, value });
    else if (object && parent === 'object') {
      if (key === 'id') object.id = value;
      else if (key === 'type') object.type = value;
    } else if (object && parent === 'ovmap') object.attributes.push({ name: key, time: '', value });
    stack.push(name === 'list' ? key : name);
  });
  parser.on('closetag', (tag) => {
    stack.pop();
    if (tag.name === 'global') globalScope = '';
    else if (tag.name === 'event' && event && stack[stack.length - 1] === 'events') {
      content.events.push(event.type === '' || event.time === '' ? `event ${event.id} has no activity or timestamp` : event);
      event = undefined;
    } else if (tag.name === 'object' && object && stack[stack.length - 1] === 'objects') {
      content.objects.set(object.id, { type: object.type, attributes: object.attributes });
      object = undefined;
    }
  });
  parser.on('end', () => {
    for (const { type } of content.objects.values()) if (type !== '' && !content.objectTypes.includes(type)) content.objectTypes.push(type);
  });
  parser.on('error', (error) => {
    throw new VsmError({ code: 'XML_PARSE', what: 'malformed XML', where: `${path}:${parser.line}:${parser.column + 1}`, got: error.message.replace(/^\d+:\d+: /, ''), fix: 'repair the file or export the OCEL log again' });
  });
  return { parser, content };
}
