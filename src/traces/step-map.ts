/**
 * Which step each status / activity belongs to, and its class (DESIGN §3): config steps first, in config order;
 * every other status / activity seen in the log becomes a step of its own. Classes come from the config, then
 * (status logs) the source's own category, then the name defaults of src/model/status-class.ts.
 */
import type { ReconstructionLog } from '../model/event-log.js';
import { LifecycleCode } from '../model/lifecycle.js';
import type { VsmConfig } from '../model/config-schema.js';
import { nameMatcher, type NameMatcher } from '../model/name-matcher.js';
import { defaultStatusClass, STATUS_CLASSES, type StatusClass } from '../model/status-class.js';
import type { StepDefinition } from './step-visits.js';

/** Status class codes: index into STATUS_CLASSES. */
export const ClassCode = { queue: 0, active: 1, waiting: 2, blocked: 3, done: 4 } as const satisfies Record<StatusClass, number>;

export interface StepMap {
  /** Provisional order: config steps, then others by first appearance (reconstruct re-orders them). */
  steps: StepDefinition[];
  /** By activity code: step code, -1 when excluded or not a status / activity with timing. */
  stepOfActivity: Int32Array;
  /** By activity code: ClassCode. */
  classOfActivity: Uint8Array;
  /** By activity code: 1 when reaching it is the case's outcome (done class or `done.activities`). */
  isOutcomeActivity: Uint8Array;
  /** By activity code: 1 when it is the configured trigger activity; null when the trigger is not an activity. */
  isTriggerActivity: Uint8Array | null;
  /** True when outcomes come from done statuses / configured activities, false when from the case's last event. */
  outcomeFromActivities: boolean;
  notes: string[];
}

/** Lifecycles whose events make visits: `enter` in status logs; timed lifecycles in activity logs. */
export function makesVisits(shape: ReconstructionLog['shape'], lifecycleCode: number): boolean {
  if (shape === 'status') return lifecycleCode === LifecycleCode.enter;
  return (
    lifecycleCode === LifecycleCode.start ||
    lifecycleCode === LifecycleCode.complete ||
    lifecycleCode === LifecycleCode.instant ||
    lifecycleCode === LifecycleCode.other
  );
}

function matcherOrNull(entries: readonly string[] | undefined): NameMatcher | null {
  return entries && entries.length > 0 ? nameMatcher(entries) : null;
}

/** Class override from `config.statuses` (exact names first, then patterns in config order). */
export function configuredClass(config: VsmConfig | undefined, name: string): StatusClass | undefined {
  const statuses = config?.statuses;
  if (!statuses) return undefined;
  if (Object.hasOwn(statuses, name) && !/^\/.+\/[a-z]*$/.test(name)) return statuses[name];
  for (const [key, statusClass] of Object.entries(statuses)) {
    if (nameMatcher([key]).matches(name)) return statusClass;
  }
  return undefined;
}

/** By activity code: 1 when some event of the activity makes visits (makesVisits). */
export function visitActivitiesOf(log: Pick<ReconstructionLog, 'activities' | 'shape' | 'lifecycle' | 'activityCode' | 'eventCount'>): Uint8Array {
  const activityCount = log.activities.size;
  const seen = new Uint8Array(activityCount);
  const { shape, lifecycle, activityCode, eventCount } = log;
  // Stops once every activity is seen: a few events of a big log with few activities (was a pass over all events).
  for (let i = 0, unseen = activityCount; i < eventCount && unseen > 0; i++) {
    const code = activityCode[i];
    if (seen[code] === 0 && makesVisits(shape, lifecycle[i])) {
      seen[code] = 1;
      unseen--;
    }
  }
  return seen;
}

export function buildStepMap(log: ReconstructionLog, config: VsmConfig | undefined): StepMap {
  return stepMapOf(log, visitActivitiesOf(log), config);
}

/**
 * The step map from the activities that make visits (`seen`, by activity code: visitActivitiesOf, or the event
 * store's summary when the events are not in memory) and the log's names.
 */
