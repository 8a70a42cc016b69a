/**
 * Byte-level input handling shared by the text readers: file checks, gzip by magic bytes, a peek at
 * the first 64 KB (the "head") for encoding, BOM and binary-junk detection, and a chunk iterator that
 * replays the head so nothing is read twice. Nothing here builds strings of the whole file.
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { VsmError, quoteGot } from '../errors.js';
import { type IngestLimits, InflateGuard, ingestLimits } from './ingest-limits.js';
import type { InputDigest } from './input-digest.js';
import { drainOrClose } from './stream-wait.js';

export const HEAD_BYTES = 64 * 1024;
/** Bytes per read of a plain file: chunk boundaries fall at multiples of this from the file's start. */
export const CHUNK_BYTES = 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Encodings the readers understand; `windows-1252` is the Latin-1 fallback (a superset of ISO-8859-1). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface OpenedInput {
  path: string;
  gzip: boolean;
  totalBytes: number;
  /** Decompressed size: the file size, or gzip's ISIZE trailer (exact below 4 GiB, a hint above). */
  contentBytesHint: number;
  /** Up to HEAD_BYTES of decompressed content, the BOM included. */
  head: Buffer;
  /** All decompressed bytes from offset 0 (the head first), in chunks. */
  chunks: AsyncGenerator<Buffer>;
}

export interface EncodingChoice {
  encoding: TextEncoding;
  /** Length of the byte-order mark to skip (0, 2 or 3). */
  bomBytes: number;
  /** Why this encoding was chosen, for the report notes (undefined when plain UTF-8). */
  note?: string;
}

/**
 * Opens `path` (gzip detected by magic bytes, not only by name) and peeks at its head. With `digest`, the raw bytes
 * are hashed as they are read: a read that reaches the end of the file records the file's sha256 there.
 *
 * With `reuseChunks` (the CSV read, whose engines keep no chunk once they ask for the next), a plain file's chunks are
 * read into two buffers that take turns (filePieces): a chunk's bytes are valid only until the next chunk is asked
 * for. Otherwise each chunk is a buffer of its own.
 */
