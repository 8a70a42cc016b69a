/**
 * JSON exports read as a stream (issue 11 #10): bytes flow from the file (gunzipped on the fly, the inflation
 * ratio capped) into @streamparser/json, so the file is never one string — a 629 MB page, or 2 GB of whitespace
 * in a 9 MB .gz, costs what the parsed records cost, not the text. A byte scanner beside the parser caps single
 * values (a string, number or key) before the parser buffers them, and keeps line/column for error messages.
 * With a JsonListSink the records of a page's top-level lists are cut out one at a time (ItemSplitter) and handed
 * to the reader, so a large page costs one record, not all of them (docs/limits.md "Record-level streaming").
 */
import { createReadStream } from 'node:fs';
import { type Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TokenParser, Tokenizer } from '@streamparser/json';
import { VsmError, quoteGot } from '../errors.js';
import { type IngestLimits, InflateGuard, valueTooLongError } from './ingest-limits.js';

const CHUNK_BYTES = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Bytes that end a number or literal run outside strings: whitespace and JSON punctuation. */
const SEPARATOR = new Uint8Array(256);
for (const c of ' \t\r\n{}[],:"') SEPARATOR[c.charCodeAt(0)] = 1;

/** The decompressed bytes of `file` (gzip by magic bytes), the inflation ratio guarded. */
export async function* fileBytes(file: string, limits: IngestLimits): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const rawChunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await rawChunks.next();
  if (first.done) return;
  const gzip = first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  if (!gzip) {
    yield first.value;
    for (;;) {
      const next = await rawChunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  raw.destroy();
  const file2 = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const inflated: Readable = pipeline(file2, gunzip, () => undefined);
  const guard = new InflateGuard(file, limits, () => file2.bytesRead);
  try {
    for await (const chunk of inflated) {
      guard.add((chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } catch (error) {
    if (error instanceof VsmError) throw error;
    throw new VsmError({ code: 'JSON_PARSE', what: 'gzip data is damaged', where: file, got: quoteGot((error as Error).message), fix: 'download the export again' });
  } finally {
    inflated.destroy();
    file2.destroy();
  }
}

/** Tracks string/number lengths and line starts over the byte stream, across chunk boundaries. */
class JsonByteScanner {
  private inString = false;
  private escaped = false;
  private runChars = 0;
  line = 1;
  /** Absolute byte offset where the current line starts. */
  lineStart = 0;
  offset = 0;
  nonWhitespaceSeen = false;

  constructor(
    private readonly file: string,
    private readonly maxValueChars: number,
  ) {}

  scan(bytes: Uint8Array): void {
    const max = this.maxValueChars;
    let inString = this.inString;
    let escaped = this.escaped;
    let run = this.runChars;
    for (let k = 0; k < bytes.length; k++) {
      const b = bytes[k];
      if (b === LF) {
        this.line++;
        this.lineStart = this.offset + k + 1;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          run = 0;
          continue;
        }
        // UTF-8 continuation bytes are not characters of their own.
        if ((b & 0xc0) !== 0x80 && ++run > max) this.tooLong(run, k);
      } else if (b === QUOTE) {
        inString = true;
        this.nonWhitespaceSeen = true;
        run = 0;
      } else if (SEPARATOR[b] === 1) {
        run = 0;
        // Brackets and commas are content too: `[]` is an empty list, not an empty file.
        if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== LF) this.nonWhitespaceSeen = true;
      } else {
        this.nonWhitespaceSeen = true;
        if (++run > max) this.tooLong(run, k);
      }
    }
    this.inString = inString;
    this.escaped = escaped;
    this.runChars = run;
    this.offset += bytes.length;
  }

  private tooLong(run: number, k: number): never {
    throw valueTooLongError('one JSON value is too long', `${this.file}:${this.line}:${this.offset + k - this.lineStart + 1}`, run, this.maxValueChars, 'no export holds values this long: check the file (a gzip bomb or a corrupt export?)');
  }
}

/** How many leading items of a list the sink sees before it decides to take the list item by item. */
export const LIST_LOOKAHEAD_ITEMS = 20;

/** Takes one item of a list handed out item by item (0-based index in the list). */
export type ListItemHandler = (item: unknown, index: number) => void;

/**
 * Record-level streaming (issue 11 #10): the top-level lists of a root object (Jira `issues`, Zendesk `audits`, …)
 * handed to the adapter one item at a time, so memory follows the records, not the page.
 */
export interface JsonListSink {
  /** Top-level keys of a root object whose arrays may be handed out item by item, in the order the adapter reads them. */
  readonly keys: readonly string[];
  /**
   * Called once per list, in file order, with its first items (at most LIST_LOOKAHEAD_ITEMS): a handler to take every
   * item (the first ones included), or undefined to keep the list whole in the document.
   */
  open(key: string, firstItems: readonly unknown[]): ListItemHandler | undefined;
}

/** One JSON document read, and the lists it handed out: key → items, the value holding only their first items. */
export interface ListedJson {
  value: unknown;
  lists: ReadonlyMap<string, number> | undefined;
  /** Lists kept whole because they came in a streamed file after a list the adapter reads later (see ListOrder). */
  keptOutOfOrder?: string[];
}

/**
 * Tells which lists may still open: the adapter reads its lists in `sink.keys` order, and a streamed file cannot be
 * reordered, so a list that comes after one the adapter reads later is not handed out but kept whole (and named in
 * `outOfOrder`, so the adapter can say it read that list last). A page parsed whole is handed out in the adapter's order.
 */
class ListOrder {
  private lastRank = -1;
  readonly counts = new Map<string, number>();
  readonly outOfOrder: string[] = [];

  constructor(private readonly sink: JsonListSink) {}

  open(key: string, firstItems: readonly unknown[]): ListItemHandler | undefined {
    const rank = this.sink.keys.indexOf(key);
    if (this.counts.has(key)) return undefined;
    if (rank < this.lastRank) {
      this.outOfOrder.push(key);
      return undefined;
    }
    const handler = this.sink.open(key, firstItems);
    if (handler !== undefined) this.lastRank = rank;
    return handler;
  }

  result(value: unknown): ListedJson {
    return { value, lists: this.counts.size > 0 ? this.counts : undefined, ...(this.outOfOrder.length > 0 ? { keptOutOfOrder: this.outOfOrder } : {}) };
  }
}

/** Hands out the lists of a document parsed whole (the small-file path): the same calls the streamed path makes. */
export function handOutLists(value: unknown, sink: JsonListSink | undefined): ListedJson {
  if (sink === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return { value, lists: undefined };
  const record = value as Record<string, unknown>;
  const order = new ListOrder(sink);
  for (const key of sink.keys) {
    const items = record[key];
    if (!Object.hasOwn(record, key) || !Array.isArray(items)) continue;
    const first = items.slice(0, LIST_LOOKAHEAD_ITEMS);
    const handler = order.open(key, first);
    if (handler === undefined) continue;
    items.forEach((item, index) => handler(item, index));
    order.counts.set(key, items.length);
    record[key] = first;
  }
  return order.result(value);
}

/** The lists of one streamed document (the large-file path): which are handed out, their first items, their counts. */
class ListStream {
  readonly order: ListOrder;
  private key: string | undefined;
  private first: unknown[] = [];
  private kept: unknown[] = [];
  private handler: ListItemHandler | undefined;
  private decided = false;
  private count = 0;
  /** An error thrown by the adapter's handler: passed through as it is, never read as a JSON syntax error. */
  handlerError: unknown;

  constructor(readonly sink: JsonListSink) {
    this.order = new ListOrder(sink);
  }

  /** An item of list `key`, parsed. */
  item(key: string, value: unknown): void {
    if (this.key !== key) this.start(key);
    if (!this.decided) {
      this.first.push(value);
      if (this.first.length >= LIST_LOOKAHEAD_ITEMS) this.decide();
      return;
    }
    this.take(value);
  }

  /** List `key` ended: returns its value in the document, its first items (handed out) or every item (kept). */
  end(key: string): unknown[] {
    if (this.key !== key) this.start(key);
    if (!this.decided) this.decide();
    if (this.handler !== undefined) this.order.counts.set(key, this.count);
    this.key = undefined;
    return this.handler !== undefined ? this.first : this.kept;
  }

  private start(key: string): void {
    this.key = key;
    this.first = [];
    this.kept = [];
    this.handler = undefined;
    this.decided = false;
    this.count = 0;
  }

  private decide(): void {
    this.decided = true;
    this.handler = this.order.open(this.key as string, this.first);
    for (const value of this.first) this.take(value);
  }

  private take(value: unknown): void {
    if (this.handler === undefined) {
      this.kept.push(value);
      this.count++;
      return;
    }
    try {
      this.handler(value, this.count++);
    } catch (error) {
      this.handlerError = error;
      throw error;
    }
  }
}


function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Splits a streamed root object into its record lists' items and the rest (the head). Each item's bytes go to
 * JSON.parse (native, and it allocates only the record), the head's bytes (with each handed-out list left as `[]`) to
 * the streaming token parser. It only finds boundaries: anything malformed makes JSON.parse or the token parser throw,
 * and the caller then names the error by re-reading the file with the token parser alone.
 */
class ItemSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At depth 1: the next string is a key (after `{` or `,`). */
  private expectKey = false;
  /** 0 none, 1 inside a depth-1 key, 2 key read (`:` next), 3 after `:` (the value next). */
  private keyState = 0;
  private keyParts: Buffer[] = [];
  private keyStart = 0;
  private key = '';
  /** The list being handed out, while its items are read. */
  private listKey: string | undefined;
  private inItem = false;
  private itemStart = 0;
  private itemParts: Buffer[] = [];
  private afterComma = false;
  /** Each list's value in the document once it ended (first items, or every item when kept). */
  readonly finals = new Map<string, unknown[]>();

  constructor(
    private readonly lists: ListStream,
    private readonly head: (bytes: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    let headStart = this.listKey === undefined ? 0 : -1;
    this.itemStart = 0;
    this.keyStart = 0;
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyState === 1) {
            this.keyParts.push(chunk.subarray(this.keyStart, k));
            this.key = JSON.parse(`"${Buffer.concat(this.keyParts).toString('utf8')}"`) as string;
            this.keyParts = [];
            this.keyState = 2;
          }
        }
        continue;
      }
      if (this.listKey !== undefined && !this.inItem) {
        if (isWhitespace(b)) continue;
        if (b === CLOSE_BRACKET) {
          if (this.afterComma) throw new SyntaxError('a list ends with a comma');
          this.endList();
          headStart = k;
          continue;
        }
        if (b === COMMA) throw new SyntaxError('a list has a comma without an item');
        this.inItem = true;
        this.itemStart = k;
        this.afterComma = false;
      }
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.expectKey = false;
          this.keyState = 1;
          this.keyStart = k + 1;
        } else if (this.depth === 1) this.keyState = 0;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (this.depth === 1 && this.keyState === 3) {
          this.keyState = 0;
          if (b === OPEN_BRACKET && this.lists.sink.keys.includes(this.key)) {
            this.head(chunk.subarray(headStart, k + 1));
            headStart = -1;
            this.depth = 2;
            this.listKey = this.key;
            continue;
          }
        }
        this.depth++;
        if (this.depth === 1) this.expectKey = true;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.inItem && this.depth === 2) {
          this.finishItem(chunk, k);
          this.endList();
          headStart = k;
          continue;
        }
        this.depth--;
      } else if (b === COMMA) {
        if (this.inItem && this.depth === 2) {
          this.finishItem(chunk, k);
          this.afterComma = true;
        } else if (this.depth === 1) this.expectKey = true;
      } else if (b === COLON) {
        if (this.depth === 1 && this.keyState === 2) this.keyState = 3;
      } else if (this.depth === 1 && this.keyState === 3 && !isWhitespace(b)) this.keyState = 0;
    }
    if (this.listKey === undefined) {
      if (headStart >= 0 && headStart < chunk.length) this.head(chunk.subarray(headStart));
    } else if (this.inItem) this.itemParts.push(chunk.subarray(this.itemStart));
    if (this.keyState === 1) this.keyParts.push(chunk.subarray(this.keyStart));
  }

  private finishItem(chunk: Buffer, end: number): void {
    this.itemParts.push(chunk.subarray(this.itemStart, end));
    const text = (this.itemParts.length === 1 ? this.itemParts[0] : Buffer.concat(this.itemParts)).toString('utf8');
    this.itemParts = [];
    this.inItem = false;
    this.lists.item(this.listKey as string, JSON.parse(text));
  }

  private endList(): void {
    const key = this.listKey as string;
    this.finals.set(key, this.lists.end(key));
    this.listKey = undefined;
    this.afterComma = false;
    this.depth = 1;
  }
}

