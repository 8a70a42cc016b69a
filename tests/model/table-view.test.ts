import { describe, expect, it } from 'vitest';
import { EventLogBuilder } from '../../src/model/event-log-builder.js';
import { eventTable } from '../../src/model/table-view.js';

describe('eventTable', () => {
  it('views the sorted log as an Arquero table with decoded strings', () => {
    const builder = new EventLogBuilder('activity');
    builder.push({ caseId: 'B', activity: 'Fix', timestampMs: Date.UTC(2024, 0, 2), resource: 'bob', sourceRow: 1, attributes: { channel: 'email' } });
    builder.push({ caseId: 'A', activity: 'Triage', timestampMs: Date.UTC(2024, 0, 1), sourceRow: 2, lifecycle: 'start' });
    builder.push({ caseId: 'B', activity: 'Triage', timestampMs: Date.UTC(2024, 0, 1), resource: 'ann', sourceRow: 3 });
    const view = eventTable(builder.build(), ['channel']);
    // Cases keep first-appearance order (B, A); inside B the Triage (Jan 1) sorts before Fix (Jan 2).
    expect(view.objects()).toEqual([
      { case: 'B', activity: 'Triage', timestamp: '2024-01-01T00:00:00.000Z', timestampMs: Date.UTC(2024, 0, 1), lifecycle: 'instant', resource: 'ann', group: null, channel: null },
      { case: 'B', activity: 'Fix', timestamp: '2024-01-02T00:00:00.000Z', timestampMs: Date.UTC(2024, 0, 2), lifecycle: 'instant', resource: 'bob', group: null, channel: 'email' },
      { case: 'A', activity: 'Triage', timestamp: '2024-01-01T00:00:00.000Z', timestampMs: Date.UTC(2024, 0, 1), lifecycle: 'start', resource: null, group: null, channel: null },
    ]);
    expect(view.groupby('activity').count().objects()).toEqual([
      { activity: 'Triage', count: 2 },
      { activity: 'Fix', count: 1 },
    ]);
  });
});
