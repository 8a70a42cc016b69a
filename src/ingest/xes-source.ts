import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VsmError } from '../errors.js';
import { type IngestLimits, InflateGuard, ingestLimits, valueTooLongError } from './ingest-limits.js';

/**
 * Opens an XML/JSON event file (XES, OCEL) as a stream of UTF-8 text chunks, gunzipping on the fly
 * when the first two bytes are the gzip magic (1f 8b), whatever the file is called. Nothing is
 * read into one big string here: a 500 MB XES flows through in ~1 MB chunks.
 */
export interface TextSource {
  readonly gzip: boolean;
  /** Size of the file on disk (compressed size for .gz). */
  readonly totalBytes: number;
  readonly chunks: AsyncIterable<string>;
}

const READ_CHUNK_BYTES = 1 << 20;
const GUNZIP_CHUNK_BYTES = 1 << 20;

/** Checks that `path` is a non-empty regular file; throws the matching VsmError otherwise. */
export async function assertReadableFile(path: string): Promise<number> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new VsmError({ code: 'NOT_A_FILE', what: 'input is not a file', where: path, got: info.isDirectory() ? 'a directory' : 'a special file', fix: 'pass the path of an event log file' });
    }
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof VsmError) throw error;
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: 'input file not found', where: path, fix: 'check the path (relative paths are read from the current directory)' });
  }
  if (sizeBytes === 0) {
    throw new VsmError({ code: 'EMPTY_FILE', what: 'input file is empty', where: path, got: '0 bytes', fix: 'export the log again; the file has no content' });
  }
  return sizeBytes;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export interface TextSourceOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  limits?: Partial<IngestLimits>;
  /** XML: stop when a stretch without `>` passes limits.maxXmlTokenChars (one value would not fit a string). */
  xmlTokenCap?: boolean;
}

async function* decodedChunks(stream: Readable, path: string, gzip: boolean, reportProgress: () => void, guard: (chunk: string) => void): AsyncIterable<string> {
  try {
    for await (const chunk of stream) {
      reportProgress();
      guard(chunk as string);
      yield chunk as string;
    }
  } catch (error) {
    if (error instanceof VsmError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new VsmError({
      code: 'BAD_ENCODING',
      what: gzip ? 'gzip data is corrupt or truncated' : 'file could not be read',
      where: path,
      got: reason,
      fix: gzip ? 'download or export the .gz again (gunzip -t tests it)' : 'check the file is readable',
    });
  }
}

/** Opens `path` (plain or gzip) for streaming text; `onProgress` gets compressed bytes consumed. */
export async function openTextSource(path: string, options: TextSourceOptions | ((bytesRead: number, totalBytes: number) => void) = {}): Promise<TextSource> {
  const { onProgress, limits: overrides, xmlTokenCap } = typeof options === 'function' ? { onProgress: options, limits: undefined, xmlTokenCap: false } : options;
  const limits = ingestLimits(overrides);
  const totalBytes = await assertReadableFile(path);
  const gzip = await startsWithGzipMagic(path);
  const file = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  let text: Readable = file;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    // pipeline (not .pipe) so a read error or corrupt gzip reaches the consumer instead of hanging.
    text = pipeline(file, gunzip, () => undefined);
  }
  text.setEncoding('utf8');
  const reportProgress = onProgress ? () => onProgress(file.bytesRead, totalBytes) : () => undefined;
  const inflate = gzip ? new InflateGuard(path, limits, () => file.bytesRead) : undefined;
  let charsSinceTagEnd = 0;
  const guard = (chunk: string): void => {
    inflate?.add(chunk.length);
    if (!xmlTokenCap) return;
    const lastTagEnd = chunk.lastIndexOf('>');
    charsSinceTagEnd = lastTagEnd < 0 ? charsSinceTagEnd + chunk.length : chunk.length - lastTagEnd - 1;
    if (charsSinceTagEnd > limits.maxXmlTokenChars) {
      throw valueTooLongError('one XML tag, value, comment or text run is too long', path, charsSinceTagEnd, limits.maxXmlTokenChars, 'no event log holds values this long: check the file (a gzip bomb or a corrupt export?)');
    }
  };
  return { gzip, totalBytes, chunks: decodedChunks(text, path, gzip, reportProgress, guard) };
}

/** Reads the whole (possibly gzipped) file as one string: for formats that must be parsed whole (OCEL JSON). */
export async function readWholeText(path: string, overrides?: Partial<IngestLimits>): Promise<string> {
  const limits = ingestLimits(overrides);
  const source = await openTextSource(path, { limits: overrides });
  const parts: string[] = [];
  let lengthChars = 0;
  for await (const chunk of source.chunks) {
    lengthChars += chunk.length;
    if (lengthChars > limits.maxWholeTextChars) {
      throw valueTooLongError('file is too large to be read whole', path, lengthChars, limits.maxWholeTextChars, 'split the export into pages (a folder of files), or export fewer objects');
    }
    parts.push(chunk);
  }
  return parts.join('');
}
