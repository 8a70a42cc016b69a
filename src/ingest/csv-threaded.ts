/**
 * Multi-threaded reading of large plain CSV files (issue 14). The main thread reads the header, cuts the rest into
 * chunks at line feeds, and worker threads (node:worker_threads) read the chunks with the byte fast engine, each into
 * its own dictionaries (csv-chunk-parse). The main thread merges the chunks strictly in file order (csv-chunk-merge),
 * so the EventLog and report are the one-thread read's, byte for byte, whatever the thread timing.
 *
 * A cut is a guess: a line feed inside a quoted field is not a record end. The guess is checked, not trusted: chunk k
 * is only merged when it starts where chunk k - 1's last complete record ended; when the cut fell inside a quoted
 * field, chunk k - 1 reports the incomplete record's bytes and chunk k is read again from its start. Anything else
 * (bad input, a time column the chunks decide differently, invalid UTF-8, a worker dying) makes readThreaded return
 * undefined and readCsv reads the file on one thread, which reports the problem with its exact row numbers.
 *
 * The main thread reads the first share of the file itself, straight into the file's columns, while the workers read
 * the rest: that share needs no merge, and the main thread has its own work while the workers start.
 *
 * Off by default (one thread for every size): on the 2-core machine the split read cost about 40 % more CPU and did not
 * finish sooner (docs/benchmarks.md, h23-read). Applies when workers are given (ReadOptions.csvThreads.workers or
 * VSM_CSV_WORKERS) to plain (not gzip) UTF-8 files read by the fast engine from `minBytes` (256 MiB) up; docs/limits.md.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { envNumber, workerScriptBeside } from '../model/runtime.js';
import { ChunkPool } from './csv-chunk-pool.js';
import { type ChunkJob, type ChunkResult, parseOnMain } from './csv-chunk-parse.js';
import { ChunkMerger } from './csv-chunk-merge.js';
import { runFastEngine } from './csv-fast.js';
import { CR, INCOMPLETE, LF, RecordEndFinder } from './csv-fast-row.js';
import { type CsvReadState, estimateRows, finishRead, startRead } from './csv-read-state.js';
import type { EncodingChoice, OpenedInput } from './decode.js';
import type { CsvThreadOptions, CsvThreadOutcome, ReadOptions, ReadResult } from './read-options.js';
import { Utf8StreamCheck } from './utf8-check.js';

/**
 * Below this, one thread even when workers are given: worker start-up and the merge cost more than they save (the
 * 1 M-event log, 76 MB, on idle cores: 3.43–4.14 s end to end on one thread, 3.83–4.71 s on two workers;
 * docs/benchmarks.md).
 */
export const DEFAULT_THREADS_MIN_BYTES = 256 * 1024 * 1024;
/** Workers given (option or VSM_CSV_WORKERS) are capped here. */
export const MAX_WORKERS = 8;
const MIN_CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
/** Chunks per worker: more chunks even out threads that run at different speeds on a shared machine. */
const CHUNKS_PER_WORKER = 4;
const SEARCH_BYTES = 64 * 1024;

interface ThreadPlan {
  workers: number;
  /** Bytes the main thread reads itself, first, straight into the file's columns (0: the workers read everything). */
  mainBytes: number;
  chunkBytes: number;
  inline: boolean;
}

/**
 * Main-thread CPU to merge a byte a worker read, as a share of the CPU to read it (codes remapped, values interned
 * again, columns appended; the profile in docs/benchmarks.md, h23-read).
 */
const MERGE_COST_PER_READ = 0.2;

/**
 * The share of the file the main thread reads itself while `workers` threads read the rest, so that it finishes its
 * share and merges theirs about when they finish: p + m (1 - p) = (1 - p) / workers, with m = MERGE_COST_PER_READ.
 * @example mainShare(1) // 0.444…
 */
export function mainShare(workers: number): number {
  const m = MERGE_COST_PER_READ;
  return Math.max(0, (1 / workers - m) / (1 - m + 1 / workers));
}

/**
 * Whether and how to split a file of `contentBytes`: ReadOptions.csvThreads first, then the environment
 * (VSM_CSV_THREADS_MIN_BYTES, VSM_CSV_WORKERS, VSM_CSV_CHUNK_BYTES), then the defaults. No workers by default: the
 * file is split only when workers are given.
 */
