import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { jiraCredentials, redact } from '../../src/pull/credentials.js';
import { nextLink } from '../../src/pull/github-pull.js';
import { HttpClient, retryAfterMs } from '../../src/pull/http-client.js';
import { runJql } from '../../src/pull/jira-pull.js';

const credentials = jiraCredentials({ JIRA_EMAIL: 'a@example.test', JIRA_API_TOKEN: 'SECRET-1234' });
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A loopback server answering from a script of (status, headers, body), one per request; the last repeats. */
async function scripted(answers: { status: number; headers?: Record<string, string>; body: string }[]): Promise<string> {
  let n = 0;
  server = createServer((_req, res) => {
    const answer = answers[Math.min(n++, answers.length - 1)];
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

function client(origin: string, waits: number[], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}): HttpClient {
  delete process.env.VSM_PULL_MAX_WAIT_MS;
  return new HttpClient({ credentials, origin, permissionHelp: '"Browse projects"', maxWaitMs: 5000, sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...extra });
}

describe('HttpClient', () => {
  it('waits what Retry-After asks, capped at maxWaitMs, then succeeds', async () => {
    const url = await scripted([
      { status: 429, headers: { 'retry-after': '2' }, body: '{}' },
      { status: 503, headers: { 'retry-after': '7' }, body: '{}' },
      { status: 200, body: '{"ok":true}' },
    ]);
    const waits: number[] = [];
    const http = client(url, waits);
    expect((await http.getJson(`${url}/x`)).body).toEqual({ ok: true });
    // 2 s as asked; 7 s capped to the 5 s maximum.
    expect(waits).toEqual([2000, 5000]);
    expect(http.retries).toBe(2);
  });

  it('backs off with full jitter when no Retry-After is given: random · 1 s · 2^attempt', async () => {
    const url = await scripted([{ status: 502, body: '' }, { status: 500, body: '' }, { status: 504, body: '' }, { status: 200, body: '[]' }]);
    const waits: number[] = [];
    await client(url, waits).getJson(`${url}/x`);
    // random() = 0.5: 0.5·1000·1, 0.5·1000·2, 0.5·1000·4.
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('retries a 200 whose body is cut off, and gives up after maxRetries with a resume hint', async () => {
    const url = await scripted([{ status: 200, body: '{"issues":[' }]);
    const waits: number[] = [];
    const error = await client(url, waits, { maxRetries: 2 }).getJson(`${url}/x`).catch((e: unknown) => e);
    expect(isVsmError(error)).toBe(true);
    expect(String(error)).toContain('request still failing after 2 retries');
    expect(String(error)).toContain('--resume');
    expect(waits).toHaveLength(2);
  });

  it('401 names the variables and the permission and never echoes the secret', async () => {
    const echoed = `Basic ${Buffer.from('a@example.test:SECRET-1234').toString('base64')}`;
    const url = await scripted([{ status: 401, body: JSON.stringify({ errorMessages: [`bad header ${echoed} SECRET-1234`] }) }]);
    const error = await client(url, []).getJson(`${url}/rest/api/3/search/jql`).catch((e: unknown) => e);
    const text = String(error);
    expect(text).toContain('authentication failed (HTTP 401)');
    expect(text).toContain('JIRA_EMAIL + JIRA_API_TOKEN');
    expect(text).toContain('"Browse projects"');
    expect(text).not.toContain('SECRET-1234');
    expect(text).not.toContain(echoed.slice(6));
  });

  it('waits for GitHub\'s rate-limit reset on a 403 with x-ratelimit-remaining 0', async () => {
    const resetS = Math.floor(Date.now() / 1000) + 3600;
    const url = await scripted([
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(resetS) }, body: '{"message":"API rate limit exceeded"}' },
      { status: 200, body: '[]' },
    ]);
    const waits: number[] = [];
    await client(url, waits).getJson(`${url}/x`);
    expect(waits).toEqual([5000]); // an hour away, capped
  });

  it('refuses a next-page URL on another host (it would receive the token)', async () => {
    const http = client('http://127.0.0.1:1', []);
    await expect(http.getJson('https://evil.example/next')).rejects.toThrow(/not followed/);
  });
});

describe('pull helpers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('finds rel="next" in a Link header', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('narrows the JQL for an incremental run by a day and keeps the user\'s ORDER BY', () => {
    expect(runJql('project = SP', null)).toBe('(project = SP) ORDER BY created ASC');
    // 2024-03-10T12:30Z less a day's margin for the Jira user's time zone.
    expect(runJql('project = SP order by rank', '2024-03-10T12:30:00.000Z')).toBe('(project = SP) AND updated >= "2024/03/09 12:30" order by rank');
  });

  it('redacts every secret, longest first', () => {
    expect(redact('token abc and abcdef', ['abc', 'abcdef'])).toBe('token *** and ***');
  });
});
