/**
 * Reads one chunk of a split CSV (csv-threaded): bytes [start, end) of the file, header known, through the byte fast
 * engine into a ChunkBuilder, rows numbered from 1 in the chunk. Runs on a worker thread (csv-chunk-worker) or, for
 * tests, inline. Never throws: an error (bad input, a FastPathUnsupported, invalid UTF-8) comes back as `ok: false`,
 * and the main thread then reads the file on one thread, which reports it exactly (with the file's row numbers).
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ChunkColumns, ChunkBuilder } from './csv-chunk-builder.js';
import { planColumns } from './csv-columns.js';
import { runFastEngine } from './csv-fast.js';
import { CsvRowSink, type SinkOptions, type SinkPart } from './csv-row-sink.js';
import { IngestReportBuilder, type ReportPart } from './ingest-report.js';
import type { ColumnMapping } from './read-options.js';
import { CHUNK_BYTES } from './decode.js';
import { Utf8StreamCheck } from './utf8-check.js';


export interface ChunkJob {
  path: string;
  /** Byte offsets in the file; `start` is just after a line feed (a record start if the split guessed right). */
  start: number;
  end: number;
  /** The last chunk: it ends at the end of the file. */
  final: boolean;
  header: string[];
  mapping: ColumnMapping | undefined;
  keepAttributes: boolean;
  sinkOptions: SinkOptions;
  maxRecordChars: number;
  /** Events expected in the chunk (sizes its columns once). */
  capacityHint: number;
}

interface ChunkSpan {
  start: number;
  end: number;
}

export interface ChunkRead extends ChunkSpan {
  ok: true;
  /** Data records in the chunk (used and rejected); the next chunk's rows count on from here. */
  dataRows: number;
  /** Bytes of an incomplete record at the end (the split fell inside a quoted field): the next chunk starts there. */
  tailBytes: number;
  columns: ChunkColumns;
  report: ReportPart;
  sink: SinkPart;
}

export interface ChunkFailed extends ChunkSpan {
  ok: false;
  reason: string;
}

export type ChunkResult = ChunkRead | ChunkFailed;

/**
 * Bytes [start, end) in pieces that end where the one-thread read's chunks end (multiples of CHUNK_BYTES): the fast
 * engine decides to skip a record longer than maxRecordChars as the pieces arrive, so the pieces must be the same.
 */
async function* rangeChunks(path: string, start: number, end: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    let position = start;
    while (position < end) {
      const pieceEnd = Math.min(end, (Math.floor(position / CHUNK_BYTES) + 1) * CHUNK_BYTES);
      const piece = Buffer.allocUnsafe(pieceEnd - position);
      const { bytesRead } = await handle.read(piece, 0, piece.length, position);
      if (bytesRead === 0) throw new Error(`file shorter than expected at byte ${position}`);
      position += bytesRead;
      yield piece.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** What the main thread's own share of a split file came to (parseOnMain): its rows went straight into the file's sink. */
export type MainShareResult = { ok: true; start: number; end: number; dataRows: number; tailBytes: number } | ChunkFailed;

/**
 * Reads the first chunk of a split file on the main thread straight into the file's own sink (the one-thread read's,
 * rows numbered from 1), so its events need no merge. Never throws: any error (a BAD_TIMESTAMP, a FastPathUnsupported,
 * invalid UTF-8) comes back as `ok: false` and the caller reads the whole file again on one thread with a fresh state.
 */
export async function parseOnMain(job: ChunkJob, sink: CsvRowSink): Promise<MainShareResult> {
  const span = { start: job.start, end: job.end };
  try {
    const read = await readRange(job, sink, basename(job.path));
    if (typeof read === 'string') return { ok: false, ...span, reason: read };
    return { ok: true, ...span, ...read };
  } catch (error) {
    return failedChunk(span, error);
  }
}

export async function parseChunk(job: ChunkJob): Promise<ChunkResult> {
  const span = { start: job.start, end: job.end };
  try {
    const file = basename(job.path);
    const plan = planColumns(job.header, job.mapping, job.keepAttributes, file);
    const builder = new ChunkBuilder(job.capacityHint);
    const report = new IngestReportBuilder('csv', 'chunk');
    const sink = new CsvRowSink(plan, builder, report, 0, job.path, job.sinkOptions);
    const read = await readRange(job, sink, file);
    if (typeof read === 'string') return { ok: false, ...span, reason: read };
    return { ok: true, ...span, ...read, columns: builder.columns(), report: report.part(), sink: sink.part() };
  } catch (error) {
    return failedChunk(span, error);
  }
}

/**
 * Runs the fast engine over one byte range of a split file (no header) into `sink`: its data rows and the bytes
 * after its last full row, or why the range cannot be used (a string). Throws what the engine throws.
 */
async function readRange(job: ChunkJob, sink: CsvRowSink, file: string): Promise<{ dataRows: number; tailBytes: number } | string> {
  const utf8 = new Utf8StreamCheck();
  const result = await runFastEngine({
    file,
    chunks: utf8.wrap(rangeChunks(job.path, job.start, job.end), true),
    bomBytes: 0,
    encoding: 'utf-8',
    delimiter: job.sinkOptions.delimiter,
    maxRecordChars: job.maxRecordChars,
    onHeader: () => {
      throw new Error('a chunk has no header');
    },
    sink,
    final: job.final,
  });
  if (utf8.invalidSequences > 0 || utf8.nulBytes > 0) return 'invalid UTF-8 or NUL bytes';
  return { dataRows: result.dataRows, tailBytes: result.tailBytes ?? 0 };
}

function failedChunk(span: { start: number; end: number }, error: unknown): ChunkFailed {
  return { ok: false, ...span, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
