import { statSync } from 'node:fs';
import { VsmError } from '../errors.js';
import type { ReadOptions, ReadResult, SourceKind } from './read-options.js';
import { ingestLimits } from './ingest-limits.js';
import { spoolIfStream } from './input-spool.js';
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
 * else from the file name and content (the report says which and how). `-` reads standard input; pipes and FIFOs
 * (`<(zcat log.csv.gz)`) are read too, through a temporary copy.
 *
 * @example
 * const { log, report } = await readLog('tickets.csv', { timeZone: 'Europe/Berlin' });
 * console.log(log.caseCount, report.rowsRejected);
 */
export async function readLog(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  // Standard input (`-`), pipes and FIFOs are copied to a temporary file first: readers sniff and may re-read.
  const spooled = await spoolIfStream(path, process.stdin, ingestLimits(options.limits).pipeOpenTimeoutMs);
  if (spooled === undefined) return readPath(path, options);
  try {
    const result = await readPath(spooled.path, options);
    result.report.files = result.report.files.map((file) => (file === spooled.path ? path : file));
    result.report.notes.push(`input read from ${spooled.what} (${path}): copied to a temporary file first, then removed`);
    return result;
  } finally {
    await spooled.remove();
  }
}

async function readPath(path: string, options: ReadOptions): Promise<ReadResult> {
  try {
    statSync(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  const sniffed = options.source ? { source: options.source, detectedBy: 'flag --source' } : sniffSource(path);
  const reader = await READERS[sniffed.source]();
  const result = await reader(path, { ...options, source: sniffed.source });
  if (!options.source) result.report.formatDetectedBy = sniffed.detectedBy;
  else result.report.formatDetectedBy = 'flag --source';
  return result;
}
