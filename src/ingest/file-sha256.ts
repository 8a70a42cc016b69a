/**
 * A file's sha256, streamed from disk: what `fileDigest` (input-digest.ts) falls back to and what the checksum worker
 * (digest-worker.ts) runs. Imports only Node's own modules, so the worker that loads it starts in a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface FileDigest {
  /** The file's size in bytes. */
  bytes: number;
  /** Lowercase hex sha256 of the file's bytes (compressed bytes for a .gz file). */
  sha256: string;
}

/** Bytes per read: above glibc's mmap threshold, so the chunks go back to the system once hashed. */
const CHUNK_BYTES = 1024 * 1024;

/** The sha256 and byte count of every byte of `path` read now; rejects with the read's error. */
export async function sha256OfFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}
