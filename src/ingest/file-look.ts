import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { VsmError, quoteGot } from '../errors.js';
import type { SourceKind } from './read-options.js';
import { readHead, sniffCsvHeader, sniffJson } from './sniff-content.js';

/**
 * What a file looks like from its first 64 KB, for `--source` mismatch errors and folder sniffing
 * (docs/ingest-accounting.md "Sniffing and --source"). Never parses the whole file.
 */
export type LookFamily = 'binary' | 'empty' | 'xml' | 'json' | 'text';

export interface FileLook {
  family: LookFamily;
  /** The source this content is recognised as, when it is. */
  source?: SourceKind;
  /** True for a file that only supports another (a Jira `/status` list): it never decides a folder's kind alone. */
  auxiliary?: boolean;
  /** Human description: "an XES event log (XML with <log>)", "binary data (a ZIP archive: an .xlsx workbook?)". */
  label: string;
  /** The first characters, for the `got` part of messages. */
  start: string;
}

/** Files a folder sniff looks at; a folder with more is sniffed from the first ones in name order (and says so). */
export const FOLDER_SNIFF_FILES_CAP = 1000;
const FOLDER_FILE = /\.(json|jsonl|ndjson|csv)(\.gz)?$/i;

const BINARY_MAGIC: [RegExp, string][] = [
  [/^PK\u0003\u0004/, 'a ZIP archive (an .xlsx workbook? save it as CSV)'],
  [/^SQLite format 3\u0000/, 'an SQLite database'],
  [/^%PDF-/, 'a PDF document'],
];

/** Binary by magic number, a NUL byte (text never holds one; UTF-16 is decoded by its BOM first), or mostly invalid UTF-8. */
function binaryLabel(head: string): string | undefined {
  for (const [magic, label] of BINARY_MAGIC) if (magic.test(head)) return `binary data: ${label}`;
  const nul = head.indexOf('\u0000');
  if (nul >= 0) return `binary data (a NUL byte at character ${nul})`;
  if ((head.match(/\uFFFD/g)?.length ?? 0) > head.length / 10) return 'binary data (mostly invalid UTF-8)';
  return undefined;
}

