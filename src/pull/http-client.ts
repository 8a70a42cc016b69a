import { VsmError, quoteGot } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { type Credentials, redact } from './credentials.js';

/**
 * The one HTTP GET of `vsm pull`, on Node's built-in `fetch`. It retries what a retry can fix and stops with a
 * `what · where · got · fix` message on what it cannot:
 * - 429 and 503 wait `Retry-After` (seconds or an HTTP date), else a jittered exponential back-off;
 * - GitHub's exhausted rate limit (403/429 with `x-ratelimit-remaining: 0`) waits until `x-ratelimit-reset`;
 * - 500, 502, 504, connection resets, timeouts and bodies cut off mid-transfer are retried with back-off;
 * - 401, 403, 404 and other 4xx stop at once, naming the credential variables and the permission needed.
 * Every wait is capped at `maxWaitMs` (a server asking for an hour gets `maxWaitMs`, then the retry budget decides),
 * and at most `maxRetries` retries are made per request. No message ever contains a credential.
 */
export interface HttpClientOptions {
  credentials: Credentials;
  /** Requests go only to this origin (a `Link` or `next_page` URL elsewhere is refused: it would receive the token). */
  origin: string;
  /** Extra request headers (Accept, API version). */
  headers?: Record<string, string>;
  /** What the credentials need, for 401/403 messages: "Browse projects on the queried projects". */
  permissionHelp: string;
  /** Retries per request after the first attempt (default 6). */
  maxRetries?: number;
  /** Longest single wait (default 120 s; `VSM_PULL_MAX_WAIT_MS` overrides, e.g. for tests). */
  maxWaitMs?: number;
  /** Smallest gap between two requests, for documented per-minute limits (Zendesk incremental: 6 s). */
  minIntervalMs?: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Injected for tests; default real timers and Math.random. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  url: string;
  attempt: number;
  reason: string;
  waitMs: number;
}

export interface JsonResponse {
  status: number;
  url: string;
  headers: Headers;
  body: unknown;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 1000;
const DEFAULT_MAX_WAIT_MS = 120_000;
const BODY_SNIPPET_CHARS = 200;

/** Seconds, or an HTTP date, to ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/** GitHub's primary limit: remaining 0 and a reset instant (epoch seconds). */
function rateLimitResetMs(headers: Headers, nowMs: number): number | undefined {
  if (headers.get('x-ratelimit-remaining') !== '0') return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - nowMs) : undefined;
}

