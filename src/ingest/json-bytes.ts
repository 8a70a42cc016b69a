/**
 * The bytes of a JSON export (issue 11 #10): the file read in chunks (gunzipped on the fly, the inflation ratio capped),
 * the byte scanner that caps single values (a string, number or key) before a parser buffers them and keeps
 * line/column for error messages, and JSON Lines cut into lines. Also the byte codes the list splitter shares.
 */
import { createReadStream } from 'node:fs';
import { type Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VsmError, quoteGot } from '../errors.js';
import { type IngestLimits, InflateGuard, valueTooLongError } from './ingest-limits.js';

const CHUNK_BYTES = 1 << 20;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LF = 0x0a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** Bytes that end a number or literal run outside strings: whitespace and JSON punctuation. */
const SEPARATOR = new Uint8Array(256);
for (const c of ' \t\r\n{}[],:"') SEPARATOR[c.charCodeAt(0)] = 1;

export function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

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
export class JsonByteScanner {
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

/** The file:line:column of byte `offset`, counting lines in `chunk` (which starts at `chunkStart`, on line `lines`). */
export function positionIn(chunk: Buffer, chunkStart: number, lines: { line: number; lineStart: number }, offset: number, file: string): string {
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
