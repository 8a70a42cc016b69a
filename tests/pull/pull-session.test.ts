import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { githubCredentials } from '../../src/pull/credentials.js';
import { HttpClient } from '../../src/pull/http-client.js';
import { PageStore } from '../../src/pull/page-store.js';
import { type StartPullOptions, finishPull, lastCompleteRunStart, startPull } from '../../src/pull/pull-session.js';

const TMP = mkdtempSync(join(tmpdir(), 'vsm-pull-session-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const http = new HttpClient({ credentials: githubCredentials({ GITHUB_TOKEN: 't' }), origin: 'http://127.0.0.1:1', permissionHelp: '' });
const clock = (iso: string) => () => new Date(iso);

function options(root: string, mode: StartPullOptions['mode'], extra: Partial<StartPullOptions> = {}): StartPullOptions {
  return { root, source: 'github', site: 'https://api.github.com', query: 'repo a/b issues', credentialVariables: ['GITHUB_TOKEN'], mode, since: null, http, newCursor: (previous, since) => ({ ...previous, since }), ...extra };
}

describe('pull session', () => {
  it('walks full → incremental, the incremental asking from the start of the last complete run', async () => {
    const root = join(TMP, 'walk');
    const first = await startPull(options(root, 'full', { now: clock('2024-05-01T10:00:00Z') }));
    expect(first.manifest.state).toBe('running');
    await finishPull(first, { cases: 0, events: 0 }, clock('2024-05-01T10:05:00Z'));
    const second = await startPull(options(root, 'incremental', { now: clock('2024-05-08T09:00:00Z') }));
    // Since the first run *started* (10:00), so changes made while it ran are fetched again.
    expect(second.cursor.since).toBe('2024-05-01T10:00:00.000Z');
    expect(second.run).toMatchObject({ kind: 'incremental', since: '2024-05-01T10:00:00.000Z' });
    expect(lastCompleteRunStart(second.manifest)).toBe('2024-05-01T10:00:00.000Z');
  });

  it('refuses modes that do not fit the folder', async () => {
    await expect(startPull(options(join(TMP, 'empty'), 'resume'))).rejects.toThrow(/nothing to resume/);
    await expect(startPull(options(join(TMP, 'empty2'), 'incremental'))).rejects.toThrow(/nothing to update/);
    const root = join(TMP, 'running');
    await startPull(options(root, 'full'));
    await expect(startPull(options(root, 'incremental'))).rejects.toThrow(/previous pull did not finish · .* · got state "running" · pass --resume/);
    await expect(startPull(options(root, 'resume', { query: 'repo a/c issues' }))).rejects.toThrow(/the folder holds a different pull/);
    const resumed = await startPull(options(root, 'resume'));
    expect(resumed.manifest.runs.map((run) => run.kind)).toEqual(['full', 'resume']);
  });
});

describe('page store', () => {
  it('writes gzip JSON pages whole and removes .partial leftovers of a killed pull', async () => {
    const root = join(TMP, 'store');
    mkdirSync(join(root, 'pages'), { recursive: true });
    writeFileSync(join(root, 'pages', 'issue-1.json.gz.partial'), 'half');
    const store = new PageStore(root);
    await store.prepare();
    expect(existsSync(join(root, 'pages', 'issue-1.json.gz.partial'))).toBe(false);
    await store.writePage('issue-1', [{ number: 1 }]);
    expect(readdirSync(join(root, 'pages'))).toEqual(['issue-1.json.gz']);
    expect(JSON.parse(gunzipSync(readFileSync(join(root, 'pages', 'issue-1.json.gz'))).toString())).toEqual([{ number: 1 }]);
  });
});