export function threadPlan(given: CsvThreadOptions | false | undefined, contentBytes: number): ThreadPlan | undefined {
  if (given === false) return undefined;
  const minBytes = given?.minBytes ?? envNumber('VSM_CSV_THREADS_MIN_BYTES') ?? DEFAULT_THREADS_MIN_BYTES;
  const workers = Math.min(MAX_WORKERS, Math.floor(given?.workers ?? envNumber('VSM_CSV_WORKERS') ?? 0));
  if (contentBytes < minBytes || !(workers >= 1)) return undefined;
  let mainBytes = Math.floor(given?.mainBytes ?? contentBytes * mainShare(workers));
  if (given?.mainBytes === undefined && mainBytes < MIN_CHUNK_BYTES) mainBytes = 0;
  mainBytes = Math.max(0, mainBytes);
  const chunkBytes = given?.chunkBytes ?? envNumber('VSM_CSV_CHUNK_BYTES') ?? Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, (contentBytes - mainBytes) / (workers * CHUNKS_PER_WORKER)));
  return { workers, mainBytes, chunkBytes: Math.max(1, Math.floor(chunkBytes)), inline: given?.inline === true };
}

const HEADER_READ = Symbol('header read');

/** The header cells and the offset just past the header record, when the head holds all of it and reads fast. */
async function readHeader(head: Buffer, bomBytes: number, delimiter: string, file: string): Promise<{ cells: string[]; end: number } | undefined> {
  let position = bomBytes;
  for (;;) {
    if (head[position] === LF) position++;
    else if (head[position] === CR && head[position + 1] === LF) position += 2;
    else break;
  }
  if (position >= head.length) return undefined;
  const end = new RecordEndFinder(delimiter.charCodeAt(0)).find(head, position);
  if (end === INCOMPLETE) return undefined;
  const bytes = head.subarray(0, end);
  const utf8 = new Utf8StreamCheck();
  utf8.check(bytes);
  utf8.finish();
  if (utf8.invalidSequences > 0 || utf8.nulBytes > 0) return undefined;
  let cells: string[] | undefined;
  try {
    await runFastEngine({
      file,
      chunks: (async function* () {
        yield bytes;
      })(),
      bomBytes,
      encoding: 'utf-8',
      delimiter,
      maxRecordChars: Number.MAX_SAFE_INTEGER,
      onHeader: (header) => {
        cells = header;
        throw HEADER_READ;
      },
    });
  } catch (error) {
    if (error !== HEADER_READ) return undefined;
  }
  return cells === undefined ? undefined : { cells, end };
}

/** Chunk starts: `dataStart`, then just past the first line feed at or after every `chunkBytes`; then `totalBytes`. */
async function cutPoints(path: string, dataStart: number, totalBytes: number, firstBytes: number, chunkBytes: number): Promise<number[]> {
  const points = [dataStart];
  const handle = await open(path, 'r');
  try {
    const window = Buffer.allocUnsafe(SEARCH_BYTES);
    let target = dataStart + (firstBytes > 0 ? firstBytes : chunkBytes);
    while (target < totalBytes) {
      let cut = -1;
      for (let from = target; from < totalBytes && cut < 0; from += SEARCH_BYTES) {
        const { bytesRead } = await handle.read(window, 0, SEARCH_BYTES, from);
        if (bytesRead === 0) break;
        const lf = window.subarray(0, bytesRead).indexOf(LF);
        if (lf >= 0) cut = from + lf + 1;
      }
      if (cut < 0 || cut >= totalBytes) break;
      points.push(cut);
      target = cut + chunkBytes;
    }
  } finally {
    await handle.close();
  }
  points.push(totalBytes);
  return points;
}

/**
 * Reads a large CSV on worker threads. Undefined when the file does not qualify or the split read cannot vouch for
 * its result: the caller then reads it on one thread (`opened` is untouched in that case).
 */
