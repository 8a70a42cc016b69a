/**
 * One JSON text to a value: JSON.parse, its syntax error turned into JSON_PARSE with file, line and column (and "ends
 * early" for a cut-off page), and the API error bodies (Jira, Zendesk, GitHub) saved by mistake instead of data.
 */
import { VsmError, quoteGot } from '../errors.js';
import { asRecord, asString } from './json-values.js';

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < position && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes JSON_PARSE naming the file, line and column, and says when the text ends early. */
export function parseJsonText(text: string, file: string, lineOffset = 0): unknown {
  const first = text.trimStart().charAt(0);
  if (first !== '' && !'{["-0123456789tfn'.includes(first)) {
    // XML, CSV or binary is not a JSON document cut short: say what it starts with, not "JSON ends early".
    throw new VsmError({
      code: 'WRONG_SOURCE',
      what: first === '<' ? 'file is XML, not a JSON export' : 'file is not JSON',
      where: lineOffset > 0 ? `${file}:${lineOffset}` : file,
      got: quoteGot(text.trimStart().slice(0, 60)),
      fix: first === '<' ? 'pass --source xes (or ocel) for an event log, or leave --source out' : 'pass the JSON export, or leave --source out to detect the kind',
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /position (\d+)/.exec(message);
    const trimmedLength = text.trimEnd().length;
    const position = match ? Number(match[1]) : trimmedLength;
    const truncated = position >= trimmedLength || /end of (JSON )?input/i.test(message);
    const { line, column } = lineAndColumn(text, position);
    throw new VsmError({
      code: 'JSON_PARSE',
      what: truncated ? 'JSON ends early (truncated download or page?)' : 'JSON syntax error',
      where: lineOffset > 0 ? `${file}:${lineOffset}` : `${file}:${line}:${column}`,
      got: quoteGot(text.slice(Math.max(0, position - 40), position + 20)),
      fix: truncated ? 'download this page again; a page cut off mid-transfer cannot be read' : `fix or re-export the file (${message})`,
    });
  }
}

/**
 * Recognises the error bodies APIs send instead of data (saved as an export by mistake):
 * Jira `{"errorMessages":[…],"errors":{…}}`, Zendesk `{"error":"RecordNotFound","description":…}` or `{"error":{"title","message"}}`,
 * GitHub `{"message":"Not Found","documentation_url":…}`. Returns the error text, or undefined.
 */
export function apiErrorText(value: unknown): string | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const keys = Object.keys(record);
  if (Array.isArray(record.errorMessages) && keys.every((k) => ['errorMessages', 'errors', 'warningMessages', 'status'].includes(k))) {
    const errors = asRecord(record.errors) ?? {};
    return [...record.errorMessages.map(String), ...Object.entries(errors).map(([k, v]) => `${k}: ${String(v)}`)].join('; ') || 'empty errorMessages';
  }
  if ('error' in record && keys.length <= 4 && keys.every((k) => ['error', 'description', 'details', 'message'].includes(k))) {
    const inner = asRecord(record.error);
    const title = inner ? [asString(inner.title), asString(inner.message)].filter(Boolean).join(': ') : String(record.error);
    return [title, asString(record.description)].filter(Boolean).join(': ');
  }
  if (typeof record.message === 'string' && typeof record.documentation_url === 'string' && keys.length <= 4) {
    return record.message;
  }
  return undefined;
}

/** Throws API_ERROR_BODY when `value` is an API error response (apiErrorText), naming `where`. */
export function checkApiError(value: unknown, where: string): void {
  const errorText = apiErrorText(value);
  if (errorText !== undefined) {
    throw new VsmError({
      code: 'API_ERROR_BODY',
      what: 'this file is an API error response, not an export',
      where,
      got: quoteGot(errorText),
      fix: 'fix the request (credentials, permissions, query) and save the successful response',
    });
  }
}
