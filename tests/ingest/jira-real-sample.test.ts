import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJira } from '../../src/ingest/jira.js';
import { type EventLog, lifecycleOf } from '../../src/model/event-log.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const DATA = `${SHARED_DIR}/data/jira`;
const SAMPLES = `${SHARED_DIR}/formats/samples/jira`;

interface Visit {
  status: string;
  enteredAtMs: number;
}

/** The `enter` events of one case in log order: our status visits. */
function visitsOf(log: EventLog, caseId: string): Visit[] {
  const code = log.caseIds.codeOf(caseId);
  const visits: Visit[] = [];
  for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
    if (lifecycleOf(log, i) === 'enter') visits.push({ status: log.activities.values[log.activityCode[i]], enteredAtMs: log.timestampMs[i] });
  }
  return visits;
}

/** The `Workflow:` block of jira-to-analytics' config-v2.yaml (a tiny YAML subset: `Stage:` / `Stage: Status` / `- Status`). */
function workflowStages(yamlText: string): { stage: string; statuses: string[] }[] {
  const stages: { stage: string; statuses: string[] }[] = [];
  let inWorkflow = false;
  for (const raw of yamlText.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    if (/^\S/.test(line)) inWorkflow = line.startsWith('Workflow:');
    else if (inWorkflow && line.trim() !== '') {
      const item = /^\s+-\s+(.+)$/.exec(line);
      const stage = /^\s+([^:]+):\s*(.*)$/.exec(line);
      if (item) stages[stages.length - 1].statuses.push(item[1].trim());
      else if (stage) stages.push({ stage: stage[1].trim(), statuses: stage[2] ? [stage[2].trim()] : [] });
    }
  }
  return stages;
}

/** YYYY-MM-DD in America/New_York: the zone of the sample's author, i.e. the issue's own -0500/-0400 offsets. */
const newYorkDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

describe.skipIf(!hasShared(`${DATA}/jira_issues_changelog.json`))('Jira: real Cloud search response (jira-to-analytics)', () => {
  it('reads 25 issues and 64 status changes (MANIFEST), each seeded at creation', async () => {
    const { log, report } = await readJira(`${DATA}/jira_issues_changelog.json`, {});
    expect(log.shape).toBe('status');
    expect(log.caseCount).toBe(25);
    // 93 changelog items = 64 status changes (used) + 25 Workflow + 4 resolution items (ignored).
    expect(report.rowsRead).toBe(93);
    expect(report.rowsUsed).toBe(64);
    expect(report.ignored).toEqual({ 'not a status/owner change: field Workflow': 25, 'not a status/owner change: field resolution': 4 });
    // 64 changes + 25 initial "Backlog" visits at `fields.created`.
    let enters = 0;
    for (let i = 0; i < log.eventCount; i++) if (lifecycleOf(log, i) === 'enter') enters++;
    expect(enters).toBe(89);
    expect(report.timeZone.offsetsSeen).toEqual(['-04:00', '-05:00']);
    expect(report.notes.some((n) => n.includes('Workflow'))).toBe(true);
    // Current statuses carry Jira's category; "Backlog" appears only in the changelog.
    expect(log.sourceStatusCategory.get('Done')).toBe('done');
    expect(log.sourceStatusCategory.get('Dev Active')).toBe('indeterminate');
    expect(log.sourceStatusCategory.has('Backlog')).toBe(false);
    expect(report.notes.some((n) => n.includes('classed by name') && n.includes('Backlog'))).toBe(true);
    const attribute = log.caseAttributes.get('issuetype');
    expect(attribute?.dictionary.valueOf(attribute.codes[log.caseIds.codeOf('UT-26')])).toBe('Bug');
  });

  it('keeps every visit, yet derives exactly the expected stage dates of jira-to-analytics (their "backward move clears later stages" rule)', async () => {
    const { log } = await readJira(`${DATA}/jira_issues_changelog.json`, {});
    const stages = workflowStages(readFileSync(`${DATA}/config-v2.yaml`, 'utf8'));
    expect(stages.map((s) => s.stage)).toEqual(['Backlog', 'Analysis Active', 'Analysis Done', 'Dev Active', 'Dev Done', 'Test', 'Done']);
    const stageIndex = new Map(stages.flatMap((s, k) => s.statuses.map((status) => [status, k] as const)));
    const [header, ...rows] = readFileSync(`${DATA}/expected_stage_dates.csv`, 'utf8').trim().split(/\r?\n/).map((line) => line.split(','));
    let compared = 0;
    for (const row of rows) {
      const visits = visitsOf(log, row[0]);
      // Their rule applied to OUR visits: a move to an earlier stage clears the later stages' dates;
      // a stage keeps its first entry otherwise. Our seed visit (status at creation) is their "(Created)".
      const dates: (string | undefined)[] = stages.map(() => undefined);
      let previous = -1;
      for (const visit of visits) {
        const k = stageIndex.get(visit.status) as number;
        if (k < previous) for (let j = k + 1; j < dates.length; j++) dates[j] = undefined;
        dates[k] ??= newYorkDate.format(visit.enteredAtMs);
        previous = k;
      }
      for (const [k, stage] of stages.entries()) {
        const expected = row[header.indexOf(stage.stage)];
        expect({ issue: row[0], stage: stage.stage, date: dates[k] ?? '' }).toEqual({ issue: row[0], stage: stage.stage, date: expected });
        compared++;
      }
    }
    expect(compared).toBe(25 * 7);
    // What we keep and they erase: UT-37 went Backlog → Analysis Active → Backlog → Analysis Active (rework loop).
    expect(visitsOf(log, 'UT-37').map((v) => v.status)).toEqual(['Backlog', 'Analysis Active', 'Backlog', 'Analysis Active', 'Analysis Done']);
  });
});

