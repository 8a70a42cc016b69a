/**
 * ClickHouse over its HTTP interface with node:http / node:https (no driver: @clickhouse/client targets current
 * servers, and the Debian 12 package is 18.16). Not fetch: its client gives up when no response header arrives
 * within 300 s, and ClickHouse sends the headers only when a long query (the 100 M-event reconstruction) is done. Credentials come from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD only,
 * are sent as X-ClickHouse-User / X-ClickHouse-Key headers and never appear in a message: errors quote the URL
 * without user info and the server's answer only.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { VsmError } from '../../errors.js';
import { type Sql, sql } from './sql.js';

export interface ClickHouseConnection {
  url: string;
  user?: string;
  password?: string;
}

/** Transfer counters: what came back over the network (the "only aggregates cross the network" check). */
export interface TransferStats {
  queries: number;
  bytesReceived: number;
  bytesSent: number;
}

/** The URL as shown in messages: origin and path only, credentials and query string dropped. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

export function connectionFromEnv(url: string, env: NodeJS.ProcessEnv = process.env): ClickHouseConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VsmError({ code: 'BAD_OPTION', what: 'not a URL', where: '--clickhouse-url', got: safeUrl(url), fix: 'pass e.g. --clickhouse-url http://127.0.0.1:8123' });
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.username !== '' || parsed.password !== '') {
    throw new VsmError({
      code: 'BAD_OPTION',
      what: 'the ClickHouse URL must be http(s) without credentials',
      where: '--clickhouse-url',
      got: safeUrl(url),
      fix: 'pass http://host:8123 and set CLICKHOUSE_USER / CLICKHOUSE_PASSWORD in the environment',
    });
  }
  return { url: `${parsed.protocol}//${parsed.host}/`, user: env.CLICKHOUSE_USER || undefined, password: env.CLICKHOUSE_PASSWORD || undefined };
}

/**
 * One POST, answered whenever the server is done (no client-side timeout: queries over big tables take minutes).
 * A kept-alive socket the server closed while idle (ClickHouse's keep_alive_timeout is a few seconds; vsm may spend
 * longer between queries) fails with ECONNRESET before the server read anything: that request is sent once more.
 */
function post(target: URL, headers: Record<string, string>, body: string, retried = false): Promise<{ status: number; text: string }> {
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') post(target, headers, body, true).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

export class ClickHouseHttp {
  constructor(
    private readonly connection: ClickHouseConnection,
    readonly stats: TransferStats = { queries: 0, bytesReceived: 0, bytesSent: 0 },
    private readonly sessionId?: string,
  ) {}

  /**
   * A client whose queries share one server session (same stats): session temporary tables (ENGINE Memory, dropped
   * when the session ends) hold intermediate results without any write permission on a database.
   */
  session(): ClickHouseHttp {
    return new ClickHouseHttp(this.connection, this.stats, `vsm-${randomUUID()}`);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.connection.user !== undefined) headers['X-ClickHouse-User'] = this.connection.user;
    if (this.connection.password !== undefined) headers['X-ClickHouse-Key'] = this.connection.password;
    return headers;
  }

  /** Sends one statement (the query in the body, or `insertQuery` in the URL with `body` as its data). */
  private async send(body: string, insertQuery?: Sql): Promise<string> {
    const target = new URL(this.connection.url);
    if (insertQuery !== undefined) target.searchParams.set('query', insertQuery.text);
    if (this.sessionId !== undefined) target.searchParams.set('session_id', this.sessionId);
    let response: { status: number; text: string };
    try {
      response = await post(target, this.headers(), body);
    } catch (error) {
      throw new VsmError({
        code: 'NETWORK_ERROR',
        what: 'ClickHouse did not answer',
        where: safeUrl(this.connection.url),
        got: error instanceof Error ? error.message : String(error),
        fix: 'check --clickhouse-url and that the server is running (curl <url>/ping)',
      });
    }
    const text = response.text;
    this.stats.queries++;
    this.stats.bytesSent += Buffer.byteLength(body);
    this.stats.bytesReceived += Buffer.byteLength(text);
    if (response.status < 200 || response.status >= 300) {
      throw new VsmError({
        code: 'HTTP_ERROR',
        what: `ClickHouse rejected the query (HTTP ${response.status})`,
        where: safeUrl(this.connection.url),
        got: text.trim().slice(0, 400),
        fix: rejectionFix(response.status, text),
      });
    }
    return text;
  }

  /** Runs a statement that returns nothing (DDL). */
  async exec(statement: Sql): Promise<void> {
    await this.send(statement.text);
  }

  /** Runs a SELECT and parses `FORMAT JSONEachRow` rows (UInt64/Int64 come back as strings: 64-bit safe). */
  async rows<T = Record<string, unknown>>(query: Sql): Promise<T[]> {
    const text = await this.send(`${query.text}\nFORMAT JSONEachRow`);
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as T);
  }

  /** Inserts JSONEachRow lines (one object a line) into `table`. */
  async insertJsonRows(table: Sql, lines: string): Promise<void> {
    await this.send(lines, sql`INSERT INTO ${table} FORMAT JSONEachRow`);
  }
}

/**
 * The fix for a rejected query, by the server's error code (`Code: 241, e.displayText() = …`): the user can act on a
 * memory limit or a missing table differently; a syntax error in SQL vsm generated is a vsm bug.
 */
export function rejectionFix(status: number, text: string): string {
  if (status === 401 || status === 403 || /Authentication|password/i.test(text)) return 'set CLICKHOUSE_USER / CLICKHOUSE_PASSWORD';
  const code = Number(/Code: (\d+)/.exec(text)?.[1]);
  // 241 MEMORY_LIMIT_EXCEEDED, 173 CANNOT_ALLOCATE_MEMORY.
  if (code === 241 || code === 173) {
    return "the per-case work of this table needs more memory than the server's limit: raise max_memory_usage for the user and set max_bytes_before_external_group_by so large GROUP BYs spill to disk (docs/clickhouse.md, scale run), or analyse a shorter period with --query";
  }
  // 60 UNKNOWN_TABLE, 81 UNKNOWN_DATABASE, 47 UNKNOWN_IDENTIFIER, 16 NO_SUCH_COLUMN_IN_TABLE.
  if (code === 60 || code === 81 || code === 47 || code === 16) return 'check the table name and column mapping flags';
  // 62 SYNTAX_ERROR, 46 UNKNOWN_FUNCTION: vsm generated SQL this server does not take.
  if (code === 62 || code === 46) return 'this server version does not take SQL that vsm generated — a vsm bug: report it with the server version (SELECT version())';
  return 'check the table name and column mapping flags; the server\'s message above says what it refused';
}

