import type { EventLog } from '../../src/model/event-log.js';

/** Every column and dictionary of a log as plain data, so two logs compare with one toEqual. */
export function logSnapshot(log: EventLog): Record<string, unknown> {
  const column = (values: ArrayLike<number> | undefined) => (values === undefined ? undefined : Array.from(values));
  return {
    shape: log.shape,
    eventCount: log.eventCount,
    caseCount: log.caseCount,
    caseIds: log.caseIds.values,
    activities: log.activities.values,
    resources: log.resources.values,
    groups: log.groups.values,
    caseCode: column(log.caseCode),
    activityCode: column(log.activityCode),
    resourceCode: column(log.resourceCode),
    groupCode: column(log.groupCode),
    // NaN compares equal to NaN in toEqual.
    timestampMs: column(log.timestampMs),
    startTimestampMs: column(log.startTimestampMs),
    lifecycle: column(log.lifecycle),
    fileIndex: column(log.fileIndex),
    sourceRow: column(log.sourceRow),
    caseStart: column(log.caseStart),
    attributes: [...log.attributes].map(([name, a]) => [name, a.dictionary.values, column(a.codes)]),
    caseAttributes: [...log.caseAttributes].map(([name, a]) => [name, a.dictionary.values, column(a.codes)]),
  };
}
