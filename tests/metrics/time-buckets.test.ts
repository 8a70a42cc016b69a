import { describe, expect, it } from 'vitest';
import { makeZoneClock } from '../../src/calendar/zone-clock.js';
import { MAX_FLOW_BUCKETS, planTimeBuckets } from '../../src/metrics/time-buckets.js';

const at = (iso: string) => Date.parse(iso);

describe('planTimeBuckets (issue 11 item 1)', () => {
  it('keeps one slot per ISO week when the span fits', () => {
    // Wed 2024-01-03 → Tue 2024-01-16: weeks of Mon 01-01, 01-08, 01-15.
    const buckets = planTimeBuckets(at('2024-01-03T10:00:00Z'), at('2024-01-16T10:00:00Z'), null);
    expect(buckets.unit).toBe('week');
    expect(buckets.startLabels).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(buckets.indexOf(at('2024-01-08T00:00:00Z'))).toBe(1);
    expect(buckets.indexOf(at('2024-01-07T23:59:59Z'))).toBe(0);
  });
  it('2024 → 9999-12-31 (416,000 weeks) becomes 80 centuries, within the cap', () => {
    const buckets = planTimeBuckets(at('2024-01-01T00:00:00Z'), at('9999-12-31T23:59:59Z'), null);
    // Weeks, months (95,952), quarters, years (7,976) and decades (798) exceed 260; centuries 2000…9900 = 80.
    expect(buckets.unit).toBe('century');
    expect(buckets.count).toBe(80);
    expect(buckets.startLabels[0]).toBe('2000-01-01');
    expect(buckets.startLabels[79]).toBe('9900-01-01');
    expect(buckets.indexOf(at('2024-06-01T00:00:00Z'))).toBe(0);
    expect(buckets.indexOf(at('9999-12-31T23:59:59Z'))).toBe(79);
  });
  it('an epoch of 8,600,000,000,000 s (year 274,493) stays within the cap', () => {
    const buckets = planTimeBuckets(at('2024-01-01T00:00:00Z'), 8_600_000_000_000_000, null);
    expect(buckets.count).toBeLessThanOrEqual(MAX_FLOW_BUCKETS);
    expect(buckets.unit).toBe('10 millennia');
    // 10-millennium buckets from year 0: 0, 10,000, …, 270,000 → 28.
    expect(buckets.count).toBe(28);
  });
  it('six years of weeks (313) become 73 months aligned to local midnight of the 1st in the zone', () => {
    const buckets = planTimeBuckets(at('2019-01-15T12:00:00Z'), at('2025-01-15T12:00:00Z'), makeZoneClock('Europe/Berlin'));
    expect(buckets.unit).toBe('month');
    // Jan 2019 … Jan 2025 = 6 × 12 + 1 months.
    expect(buckets.count).toBe(73);
    // Berlin midnight of 2019-02-01 is 2019-01-31T23:00Z (CET, +1 h).
    expect(buckets.boundaryMs[1]).toBe(at('2019-01-31T23:00:00Z'));
    expect(buckets.startLabels[1]).toBe('2019-02-01');
  });
});
