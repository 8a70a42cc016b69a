/**
 * JSON exports parsed as a stream (issue 11 #10): bytes (json-bytes.ts) flow into @streamparser/json, so the file is
 * never one string — a 629 MB page, or 2 GB of whitespace in a 9 MB .gz, costs what the parsed records cost, not the
 * text. A small document is parsed whole with JSON.parse. With a JsonListSink (json-lists.ts) the records of a page's
 * top-level lists are cut out one at a time (json-item-splitter.ts) and handed to the reader, so a large page costs
 * one record, not all of them (docs/limits.md "Record-level streaming").
 */
import { TokenParser, Tokenizer } from '@streamparser/json';
import { VsmError, quoteGot } from '../errors.js';
import type { IngestLimits } from './ingest-limits.js';
import { JsonByteScanner, OPEN_BRACE, isWhitespace, positionIn } from './json-bytes.js';
import { ItemSplitter } from './json-item-splitter.js';
import { type JsonListSink, type ListedJson, ListStream, handOutLists } from './json-lists.js';

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
