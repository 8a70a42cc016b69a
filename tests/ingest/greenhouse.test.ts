import { describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { looksLikeGreenhouse, readGreenhouse } from '../../src/ingest/greenhouse.js';
import { caseEvents, enters, utc, visitDurationsMs } from './status-source-helpers.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const H = 3_600_000;

describe('readGreenhouse: stage-history traps (fixtures/hr/greenhouse-traps.json)', () => {
  const file = 'fixtures/hr/greenhouse-traps.json';

  it('orders shuffled rows, drops the repeated row and ends a rejected application in done', async () => {
    const { log, report } = await readGreenhouse(file, {});
    // 7 rows: id 2 twice; id 12 has an empty entered_at.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.duplicatesDropped]).toEqual([7, 5, 1, 1]);
    expect(report.rejections['bad-timestamp']?.examples[0].column).toBe('entered_at');
    expect(caseEvents(log, '700')).toEqual([
      { activity: 'Application Review', lifecycle: 'enter', timestampMs: utc('2024-02-01T09:00:00Z') },
      { activity: 'Phone Screen', lifecycle: 'enter', timestampMs: utc('2024-02-02T09:00:00Z') },
      { activity: 'Onsite', lifecycle: 'enter', timestampMs: utc('2024-02-05T14:00:00Z') },
      { activity: 'Rejected', lifecycle: 'enter', timestampMs: utc('2024-02-06T10:00:00Z') },
    ]);
    // 24 h; 02-02 09:00 → 02-05 14:00 = 77 h; 14:00 → next day 10:00 = 20 h.
    expect(visitDurationsMs(log, '700')).toEqual([['Application Review', 24 * H], ['Phone Screen', 77 * H], ['Onsite', 20 * H]]);
    expect(log.sourceStatusCategory.get('Phone Screen')).toBe('queue');
    expect(log.sourceStatusCategory.get('Rejected')).toBe('done');
  });

  it('labels stages by id when names are absent and leaves the current stage open', async () => {
    const { log, report } = await readGreenhouse(file, {});
    expect(enters(log, '701')).toEqual([
      ['stage 101', utc('2024-02-03T08:00:00Z')],
      ['stage 102', utc('2024-02-03T20:00:00Z')],
    ]);
    expect(visitDurationsMs(log, '701')).toEqual([['stage 101', 12 * H]]);
    expect(report.notes.some((n) => n.includes('labelled "stage <id>"'))).toBe(true);
  });

  it('names the right source when given a Lever export', async () => {
    const error = await readGreenhouse('fixtures/hr/lever-traps.json', { source: 'greenhouse' }).catch((e: unknown) => e);
    expect(isVsmError(error) && error.code).toBe('WRONG_SOURCE');
    expect(isVsmError(error) && error.fix).toBe('this looks like a lever export: pass --source lever');
  });

  it('sniffs stage rows only', () => {
    expect(looksLikeGreenhouse('{"rows":[{"id":1,"application_id":5,"entered_at":"2024-01-01T00:00:00Z"}]}')).toBe(true);
    expect(looksLikeGreenhouse('application_id,entered_at\n')).toBe(false);
  });
});

const SAMPLE = `${SHARED_DIR}/formats/samples/hr/greenhouse_v3_application_stages_SYNTHETIC.json`;
describe.skipIf(!hasShared(SAMPLE))('synthetic Greenhouse sample', () => {
  it('gives three stages of application 555, the last open', async () => {
    const { log, report } = await readGreenhouse(SAMPLE, {});
    expect([report.rowsRead, report.rowsUsed]).toEqual([3, 3]);
    // 02-01 09:00 → 02-03 15:20 = 54 h 20 m; → 02-10 11:00 = 163 h 40 m.
    expect(visitDurationsMs(log, '555')).toEqual([['stage 101', 54 * H + 20 * 60_000], ['stage 102', 163 * H + 40 * 60_000]]);
    expect(enters(log, '555').at(-1)).toEqual(['stage 103', utc('2024-02-10T11:00:00Z')]);
  });
});