export async function openInput(
  path: string,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
  limits?: Partial<IngestLimits>,
  digest?: InputDigest,
  reuseChunks = false,
): Promise<OpenedInput> {
  const totalBytes = await checkedFileSize(path);
  const session = digest?.session(path, totalBytes);
  const handle = await open(path, 'r');
  let firstChunk: Buffer;
  try {
    firstChunk = await readPiece(handle, Buffer.allocUnsafe(CHUNK_BYTES), 0);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const gzip = firstChunk.length >= 2 && firstChunk[0] === GZIP_MAGIC[0] && firstChunk[1] === GZIP_MAGIC[1];
  let bytesRead = firstChunk.length;

  async function* rawChunks(): AsyncGenerator<Buffer> {
    if (firstChunk.length === 0) {
      session?.end();
      return;
    }
    session?.update(firstChunk);
    onProgress?.(bytesRead, totalBytes);
    yield firstChunk;
    for await (const piece of filePieces(handle, bytesRead, reuseChunks && !gzip)) {
      bytesRead += piece.length;
      session?.update(piece);
      onProgress?.(bytesRead, totalBytes);
      yield piece;
    }
    session?.end();
  }

  async function* gunzipped(): AsyncGenerator<Buffer> {
    const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
    const feeder = (async () => {
      try {
        for await (const chunk of rawChunks()) {
          if (gunzip.destroyed) return;
          if (!gunzip.write(chunk)) await drainOrClose(gunzip);
        }
        gunzip.end();
      } catch (error) {
        gunzip.destroy(error as Error);
      }
    })();
    const inflate = new InflateGuard(basename(path), ingestLimits(limits), () => bytesRead);
    try {
      for await (const chunk of gunzip) {
        inflate.add((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof VsmError) throw error;
      throw new VsmError({
        code: 'BAD_ENCODING',
        what: 'gzip data is corrupt or truncated',
        where: basename(path),
        got: error instanceof Error ? quoteGot(error.message) : undefined,
        fix: 'check the download (gzip -t <file>) or pass the uncompressed file',
      });
    } finally {
      // Also reached when the reader stops early (fast path falling back): stop the feeder too.
      gunzip.destroy();
      await feeder;
    }
  }

  const source = gzip ? gunzipped() : rawChunks();
  const close = async (): Promise<void> => {
    await source.return(undefined);
    await handle.close();
  };
  const headParts: Buffer[] = [];
  let headLength = 0;
  let sourceDone = false;
  try {
    while (headLength < HEAD_BYTES) {
      const next = await source.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      // A reused buffer is written again two chunks on: the head keeps copies.
      headParts.push(reuseChunks ? Buffer.from(next.value) : next.value);
      headLength += next.value.length;
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const buffered = Buffer.concat(headParts);

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (buffered.length > 0) yield buffered;
      if (sourceDone) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await close();
    }
  }

  const contentBytesHint = gzip ? await gzipSizeHint(path, totalBytes) : totalBytes;
  return { path, gzip, totalBytes, contentBytesHint, head: buffered.subarray(0, HEAD_BYTES), chunks: closedEvenUnstarted(chunks(), close) };
}

/**
 * `generator` whose return() also runs `close` when no chunk was asked for yet (a generator that never started skips
 * its finally block): a reader that gives up after the head (a bad encoding, a binary file) still closes the file.
 */
function closedEvenUnstarted(generator: AsyncGenerator<Buffer>, close: () => Promise<void>): AsyncGenerator<Buffer> {
  let started = false;
  const next = generator.next.bind(generator);
  const finish = generator.return.bind(generator);
  generator.next = (...args) => {
    started = true;
    return next(...args);
  };
  generator.return = async (value) => {
    if (!started) {
      started = true;
      await close();
    }
    return finish(value);
  };
  return generator;
}

/** Reads the file's bytes at `position` into `buffer`, up to the next multiple of CHUNK_BYTES; empty at the end. */
async function readPiece(handle: FileHandle, buffer: Buffer, position: number): Promise<Buffer> {
  const pieceBytes = CHUNK_BYTES - (position % CHUNK_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, pieceBytes, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * The file's bytes from `position` to its end, in pieces that end at multiples of CHUNK_BYTES (as a stream of 1 MiB
 * reads gives them), the next piece read while the caller works on this one. With `reuse`, two buffers take turns, so
 * a piece is valid until the next one is asked for: no 1 MiB buffer per piece for the collector to find (each set off
 * external-memory collections: 14 of the 5 M read's 27 scavenges, docs/benchmarks.md h26-read).
 */
export async function* filePieces(handle: FileHandle, position: number, reuse: boolean): AsyncGenerator<Buffer> {
  const buffers = reuse ? [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] : [];
  let turn = 0;
  const bufferFor = (): Buffer => (reuse ? buffers[turn++ & 1] : Buffer.allocUnsafe(CHUNK_BYTES));
  let next: Promise<Buffer> | undefined = readPiece(handle, bufferFor(), position);
  try {
    for (;;) {
      const piece: Buffer = await next;
      next = undefined;
      if (piece.length === 0) return;
      position += piece.length;
      next = readPiece(handle, bufferFor(), position);
      yield piece;
    }
  } finally {
    // Stopped early: the read ahead must end before the caller closes the file.
    if (next !== undefined) await next.catch(() => undefined);
  }
}

/** gzip's trailer holds the uncompressed size modulo 2^32 in its last four bytes (RFC 1952). */
async function gzipSizeHint(path: string, totalBytes: number): Promise<number> {
  if (totalBytes < 18) return 0;
  const handle = await open(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    await handle.read(trailer, 0, 4, totalBytes - 4);
    return trailer.readUInt32LE(0);
  } finally {
    await handle.close();
  }
}

async function checkedFileSize(path: string): Promise<number> {
  let stats;
  try {
    stats = await stat(path);
  } catch {
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'file not found', where: path, fix: 'check the path (relative paths are resolved from the current directory)' });
  }
  if (!stats.isFile()) {
    throw new VsmError({ code: 'NOT_A_FILE', what: 'not a file', where: path, got: stats.isDirectory() ? 'a directory' : 'a special file', fix: 'pass the path of one export file' });
  }
  if (stats.size === 0) {
    throw new VsmError({ code: 'EMPTY_FILE', what: 'file is empty', where: path, got: '0 bytes', fix: 'export the log again; the file has no content' });
  }
  return stats.size;
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes`, or -1. A sequence cut by the end is fine. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const length = bytes.length;
  let k = 0;
  while (k < length) {
    const b = bytes[k];
    if (b < 0x80) {
      k++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return k;
    }
    let codePoint = b & (0x3f >> need);
    for (let j = 1; j <= need; j++) {
      // A sequence cut by the end of the head is not evidence against UTF-8.
      if (k + j >= length) return -1;
      const c = bytes[k + j];
      if ((c & 0xc0) !== 0x80) return k;
      codePoint = (codePoint << 6) | (c & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return k;
    k += need + 1;
  }
  return -1;
}

const KNOWN_BINARY: { magic: number[]; what: string; fix: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (or an Excel .xlsx workbook)', fix: 'unzip it, or save the sheet as CSV' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document', fix: 'export the log as CSV' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel .xls workbook', fix: 'save the sheet as CSV' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image', fix: 'pass the event log file' },
  { magic: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file', fix: 'pass it to vsm analyze / inspect, which read Parquet through embedded DuckDB, or export the log as CSV' },
];

function binaryError(path: string, got: string, fix: string): VsmError {
  return new VsmError({ code: 'BINARY_INPUT', what: 'file is binary, not text', where: basename(path), got, fix });
}

function nulRatios(head: Uint8Array): { even: number; odd: number } {
  let evenNuls = 0;
  let oddNuls = 0;
  const length = head.length - (head.length % 2);
  for (let k = 0; k < length; k += 2) {
    if (head[k] === 0) evenNuls++;
    if (head[k + 1] === 0) oddNuls++;
  }
  const pairs = Math.max(1, length / 2);
  return { even: evenNuls / pairs, odd: oddNuls / pairs };
}

/**
 * Chooses the text encoding from the head: a BOM wins; NUL bytes in every other position mean UTF-16
 * without BOM; valid UTF-8 stays UTF-8; otherwise Windows-1252 (Latin-1). A forced encoding is
 * checked against the bytes (BAD_ENCODING when they contradict it). Binary content (known archive/document
 * signatures, over 5 % control or NUL bytes that are not UTF-16) throws BINARY_INPUT.
 */
export function chooseEncoding(path: string, head: Uint8Array, forced?: string): EncodingChoice {
  for (const known of KNOWN_BINARY) {
    if (known.magic.every((byte, k) => head[k] === byte)) throw binaryError(path, known.what, known.fix);
  }
  const utf8Bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const utf16leBom = head[0] === 0xff && head[1] === 0xfe;
  const utf16beBom = head[0] === 0xfe && head[1] === 0xff;
  const { even, odd } = nulRatios(head);
  const looksUtf16le = utf16leBom || (odd > 0.3 && even < 0.05);
  const looksUtf16be = utf16beBom || (even > 0.3 && odd < 0.05);

  if (forced !== undefined) return checkForcedEncoding(path, head, forced, { utf8Bom, utf16leBom, utf16beBom, looksUtf16le, looksUtf16be });

  if (utf8Bom) return { encoding: 'utf-8', bomBytes: 3 };
  if (looksUtf16le) return { encoding: 'utf-16le', bomBytes: utf16leBom ? 2 : 0, note: utf16leBom ? 'encoding UTF-16LE (byte-order mark)' : 'encoding UTF-16LE detected without byte-order mark' };
  if (looksUtf16be) return { encoding: 'utf-16be', bomBytes: utf16beBom ? 2 : 0, note: utf16beBom ? 'encoding UTF-16BE (byte-order mark)' : 'encoding UTF-16BE detected without byte-order mark' };

  // One rule for NUL bytes wherever they are (issue 11 #23): counted with the other control bytes here, the file is
  // binary when they pass 5 % of the head; otherwise the readers reject each row that holds one (reason nul-byte).
  let controlBytes = 0;
  let firstNul = -1;
  for (let k = 0; k < head.length; k++) {
    const b = head[k];
    if (b === 0 && firstNul < 0) firstNul = k;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) controlBytes++;
  }
  if (head.length > 0 && controlBytes / head.length > 0.05) {
    const nul = firstNul >= 0 ? `, the first NUL at offset ${firstNul}` : '';
    throw binaryError(path, `${controlBytes} control bytes in the first ${head.length} bytes${nul}`, 'pass a text export (CSV, XES, JSON); if it is UTF-16 pass --encoding utf-16le');
  }
  const invalidAt = firstInvalidUtf8(head);
  if (invalidAt < 0) return { encoding: 'utf-8', bomBytes: 0 };
  return {
    encoding: 'windows-1252',
    bomBytes: 0,
    note: `bytes are not valid UTF-8 (first at byte ${invalidAt}): read as Latin-1 (Windows-1252); pass --encoding utf-8 to insist`,
  };
}

interface HeadSigns {
  utf8Bom: boolean;
  utf16leBom: boolean;
  utf16beBom: boolean;
  looksUtf16le: boolean;
  looksUtf16be: boolean;
}

function checkForcedEncoding(path: string, head: Uint8Array, forced: string, signs: HeadSigns): EncodingChoice {
  const name = forced.trim().toLowerCase().replace(/_/g, '-');
  const contradiction = (got: string, fix: string): VsmError =>
    new VsmError({ code: 'BAD_ENCODING', what: `file does not look like ${forced}`, where: basename(path), got, fix });
  switch (name) {
    case 'utf-8':
    case 'utf8': {
      if (signs.looksUtf16le || signs.looksUtf16be) throw contradiction('UTF-16 byte patterns', 'pass --encoding utf-16le (or omit --encoding to detect)');
      const invalidAt = firstInvalidUtf8(head.subarray(signs.utf8Bom ? 3 : 0));
      if (invalidAt >= 0) throw contradiction(`an invalid UTF-8 sequence at byte ${invalidAt}`, 'pass --encoding latin1 (or omit --encoding to detect)');
      return { encoding: 'utf-8', bomBytes: signs.utf8Bom ? 3 : 0 };
    }
    case 'utf-16le':
    case 'utf16le':
    case 'ucs-2':
      if (!signs.looksUtf16le) throw contradiction('no UTF-16LE byte pattern', 'omit --encoding to detect it');
      return { encoding: 'utf-16le', bomBytes: signs.utf16leBom ? 2 : 0, note: 'encoding UTF-16LE (forced)' };
    case 'utf-16be':
    case 'utf16be':
      if (!signs.looksUtf16be) throw contradiction('no UTF-16BE byte pattern', 'omit --encoding to detect it');
      return { encoding: 'utf-16be', bomBytes: signs.utf16beBom ? 2 : 0, note: 'encoding UTF-16BE (forced)' };
    case 'latin1':
    case 'latin-1':
    case 'iso-8859-1':
    case 'windows-1252':
    case 'cp1252':
      if (signs.looksUtf16le || signs.looksUtf16be) throw contradiction('UTF-16 byte patterns', 'omit --encoding to detect it');
      return { encoding: 'windows-1252', bomBytes: 0, note: 'encoding Latin-1 (Windows-1252, forced)' };
    default:
      throw new VsmError({ code: 'BAD_ENCODING', what: 'unknown encoding', where: '--encoding', got: quoteGot(forced), fix: 'pass one of utf-8, utf-16le, utf-16be, latin1' });
  }
}
