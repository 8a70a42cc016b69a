/**
 * Worker thread entry for `startFileDigest` (input-digest.ts): hashes one file while the main thread reads it, so the
 * sha256 of report.json's provenance costs the read no time on a machine with a second core. Imports only Node's own
 * modules, so the worker starts in a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/** Bytes per read: above glibc's mmap threshold, so the chunks go back to the system when the worker ends. */
const CHUNK_BYTES = 1024 * 1024;

const port = parentPort;
const path = (workerData as { path?: unknown } | null)?.path;
if (port !== null && typeof path === 'string') {
  const hash = createHash('sha256');
  let bytes = 0;
  createReadStream(path, { highWaterMark: CHUNK_BYTES })
    .on('data', (chunk) => {
      hash.update(chunk as Buffer);
      bytes += chunk.length;
    })
    .on('error', (error) => port.postMessage({ ok: false, error: error.message }))
    .on('end', () => port.postMessage({ ok: true, bytes, sha256: hash.digest('hex') }));
}
