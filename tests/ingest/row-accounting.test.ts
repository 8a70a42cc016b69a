import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import type { IngestReport } from '../../src/ingest/ingest-report.js';
import { readLog } from '../../src/ingest/read-log.js';
import { SHARED_DIR } from '../shared-dir.js';

/**
 * docs/ingest-accounting.md: for every input, rowsRead = rowsUsed + rowsRejected + rowsIgnored + duplicatesDropped,
 * and `ignored` sums to rowsIgnored. Run over every format sample in ../shared/formats and every fixture.
 */
const SAMPLES = join(SHARED_DIR, 'formats', 'samples');
const FIXTURES = 'fixtures';
/** Fixture folders that are not logs (config, rendered reports). */
const NOT_LOGS = new Set(['config', 'render']);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (dir === FIXTURES && NOT_LOGS.has(name)) continue;
      out.push(...filesUnder(path));
      // A folder of pages is an input too (paged changelogs, overlapping pages, a Jira status list beside issues).
      if (readdirSync(path).every((inner) => /\.(json|csv)$/.test(inner))) out.push(path);
    } else if (!/\.(md|mjs)$/.test(name) && !name.endsWith('vsm.config.json')) out.push(path);
  }
  return out;
}

function expectAccounted(report: IngestReport): void {
  expect(report.rowsRead).toBe(report.rowsUsed + report.rowsRejected + report.rowsIgnored + report.duplicatesDropped);
  expect(Object.values(report.ignored).reduce((a, b) => a + b, 0)).toBe(report.rowsIgnored);
  const rejected = Object.values(report.rejections).reduce((a, group) => a + (group?.count ?? 0), 0);
  expect(rejected).toBe(report.rowsRejected);
}

/** Reads `path`; a clean VsmError (not INTERNAL) is an accepted outcome for inputs that are traps, never another exception. */
async function readAccounted(path: string): Promise<IngestReport | string> {
  try {
    const { report } = await readLog(path);
    expectAccounted(report);
    return report;
  } catch (error) {
    if (!isVsmError(error) || error.code === 'INTERNAL') throw error;
    return error.code;
  }
}

describe.skipIf(!existsSync(SAMPLES))('row accounting on every format sample (../shared/formats/samples)', () => {
  const samples = existsSync(SAMPLES) ? filesUnder(SAMPLES).filter((path) => !path.endsWith('SOURCES.md')) : [];
  it.each(samples.map((path) => [relative(SAMPLES, path), path]))('%s', async (_name, path) => {
    await readAccounted(path);
  });

  it('GitHub repo events page: 30 events = 14 used + 16 ignored (hand-counted)', async () => {
    const { report } = await readLog(join(SAMPLES, 'github', 'pygithub_repo_issues_events_page.json'));
    // 30 events: 12 subscribed + 3 referenced (not state events) → ignored 15; 9 assigned + 6 closed → 15 state events.
    // Issue #28 is assigned twice to the same user (ids 15820048 and 16333938, old API: actor = assignee): the
    // second changes nothing → ignored. Used = 8 assigned + 6 closed = 14; ignored = 15 + 1 = 16.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored, report.duplicatesDropped]).toEqual([30, 14, 0, 16, 0]);
    expect(report.ignored).toEqual({
      'not a status/owner change: event subscribed': 12,
      'not a status/owner change: event referenced': 3,
      'assigned that changes neither status nor owner': 1,
    });
  });

  it('Zendesk audits page: 863 audit events = 90 used + 773 ignored (hand-counted)', async () => {
    const { report } = await readLog(join(SAMPLES, 'zendesk', 'zenpy_ticket_audits_page.json'));
    // 91 audits with 863 events. Used: Create status 86 + Change status 2 + Create assignee_id 1 + Create group_id 1 = 90.
    // Ignored: 88 Comment events + 685 Create/Change events of other fields (requester_id 86, subject 86, …) = 773.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([863, 90, 0, 773]);
    expect(report.ignored['not a status/owner change: event Comment']).toBe(88);
    expect(report.ignored['not a status/owner change: field priority']).toBe(86); // Create 85 + Change 1
  });

  it('Zendesk Fivetran field history CSV: 20 rows, all status rows, all used', async () => {
    const { report } = await readLog(join(SAMPLES, 'zendesk', 'fivetran_ticket_field_history_data.csv'));
    // 21 lines = header + 20 rows, every field_name is "status".
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([20, 20, 0, 0]);
  });

  it('Jira SP-10: 12 changelog items = 8 status/assignee used + 4 other fields ignored', async () => {
    const { report } = await readLog(join(SAMPLES, 'jira', 'jirametrics_SP-10.json'));
    expect([report.rowsRead, report.rowsUsed, report.rowsIgnored]).toEqual([12, 8, 4]);
    expect(report.ignored).toEqual({
      'not a status/owner change: field priority': 2,
      'not a status/owner change: field Rank': 1,
      'not a status/owner change: field resolution': 1,
    });
  });
});

