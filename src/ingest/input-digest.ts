/**
 * The input's sha256, taken from the bytes a reader reads anyway (report.json's provenance, issue 14: the file is read
 * once, not a second time for its checksum). A reader that opens a file hands each raw chunk, in file order, to a
 * session; a session that saw every byte from offset 0 to the end of the file records the file's digest. A read that
 * stopped early, restarted or read parts elsewhere (worker threads) records nothing, and the caller hashes the file
 * itself (`fileDigest`).
 */
import { type Hash, createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { envNumber, workerScriptBeside } from '../model/runtime.js';
import { type FileDigest, sha256OfFile } from './file-sha256.js';

export type { FileDigest } from './file-sha256.js';

/** One pass over one file's raw bytes, in order. */
export class DigestSession {
  private readonly hash: Hash = createHash('sha256');
  private seenBytes = 0;
  private closed = false;

  constructor(
    private readonly owner: InputDigest,
    private readonly path: string,
    private readonly totalBytes: number,
  ) {}

  /** The next raw chunk of the file (in order, none skipped). */
  update(chunk: Uint8Array): void {
    if (this.closed) return;
    this.hash.update(chunk);
    this.seenBytes += chunk.length;
  }

  /** The file ended: records the digest when the session saw exactly the file's bytes. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.seenBytes === this.totalBytes) this.owner.record(this.path, { bytes: this.seenBytes, sha256: this.hash.digest('hex') });
  }
}

/**
 * Collects the digests of files read through it: pass one as `ReadOptions.inputDigest`, then ask `digestOf(path)`.
 * Readers that do not support it leave it empty (then `fileDigest` reads the file again).
 */
export class InputDigest {
  private readonly digests = new Map<string, FileDigest>();

  /** A session for one read of `path` (`totalBytes` as stat gave it when the read opened the file). */
  session(path: string, totalBytes: number): DigestSession {
    return new DigestSession(this, path, totalBytes);
  }

  /** @internal called by a finished session. */
  record(path: string, digest: FileDigest): void {
    this.digests.set(path, digest);
  }

  /** The digest of `path` when a read saw all of it, else undefined. */
  digestOf(path: string): FileDigest | undefined {
    return this.digests.get(path);
  }
}

/**
 * The sha256 of a regular file: from `taken` when a read already saw all of its bytes and the size is still the same,
 * else streamed from disk. Standard input (`-`), pipes and folders give `{ bytes: 0, sha256: '' }`: their bytes were
 * consumed by the read, or they are not one file.
 */
export async function fileDigest(path: string, taken?: InputDigest): Promise<FileDigest> {
  if (path === '-') return { bytes: 0, sha256: '' };
  const stats = statSync(path);
  if (!stats.isFile()) return { bytes: 0, sha256: '' };
  const seen = taken?.digestOf(path);
  if (seen !== undefined && seen.bytes === stats.size) return seen;
  return sha256OfFile(path);
}

/**
 * Files from this size up are hashed by `startFileDigest` on a worker thread while the main thread reads them (32 MiB:
 * the worker's start, ≈ 30 ms of CPU, is then a small part of the hash). Environment: VSM_DIGEST_WORKER_MIN_BYTES.
 */
export const DIGEST_WORKER_MIN_BYTES = 32 * 1024 * 1024;

/** A file's sha256 being taken on a worker thread (`startFileDigest`). */
export interface BackgroundDigest {
  /**
   * The file's digest: the worker's when it read the whole file and the file still has that size, else the file
   * streamed again here (a failed or stopped worker, a file that changed size). Call once, after the read.
   */
  result(): Promise<FileDigest>;
  /** Stops the worker (the read failed and no digest is wanted). */
  cancel(): void;
  /** Settles when the worker has ended: true when it hashed the whole file (its digest is then what `result` checks). */
  readonly done: Promise<boolean>;
}

type DigestMessage = { ok: true; bytes: number; sha256: string } | { ok: false; error: string };

/**
 * Starts hashing `path` on a worker thread (digest-worker.ts), so a reader that cannot hash its own bytes (XES, JSON,
 * the threaded CSV read) or that would spend the main thread's time on it (≈ 45 ms per 100 MB) does not have to.
 * Undefined, and nothing started, for standard input, anything but a regular file, a file under `minBytes`, or when the
 * worker script or a worker thread is not available: the caller then uses `InputDigest` and `fileDigest` as before.
 * The worker does not keep the process alive until `result()` is asked for.
 */
export function startFileDigest(path: string, minBytes = envNumber('VSM_DIGEST_WORKER_MIN_BYTES') ?? DIGEST_WORKER_MIN_BYTES): BackgroundDigest | undefined {
  if (path === '-') return undefined;
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    size = stats.size;
  } catch {
    return undefined;
  }
  if (size < minBytes) return undefined;
  const script = workerScriptBeside(import.meta.url, 'digest-worker.js', 'ingest');
  if (script === undefined) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { path } });
  } catch {
    return undefined;
  }
  worker.unref();
  const settled = new Promise<FileDigest | undefined>((resolve) => {
    worker.once('message', (message: DigestMessage) => resolve(message.ok ? { bytes: message.bytes, sha256: message.sha256 } : undefined));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  return {
    async result() {
      worker.ref();
      const taken = await settled;
      void worker.terminate();
      if (taken !== undefined && statSync(path).size === taken.bytes) return taken;
      return fileDigest(path);
    },
    cancel() {
      void worker.terminate();
    },
    done: settled.then((taken) => taken !== undefined),
  };
}
