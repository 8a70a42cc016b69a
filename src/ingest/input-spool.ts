/**
 * Inputs that cannot be read twice or at an offset (issue 11 #9): standard input (`-`), a pipe from process
 * substitution (`vsm inspect <(zcat log.csv.gz)`, i.e. /dev/fd/63) or a named FIFO. The readers sniff the head and
 * may read a file twice (the CSV fast path falls back to csv-parse), so such an input is first copied, streaming,
 * to a temporary file beside nothing else, read from there, and the copy removed. Memory stays one chunk.
 *
 * A FIFO with no writer would block the open forever: past `limits.pipeOpenTimeoutMs` the read stops with
 * INPUT_NOT_READY instead of hanging without a word.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VsmError } from '../errors.js';

export interface SpooledInput {
  /** The regular file to read. */
  path: string;
  /** What the input was, for the report ("standard input", "a pipe"). */
  what: string;
  remove: () => Promise<void>;
}

/** The name the copy keeps: the input's own extensions (`.xes.gz`), so sniffing by name still works. */
function spoolName(path: string): string {
  if (path === '-') return 'stdin';
  const name = basename(path);
  const inner = extname(name.replace(/\.gz$/i, ''));
  return `input${inner}${/\.gz$/i.test(name) ? '.gz' : ''}`;
}

async function openWithTimeout(path: string, timeoutMs: number): Promise<Readable> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const opening = open(path, 'r');
  // An open that completes after we gave up must not leak its descriptor.
  opening.then((handle) => (gaveUp ? handle.close() : undefined)).catch(() => undefined);
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      gaveUp = true;
      reject(
        new VsmError({
          code: 'INPUT_NOT_READY',
          what: 'no program is writing to this pipe',
          where: path,
          got: `no writer after ${Math.round(timeoutMs / 1000)} s`,
          fix: 'start the program that writes into the FIFO first, or pass a file',
        }),
      );
    }, timeoutMs);
  });
  try {
    const handle = await Promise.race([opening, timedOut]);
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Copies `path` to a temporary file when it is `-` (standard input) or not a regular file or folder; returns
 * undefined for ordinary files and folders, which are read in place.
 */
export async function spoolIfStream(path: string, stdin: Readable, pipeOpenTimeoutMs: number): Promise<SpooledInput | undefined> {
  let source: Readable;
  let what: string;
  if (path === '-') {
    source = stdin;
    what = 'standard input';
  } else {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || info.isFile() || info.isDirectory()) return undefined;
    what = info.isFIFO() ? 'a pipe' : 'a special file';
    source = await openWithTimeout(path, pipeOpenTimeoutMs);
  }
  const dir = await mkdtemp(join(tmpdir(), 'vsm-input-'));
  const copy = join(dir, spoolName(path));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(source, createWriteStream(copy));
  } catch (error) {
    await remove();
    throw new VsmError({ code: 'FILE_NOT_FOUND', what: `could not read ${what}`, where: path, got: (error as Error).message, fix: 'check the command that writes the input' });
  }
  return { path: copy, what, remove };
}
