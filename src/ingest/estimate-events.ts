/**
 * How many events a log file holds, estimated before reading it (issue 14: warn before memory runs out): the
 * bytes per row of the first few MB, scaled to the file's size; for .gz the compression ratio of the first chunk
 * too. An estimate, cheap by design (one read of at most SAMPLE_BYTES, 20–40 ms): a file whose rows grow longer or shorter
 * later is misjudged in proportion.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

/** Bytes read from the start of the file. */
export const SAMPLE_BYTES = 4 * 1024 * 1024;
/** Compressed bytes read from the start of a .gz file (they inflate to 5–30× as many). */
export const GZIP_SAMPLE_BYTES = 512 * 1024;

export interface EventEstimate {
  /** Estimated events in the whole file (exact when the sample is the whole file). */
  events: number;
  /** True when the whole file was counted. */
  exact: boolean;
  /** File size on disk. */
  fileBytes: number;
}

/** Rows in a sample: lines for CSV-like and JSON lines files, `<event` elements for XES / XML-OCEL; null otherwise. */
function rowsIn(text: Buffer, name: string): number | null {
  if (/\.(xes|xmlocel|xml)$/i.test(name)) {
    let count = 0;
    for (let at = text.indexOf('<event'); at >= 0; at = text.indexOf('<event', at + 6)) {
      const next = text[at + 6];
      if (next === 0x20 || next === 0x3e || next === 0x0a || next === 0x0d || next === 0x09) count++;
    }
    return count;
  }
  if (/\.(csv|tsv|txt|jsonl)$/i.test(name)) {
    let lines = 0;
    for (let at = text.indexOf(0x0a); at >= 0; at = text.indexOf(0x0a, at + 1)) lines++;
    // The header row is not an event (JSON lines have none: one line too few is well within the estimate).
    return Math.max(0, lines - 1);
  }
  return null;
}

/**
 * The estimate for a file, or null when it cannot be made cheaply (standard input, folders, JSON exports,
 * Parquet, an empty or unreadable sample).
 * @example estimateEvents('bench/out/tickets-20m.csv')?.events // ≈ 20,000,000
 */
export function estimateEvents(path: string): EventEstimate | null {
  if (path === '-') return null;
  let fileBytes: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return null;
    fileBytes = stats.size;
  } catch {
    return null;
  }
  const gzip = /\.gz$/i.test(path);
  const name = path.replace(/\.gz$/i, '');
  if (!/\.(csv|tsv|txt|jsonl|xes|xmlocel|xml)$/i.test(name) || fileBytes === 0) return null;
  const head = Buffer.alloc(Math.min(fileBytes, gzip ? GZIP_SAMPLE_BYTES : SAMPLE_BYTES));
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Unreadable: no estimate; the reader says what is wrong with the file.
    return null;
  }
  const whole = read >= fileBytes;
  let sample = head.subarray(0, read);
  let ratio = 1;
  if (gzip) {
    try {
      // A cut stream: flush what the chunk holds instead of failing on the missing end.
      sample = gunzipSync(sample, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
    ratio = sample.length / read;
  }
  const rows = rowsIn(sample, name);
  if (rows === null || rows === 0) return null;
  if (whole) return { events: rows, exact: true, fileBytes };
  return { events: Math.round((fileBytes * ratio * rows) / sample.length), exact: false, fileBytes };
}
