import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PullManifestSchema } from '../../src/model/pull-manifest.js';
import { FakeApi } from '../pull/fake-api.js';
import { JIRA_EMAIL, JIRA_TOKEN, allFileTexts, analyzeComparable, basicAuth, leakedSecrets, runCliAsync, spawnCli } from '../pull/pull-helpers.js';
import { ROOT } from './run-cli.js';

const TMP = mkdtempSync(join(tmpdir(), 'vsm-pull-jira-'));
const FIXTURES = join(ROOT, 'fixtures/pull/jira');
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

let api: FakeApi;
beforeEach(async () => {
  api = await new FakeApi({ authorization: basicAuth(JIRA_EMAIL, JIRA_TOKEN) }).start();
});
afterEach(async () => api.close());

const manifestOf = (dir: string) => PullManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'pull.json'), 'utf8')));
const pageNames = (dir: string) => readdirSync(join(dir, 'pages')).sort();

/** The hand-made equivalent: the whole search result with complete changelogs in one file, named like the pull folder. */
function handMade(version: 'v1' | 'v2', name: string): string {
  const dir = join(TMP, `hand-${version}-${name}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, `${version}.json`), join(dir, `${name}.json`));
  return join(dir, `${name}.json`);
}

describe('vsm pull jira', () => {
  it('pages the search, fetches a capped changelog in full, survives 429/503/reset, and analyses like the hand-made export', async () => {
    api.faults.push(
      { match: /search\/jql/, kind: 429, retryAfter: '1' },
      { match: /search\/jql.*nextPageToken/, kind: 503 },
      { match: /SP-3\/changelog\?startAt=100/, kind: 'reset' },
    );
    const out = join(TMP, 'full', 'sp');
    const result = await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out]);
    expect(result.stderr).toContain('HTTP 429 (Retry-After 1 s)');
    expect(result.stderr).toContain('HTTP 503');
    expect(result.status, result.stderr).toBe(0);
    // 5 issues on 3 search pages of 2 (the server's page size); SP-3's 128 histories (2 + 125 label edits + 1) on 2 changelog pages (100 + 28).
    expect(pageNames(out)).toEqual(['SP-1.json.gz', 'SP-2.json.gz', 'SP-3.changelog.000001.json.gz', 'SP-3.changelog.000002.json.gz', 'SP-3.json.gz', 'SP-4.json.gz', 'SP-5.json.gz']);
    const searches = api.requests.filter((r) => r.includes('/search/jql'));
    expect(searches).toHaveLength(3 + 2); // 3 pages + the 429 and the 503 retried
    const manifest = manifestOf(out);
    expect(manifest).toMatchObject({ source: 'jira', site: api.url, query: 'project = "SP"', state: 'complete', credentialVariables: ['JIRA_EMAIL', 'JIRA_API_TOKEN'] });
    expect(manifest.counts).toEqual({ cases: 5, events: 0, pageFiles: 7, historiesFetchedInFull: 1 });
    expect(manifest.metaFiles).toEqual({ status: 'status.json', field: 'field.json' });
    expect(manifest.asOf).not.toBeNull();
    const sp3 = JSON.parse(gunzipSync(readFileSync(join(out, 'pages/SP-3.json.gz'))).toString()) as Record<string, unknown>;
    expect(sp3.changelog).toBeUndefined();

    const pulled = analyzeComparable(out, join(TMP, 'full-report'));
    const hand = analyzeComparable(handMade('v1', 'sp'), join(TMP, 'hand-report'), ['--as-of', manifest.asOf ?? '']);
    expect(pulled).toEqual(hand);
    expect((pulled.log as { cases: number }).cases).toBe(5);

    const provenance = JSON.parse(readFileSync(join(TMP, 'full-report/report.json'), 'utf8')).provenance as { options: { pull: Record<string, unknown> } };
    expect(provenance.options.pull).toMatchObject({ source: 'jira', query: 'project = "SP"', asOf: manifest.asOf, complete: true });

    const texts = [result.stdout, result.stderr, ...allFileTexts(out).map((f) => f.text), ...allFileTexts(join(TMP, 'full-report')).map((f) => f.text)];
    expect(leakedSecrets(texts)).toEqual([]);
  });

  it('a 401 ends with exit 2, naming the variables and the permission, without the secret', async () => {
    const result = await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', join(TMP, 'denied')], { JIRA_API_TOKEN: 'wrong-SECRET-value' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('authentication failed (HTTP 401)');
    expect(result.stderr).toContain('JIRA_EMAIL + JIRA_API_TOKEN');
    expect(result.stderr).toContain('Browse projects');
    expect(result.stderr).not.toContain('wrong-SECRET-value');
    expect(result.stderr).not.toContain(Buffer.from(`${JIRA_EMAIL}:wrong-SECRET-value`).toString('base64'));
  });

  it('resumes after a kill with no half-written page and no duplicate', async () => {
    api.delayMs = 250; // wide enough that the kill lands before the in-flight answer, even on a busy machine
    const out = join(TMP, 'killed', 'sp');
    const { child, done } = spawnCli(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out]);
    // Killed mid-page: search page 2 (SP-3, SP-4) is in flight, SP-3's first changelog page written, its second asked for.
    while (!api.requests.some((r) => r.includes('SP-3/changelog?startAt=100'))) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await done;
    expect(manifestOf(out).state).toBe('running');
    for (const name of pageNames(out).filter((n) => n.endsWith('.json.gz'))) expect(() => JSON.parse(gunzipSync(readFileSync(join(out, 'pages', name))).toString())).not.toThrow();
    expect(pageNames(out)).not.toContain('SP-5.json.gz');
    expect(pageNames(out)).not.toContain('SP-3.json.gz');
    // Analysing the interrupted pull says so.
    const partial = analyzeComparable(out, join(TMP, 'killed-report'));
    expect(JSON.stringify(partial)).toContain('this pull did not finish');

    api.delayMs = 0;
    const before = api.requests.length;
    const resumed = await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    // From the last complete page: page 1 is not fetched again, page 2 (in flight at the kill) and page 3 are; /status is kept.
    const again = api.requests.slice(before);
    expect(again.filter((r) => r.includes('/search/jql'))).toHaveLength(2);
    expect(again.filter((r) => r.includes('/search/jql') && !r.includes('nextPageToken'))).toEqual([]);
    expect(again.filter((r) => r.endsWith('/status'))).toEqual([]);
    expect(pageNames(out).filter((n) => n.endsWith('.partial'))).toEqual([]);
    const manifest = manifestOf(out);
    expect(manifest.runs.map((r) => r.kind)).toEqual(['full', 'resume']);
    expect(manifest.counts.cases).toBe(5);
    const hand = analyzeComparable(handMade('v1', 'sp'), join(TMP, 'hand-report-2'), ['--as-of', manifest.asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'resumed-report'))).toEqual(hand);
  });

  it('--since last fetches only what changed and merges without duplicates', async () => {
    const out = join(TMP, 'incremental', 'sp');
    expect((await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out])).status).toBe(0);
    api.version = 'v2';
    const before = api.requests.length;
    const second = await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out, '--since', 'last']);
    expect(second.status, second.stderr).toBe(0);
    const searches = api.requests.slice(before).filter((r) => r.includes('/search/jql')).map((r) => decodeURIComponent(new URL(r, api.url).searchParams.get('jql') ?? ''));
    expect(searches[0]).toMatch(/^\(project = "SP"\) AND updated >= "\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}" ORDER BY created ASC$/);
    // Only SP-2 (moved on) and SP-6 (new) are fetched; 6 issue files, none twice.
    expect(api.requests.slice(before).filter((r) => r.includes('/changelog'))).toEqual([]);
    const manifest = manifestOf(out);
    expect(manifest.runs.map((r) => r.kind)).toEqual(['full', 'incremental']);
    expect(manifest.counts.cases).toBe(6);
    expect(pageNames(out).filter((n) => /^SP-\d+\.json\.gz$/.test(n))).toHaveLength(6);
    const hand = analyzeComparable(handMade('v2', 'sp'), join(TMP, 'hand-report-v2'), ['--as-of', manifest.asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'incremental-report'))).toEqual(hand);
    expect(existsSync(join(out, 'status.json'))).toBe(true);
  });

  it('pages a Data Center search by startAt with a JIRA_PAT bearer token', async () => {
    await api.close();
    api = await new FakeApi({ authorization: 'Bearer dc-SECRET-pat' }).start();
    const out = join(TMP, 'dc', 'sp');
    const result = await runCliAsync(['pull', 'jira', '--site', api.url, '--jql', 'project = SP', '--out', out], { JIRA_EMAIL: undefined, JIRA_API_TOKEN: undefined, JIRA_PAT: 'dc-SECRET-pat' });
    expect(result.status, result.stderr).toBe(0);
    const searches = api.requests.filter((r) => r.startsWith('/rest/api/2/search?')).map((r) => new URL(r, api.url).searchParams.get('startAt'));
    expect(searches).toEqual(['0', '2', '4']);
    expect(manifestOf(out).credentialVariables).toEqual(['JIRA_PAT']);
    const hand = analyzeComparable(handMade('v1', 'sp'), join(TMP, 'dc-hand'), ['--as-of', manifestOf(out).asOf ?? '']);
    expect(analyzeComparable(out, join(TMP, 'dc-report'))).toEqual(hand);
    expect(allFileTexts(out).some((f) => f.text.includes('dc-SECRET-pat'))).toBe(false);
  });

  it('refuses to pull into a folder that already holds a pull, and plain http to another host', async () => {
    const out = join(TMP, 'twice', 'sp');
    expect((await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out])).status).toBe(0);
    const again = await runCliAsync(['pull', 'jira', '--site', api.url, '--project', 'SP', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('the folder already holds a pull');
    const clear = await runCliAsync(['pull', 'jira', '--site', 'http://jira.example.test', '--project', 'SP', '--out', join(TMP, 'clear')]);
    expect(clear.status).toBe(2);
    expect(clear.stderr).toContain('credentials are sent only over https');
  });
});