/** Describes one file by name and content. Throws FILE_NOT_FOUND only. */
export function lookOfFile(path: string): FileLook {
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  const head = readHead(path);
  const start = quoteGot(head.trimStart().slice(0, 60));
  if (head.trim() === '') return { family: 'empty', label: 'an empty file', start };
  const binary = binaryLabel(head);
  if (binary !== undefined) return { family: 'binary', label: binary, start: quoteGot(head.slice(0, 16)) };
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    // OCEL 2.0 XML has <object-types>; OCEL 1.0 XML is a <log> whose keys are "ocel:…" (and usually named .xmlocel).
    if (/<ocel|<object-types/.test(head)) return { family: 'xml', source: 'ocel', label: 'an OCEL log (XML with <object-types>)', start };
    if (/"ocel:|ocel\.version/.test(head) || name.endsWith('.xmlocel')) return { family: 'xml', source: 'ocel', label: 'an OCEL log (XML with "ocel:" keys)', start };
    if (/<log[\s>]/.test(head)) return { family: 'xml', source: 'xes', label: 'an XES event log (XML with <log>)', start };
    const root = /<([A-Za-z_][\w.:-]*)/.exec(trimmed.replace(/<\?[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '').trimStart())?.[1];
    return { family: 'xml', label: `XML that is neither XES nor OCEL (root <${root ?? '?'}>)`, start };
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = sniffJson(head);
    if (json) {
      const auxiliary = json.source === 'jira' && json.detectedBy.includes('/status');
      return { family: 'json', source: json.source, auxiliary, label: json.detectedBy.replace(/^sniffed: /, ''), start };
    }
    if (name.endsWith('.jsonocel') || /"ocel:(events|objects|global-log)"/.test(head)) return { family: 'json', source: 'ocel', label: 'an OCEL log (JSON)', start };
    return { family: 'json', label: 'JSON of no recognised export shape', start };
  }
  const csv = sniffCsvHeader(head);
  if (csv) return { family: 'text', source: csv.source, label: csv.detectedBy.replace(/^sniffed: CSV header with/, 'a CSV with columns'), start };
  const extension = extname(name);
  const header = (head.split(/\r?\n/, 1)[0] ?? '').slice(0, 60);
  return { family: 'text', source: 'csv', label: `delimited text${extension ? ` (${extension})` : ''} with header ${quoteGot(header)}`, start };
}

/** Which source kinds can read a file of this look (the reader then checks the details). */
export function sourceAccepts(source: SourceKind, look: FileLook): boolean {
  if (look.family === 'empty') return true; // the reader says "empty" in its own words
  if (look.source === source) return true;
  switch (source) {
    case 'csv':
      return look.family === 'text';
    case 'xes':
      return look.family === 'xml' && look.source === undefined;
    case 'ocel':
      // OCEL 1.0 JSON/XML and OCEL 2.0 SQLite are not all recognised by the sniffer: let the reader decide.
      return ((look.family === 'json' || look.family === 'xml') && look.source === undefined) || look.label.includes('SQLite');
    case 'zendesk':
    case 'servicenow':
    case 'salesforce':
      // Their CSV readers name the columns they need; JSON of unknown shape is theirs to judge.
      return (look.family === 'text' && look.source === 'csv') || (look.family === 'json' && look.source === undefined && source !== 'salesforce');
    case 'jira':
    case 'github':
    case 'greenhouse':
    case 'lever':
      return look.family === 'json' && look.source === undefined;
  }
}

function mismatchError(source: SourceKind, where: string, look: FileLook): VsmError {
  const fix = look.source !== undefined
    ? `pass --source ${look.source} (or leave --source out: the kind is detected)`
    : look.family === 'binary'
      ? 'export the data as CSV, JSON or XES and pass that file'
      : `pass the ${source} export itself, or --source csv with --case, --activity and --timestamp for a plain table`;
  return new VsmError({ code: 'WRONG_SOURCE', what: `--source ${source} given, but the file is ${look.label}`, where, got: look.start, fix });
}

function folderFiles(path: string): string[] {
  return readdirSync(path)
    .filter((name) => !name.startsWith('.') && FOLDER_FILE.test(name))
    .sort()
    .slice(0, FOLDER_SNIFF_FILES_CAP)
    .map((name) => join(path, name));
}

/**
 * Checks a forced `--source` against what the input looks like; throws WRONG_SOURCE (exit 2) naming what it is.
 * A folder passes when any of its files fits the source.
 */
export function assertSourceFits(path: string, source: SourceKind): void {
  const stats = statSync(path);
  // A pipe or FIFO can be read once only: its head is left to the reader (never consumed here).
  if (!stats.isFile() && !stats.isDirectory()) return;
  if (!stats.isDirectory()) {
    const look = lookOfFile(path);
    if (!sourceAccepts(source, look)) throw mismatchError(source, path, look);
    return;
  }
  const looks = folderFiles(path).map((file) => ({ file, look: lookOfFile(file) }));
  if (looks.length === 0 || looks.some(({ look }) => sourceAccepts(source, look))) return;
  const first = looks.find(({ look }) => look.source !== undefined) ?? looks[0];
  throw mismatchError(source, first.file, first.look);
}

/**
 * The source kind of a folder of pages, from every file (not the first by name): the kind of the recognised JSON
 * files, else of the CSV files. Auxiliary files (a Jira status list) count only when nothing else decides.
 */
export function sniffFolder(path: string): { source: SourceKind; detectedBy: string } {
  const all = readdirSync(path).filter((name) => !name.startsWith('.') && FOLDER_FILE.test(name));
  const looks = folderFiles(path).map((file) => ({ file, look: lookOfFile(file) }));
  const capped = all.length > FOLDER_SNIFF_FILES_CAP ? ` (kind decided from the first ${FOLDER_SNIFF_FILES_CAP} by name)` : '';
  const kindsOf = (family: LookFamily, auxiliary: boolean) =>
    [...new Set(looks.filter(({ look }) => look.family === family && look.source !== undefined && look.source !== 'csv' && (look.auxiliary ?? false) === auxiliary).map(({ look }) => look.source as SourceKind))];
  for (const kinds of [kindsOf('json', false), kindsOf('text', false), kindsOf('json', true)]) {
    if (kinds.length === 1) {
      const count = looks.filter(({ look }) => look.source === kinds[0]).length;
      return { source: kinds[0], detectedBy: `sniffed: ${count} of ${all.length} files in the folder look like ${kinds[0]}${capped}` };
    }
    if (kinds.length > 1) {
      const examples = kinds.map((kind) => `${basename(looks.find(({ look }) => look.source === kind && !look.auxiliary)?.file ?? '')} looks like ${kind}`);
      throw new VsmError({
        code: 'UNKNOWN_FORMAT',
        what: 'folder mixes exports of different sources',
        where: path,
        got: examples.slice(0, 4).join(', '),
        fix: `keep one source per folder, or pass --source ${kinds[0]} to read only its files`,
      });
    }
  }
  const unknown = looks.find(({ look }) => look.family === 'json') ?? looks[0];
  if (unknown && unknown.look.family !== 'json') return { source: 'csv', detectedBy: `sniffed: folder of ${all.length} delimited text files (CSV)` };
  throw new VsmError({
    code: 'UNKNOWN_FORMAT',
    what: 'folder holds no recognised export',
    where: path,
    got: unknown ? `${basename(unknown.file)}: ${unknown.look.label}` : `${readdirSync(path).length} entries, none *.json / *.jsonl / *.csv`,
    fix: 'pass --source jira|zendesk|github|servicenow|greenhouse|lever|ocel, or a folder of JSON export pages',
  });
}
