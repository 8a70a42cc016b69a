import { describe, expect, it } from 'vitest';
import { ident, int, sql, str, strArray, userSelect } from '../../../src/vsm/clickhouse/sql.js';
import { connectionFromEnv, rejectionFix, safeUrl } from '../../../src/vsm/clickhouse/http-client.js';

describe('ClickHouse SQL builder', () => {
  it('back-quotes valid identifiers and rejects anything else', () => {
    expect(ident('events').text).toBe('`events`');
    expect(ident('db.events_2024').text).toBe('`db`.`events_2024`');
    for (const bad of ['a.b.c', '1abc', 'x`; DROP TABLE y', 'a b', '', 'db.', 'x-y']) expect(() => ident(bad), bad).toThrow(/not a valid ClickHouse/);
  });

  it('escapes string literals: quote, backslash and control characters', () => {
    expect(str("O'Brien").text).toBe("'O\\'Brien'");
    expect(str('a\\b').text).toBe("'a\\\\b'");
    expect(str('line\nbreak\t').text).toBe("'line\\x0abreak\\x09'");
    expect(str("'); DROP TABLE t; --").text).toBe("'\\'); DROP TABLE t; --'");
    expect(strArray([]).text).toBe('CAST([] AS Array(String))');
    expect(strArray(['Done', "Won't do"]).text).toBe("['Done', 'Won\\'t do']");
  });

  it('takes only safe integers as numbers', () => {
    expect(int(20).text).toBe('20');
    expect(() => int(1.5)).toThrow();
    expect(() => int(Number.NaN)).toThrow();
  });

  it('splices only built fragments into the template', () => {
    expect(sql`SELECT * FROM ${ident('db.t')} WHERE a = ${str('x')} LIMIT ${int(5)}`.text).toBe("SELECT * FROM `db`.`t` WHERE a = 'x' LIMIT 5");
    // A plain string smuggled past the types is refused at run time.
    expect(() => sql`SELECT ${'1; DROP TABLE t' as never}`).toThrow(/unescaped value/);
  });

  it('accepts one SELECT as a subquery and refuses other statements', () => {
    expect(userSelect('SELECT * FROM t;').text).toBe('(SELECT * FROM t)');
    expect(userSelect("WITH 1 AS x SELECT x, ';' AS s").text).toBe("(WITH 1 AS x SELECT x, ';' AS s)");
    expect(() => userSelect('DROP TABLE t')).toThrow(/single SELECT/);
    expect(() => userSelect('SELECT 1; DROP TABLE t')).toThrow(/more than one statement/);
    expect(() => userSelect('SELECT 1 FORMAT CSV')).toThrow(/FORMAT/);
    expect(() => userSelect("SELECT 1 INTO OUTFILE '/tmp/x'")).toThrow(/FORMAT/);
  });
});

describe('ClickHouse connection', () => {
  it('takes credentials from the environment only, never from the URL, and never shows them', () => {
    const connection = connectionFromEnv('http://127.0.0.1:8123', { CLICKHOUSE_USER: 'ana', CLICKHOUSE_PASSWORD: 's3cret' });
    expect(connection).toEqual({ url: 'http://127.0.0.1:8123/', user: 'ana', password: 's3cret' });
    expect(() => connectionFromEnv('http://ana:s3cret@127.0.0.1:8123', {})).toThrow(/without credentials/);
    try {
      connectionFromEnv('http://ana:s3cret@127.0.0.1:8123', {});
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cret');
    }
    expect(safeUrl('http://ana:s3cret@db.example:8123/?password=x')).toBe('http://db.example:8123');
    expect(() => connectionFromEnv('ftp://127.0.0.1', {})).toThrow(/http\(s\)/);
  });
});

describe('rejectionFix: the fix for a rejected query follows the server error code', () => {
  it('memory limit, missing table, SQL the server does not take, credentials', () => {
    const memory = 'Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded: would use 16.30 GiB, maximum: 14.90 GiB';
    expect(rejectionFix(500, memory)).toMatch(/^the per-case work .* raise max_memory_usage .* max_bytes_before_external_group_by/);
    expect(rejectionFix(404, "Code: 60, e.displayText() = DB::Exception: Table default.nope doesn't exist.")).toBe('check the table name and column mapping flags');
    expect(rejectionFix(400, "Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position 18: ' ' FROM")).toMatch(/a vsm bug: report it with the server version/);
    expect(rejectionFix(516, 'Code: 516, e.displayText() = DB::Exception: default: Authentication failed')).toBe('set CLICKHOUSE_USER / CLICKHOUSE_PASSWORD');
    expect(rejectionFix(500, 'Code: 999, something else')).toMatch(/^check the table name and column mapping flags; the server's message/);
  });
});
