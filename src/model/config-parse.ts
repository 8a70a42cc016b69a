/**
 * The shape of `vsm.config.json`: one zod schema is both the runtime check and the type (STYLE.md).
 * Every config key is optional: an empty `{}` is a valid config, and the data names what the config leaves out
 * (DESIGN §3 "Where the config is silent, the data names them").
 * Loaded only to read a config (cli/config-file.ts, the library): the analysis takes the types and nameMatcher from
 * config-schema.ts, which loads no zod (issue 14, start-up).
 */
import { z } from 'zod';
import { CalendarSpecSchema } from '../calendar/calendar-spec-schema.js';
import { VsmError } from '../errors.js';
import { compileNamePattern, isPatternEntry } from './name-pattern.js';
import { STATUS_CLASSES, VALUE_CLASSES } from './status-class.js';

/** `/pattern/flags` in a name list is a regular expression (see name-pattern.ts); anything else is an exact name. */
const NameOrPatternSchema = z
  .string()
  .min(1, 'expected a status / activity name or a /regex/')
  .superRefine((text, context) => {
    if (!isPatternEntry(text)) return;
    const compiled = compileNamePattern(text);
    if (!compiled.ok) context.addIssue({ code: 'custom', message: `not a valid regular expression: ${compiled.reason}` });
  });

export const StepConfigSchema = z.strictObject({
  name: z.string().min(1),
  /** Statuses or activities merged into this step: exact names or `/regex/` patterns. */
  members: z.array(NameOrPatternSchema).min(1),
  owner: z.string().min(1).optional(),
  system: z.string().min(1).optional(),
  valueClass: z.enum(VALUE_CLASSES).default('value-adding'),
});

export const VsmConfigSchema = z.strictObject({
  /** Status (or `/regex/`) → class, overriding the source's category and the name defaults. */
  statuses: z.record(NameOrPatternSchema, z.enum(STATUS_CLASSES)).optional(),
  /** Ordered steps of the map; statuses / activities not listed become a step of their own. */
  steps: z.array(StepConfigSchema).optional(),
  /** Activities / statuses dropped before reconstruction (e.g. artificial `Start` / `End` events). */
  exclude: z.array(NameOrPatternSchema).optional(),
  /**
   * Where lead time starts — the commitment point: case creation (default), the case's first event, or the first
   * entry to a status / activity (name or `/regex/`) or to any status merged into a config step of that name.
   * Time before it is backlog, outside lead time (docs/incomplete-exports.md "The commitment point").
   */
  trigger: z.union([z.enum(['created', 'first-event']), z.strictObject({ activity: NameOrPatternSchema })]).optional(),
  /** Where lead time ends: default the first entry to a done-class status, else the case's last event. */
  done: z.strictObject({ activities: z.array(NameOrPatternSchema).min(1) }).optional(),
  /** Owner of a visit: default `group` when the log has groups, else `resource`. */
  ownerLevel: z.enum(['resource', 'group']).optional(),
  /** A step's system: an event attribute (its dominant value per step) or one fixed name. */
  system: z.union([z.string().min(1), z.strictObject({ attribute: z.string().min(1) })]).optional(),
  calendar: CalendarSpecSchema.optional(),
  /**
   * Per resource (person or bot): its working calendar, as a `--calendar` spec string
   * ("UTC Mon-Fri 10:00-12:00,12:30-20:00") or a calendar object. Used for wait causes and start estimation.
   */
  resources: z.record(z.string().min(1), z.strictObject({ calendar: z.union([z.string().min(1), CalendarSpecSchema]) })).optional(),
  /** Start-time estimation for single-timestamp logs (docs/wait-causes.md). */
  estimate: z
    .strictObject({
      /** Activities that take no time (their start is their completion). */
      instantActivities: z.array(NameOrPatternSchema).optional(),
      /** Resources that are bots (their work takes no time). */
      botResources: z.array(NameOrPatternSchema).optional(),
      /** Re-estimate a duration above this multiple of its activity's median estimated duration (default 10; a huge value such as 1e9 turns repair off). */
      outlierMultiple: z.number().positive().optional(),
    })
    .optional(),
  /** ISO instant at which open cases are censored (default: the log's last timestamp). */
  asOf: z.iso.datetime({ offset: true }).optional(),
});

export type VsmConfig = z.infer<typeof VsmConfigSchema>;
export type StepConfig = z.infer<typeof StepConfigSchema>;

const KEYS_BY_OBJECT: Record<string, readonly string[]> = {
  '': Object.keys(VsmConfigSchema.shape),
  step: Object.keys(StepConfigSchema.shape),
  trigger: ['activity'],
  done: ['activities'],
  system: ['attribute'],
  calendar: ['kind', 'timeZone', 'workingDays', 'hours', 'holidays'],
  estimate: ['instantActivities', 'botResources', 'outlierMultiple'],
};

