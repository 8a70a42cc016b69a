/**
 * Worker thread entry for `startFileDigest` (input-digest.ts): hashes one file while the main thread reads it, so the
 * sha256 of report.json's provenance costs the read no time on a machine with a second core. Imports only Node's own
 * modules and file-sha256.ts, so the worker starts in a few milliseconds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256OfFile } from './file-sha256.js';

const port = parentPort;
const path = (workerData as { path?: unknown } | null)?.path;
if (port !== null && typeof path === 'string') {
  sha256OfFile(path).then(
    (digest) => port.postMessage({ ok: true, ...digest }),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
}
