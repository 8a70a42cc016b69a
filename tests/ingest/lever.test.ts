import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { looksLikeLever, readLever } from '../../src/ingest/lever.js';
import { caseEvents, enters, utc, visitDurationsMs } from './status-source-helpers.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const H = 3_600_000;
const D = 24 * H;

describe('readLever: opportunity traps (fixtures/hr/lever-traps.json)', () => {
  const file = 'fixtures/hr/lever-traps.json';

  it('orders shuffled stage changes, keeps the backward move, ends in Archived and drops the repeated opportunity', async () => {
    const { log, report } = await readLever(file, {});
    // opp-1: 5 stage changes + archive = 6 rows, repeated (6 duplicates); opp-2: 1 row (no stage changes).
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([13, 7, 0, 6]);
    expect(caseEvents(log, 'opp-1')).toEqual([
      { activity: 'lead-new', lifecycle: 'enter', timestampMs: utc('2024-01-01T10:00:00Z') },
      { activity: 'applicant-new', lifecycle: 'enter', timestampMs: utc('2024-01-02T10:00:00Z') },
      { activity: 'phone-screen', lifecycle: 'enter', timestampMs: utc('2024-01-08T10:00:00Z') },
      { activity: 'applicant-new', lifecycle: 'enter', timestampMs: utc('2024-01-09T10:00:00Z') },
      { activity: 'phone-screen', lifecycle: 'enter', timestampMs: utc('2024-01-15T10:00:00Z') },
      { activity: 'Archived', lifecycle: 'enter', timestampMs: utc('2024-01-25T12:00:00Z') },
    ]);
    // epoch ms differences: 1 d, 6 d, 1 d, 6 d, 10 d 2 h.
    expect(visitDurationsMs(log, 'opp-1').map(([, ms]) => ms)).toEqual([D, 6 * D, D, 6 * D, 10 * D + 2 * H]);
    expect(log.sourceStatusCategory.get('phone-screen')).toBe('queue');
    expect(log.sourceStatusCategory.get('Archived')).toBe('done');
  });

  it('seeds an opportunity without stage changes at createdAt with its current stage', async () => {
    const { log } = await readLever(file, {});
    expect(enters(log, 'opp-2')).toEqual([['lead-new', utc('2024-01-01T10:00:00Z')]]);
  });

  it('names the right source when given a Greenhouse export', async () => {
    const error = await readLever('fixtures/hr/greenhouse-traps.json', { source: 'lever' }).catch((e: unknown) => e);
    expect(isVsmError(error) && error.code).toBe('WRONG_SOURCE');
    expect(isVsmError(error) && error.fix).toBe('this looks like a greenhouse export: pass --source greenhouse');
  });

  it('sniffs opportunities with stageChanges only', () => {
    expect(looksLikeLever('{"data":[{"id":"x","stageChanges":[]}]}')).toBe(true);
    expect(looksLikeLever('{"rows":[{"application_id":1,"entered_at":"x"}]}')).toBe(false);
  });
});

const SAMPLE = `${SHARED_DIR}/formats/samples/hr/lever_opportunity_SYNTHETIC.json`;
describe.skipIf(!hasShared(SAMPLE))('synthetic Lever sample', () => {
  it('reads the lead-new → … → offer path with its applicant-new ↔ phone-screen loop', async () => {
    const { log, report } = await readLever(SAMPLE, {});
    expect([report.rowsRead, report.rowsUsed]).toEqual([6, 6]);
    const id = '00000000-0000-4000-8000-000000000001';
    expect(enters(log, id).map(([s]) => s)).toEqual(['lead-new', 'applicant-new', 'phone-screen', 'applicant-new', 'phone-screen', 'offer']);
    // last visit: 1705312800000 → 1706184000000 = 871,200,000 ms = 10 d 2 h.
    expect(visitDurationsMs(log, id).at(-1)).toEqual(['phone-screen', 10 * D + 2 * H]);
  });
});
