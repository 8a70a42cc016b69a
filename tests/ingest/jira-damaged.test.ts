import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VsmError } from '../../src/errors.js';
import { readJira } from '../../src/ingest/jira.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { EventLog } from '../../src/model/event-log.js';
import { runCli } from '../cli/run-cli.js';

function statusesOf(log: EventLog): string[][] {
  const out: string[][] = [];
  for (let c = 0; c < log.caseCount; c++) {
    const row = [log.caseIds.valueOf(c) ?? ''];
    for (let i = log.caseStart[c]; i < log.caseStart[c + 1]; i++) row.push(`${log.activities.valueOf(log.activityCode[i])}@${new Date(log.timestampMs[i]).toISOString().slice(5, 13)}`);
    out.push(row);
  }
  return out;
}

describe('Jira: damaged items are skipped and counted (fixtures/jira/damaged-items.json)', () => {
  it('reads the rest and accounts for every item', async () => {
    const { log, report } = await readLog('fixtures/jira/damaged-items.json');
    // issues[0] = null → 1 bad-record. DMG-1: h1 status (used) + priority (ignored); h2 status → null (bad-value) + a null
    // item (bad-record); h3 status (used) + assignee given as an object (bad-value); h4 = null (bad-record).
    // DMG-2 ("fields": null): 1 status used. Keyless issue: status (missing-case) + Rank (ignored). issues[4] = 7 → bad-record.
    // read 12 = used 3 + rejected 7 (bad-record 4, bad-value 2, missing-case 1) + ignored 2.
    expect([report.rowsRead, report.rowsUsed, report.rowsRejected, report.rowsIgnored]).toEqual([12, 3, 7, 2]);
    expect(report.rejections['bad-record']?.count).toBe(4);
    expect(report.rejections['bad-value']?.count).toBe(2);
    expect(report.rejections['missing-case']?.count).toBe(1);
    expect(report.rejections['bad-record']?.examples[0].message).toBe('issues[0] is null, not an issue: skipped');
    expect(statusesOf(log)).toEqual([
      // Seeded "To Do" at creation 09:00, In Progress at 03-01 10:00, Done at 03-03 10:00 (the null status of 03-02 is rejected).
      ['DMG-1', 'To Do@03-01T09', 'In Progress@03-01T10', 'Done@03-03T10'],
      // No fields: seeded at its first change.
      ['DMG-2', 'To Do@03-04T10', 'In Progress@03-04T10'],
    ]);
    expect(report.notes).toContain('issue DMG-2 has "fields": null: no creation time or current status; only its changelog is read');
  });

  it('sniffs a search page whose first issue is null as Jira (not "no recognised export shape")', async () => {
    const { report } = await readLog('fixtures/jira/damaged-items.json');
    expect(report.format).toBe('jira');
  });

  it('{"issues":[]} says the export is empty (exit 2), with or without --source', async () => {
    await expect(readJira('fixtures/jira/empty-search.json', { source: 'jira' })).rejects.toMatchObject({ code: 'EMPTY_FILE', what: 'the Jira export is empty' });
    const error = await readLog('fixtures/jira/empty-search.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VsmError);
    expect((error as VsmError).what).toBe('the Jira export is empty');
    const cli = runCli(['inspect', 'fixtures/jira/empty-search.json', '--no-progress']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('the Jira export is empty');
  });
});

describe('Jira folder with a /rest/api/2/status list (fixtures/jira/status-list-folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vsm-jira-folder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The same two files with names that sort the other way round: issues first, status list last.
  const swapped = join(dir, 'swapped');
  mkdirSync(swapped);
  copyFileSync('fixtures/jira/status-list-folder/a-statuses.json', join(swapped, 'z-statuses.json'));
  copyFileSync('fixtures/jira/status-list-folder/b-search.json', join(swapped, 'a-search.json'));

  it('takes status categories from the list, with or without --source jira', async () => {
    for (const options of [{}, { source: 'jira' as const }]) {
      const { log } = await readLog('fixtures/jira/status-list-folder', options);
      // No issue is currently in "Backlog": its category comes only from the status list.
      expect(log.sourceStatusCategory.get('Backlog')).toBe('new');
      expect(log.sourceStatusCategory.get('Peer Check')).toBe('indeterminate');
      expect(log.sourceStatusCategory.get('Shipped')).toBe('done');
    }
  });

  it('gives the same log and counts whichever file sorts first', async () => {
    const a = await readLog('fixtures/jira/status-list-folder');
    const b = await readLog(swapped);
    expect(statusesOf(b.log)).toEqual(statusesOf(a.log));
    expect([...b.log.sourceStatusCategory]).toEqual([...a.log.sourceStatusCategory]);
    const counts = (r: typeof a.report) => [r.format, r.rowsRead, r.rowsUsed, r.rowsRejected, r.rowsIgnored, r.duplicatesDropped, r.ignored, r.timeRange];
    expect(counts(b.report)).toEqual(counts(a.report));
    // ST-1: Backlog (created 04-01 08) → Peer Check 04-02 08 → Shipped 04-03 08; ST-2: Backlog → Peer Check 04-02 09.
    expect(statusesOf(a.log)).toEqual([
      ['ST-1', 'Backlog@04-01T08', 'Peer Check@04-02T08', 'Shipped@04-03T08'],
      ['ST-2', 'Backlog@04-01T09', 'Peer Check@04-02T09'],
    ]);
  });

  it('a status list alone says it holds no issues', async () => {
    await expect(readLog('fixtures/jira/status-list-folder/a-statuses.json')).rejects.toMatchObject({ code: 'EMPTY_FILE', what: 'the Jira input holds a status list but no issues' });
  });
});
