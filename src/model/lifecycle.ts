/**
 * What one event says about its activity or status (DESIGN §2).
 * - `instant`: a single-timestamp activity event (complete-only logs).
 * - `start` / `complete`: the two ends of an activity instance (paired FIFO per case and activity).
 * - `enter`: the case entered the status named by the activity (status-change logs).
 * - `owner`: the case's owner (resource / group) changed; the activity is unused (status-change logs).
 * - `block` / `unblock`: a flag that marks the case blocked (e.g. Jira "Flagged") was set / cleared.
 * - `schedule`, `other`: lifecycle transitions that are kept but carry no timing (e.g. BPIC 2012 SCHEDULE).
 */
export const LIFECYCLES = ['instant', 'start', 'complete', 'enter', 'owner', 'block', 'unblock', 'schedule', 'other'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const LifecycleCode = {
  instant: 0,
  start: 1,
  complete: 2,
  enter: 3,
  owner: 4,
  block: 5,
  unblock: 6,
  schedule: 7,
  other: 8,
} as const satisfies Record<Lifecycle, number>;

/**
 * Maps a source's lifecycle value (XES `lifecycle:transition`, a CSV column) to a Lifecycle.
 * Case-insensitive. Unknown values map to `other` so nothing is lost; the caller reports them.
 */
export function lifecycleFromSource(value: string | undefined): Lifecycle {
  if (value === undefined || value === '') return 'instant';
  switch (value.trim().toLowerCase()) {
    case 'start':
    case 'started':
    case 'begin':
    case 'resume':
      return 'start';
    case 'complete':
    case 'completed':
    case 'end':
    case 'suspend':
    case 'ate_abort':
    case 'pi_abort':
    case 'withdraw':
      return 'complete';
    case 'schedule':
    case 'assign':
    case 'reassign':
    case 'autoskip':
    case 'manualskip':
      return 'schedule';
    case 'instant':
      return 'instant';
    default:
      return 'other';
  }
}
