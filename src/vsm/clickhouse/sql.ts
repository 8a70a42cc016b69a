/**
 * The only way SQL text is made for ClickHouse: a tagged template whose holes accept only values built here —
 * validated identifiers (back-quoted), typed literals (escaped), or other Sql fragments. ClickHouse 18.16 has no
 * query parameters (`{name:Type}` / `param_name=` arrive in 19.x), so values travel as escaped literals; a plain
 * string can never be spliced in, which keeps user input out of the SQL text by construction.
 */
import { VsmError } from '../../errors.js';

const SQL_BRAND: unique symbol = Symbol('sql');

/** A piece of ClickHouse SQL built from the template and the builders below. */
export interface Sql {
  readonly [SQL_BRAND]: true;
  readonly text: string;
}

function fragment(text: string): Sql {
  return { [SQL_BRAND]: true, text };
}

function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && SQL_BRAND in value;
}

/** `db.table` or `column`: letters, digits and `_`, at most one dot (database.table). */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** A validated, back-quoted identifier (`db`.`table` for a qualified name). */
export function ident(name: string, what = 'identifier'): Sql {
  if (!IDENTIFIER_PATTERN.test(name)) {
    throw new VsmError({
      code: 'BAD_OPTION',
      what: `not a valid ClickHouse ${what}`,
      got: name,
      fix: 'use letters, digits and _ only, optionally qualified as database.table',
    });
  }
  return fragment(
    name
      .split('.')
      .map((part) => `\`${part}\``)
      .join('.'),
  );
}

/** A string literal: backslash and quote escaped, control characters as \xHH (ClickHouse string escapes). */
export function str(value: string): Sql {
  let out = "'";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return fragment(`${out}'`);
}

/** An integer literal (epoch ms, counts, limits); rejects anything that is not a safe integer. */
export function int(value: number): Sql {
  if (!Number.isSafeInteger(value)) {
    throw new VsmError({ code: 'INTERNAL', what: 'integer SQL literal expected', got: String(value), fix: 'report this as a bug' });
  }
  return fragment(String(value));
}

/** An Array(Int64) literal of safe integers (e.g. slot boundaries in epoch ms). */
export function intArray(values: readonly number[]): Sql {
  return fragment(`CAST([${values.map((value) => int(value).text).join(', ')}] AS Array(Int64))`);
}

/** An array of string literals; `[]` typed as Array(String) so empty lists work in `has()`. */
export function strArray(values: readonly string[]): Sql {
  if (values.length === 0) return fragment('CAST([] AS Array(String))');
  return fragment(`[${values.map((value) => str(value).text).join(', ')}]`);
}

/** SQL text written in this codebase from constants only (no user input): e.g. a generated quantile expression. */
export function fixed(text: string): Sql {
  return fragment(text);
}

/** Joins fragments with a separator fragment text (a fixed, code-written string). */
export function join(parts: readonly Sql[], separator: ', ' | ' AND ' | ' UNION ALL ' | '\n'): Sql {
  return fragment(parts.map((part) => part.text).join(separator));
}

/** Raw SQL written in this codebase (never user input): keywords, function names, fixed column lists. */
export function sql(strings: TemplateStringsArray, ...holes: readonly Sql[]): Sql {
  let text = strings[0];
  holes.forEach((hole, index) => {
    if (!isSql(hole)) throw new VsmError({ code: 'INTERNAL', what: 'unescaped value in a SQL template', fix: 'report this as a bug' });
    text += hole.text + strings[index + 1];
  });
  return fragment(text);
}

/**
 * A user-given `--query` as a subquery: a single SELECT (or WITH … SELECT) statement, no `;`, no FORMAT / INTO
 * OUTFILE / SETTINGS clause of its own. The text runs with the server's own permissions of the configured user;
 * this check keeps it a read, not a sandbox.
 */
export function userSelect(text: string): Sql {
  const trimmed = text.trim().replace(/;\s*$/, '');
  const bad = (why: string): VsmError =>
    new VsmError({ code: 'BAD_OPTION', what: `--query must be a single SELECT: ${why}`, where: '--query', got: trimmed, fix: 'pass one SELECT statement without ; or FORMAT, or use --table' });
  if (!/^(select|with)\b/i.test(trimmed)) throw bad('it does not start with SELECT or WITH');
  const withoutStrings = trimmed.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  if (withoutStrings.includes(';')) throw bad('it holds more than one statement');
  if (/\b(format|into\s+outfile|settings)\b/i.test(withoutStrings)) throw bad('FORMAT, INTO OUTFILE and SETTINGS are set by vsm');
  return fragment(`(${trimmed})`);
}
