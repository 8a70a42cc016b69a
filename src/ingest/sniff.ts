import { readdirSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { VsmError, quoteGot } from '../errors.js';
import { sniffFolder } from './file-look.js';
import { isOcel1XmlHead } from './ocel1-sniff.js';
import { isSqliteFile } from './ocel-sqlite.js';
import { type SniffResult, readHead, sniffCsvHeader, sniffJson } from './sniff-content.js';
import { sniffWideCsvHead } from './wide-csv-columns.js';

export { type SniffResult, readHead, sniffCsvHeader, sniffJson };

/**
 * Decides the source kind of a file or folder: by name first (`.xes`, `.jsonocel`), then by content.
 * Says what it saw, so the user can override with --source.
 */
export function sniffSource(path: string): SniffResult {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  if (stats.isDirectory()) {
    const pages = readdirSync(path).filter((name) => /\.(json|jsonl|ndjson|csv)(\.gz)?$/i.test(name));
    if (pages.length === 0) {
      throw new VsmError({
        code: 'NOT_A_FILE',
        what: 'input is a folder without JSON pages',
        where: path,
        got: `${readdirSync(path).length} entries, none *.json / *.jsonl / *.csv`,
        fix: 'pass a log file, or a folder of JSON export pages',
      });
    }
    // Every file votes (not the first by name), so the order of names never changes the kind.
    return sniffFolder(path);
  }
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  const extension = extname(name);
  if (extension === '.xes') return { source: 'xes', detectedBy: 'extension .xes' };
  if (extension === '.jsonocel' || extension === '.xmlocel') return { source: 'ocel', detectedBy: `extension ${extension}` };
  if (isSqliteFile(path)) return { source: 'ocel', detectedBy: 'sniffed: SQLite database header (read as OCEL 2.0 SQLite)' };
  const head = readHead(path);
  if (head.startsWith('SQLite format 3\u0000')) {
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'gzip-compressed SQLite database', where: path, got: 'gzip around "SQLite format 3"', fix: 'gunzip it first (SQLite is read in place, not as a stream)' });
  }
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    if (/<ocel|<object-types/.test(head)) return { source: 'ocel', detectedBy: 'sniffed: XML with <ocel> (OCEL 2.0)' };
    if (isOcel1XmlHead(head)) return { source: 'ocel', detectedBy: 'sniffed: XML with <global scope> and "omap"/"object-types" keys (OCEL 1.0)' };
    if (/<log[\s>]/.test(head)) return { source: 'xes', detectedBy: 'sniffed: XML with <log> (XES)' };
    throw new VsmError({ code: 'UNKNOWN_FORMAT', what: 'XML that is neither XES nor OCEL', where: path, got: quoteGot(trimmed.slice(0, 60)), fix: 'pass --source xes or --source ocel if it is one of them' });
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (/^\[\s*\]\s*$/.test(trimmed)) {
      throw new VsmError({ code: 'EMPTY_FILE', what: 'the export is empty', where: path, got: '[] (a JSON array with no records)', fix: 'check the query or filter of the export (it matched nothing?) and export again' });
    }
    const json = sniffJson(head);
    if (json) return json;
    throw new VsmError({
      code: 'UNKNOWN_FORMAT',
      what: 'JSON of no recognised export shape',
      where: path,
      got: quoteGot(trimmed.slice(0, 60)),
      fix: 'pass --source jira|zendesk|github|servicenow|greenhouse|lever|ocel (GitLab label events are not supported yet)',
    });
  }
  const csv = sniffCsvHeader(head);
  if (csv) return csv;
  if (extension === '.yaml' || extension === '.yml') {
    // A config of another tool (jira-to-analytics, jirametrics) passed where its export belongs.
    throw new VsmError({
      code: 'UNKNOWN_FORMAT',
      what: 'a YAML file is a configuration, not an event log',
      where: path,
      got: quoteGot(trimmed.slice(0, 60)),
      fix: 'pass the export it describes (e.g. the Jira JSON or CSV), or `vsm pull jira` to fetch one; vsm\'s own settings go in vsm.config.json (--config)',
    });
  }
  const wide = sniffWideCsvHead(head);
  if (wide) {
    return { source: 'csv', layout: 'wide', detectedBy: `sniffed: wide stage-date CSV (id column "${wide.idName}", ${wide.stageNames.length} stage date columns)` };
  }
  return { source: 'csv', detectedBy: extension === '.csv' || extension === '.tsv' || extension === '.txt' ? `extension ${extension}` : 'sniffed: delimited text (CSV)' };
}
