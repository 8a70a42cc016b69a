/**
 * The one error type of valuestream. Every message reads `what · where · got · fix`, e.g.
 * `timestamp not parseable · tickets.csv:1042 column "updated" · got "31/02/2024 25:00" · pass --date-format "dd/MM/yyyy HH:mm"`.
 */
export type VsmErrorCode =
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'EMPTY_FILE'
  | 'HEADER_ONLY'
  | 'NO_EVENTS'
  | 'MISSING_COLUMN'
  | 'BAD_TIMESTAMP'
  | 'BAD_TIME_ZONE'
  | 'BAD_DATE_FORMAT'
  | 'BAD_ENCODING'
  | 'BINARY_INPUT'
  | 'INPUT_TOO_LARGE'
  | 'INPUT_NOT_READY'
  /** An optional package (embedded DuckDB for Parquet) is not installed. */
  | 'DEPENDENCY_MISSING'
  | 'CSV_PARSE'
  | 'XML_PARSE'
  | 'JSON_PARSE'
  | 'UNKNOWN_FORMAT'
  | 'WRONG_SOURCE'
  | 'API_ERROR_BODY'
  | 'BAD_CONFIG'
  | 'BAD_OPTION'
  | 'BAD_CALENDAR'
  /** `vsm pull`: the API answered with an error status (401, 403, 404, 400, or retries ran out). */
  | 'HTTP_ERROR'
  /** `vsm pull`: the connection failed (reset, refused, timed out) and retries ran out. */
  | 'NETWORK_ERROR'
  /** --out names something that cannot hold the report folder (a file, a read-only or special place). */
  | 'BAD_OUTPUT'
  /** Another vsm run is writing the same output folder (its lock file is present). */
  | 'OUTPUT_LOCKED'
  | 'INTERNAL';

export interface VsmErrorParts {
  code: VsmErrorCode;
  /** What went wrong, in a few words. */
  what: string;
  /** Where: file, file:row, file:row column "x", or a config path. */
  where?: string;
  /** What was found (quoted and shortened by the constructor). */
  got?: string;
  /** How to fix it: a flag to pass, a value to change. */
  fix?: string;
}

const GOT_LIMIT_CHARS = 80;

/** Shortens a found value for a message so a 10 MB field never floods the terminal. */
export function quoteGot(value: string): string {
  const oneLine = value.replace(/[\r\n\t]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  const shown = oneLine.length > GOT_LIMIT_CHARS ? `${oneLine.slice(0, GOT_LIMIT_CHARS)}… (${value.length} chars)` : oneLine;
  return `"${shown}"`;
}

export class VsmError extends Error {
  readonly code: VsmErrorCode;
  readonly what: string;
  readonly where?: string;
  readonly got?: string;
  readonly fix?: string;

  constructor(parts: VsmErrorParts) {
    const message = [parts.what, parts.where, parts.got === undefined ? undefined : `got ${parts.got}`, parts.fix]
      .filter((part): part is string => part !== undefined && part !== '')
      .join(' · ');
    super(message);
    this.name = 'VsmError';
    this.code = parts.code;
    this.what = parts.what;
    this.where = parts.where;
    this.got = parts.got;
    this.fix = parts.fix;
  }

  toJSON(): VsmErrorParts & { message: string } {
    return { code: this.code, what: this.what, where: this.where, got: this.got, fix: this.fix, message: this.message };
  }
}

export function isVsmError(error: unknown): error is VsmError {
  return error instanceof VsmError;
}