describe.skipIf(!hasShared(`${SAMPLES}/jirametrics_SP-10.json`))('Jira: jirametrics SP-10 / SP-5 golden checks (FORMATS §10.1, §10.2)', () => {
  it('SP-10: rebuilt status time equals the Time-in-Status field; two In Progress visits; one Flagged interval', async () => {
    const path = `${SAMPLES}/jirametrics_SP-10.json`;
    const { log } = await readJira(path, {});
    const visits = visitsOf(log, 'SP-10');
    // Status ids → names from the changelog items themselves.
    const issue = JSON.parse(readFileSync(path, 'utf8')) as {
      fields: { customfield_10025: string; status: { id: string; name: string } };
      changelog: { histories: { items: { field: string; from: string; to: string; fromString: string; toString: string }[] }[] };
    };
    const nameOfId = new Map([[issue.fields.status.id, issue.fields.status.name]]);
    for (const history of issue.changelog.histories) {
      for (const item of history.items) {
        if (item.field === 'status') {
          nameOfId.set(item.from, item.fromString);
          nameOfId.set(item.to, item.toString);
        }
      }
    }
    const expected = new Map<string, { visits: number; ms: number }>();
    for (const part of issue.fields.customfield_10025.split('_*|*_')) {
      const [id, count, millis] = part.split('_*:*_');
      expected.set(nameOfId.get(id) as string, { visits: Number(count), ms: Number(millis) });
    }
    const rebuilt = new Map<string, { visits: number; ms: number }>();
    for (const [k, visit] of visits.entries()) {
      // The open last visit (Done) counts 0 ms in the field, as Jira does.
      const ms = k + 1 < visits.length ? visits[k + 1].enteredAtMs - visit.enteredAtMs : 0;
      const sum = rebuilt.get(visit.status) ?? { visits: 0, ms: 0 };
      rebuilt.set(visit.status, { visits: sum.visits + 1, ms: sum.ms + ms });
    }
    expect(rebuilt).toEqual(expected);
    expect(rebuilt.get('In Progress')).toEqual({ visits: 2, ms: 642_394_764 });
    expect(rebuilt.get('Backlog')).toEqual({ visits: 1, ms: 6_218_615_963 });

    const code = log.caseIds.codeOf('SP-10');
    const flags: [string, string][] = [];
    for (let i = log.caseStart[code]; i < log.caseStart[code + 1]; i++) {
      const lifecycle = lifecycleOf(log, i);
      if (lifecycle === 'block' || lifecycle === 'unblock') flags.push([lifecycle, new Date(log.timestampMs[i]).toISOString()]);
    }
    expect(flags).toEqual([
      ['block', '2021-09-06T04:33:30.647Z'],
      ['unblock', '2021-09-06T04:33:55.539Z'],
    ]);
  });

  it('SP-5: the Done → Selected for Development reopen is kept as a revisit', async () => {
    const { log } = await readJira(`${SAMPLES}/jirametrics_SP-5.json`, {});
    const visits = visitsOf(log, 'SP-5').map((v) => [v.status, new Date(v.enteredAtMs).toISOString()]);
    expect(visits).toEqual([
      ['Backlog', '2021-06-18T18:41:58.333Z'],
      ['Selected for Development', '2021-06-23T12:44:38.197Z'],
      ['In Progress', '2021-08-29T18:04:49.188Z'],
      ['Review', '2021-09-06T04:34:11.432Z'],
      ['Done', '2021-09-06T04:34:14.358Z'],
      ['Selected for Development', '2021-10-11T12:48:42.419Z'],
      ['In Progress', '2021-10-11T12:49:04.096Z'],
      ['Done', '2021-10-11T12:49:07.261Z'],
    ]);
  });
});
