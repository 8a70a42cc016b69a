/**
 * Config `steps`, `exclude` and `trigger` pushed down (traces/step-map.ts in SQL): the names are matched in Node —
 * exact names and `/regex/` patterns with the same matcher as in memory — against the distinct activities of the
 * source, and the result travels as literal arrays. The event source is wrapped once:
 * - excluded statuses / activities are dropped (status logs: their `enter` events only, as status-intervals.ts skips
 *   them; activity logs: every event of theirs, as lifecycle.ts does);
 * - a status merged into a config step is renamed to the step (`transform` into literal arrays), so consecutive
 *   entries of one step are one visit, as in memory; an activity is renamed too, and instances are still paired per
 *   original activity (`raw_activity`); a case whose instances in memory merge into one visit is left out;
 * - `trigger_hit` marks the events of the trigger status / activity (or of any member of the config step it names).
 * Step classes follow the members (steps whose members differ in class leave their times unknown on status logs).
 */
import type { StatusClass } from '../../model/status-class.js';
import { defaultStatusClass } from '../../model/status-class.js';
import { nameMatcher, type StepConfig, type VsmConfig } from '../../model/config-schema.js';
import { configuredClass } from '../../traces/step-map.js';
import type { ClickHouseHttp } from './http-client.js';
import { sql, strArray } from './sql.js';
import type { EventSource } from './visit-sql.js';

/** A config step as report.json shows it: members with their class and where it came from. */
export interface ConfiguredStep {
  name: string;
  members: { name: string; statusClass: StatusClass; origin: string }[];
  valueClass: StepConfig['valueClass'];
  owner: string | null;
  system: string | null;
  /** The members' one class, or null when they differ (the in-memory class then follows the time split). */
  statusClass: StatusClass | null;
}

export interface ConfigScope {
  /** The wrapped source (the given one when the config has no steps, exclude or trigger). */
  source: EventSource;
  /** Whether the source carries `trigger_hit` (config trigger on a status / activity). */
  trigger: boolean;
  /** Config steps in config order (those matching nothing included, as in memory). */
  steps: ConfiguredStep[];
  /** Status logs: every step (config steps and the other kept statuses) with its class, as statusClasses returns them. */
  classes: { statuses: { name: string; category: string }[]; done: string[]; active: string[]; delay: string[] } | null;
  /** Status logs: the done-class statuses as the log names them (the outcome is the first entry to one, as in memory). */
  rawDone: string[] | null;
  /** Status logs: steps whose members differ in class (their time split is not pushed down). */
  mixedSteps: string[];
  /**
   * Activity logs: config steps of several activities. Instances are paired per activity (the source keeps
   * raw_activity); a case where two consecutive instances of such a step are of different activities would merge
   * them into one visit in memory (activity-visits.ts), which is not reconstructed here: it is left out (visit-sql.ts).
   */
  mergedActivities: string[];
  notes: string[];
}

/** Said in dataQuality.notes and sufficiency for cases left out at an explicit as-of (after the count). */
export const OPEN_AT_AS_OF = 'cases have a start not completed by the as-of: their open instances are not reconstructed by --engine clickhouse, so they are left out of every figure here';

/** Said in dataQuality.notes for cases left out because instances of a multi-activity config step would merge. */
export const MERGED_INSTANCES =
  'cases have consecutive instances of different activities of one config step, which are one visit in memory: merged instances are not reconstructed by --engine clickhouse, so they are left out of every figure here';

interface NameRow {
  activity: string;
  category: string;
  visits: string;
}

const CANONICAL = sql`case_id, timestamp_ms, start_ms, lifecycle, resource, \`group\`, status_category, file_index, source_row`;

