import { statSync } from 'node:fs';
import { VsmError } from '../errors.js';
import type { ReadOptions, ReadResult, SourceKind } from './read-options.js';
import { assertSourceFits, lookOfFile } from './file-look.js';
import { isPullFolder } from './pull-folder.js';
import { sniffSource } from './sniff.js';

type Reader = (path: string, options: ReadOptions) => Promise<ReadResult>;

/** Each reader is loaded on demand so `vsm inspect log.csv` never loads the XML or JSON code paths. */
const READERS: Record<SourceKind, () => Promise<Reader>> = {
  csv: async () => (await import('./csv.js')).readCsv,
  xes: async () => (await import('./xes.js')).readXes,
  ocel: async () => (await import('./ocel.js')).readOcel,
  jira: async () => (await import('./jira.js')).readJira,
  zendesk: async () => (await import('./zendesk.js')).readZendesk,
  github: async () => (await import('./github.js')).readGithub,
  servicenow: async () => (await import('./servicenow.js')).readServiceNow,
  salesforce: async () => (await import('./salesforce.js')).readSalesforce,
  greenhouse: async () => (await import('./greenhouse.js')).readGreenhouse,
  lever: async () => (await import('./lever.js')).readLever,
};

/**
 * Reads an export into an EventLog and its IngestReport. The source kind comes from `options.source`,
 * else from the file name and content (the report says which and how).
 *
 * @example
 * const { log, report } = await readLog('tickets.csv', { timeZone: 'Europe/Berlin' });
 * console.log(log.caseCount, report.rowsRejected);
 */
export async function readLog(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  try {
    statSync(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  // A folder written by `vsm pull` says what it holds in pull.json (a small hook: folder reading stays in the readers).
  if (isPullFolder(path)) return (await import('./pull-folder.js')).readPullFolder(path, options);
  // A forced source must fit what the file looks like: a CSV read as Jira is a clear error, never a crash.
  if (options.source) assertSourceFits(path, options.source);
  const sniffed = options.source ? { source: options.source, detectedBy: 'flag --source' } : sniffSource(path);
  const reader = await READERS[sniffed.source]();
  const result = await reader(path, { ...options, source: sniffed.source }).catch((error: unknown) => {
    throw options.source ? withLookHint(error, path, options.source) : error;
  });
  if (!options.source) result.report.formatDetectedBy = sniffed.detectedBy;
  else result.report.formatDetectedBy = 'flag --source';
  return result;
}

/**
 * A forced source whose reader found no usable columns in a file that looks like another source (a Zendesk field-history
 * CSV read with --source csv): the same error, with what the file looks like added to the fix.
 */
function withLookHint(error: unknown, path: string, source: SourceKind): unknown {
  if (!(error instanceof VsmError) || !['MISSING_COLUMN', 'NO_EVENTS', 'WRONG_SOURCE'].includes(error.code) || statSync(path).isDirectory()) return error;
  const look = lookOfFile(path);
  if (look.source === undefined || look.source === source || error.message.includes(look.label)) return error;
  return new VsmError({
    code: error.code,
    what: error.what,
    where: error.where,
    got: error.got,
    fix: `${error.fix ? `${error.fix}; ` : ''}the file is ${look.label}: pass --source ${look.source}`,
  });
}