function maxWaitFromEnv(): number | undefined {
  const text = process.env.VSM_PULL_MAX_WAIT_MS;
  const value = text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The URL as shown in messages: no user info, no query values that might carry a token. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

export class HttpClient {
  requests = 0;
  retries = 0;
  private lastRequestMs = -Infinity;
  private readonly maxRetries: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.maxRetries = options.maxRetries ?? 6;
    this.maxWaitMs = maxWaitFromEnv() ?? options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  private redact(text: string): string {
    return redact(text, this.options.credentials.secrets);
  }

  /** Full jitter: a uniform wait in [0, base·2^attempt], capped (AWS "Exponential Backoff and Jitter"). */
  private backoffMs(attempt: number): number {
    return Math.min(this.maxWaitMs, Math.round(this.random() * BACKOFF_BASE_MS * 2 ** attempt));
  }

  private assertOrigin(url: string): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new VsmError({ code: 'BAD_OPTION', what: 'not a URL', where: 'vsm pull', got: quoteGot(this.redact(url)), fix: 'pass --site/--api-url as https://host' });
    }
    if (origin !== this.options.origin) {
      throw new VsmError({
        code: 'HTTP_ERROR',
        what: 'the API pointed to another host for the next page; not followed (it would receive your token)',
        where: displayUrl(this.redact(url)),
        got: `origin ${origin}, expected ${this.options.origin}`,
        fix: 'pass the host the API redirects to as --site / --api-url',
      });
    }
  }

  private async pace(): Promise<void> {
    const gapMs = Math.min(this.options.minIntervalMs ?? 0, this.maxWaitMs);
    const waitMs = this.lastRequestMs + gapMs - Date.now();
    if (waitMs > 0) await this.sleep(waitMs);
    this.lastRequestMs = Date.now();
  }

  /** GETs `url` and parses its JSON body, retrying as described above. */
  async getJson(url: string): Promise<JsonResponse> {
    this.assertOrigin(url);
    const shown = displayUrl(this.redact(url));
    let lastProblem = '';
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      if (attempt > 0) this.retries++;
      await this.pace();
      this.requests++;
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          headers: { Authorization: this.options.credentials.authorization, 'User-Agent': `valuestream/${TOOL_VERSION}`, Accept: 'application/json', ...this.options.headers },
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
        text = await response.text();
      } catch (error) {
        lastProblem = this.redact(networkReason(error));
        await this.wait(url, attempt, lastProblem, this.backoffMs(attempt));
        continue;
      }
      const nowMs = Date.now();
      const limitResetMs = rateLimitResetMs(response.headers, nowMs);
      if (RETRY_STATUSES.has(response.status) || ((response.status === 403 || response.status === 429) && limitResetMs !== undefined)) {
        const askedMs = retryAfterMs(response.headers.get('retry-after'), nowMs) ?? limitResetMs;
        lastProblem = `HTTP ${response.status}${askedMs !== undefined ? ` (Retry-After ${Math.ceil(askedMs / 1000)} s)` : ''}`;
        await this.wait(url, attempt, lastProblem, askedMs !== undefined ? Math.min(askedMs, this.maxWaitMs) : this.backoffMs(attempt));
        continue;
      }
      if (response.status >= 300 && response.status < 400) {
        throw new VsmError({
          code: 'HTTP_ERROR',
          what: `the API redirected (HTTP ${response.status}); not followed (the redirect would carry your token)`,
          where: `GET ${shown}`,
          got: quoteGot(displayUrl(this.redact(response.headers.get('location') ?? '(no Location)'))),
          fix: 'pass the host it redirects to as --site / --api-url (https, no trailing path)',
        });
      }
      if (response.status < 200 || response.status >= 300) throw this.statusError(response.status, shown, text);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // A 200 whose body does not parse was cut off (or replaced by a proxy page): ask again.
        lastProblem = `HTTP 200 with a body that is not complete JSON (${text.length} bytes)`;
        await this.wait(url, attempt, lastProblem, this.backoffMs(attempt));
        continue;
      }
      const remainingResetMs = rateLimitResetMs(response.headers, Date.now());
      if (remainingResetMs !== undefined) await this.sleep(Math.min(remainingResetMs, this.maxWaitMs));
      return { status: response.status, url, headers: response.headers, body };
    }
    throw new VsmError({
      code: lastProblem.startsWith('HTTP') ? 'HTTP_ERROR' : 'NETWORK_ERROR',
      what: `request still failing after ${this.maxRetries} retries`,
      where: `GET ${shown}`,
      got: quoteGot(lastProblem),
      fix: 'check the network and the host, then rerun the same command with --resume (pages already written are kept)',
    });
  }

  private async wait(url: string, attempt: number, reason: string, waitMs: number): Promise<void> {
    if (attempt >= this.maxRetries) return;
    this.options.onRetry?.({ url: displayUrl(this.redact(url)), attempt: attempt + 1, reason, waitMs });
    await this.sleep(waitMs);
  }

  private statusError(status: number, shown: string, text: string): VsmError {
    const got = quoteGot(`HTTP ${status} ${this.redact(text).slice(0, BODY_SNIPPET_CHARS)}`);
    const variables = this.options.credentials.variables.join(' + ');
    if (status === 401) {
      return new VsmError({
        code: 'HTTP_ERROR',
        what: 'authentication failed (HTTP 401)',
        where: `GET ${shown}`,
        got,
        fix: `check ${variables}: the token may be wrong, expired or revoked, or belong to another site; it needs ${this.options.permissionHelp}`,
      });
    }
    if (status === 403) {
      return new VsmError({
        code: 'HTTP_ERROR',
        what: 'permission denied (HTTP 403)',
        where: `GET ${shown}`,
        got,
        fix: `the account behind ${variables} needs ${this.options.permissionHelp}`,
      });
    }
    if (status === 404) {
      return new VsmError({
        code: 'HTTP_ERROR',
        what: 'not found (HTTP 404)',
        where: `GET ${shown}`,
        got,
        fix: `check the site/repository name; a resource the account behind ${variables} cannot see also answers 404 (it needs ${this.options.permissionHelp})`,
      });
    }
    return new VsmError({ code: 'HTTP_ERROR', what: `the API refused the request (HTTP ${status})`, where: `GET ${shown}`, got, fix: 'fix the query or flags named in the response' });
  }
}

function networkReason(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message ?? 'fetch failed'} (${cause})` : (err.message ?? String(error));
}