/** Resolves the config against the source's names and wraps the source; a no-op without steps, exclude or trigger. */
export async function configScope(client: ClickHouseHttp, source: EventSource, config: VsmConfig | undefined): Promise<ConfigScope> {
  const hasTrigger = typeof config?.trigger === 'object';
  if (!config?.steps?.length && !config?.exclude?.length && !hasTrigger && !config?.done) return { source, trigger: false, steps: [], classes: null, rawDone: null, mixedSteps: [], mergedActivities: [], notes: [] };
  const status = source.shape === 'status';
  const makesVisits = status ? sql`lifecycle = 'enter'` : sql`lifecycle IN ('start', 'complete', 'instant', 'other')`;
  // Names in dictionary order (the first event naming each), as in memory: members are listed in that order.
  const rows = await client.rows<NameRow>(sql`SELECT activity, any(status_category) AS category, countIf(${makesVisits}) AS visits FROM ${source.from}
GROUP BY activity ORDER BY min(toUInt64(file_index) * 4294967296 + toUInt64(greatest(source_row, 0))), activity`);
  const excluded = config.exclude?.length ? nameMatcher(config.exclude) : null;
  const kept = rows.filter((row) => Number(row.visits) > 0 && row.activity !== '' && !excluded?.matches(row.activity));
  const classOf = (row: NameRow): { statusClass: StatusClass; origin: string } => {
    const override = configuredClass(config, row.activity);
    if (override) return { statusClass: override, origin: 'config' };
    if (status) return defaultStatusClass(row.activity, row.category || undefined);
    return { statusClass: 'active', origin: 'activity' };
  };
  const doneMatcher = config.done ? nameMatcher(config.done.activities) : null;
  const isDone = (row: NameRow): boolean => status && (doneMatcher?.matches(row.activity) === true || classOf(row).statusClass === 'done');

  const stepOf = new Map<string, string>();
  const steps: ConfiguredStep[] = [];
  const notes: string[] = [];
  for (const stepConfig of config.steps ?? []) {
    const matcher = nameMatcher(stepConfig.members);
    const members = kept.filter((row) => !stepOf.has(row.activity) && matcher.matches(row.activity));
    for (const member of members) stepOf.set(member.activity, stepConfig.name);
    if (members.length === 0) notes.push(`config step "${stepConfig.name}" matches no status or activity in the log`);
    const classes = new Set(members.map((member) => classOf(member).statusClass));
    steps.push({
      name: stepConfig.name,
      members: members.map((member) => ({ name: member.activity, statusClass: classOf(member).statusClass, origin: classOf(member).origin })),
      valueClass: stepConfig.valueClass,
      owner: stepConfig.owner ?? null,
      system: stepConfig.system ?? null,
      statusClass: classes.size === 1 ? [...classes][0] : members.length === 0 ? 'queue' : null,
    });
  }

  // The trigger: names matching it, and every member of a config step whose name matches it.
  const trigger = typeof config.trigger === 'object' ? nameMatcher([config.trigger.activity]) : null;
  const triggerNames = trigger === null ? [] : kept.filter((row) => trigger.matches(row.activity) || steps.some((step) => trigger.matches(step.name) && stepOf.get(row.activity) === step.name)).map((row) => row.activity);
  if (trigger !== null && triggerNames.length === 0) notes.push('config trigger activity matches nothing in the log: no case has a lead time');

  const dropped = rows.filter((row) => excluded?.matches(row.activity)).map((row) => row.activity);
  const from = Array.from(stepOf.keys());
  const to = from.map((name) => stepOf.get(name) as string);
  // Empty literal arrays are avoided: transform refuses them, and has([], x) needs a typed array on 18.16.
  const among = (names: string[]) => (names.length === 0 ? sql`0` : sql`has(${strArray(names)}, raw_activity)`);
  const keep = status ? sql`NOT (lifecycle = 'enter' AND ${among(dropped)})` : sql`NOT ${among(dropped)}`;
  const mapped = from.length === 0 ? sql`raw_activity` : sql`transform(raw_activity, ${strArray(from)}, ${strArray(to)}, raw_activity)`;
  const renamed = status ? sql`if(lifecycle = 'enter', ${mapped}, raw_activity)` : mapped;
  const hit = status ? sql`toUInt8(lifecycle = 'enter' AND ${among(triggerNames)})` : sql`toUInt8(${among(triggerNames)})`;
  const wrapped = sql`(SELECT ${CANONICAL}, ${renamed} AS activity, raw_activity, ${hit} AS trigger_hit FROM (SELECT ${CANONICAL}, activity AS raw_activity FROM ${source.from}) WHERE ${keep})`;

  let classes: ConfigScope['classes'] = null;
  const mixedSteps: string[] = [];
  if (status) {
    // Step-level classes: a config step by its members (one class; an outcome step, not a box, when every member is of
    // the done class), else the status. The outcome itself is the first entry to a done status (rawDone), which
    // config done.activities may name whatever its class (step-map.ts isOutcomeActivity).
    const others = kept.filter((row) => !stepOf.has(row.activity));
    const all = [
      ...steps.map((step) => ({ name: step.name, category: '', statusClass: step.statusClass, done: step.members.length > 0 && step.members.every((m) => m.statusClass === 'done') })),
      ...others.map((row) => ({ name: row.activity, category: row.category, statusClass: classOf(row).statusClass as StatusClass | null, done: classOf(row).statusClass === 'done' })),
    ];
    mixedSteps.push(...all.filter((step) => step.statusClass === null).map((step) => step.name));
    const live = all.filter((step) => !step.done);
    classes = {
      statuses: all.map((step) => ({ name: step.name, category: step.category })),
      done: all.filter((step) => step.done).map((step) => step.name),
      active: live.filter((step) => step.statusClass === 'active').map((step) => step.name),
      delay: live.filter((step) => step.statusClass === 'queue' || step.statusClass === 'waiting').map((step) => step.name),
    };
  }
  const mergedActivities = status ? [] : steps.filter((step) => step.members.length > 1).map((step) => step.name);
  const rawDone = status ? kept.filter(isDone).map((row) => row.activity) : null;
  return { source: { ...source, from: wrapped }, trigger: trigger !== null, steps, classes, rawDone, mixedSteps, mergedActivities, notes };
}
