import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { VsmError } from '../errors.js';
import { type IngestLimits, ingestLimits, valueTooLongError } from './ingest-limits.js';
import { fileBytes, forEachJsonLine } from './json-bytes.js';
import { type JsonListSink, type ListItemHandler, type ListedJson, handOutLists } from './json-lists.js';
import { parseJsonLists } from './json-stream.js';
import { checkApiError, parseJsonText } from './json-text.js';

/**
 * The JSON edge shared by the API adapters (Jira, Zendesk, GitHub): read a file, a `.gz`, or a folder of pages,
 * parse JSON or JSON Lines, and stop early with a clear VsmError when a "page" is really an API error body or a
 * truncated download (json-text.ts). The narrowing helpers (`asRecord`, `asString`, …) are in json-values.ts, the
 * shape verdicts (which API a value came from) in json-shape.ts, the shared timestamp reader in timestamp-reader.ts.
 * Files are parsed as streams (json-stream.ts): memory follows the parsed records, never the file's text; with
 * `visitJsonInput` the records of a page's top-level lists reach the adapter one at a time, so it follows one record.
 */

/** One parsed JSON value with its address: a whole `.json` file, or one line of a `.jsonl` file. */
export interface JsonDocument {
  file: string;
  /** 1-based line for JSON Lines, 0 for a whole-file document. */
  line: number;
  value: unknown;
  /**
   * Top-level lists handed to the visitor item by item (visitJsonInput): key → how many items it had. In `value`
   * such a list holds only its first items (enough to tell the shape), never all of them.
   */
  lists?: ReadonlyMap<string, number>;
  /**
   * Lists of a streamed page kept whole because they came after a list the visitor reads later: read after it, where
   * a page parsed whole gives them first (the visitor may say so).
   */
  listsKeptOutOfOrder?: string[];
}

/** A text file read from the input that is not JSON (e.g. a warehouse CSV next to API pages). */
export interface TextInput {
  file: string;
  text: string;
}

export interface JsonInput {
  files: string[];
  documents: JsonDocument[];
  /** `.csv` files found (only when `acceptCsv`). */
  texts: TextInput[];
}

const JSON_EXTENSIONS = ['.json', '.jsonl', '.ndjson'];

function innerExtension(file: string): string {
  const name = file.toLowerCase().endsWith('.gz') ? file.slice(0, -3) : file;
  return extname(name).toLowerCase();
}

/** Lists the input files: the path itself, or the JSON (and CSV) files of a folder in name order (page order). */
async function listFiles(path: string, acceptCsv: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input not found', where: path, fix: 'check the path' });
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new VsmError({ code: 'NOT_A_FILE', what: 'input is neither a file nor a folder', where: path });
  const wanted = acceptCsv ? [...JSON_EXTENSIONS, '.csv'] : JSON_EXTENSIONS;
  const names = (await readdir(path)).filter((name) => !name.startsWith('.') && wanted.includes(innerExtension(name)));
  // Natural order so page-2 sorts before page-10; the adapters sort by time anyway, this only fixes file indexes.
  names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) {
    throw new VsmError({
      code: 'EMPTY_FILE',
      what: 'folder holds no export pages',
      where: path,
      got: 'no .json, .jsonl, .ndjson' + (acceptCsv ? ', .csv' : '') + ' files (optionally .gz)',
      fix: 'save the API responses as .json files in this folder, or pass the file itself',
    });
  }
  return names.map((name) => join(path, name));
}