/**
 * Parses the single JSON document in `bytes` as a stream. Throws JSON_PARSE (with line and column, and "ends early"
 * for a cut-off file), EMPTY_FILE for white space only, INPUT_TOO_LARGE past a cap.
 */
export async function parseJsonStream(bytes: AsyncIterable<Buffer>, file: string, limits: IngestLimits, parseWhole: (text: string) => unknown): Promise<unknown> {
  return (await parseJsonLists(bytes, file, limits, parseWhole, undefined)).value;
}

/**
 * parseJsonStream with a `sink`: the top-level lists it names are handed out item by item. A document up to
 * limits.wholeJsonParseBytes is parsed whole, then handed out the same way; a larger root object goes through the
 * ItemSplitter, so the parsed page is never held whole, only one item at a time.
 */
export async function parseJsonLists(
  bytes: AsyncIterable<Buffer>,
  file: string,
  limits: IngestLimits,
  parseWhole: (text: string) => unknown,
  sink: JsonListSink | undefined,
  /** Checks the parsed whole document before its lists are handed out (API error bodies). */
  checkWhole: (value: unknown) => void = () => undefined,
  /** The same bytes again: a streamed page with lists that turns out malformed is re-read to name the error's place. */
  reopen?: () => AsyncIterable<Buffer>,
  /** Only check the syntax (for that re-read): values are dropped as they are parsed. */
  discard = false,
): Promise<ListedJson> {
  const scanner = new JsonByteScanner(file, limits.maxJsonValueChars);
  const tokenizer = new Tokenizer();
  const lists = sink === undefined ? undefined : new ListStream(sink);
  let splitter: ItemSplitter | undefined;
  const parser = new TokenParser(discard ? { paths: ['$.\u0000'], keepStack: false } : { paths: ['$'], keepStack: true });
  let root: unknown;
  let rootSeen = false;
  let lastTokenOffset = 0;
  tokenizer.onToken = (token) => {
    lastTokenOffset = token.offset;
    parser.write(token);
  };
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 0) {
      root = value;
      rootSeen = true;
    }
  };
  if (discard) parser.onEnd = () => (rootSeen = true);
  let first = true;
  let chunkStart = 0;
  let chunkLines = { line: 1, lineStart: 0 };
  let current: Buffer = Buffer.alloc(0);
  // Up to limits.wholeJsonParseBytes the text is kept and given to JSON.parse (about twice as fast as the streaming
  // parser); past it, what was kept goes to the streaming parser and the rest follows chunk by chunk.
  let held: Buffer[] | undefined = [];
  let heldBytes = 0;
  try {
    for await (const raw of bytes) {
      let chunk = raw;
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      scanner.scan(chunk);
      if (held !== undefined) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes <= limits.wholeJsonParseBytes) continue;
        chunk = Buffer.concat(held);
        held = undefined;
      }
      chunkStart = scanner.offset - chunk.length;
      chunkLines = chunkStart === 0 ? { line: 1, lineStart: 0 } : { line: scanner.line, lineStart: scanner.lineStart };
      current = chunk;
      // A root object with lists to hand out: items to JSON.parse one by one, the rest to the token parser.
      if (lists !== undefined && reopen !== undefined && splitter === undefined && chunkStart === 0 && firstByte(chunk) === OPEN_BRACE) {
        splitter = new ItemSplitter(lists, (head) => tokenizer.write(head));
      }
      if (splitter !== undefined) splitter.write(chunk);
      else tokenizer.write(chunk);
    }
    if (!scanner.nonWhitespaceSeen) throw new VsmError({ code: 'EMPTY_FILE', what: 'export file is empty', where: file, fix: 'download the page again' });
    if (held !== undefined) {
      const value = parseWhole(Buffer.concat(held).toString('utf8'));
      held = undefined;
      checkWhole(value);
      return handOutLists(value, sink);
    }
    tokenizer.end();
    if (!parser.isEnded) parser.end();
    if (!rootSeen) throw new Error('Parser ended in mid-parsing');
  } catch (error) {
    if (error instanceof VsmError) throw error;
    if (lists !== undefined && lists.handlerError === error) throw error;
    if (splitter !== undefined && reopen !== undefined) {
      // Item and head offsets are not the file's: re-read it with the token parser alone to name the place.
      await parseJsonLists(reopen(), file, { ...limits, wholeJsonParseBytes: -1 }, parseWhole, undefined, () => undefined, undefined, true);
      throw new VsmError({ code: 'JSON_PARSE', what: 'JSON syntax error', where: file, got: quoteGot((error as Error).message), fix: 'fix or re-export the file' });
    }
    const message = (error as Error).message;
    const ended = !rootSeen && /ended in (the middle|mid-parsing)|Unexpected end/i.test(message);
    const absolute = /absolute position "(\d+)"/.exec(message);
    const offset = absolute ? Number(absolute[1]) : lastTokenOffset;
    const where = ended ? `${file}:${scanner.line}:${scanner.offset - scanner.lineStart + 1}` : positionIn(current, chunkStart, chunkLines, offset, file);
    throw new VsmError({
      code: 'JSON_PARSE',
      what: ended ? 'JSON ends early (truncated download or page?)' : 'JSON syntax error',
      where,
      got: quoteGot(ended ? current.subarray(Math.max(0, current.length - 60)).toString('utf8') : current.subarray(Math.max(0, offset - chunkStart - 40), Math.max(0, offset - chunkStart + 20)).toString('utf8')),
      fix: ended ? 'download this page again; a page cut off mid-transfer cannot be read' : `fix or re-export the file (${message})`,
    });
  }
  if (splitter !== undefined) for (const [key, items] of splitter.finals) (root as Record<string, unknown>)[key] = items;
  checkWhole(root);
  return lists === undefined ? { value: root, lists: undefined } : lists.order.result(root);
}

