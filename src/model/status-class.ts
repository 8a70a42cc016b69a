/**
 * Status classes (DESIGN §3, FORMATS.md §9). Every default here can be overridden per status in
 * vsm.config.json; `vsm inspect` shows where each class came from.
 */
export const STATUS_CLASSES = ['queue', 'active', 'waiting', 'blocked', 'done'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export const VALUE_CLASSES = ['value-adding', 'necessary', 'waste'] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];

/** Where a status's class came from, shown to the user so a wrong guess is one edit away. */
export type ClassOrigin = 'config' | 'source-category' | 'name-default' | 'fallback';

export interface ClassifiedStatus {
  status: string;
  statusClass: StatusClass;
  origin: ClassOrigin;
}

/** Source categories (Jira statusCategory keys, Zendesk/ServiceNow states) → class. */
const CATEGORY_CLASSES: Record<string, StatusClass> = {
  new: 'queue',
  indeterminate: 'active',
  done: 'done',
  queue: 'queue',
  active: 'active',
  waiting: 'waiting',
  blocked: 'blocked',
};

/** Name patterns, tried in order; the first match wins. Case-insensitive. */
const NAME_PATTERNS: readonly [RegExp, StatusClass][] = [
  [/\b(blocked|impediment|on hold by team)\b/i, 'blocked'],
  [/\b(hold|on hold|awaiting (problem|vendor|change)|third party)\b/i, 'blocked'],
  [/\b(pending|waiting (for|on) (customer|requester|user|reporter|response|info)|awaiting (user|caller|customer)( info)?|needs[- ]info|wait - user|wait - customer)\b/i, 'waiting'],
  [/\b(done|closed|resolved|solved|complete|completed|cancel+ed|rejected|won|lost|hired|archived|released|deployed)\b/i, 'done'],
  [/\b(to do|todo|backlog|new|open(ed)? for triage|queued?|ready|selected|triage|awaiting assignment|unassigned|created|waiting)\b/i, 'queue'],
  [/\b(in progress|doing|working|active|review|testing|test|qa|develop|dev|analysis|investigat|open|escalated|accepted)\b/i, 'active'],
];

/**
 * The default class of a status: the source's own category when known (Jira `indeterminate` statuses named like
 * "Ready…"/"Selected…"/"Waiting…" are queues, not active work), else a name pattern, else `active`.
 */
export function defaultStatusClass(status: string, sourceCategory?: string): ClassifiedStatus {
  const category = sourceCategory?.toLowerCase();
  if (category !== undefined && CATEGORY_CLASSES[category] !== undefined) {
    let statusClass = CATEGORY_CLASSES[category];
    // Jira boards put hand-over columns in the `indeterminate` category: "Ready for QA", "Selected for Development",
    // "Dev Done" (done with one stage, waiting for the next) are queues, not active work.
    if (category === 'indeterminate' && /\b(ready|selected|to review|waiting|queued?|done)\b/i.test(status)) statusClass = 'queue';
    return { status, statusClass, origin: 'source-category' };
  }
  for (const [pattern, statusClass] of NAME_PATTERNS) {
    if (pattern.test(status)) return { status, statusClass, origin: 'name-default' };
  }
  return { status, statusClass: 'active', origin: 'fallback' };
}