/** A whole text file (a warehouse CSV beside JSON pages), gunzipped, capped at limits.maxWholeTextChars. */
async function readText(file: string, limits: IngestLimits): Promise<string> {
  const parts: Buffer[] = [];
  let lengthBytes = 0;
  for await (const chunk of fileBytes(file, limits)) {
    lengthBytes += chunk.length;
    if (lengthBytes > limits.maxWholeTextChars) {
      throw valueTooLongError('file is too large to be read whole', file, lengthBytes, limits.maxWholeTextChars, 'split the table into several files');
    }
    parts.push(chunk);
  }
  const text = Buffer.concat(parts).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface ReadJsonInputOptions {
  /** Also collect `.csv` files (Zendesk warehouse tables). */
  acceptCsv?: boolean;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Caps on gzip inflation and single values (docs/limits.md); tests lower them. */
  limits?: Partial<IngestLimits>;
}

/**
 * What an adapter does with its input as it is read: each document in file-name order (and each line of a
 * `.jsonl`), each `.csv` text, and, through `lists`, the items of the top-level lists it names one at a time.
 */
export interface JsonInputVisitor {
  /**
   * The top-level lists to take item by item (in the order the adapter reads them), and per list and document,
   * given its first items, the handler for its items or undefined to keep the list in the document.
   */
  lists?: {
    keys: readonly string[];
    open(key: string, firstItems: readonly unknown[], where: { file: string; line: number }): ListItemHandler | undefined;
  };
  /** After the items of its lists (if any were handed out). */
  document(document: JsonDocument): void;
  text?(input: TextInput): void;
}

/**
 * Reads every JSON document (whole files, or lines of `.jsonl`) under `path` in file-name order, handing each to
 * the visitor as it is read. A file up to limits.wholeJsonParseBytes is parsed whole; a larger one as a stream,
 * and the items of its top-level lists never sit in memory together. Both give the visitor the same calls.
 */
export async function visitJsonInput(path: string, options: ReadJsonInputOptions, visitor: JsonInputVisitor): Promise<string[]> {
  const files = await listFiles(path, options.acceptCsv === true);
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let bytesRead = 0;
  const limits = ingestLimits(options.limits);
  const sinkFor = (file: string, line: number): JsonListSink | undefined => {
    const lists = visitor.lists;
    return lists === undefined ? undefined : { keys: lists.keys, open: (key, firstItems) => lists.open(key, firstItems, { file, line }) };
  };
  for (const [index, file] of files.entries()) {
    const extension = innerExtension(file);
    if (extension === '.csv' && options.acceptCsv === true) {
      const text = await readText(file, limits);
      visitor.text?.({ file, text });
    } else if (extension === '.jsonl' || extension === '.ndjson') {
      let lines = 0;
      await forEachJsonLine(fileBytes(file, limits), file, limits, (line, lineNumber) => {
        lines++;
        const value = parseJsonText(line, file, lineNumber);
        checkApiError(value, `${file}:${lineNumber}`);
        visitor.document(listedDocument(file, lineNumber, handOutLists(value, sinkFor(file, lineNumber))));
      });
      if (lines === 0) throw new VsmError({ code: 'EMPTY_FILE', what: 'export file is empty', where: file, fix: 'download the page again' });
    } else {
      const listed = await parseJsonLists(fileBytes(file, limits), file, limits, (text) => parseJsonText(text, file), sinkFor(file, 0), (value) => checkApiError(value, file), () => fileBytes(file, limits));
      visitor.document(listedDocument(file, 0, listed));
    }
    bytesRead += sizes[index];
    options.onProgress?.(bytesRead, totalBytes);
  }
  return files;
}

function listedDocument(file: string, line: number, listed: ListedJson): JsonDocument {
  return { file, line, value: listed.value, ...(listed.lists ? { lists: listed.lists } : {}), ...(listed.keptOutOfOrder ? { listsKeptOutOfOrder: listed.keptOutOfOrder } : {}) };
}

/** Reads every JSON document (whole files, or lines of `.jsonl`) under `path`, in file-name order, whole. */
export async function readJsonInput(path: string, options: ReadJsonInputOptions = {}): Promise<JsonInput> {
  const documents: JsonDocument[] = [];
  const texts: TextInput[] = [];
  const files = await visitJsonInput(path, options, { document: (document) => documents.push(document), text: (text) => texts.push(text) });
  return { files, documents, texts };
}

/** `file` or `file:line` for messages. */
export function documentWhere(document: JsonDocument): string {
  return document.line > 0 ? `${document.file}:${document.line}` : document.file;
}

export function fileStem(file: string): string {
  return basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '');
}