/** Which object's keys apply at a path, for "did you mean" hints. */
function objectKindAt(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  if (path[0] === 'steps' && path.length === 2) return 'step';
  return String(path[0]);
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest known key, when close enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text;
}

/** One zod issue as a VsmError: where = file + dotted path, got = the offending value, fix = what to write. */
function issueToError(issue: z.core.$ZodIssue, root: unknown, file: string): VsmError {
  const dotted = issue.path.map(String).join('.');
  const where = dotted === '' ? file : `${file} ${dotted}`;
  if (issue.code === 'unrecognized_keys') {
    const known = KEYS_BY_OBJECT[objectKindAt(issue.path)] ?? [];
    const key = issue.keys[0];
    const suggestion = closestKey(key, known);
    return new VsmError({
      code: 'BAD_CONFIG',
      what: `unknown config key "${key}"`,
      where: dotted === '' ? `${file} ${key}` : `${file} ${dotted}.${key}`,
      got: shown(valueAt(root, [...issue.path, key])),
      fix: suggestion ? `did you mean "${suggestion}"?` : `known keys here: ${known.join(', ')}`,
    });
  }
  if (issue.code === 'invalid_key') {
    // A record key (a status name or /pattern/ under "statuses") failed its own check: say which check.
    const inner = issue.issues[0]?.message ?? issue.message;
    return new VsmError({ code: 'BAD_CONFIG', what: `config invalid: ${inner}`, where, got: shown(issue.path[issue.path.length - 1]), fix: /regular expression/.test(inner) ? 'write a pattern RE2 accepts, e.g. "/^Waiting/i", or an exact status name' : fixFor(issue.path) });
  }
  return new VsmError({
    code: 'BAD_CONFIG',
    what: `config invalid: ${issue.message}`,
    where,
    got: shown(valueAt(root, issue.path)),
    fix: fixFor(issue.path),
  });
}

function fixFor(path: readonly PropertyKey[]): string {
  const head = String(path[0] ?? '');
  switch (head) {
    case 'statuses':
      return `map a status to one of ${STATUS_CLASSES.join(' | ')}, e.g. "statuses": { "Waiting for Customer": "waiting" }`;
    case 'steps':
      return `write each step as { "name": "Review", "members": ["In Review", "/^QA/"], "valueClass": "${VALUE_CLASSES.join('" | "')}" }`;
    case 'trigger':
      return 'use "created", "first-event" or { "activity": "In Progress" } (a status, activity or config step name: the commitment point)';
    case 'done':
      return 'use { "activities": ["Close ticket"] }';
    case 'ownerLevel':
      return 'use "resource" or "group"';
    case 'system':
      return 'use a fixed name ("Jira") or { "attribute": "channel" }';
    case 'calendar':
      return 'use { "kind": "24x7" } or { "kind": "business", "timeZone": "Europe/Berlin", "workingDays": [1,2,3,4,5], "hours": [{ "start": "09:00", "end": "17:00" }], "holidays": [] }';
    case 'resources':
      return 'write { "resources": { "Ann": { "calendar": "Europe/Berlin Mon-Fri 09:00-17:00" } } }';
    case 'estimate':
      return 'write { "estimate": { "instantActivities": ["Notify"], "botResources": ["/bot/i"], "outlierMultiple": 10 } }';
    case 'asOf':
      return 'write an ISO instant with offset, e.g. "2024-09-30T23:59:59Z"';
    default:
      return 'see vsm.config.json in docs/commands.md';
  }
}

/** Validates an already-parsed value; throws the first issue as a VsmError(BAD_CONFIG). */
export function validateConfig(value: unknown, file: string): VsmConfig {
  const result = VsmConfigSchema.safeParse(value);
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0], value, file);
}

/** All issues of an invalid config, one VsmError each (for `vsm inspect` listing every problem at once). */
export function configErrors(value: unknown, file: string): VsmError[] {
  const result = VsmConfigSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issueToError(issue, value, file));
}

/** Parses the text of `vsm.config.json`; JSON syntax and schema problems become VsmError(BAD_CONFIG). */
export function parseConfig(text: string, file: string): VsmConfig {
  let value: unknown;
  try {
    // A byte-order mark (Windows editors write one) is not JSON but is no reason to refuse the file.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new VsmError({
      code: 'BAD_CONFIG',
      what: 'config is not valid JSON',
      where: file,
      got: error instanceof Error ? error.message : String(error),
      fix: 'check for trailing commas and unquoted keys (the config is plain JSON)',
    });
  }
  return validateConfig(value, file);
}