/** The first byte that is not white space, or -1. */
function firstByte(chunk: Buffer): number {
  for (const b of chunk) if (!isWhitespace(b)) return b;
  return -1;
}

function positionIn(chunk: Buffer, chunkStart: number, lines: { line: number; lineStart: number }, offset: number, file: string): string {
  let { line, lineStart } = lines;
  const end = Math.min(chunk.length, Math.max(0, offset - chunkStart));
  for (let k = 0; k < end; k++) {
    if (chunk[k] === LF) {
      line++;
      lineStart = chunkStart + k + 1;
    }
  }
  return `${file}:${line}:${offset - lineStart + 1}`;
}

/** Calls `onLine` with each non-blank line of a JSON Lines stream (1-based line numbers), each line capped. */
export async function forEachJsonLine(bytes: AsyncIterable<Buffer>, file: string, limits: IngestLimits, onLine: (text: string, line: number) => void): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  const maxLineBytes = limits.maxJsonValueChars * 4;
  const emit = (bytes: Buffer) => {
    line++;
    const text = bytes.toString('utf8');
    if (text.trim() !== '') onLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line);
  };
  for await (const chunk of bytes) {
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, lf);
      emit(pending.length > 0 ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      pendingBytes = 0;
      start = lf + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        throw valueTooLongError('one JSON Lines line is too long', `${file}:${line + 1}`, pendingBytes, maxLineBytes, 'no export holds records this long: check the file');
      }
    }
  }
  if (pending.length > 0) emit(Buffer.concat(pending));
}