export async function readThreaded(opened: OpenedInput, encoding: EncodingChoice, delimiter: string, path: string, options: ReadOptions): Promise<ReadResult | undefined> {
  if (opened.gzip || encoding.encoding !== 'utf-8') return undefined;
  const plan = threadPlan(options.csvThreads, opened.totalBytes);
  if (plan === undefined) return undefined;
  const header = await readHeader(opened.head, encoding.bomBytes, delimiter, basename(path));
  if (header === undefined) return undefined;
  const state = startRead(opened, encoding, delimiter, path, options);
  let dataRows: number | undefined;
  try {
    state.onHeader(header.cells);
    const points = await cutPoints(path, header.end, opened.totalBytes, plan.mainBytes, plan.chunkBytes);
    const bytesPerRow = opened.totalBytes / Math.max(1, estimateRows(opened));
    const jobs: ChunkJob[] = [];
    for (let k = 0; k + 1 < points.length; k++) {
      jobs.push({
        path,
        start: points[k],
        end: points[k + 1],
        final: k + 2 === points.length,
        header: header.cells,
        mapping: options.mapping,
        keepAttributes: options.keepAttributes !== false,
        sinkOptions: state.sinkOptions,
        maxRecordChars: state.maxRecordChars,
        capacityHint: (points[k + 1] - points[k]) / bytesPerRow,
      });
    }
    const outcome: CsvThreadOutcome = { workers: plan.workers, chunks: jobs.length, rereads: 0 };
    const pool = new ChunkPool(plan.workers, plan.inline ? undefined : workerScriptBeside(import.meta.url, 'csv-chunk-worker.js', 'ingest'));
    try {
      dataRows = await mergeInOrder(jobs, plan.mainBytes > 0, pool, state, options, opened.totalBytes, outcome);
    } finally {
      await pool.close();
    }
    if (options.csvThreads) options.csvThreads.onOutcome?.(outcome);
  } catch (error) {
    await closeInput(opened);
    throw error;
  }
  if (dataRows === undefined) return undefined;
  await closeInput(opened);
  return finishRead(state, { headerSeen: true, dataRows }, undefined, options);
}

/** Data rows of the file once every chunk is merged, or undefined when one cannot be (read on one thread). */
async function mergeInOrder(jobs: ChunkJob[], mainReadsFirst: boolean, pool: ChunkPool, state: CsvReadState, options: ReadOptions, totalBytes: number, outcome: CsvThreadOutcome): Promise<number | undefined> {
  const first = mainReadsFirst ? 1 : 0;
  const results = jobs.map((job, k) => (k < first ? Promise.reject(new Error('read on the main thread')) : pool.run(job)));
  for (const result of results) result.catch(() => undefined);
  let expectedStart = jobs[0].start;
  const merger = new ChunkMerger(state);
  if (mainReadsFirst) {
    // The first chunk goes straight into the file's columns while the workers read the rest.
    const sink = state.sink;
    const own = sink === undefined ? undefined : await parseOnMain(jobs[0], sink);
    if (own === undefined || !own.ok) {
      outcome.fallback = `chunk 0: ${own === undefined ? 'no sink' : own.reason}`;
      return undefined;
    }
    merger.dataRows = own.dataRows;
    expectedStart = own.end - own.tailBytes;
    options.onProgress?.(own.end, totalBytes);
  }
  for (let k = first; k < jobs.length; k++) {
    let result: ChunkResult;
    try {
      result = await results[k];
      // The cut before this chunk fell inside a quoted field: read it again from where the last record really ended.
      if (result.start !== expectedStart) {
        outcome.rereads++;
        result = await pool.run({ ...jobs[k], start: expectedStart }, true);
      }
    } catch (error) {
      outcome.fallback = `chunk ${k}: ${(error as Error).message}`;
      return undefined;
    }
    if (!result.ok) {
      outcome.fallback = `chunk ${k}: ${result.reason}`;
      return undefined;
    }
    if (!merger.merge(result)) {
      outcome.fallback = `chunk ${k}: a time column reads differently in this chunk, or the file stops with BAD_TIMESTAMP`;
      return undefined;
    }
    expectedStart = result.end - result.tailBytes;
    options.onProgress?.(result.end, totalBytes);
  }
  return merger.dataRows;
}

/** Ends the opened input's stream (the chunk generator must start for its cleanup to run). */
async function closeInput(opened: OpenedInput): Promise<void> {
  await opened.chunks.next();
  await opened.chunks.return(undefined);
}