export function stepMapOf(log: Pick<ReconstructionLog, 'activities' | 'shape' | 'sourceStatusCategory'>, seen: Uint8Array, config: VsmConfig | undefined): StepMap {
  const activityCount = log.activities.size;
  const excluded = matcherOrNull(config?.exclude);
  const doneMatcher = matcherOrNull(config?.done?.activities);
  const trigger = config?.trigger;
  const triggerMatcher = typeof trigger === 'object' ? nameMatcher([trigger.activity]) : null;
  const notes: string[] = [];

  const stepOfActivity = new Int32Array(activityCount).fill(-1);
  const classOfActivity = new Uint8Array(activityCount);
  const isOutcomeActivity = new Uint8Array(activityCount);
  const isTriggerActivity = triggerMatcher ? new Uint8Array(activityCount) : null;
  const origins: string[] = new Array<string>(activityCount).fill('');

  for (let code = 0; code < activityCount; code++) {
    const name = log.activities.values[code];
    if (!seen[code] || name === '' || excluded?.matches(name)) continue;
    const override = configuredClass(config, name);
    let statusClass: StatusClass;
    if (override) {
      statusClass = override;
      origins[code] = 'config';
    } else if (log.shape === 'status') {
      const classified = defaultStatusClass(name, log.sourceStatusCategory.get(name));
      statusClass = classified.statusClass;
      origins[code] = classified.origin;
    } else {
      // An activity is work by definition; name defaults ("Closed" → done) would wrongly end cases early.
      statusClass = 'active';
      origins[code] = 'activity';
    }
    classOfActivity[code] = ClassCode[statusClass];
    if (doneMatcher?.matches(name) || statusClass === 'done') isOutcomeActivity[code] = 1;
    if (isTriggerActivity && triggerMatcher?.matches(name)) isTriggerActivity[code] = 1;
    stepOfActivity[code] = -2; // seen, not yet assigned
  }

  const steps: StepDefinition[] = [];
  const memberOf = (code: number) => ({
    name: log.activities.values[code],
    statusClass: STATUS_CLASSES[classOfActivity[code]],
    origin: origins[code],
  });
  for (const stepConfig of config?.steps ?? []) {
    const matcher = nameMatcher(stepConfig.members);
    const stepCode = steps.length;
    const members: StepDefinition['members'] = [];
    for (let code = 0; code < activityCount; code++) {
      if (stepOfActivity[code] !== -2 || !matcher.matches(log.activities.values[code])) continue;
      stepOfActivity[code] = stepCode;
      members.push(memberOf(code));
    }
    if (members.length === 0) notes.push(`config step "${stepConfig.name}" matches no status or activity in the log`);
    steps.push({
      name: stepConfig.name,
      members,
      valueClass: stepConfig.valueClass,
      owner: stepConfig.owner ?? null,
      system: stepConfig.system ?? null,
      outcome: log.shape === 'status' && members.length > 0 && members.every((m) => m.statusClass === 'done'),
    });
  }
  // The commitment point may name a config step: every status merged into it starts lead time.
  if (isTriggerActivity && triggerMatcher) {
    steps.forEach((step, stepCode) => {
      if (!triggerMatcher.matches(step.name)) return;
      for (let code = 0; code < activityCount; code++) if (stepOfActivity[code] === stepCode) isTriggerActivity[code] = 1;
    });
  }
  for (let code = 0; code < activityCount; code++) {
    if (stepOfActivity[code] !== -2) continue;
    stepOfActivity[code] = steps.length;
    const member = memberOf(code);
    steps.push({
      name: member.name,
      members: [member],
      valueClass: 'value-adding',
      owner: null,
      system: null,
      outcome: log.shape === 'status' && member.statusClass === 'done',
    });
  }

  const outcomeFromActivities = doneMatcher !== null || isOutcomeActivity.some((flag) => flag === 1);
  if (doneMatcher && !isOutcomeActivity.some((flag) => flag === 1)) {
    notes.push(`config done.activities matches nothing in the log: every case stays open (censored)`);
  }
  if (isTriggerActivity && !isTriggerActivity.some((flag) => flag === 1)) {
    notes.push(`config trigger activity matches nothing in the log: no case has a lead time`);
  }
  return { steps, stepOfActivity, classOfActivity, isOutcomeActivity, isTriggerActivity, outcomeFromActivities, notes };
}
