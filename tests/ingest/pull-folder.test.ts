import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPullFolder, jiraStatusCategories } from '../../src/ingest/pull-folder.js';
import { isPullFolder } from '../../src/ingest/pull-folder-check.js';
import { readLog } from '../../src/ingest/read-log.js';
import { PULL_SCHEMA_VERSION, type PullManifest } from '../../src/model/pull-manifest.js';

const TMP = mkdtempSync(join(tmpdir(), 'vsm-pull-folder-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const FIXTURES = new URL('../../fixtures/pull/jira/', import.meta.url);
const statuses = JSON.parse(readFileSync(new URL('status.json', FIXTURES), 'utf8')) as unknown;

function manifest(state: PullManifest['state']): PullManifest {
  return {
    schemaVersion: PULL_SCHEMA_VERSION,
    tool: { name: 'valuestream', version: '0.1.0' },
    source: 'jira',
    site: 'https://acme.atlassian.net',
    query: 'project = "SP"',
    credentialVariables: ['JIRA_EMAIL', 'JIRA_API_TOKEN'],
    state,
    asOf: state === 'complete' ? '2024-03-20T00:00:00.000Z' : null,
    since: null,
    counts: { cases: 1, events: 0, pageFiles: 1, historiesFetchedInFull: 0 },
    metaFiles: { status: 'status.json' },
    cursor: {},
    runs: [],
  };
}

/** A pull folder holding SP-4 only: current status "In Review", earlier "To Do" and "In Progress" (no category in the issue). */
function pullFolder(name: string, state: PullManifest['state']): string {
  const dir = join(TMP, name);
  mkdirSync(join(dir, 'pages'), { recursive: true });
  const sp4 = (JSON.parse(readFileSync(new URL('v1.json', FIXTURES), 'utf8')) as { issues: { key: string }[] }).issues.find((i) => i.key === 'SP-4');
  writeFileSync(join(dir, 'pages', 'SP-4.json'), JSON.stringify(sp4));
  writeFileSync(join(dir, 'status.json'), JSON.stringify(statuses));
  writeFileSync(join(dir, 'pull.json'), JSON.stringify(manifest(state)));
  return dir;
}

describe('pull folder reader', () => {
  it('maps the saved /status list to categories by name', () => {
    expect(jiraStatusCategories(statuses)).toEqual({ 'To Do': 'new', 'In Progress': 'indeterminate', 'In Review': 'indeterminate', Done: 'done' });
    expect(jiraStatusCategories({ not: 'a list' })).toEqual({});
  });

  it('is found by readLog with no --source, takes every status category from /status, and carries the pull provenance', async () => {
    const dir = pullFolder('complete', 'complete');
    expect(isPullFolder(dir)).toBe(true);
    const { log, report } = await readLog(dir);
    expect(report.formatDetectedBy).toBe('pull.json (vsm pull jira)');
    // Without /status only "In Review" (SP-4's current status) would carry a category.
    expect(Object.fromEntries(log.sourceStatusCategory)).toEqual({ 'In Review': 'indeterminate', 'To Do': 'new', 'In Progress': 'indeterminate' });
    expect(report.pull).toEqual({ source: 'jira', site: 'https://acme.atlassian.net', query: 'project = "SP"', asOf: '2024-03-20T00:00:00.000Z', complete: true, runs: 0, toolVersion: '0.1.0' });
    expect(report.notes.join('\n')).not.toContain('classed by name');
  });

  it('says when the pull did not finish', async () => {
    const { report } = await readPullFolder(pullFolder('running', 'running'), {});
    expect(report.pull?.complete).toBe(false);
    expect(report.notes.join('\n')).toContain('this pull did not finish');
  });

  it('rejects a --source that contradicts pull.json, and a damaged pull.json', async () => {
    const dir = pullFolder('contradiction', 'complete');
    await expect(readPullFolder(dir, { source: 'zendesk' })).rejects.toThrow(/holds a jira pull/);
    writeFileSync(join(dir, 'pull.json'), JSON.stringify({ ...manifest('complete'), source: 'trello' }));
    await expect(readPullFolder(dir, {})).rejects.toThrow(/pull.json does not have the expected shape/);
  });
});