describe('row accounting on every fixture', () => {
  it.each(filesUnder(FIXTURES).map((path) => [path]))('%s', async (path) => {
    await readAccounted(path);
  });

  it('Zendesk field-history fixture: 7 rows = 4 used + 1 rejected + 1 ignored + 1 duplicate', async () => {
    const { report } = await readLog('fixtures/zendesk/field-history.csv');
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored, report.duplicatesDropped]).toEqual([7, 4, 1, 1, 1]);
    expect(report.ignored).toEqual({ 'not a status/owner change: field priority': 1 });
  });
});

describe('null and non-object items are skipped and counted in every JSON adapter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-null-items-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const event = (id: number, kind: string, at: string) => ({
    id,
    event: kind,
    created_at: at,
    actor: { login: 'ann' },
    issue: { number: 1, url: 'https://api.github.com/repos/o/r/issues/1', created_at: '2024-01-01T00:00:00Z', state: 'closed' },
  });

  it('GitHub: a null event is one bad-record row; the closed event still counts', async () => {
    const { report } = await readLog(write('events.json', [null, event(1, 'closed', '2024-01-02T00:00:00Z'), event(2, 'subscribed', '2024-01-01T01:00:00Z')]));
    // 3 items: null → rejected; closed → used (Open → Closed); subscribed → ignored.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([3, 1, 1, 1]);
    expect(report.rejections['bad-record']?.count).toBe(1);
  });

  it('Zendesk: a null audit and a null audit event are rejected rows', async () => {
    const audit = {
      id: 1,
      ticket_id: 7,
      created_at: '2024-01-01T00:00:00Z',
      author_id: 3,
      events: [null, { id: 11, type: 'Create', field_name: 'status', value: 'new' }, { id: 12, type: 'Comment', body: 'hi' }],
    };
    const { report } = await readLog(write('audits.json', { audits: [null, audit], next_page: null, count: 2 }));
    // audits[0] null (1 rejected) + events: null (rejected), Create status (used), Comment (ignored) = 4 rows.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([4, 1, 2, 1]);
  });

  it('Greenhouse: a null stage row is one bad-record row', async () => {
    const row = { id: 1, application_id: 5, job_interview_stage_id: 'Screen', entered_at: '2024-01-01T00:00:00Z' };
    const { report } = await readLog(write('stages.json', [row, null]), { source: 'greenhouse' });
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected]).toEqual([2, 1, 1]);
    expect(report.rejections['bad-record']?.count).toBe(1);
  });

  it('Lever: a null opportunity and a null stage change are rejected rows', async () => {
    const opportunity = { id: 'op1', createdAt: 1704067200000, stage: 'lead', stageChanges: [{ toStageId: 'lead', updatedAt: 1704067200000 }, null] };
    const { report } = await readLog(write('opportunities.json', { data: [opportunity, null], hasNext: false }), { source: 'lever' });
    expect(report.rejections['bad-record']?.count).toBe(2);
    expectAccounted(report);
  });
});
