import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { openInput } from '../../src/ingest/decode.js';
import { DIGEST_WORKER_MIN_BYTES, InputDigest, fileDigest, startFileDigest } from '../../src/ingest/input-digest.js';
import { readLog } from '../../src/ingest/read-log.js';
import { workerScriptBeside } from '../../src/model/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-digest-'));
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A CSV of `rows` events (about 35 bytes each): 100,000 rows span several of openInput's 1 MiB reads. */
function csvFile(name: string, rows: number): string {
  const lines = ['case,activity,timestamp'];
  for (let k = 0; k < rows; k++) lines.push(`c${k % 997},a${k % 5},${new Date(Date.UTC(2024, 0, 1) + k * 1000).toISOString()}`);
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('InputDigest', () => {
  it("records a plain CSV's sha256 and size when the read saw the whole file (several 1 MiB reads)", async () => {
    const path = csvFile('plain.csv', 100_000);
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    const digest = new InputDigest();
    const { log } = await readLog(path, { inputDigest: digest });
    expect(log.eventCount).toBe(100_000);
    expect(digest.digestOf(path)).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
  });

  it('hashes the compressed bytes of a gzip file (what `sha256sum log.csv.gz` gives)', async () => {
    const path = join(dir, 'log.csv.gz');
    writeFileSync(path, gzipSync(readFileSync(csvFile('to-gzip.csv', 50_000))));
    const compressed = readFileSync(path);
    const digest = new InputDigest();
    await readCsv(path, { inputDigest: digest });
    expect(digest.digestOf(path)).toEqual({ bytes: compressed.length, sha256: sha256(compressed) });
  });

  it('records nothing for a read that stopped before the end, nor for one that saw another byte count', async () => {
    const path = csvFile('partial.csv', 100_000);
    const digest = new InputDigest();
    const opened = await openInput(path, undefined, undefined, digest);
    await opened.chunks.next();
    await opened.chunks.return(undefined);
    expect(digest.digestOf(path)).toBeUndefined();
    const session = digest.session(path, 10);
    session.update(Buffer.from('123456789'));
    session.end();
    expect(digest.digestOf(path)).toBeUndefined();
  });

  it('records nothing when worker threads read parts of the file (the caller hashes it then)', async () => {
    // Past the first 1 MiB read (which a small file's head would end, and with it the file).
    const path = csvFile('threaded.csv', 50_000);
    const digest = new InputDigest();
    let chunks = 0;
    const csvThreads = { minBytes: 0, workers: 2, chunkBytes: 256 * 1024, mainBytes: 0, inline: true, onOutcome: (outcome: { chunks: number }) => (chunks = outcome.chunks) };
    const { log } = await readCsv(path, { inputDigest: digest, csvThreads });
    expect(log.eventCount).toBe(50_000);
    expect(chunks).toBeGreaterThan(1);
    expect(digest.digestOf(path)).toBeUndefined();
    expect(await fileDigest(path, digest)).toEqual({ bytes: readFileSync(path).length, sha256: sha256(readFileSync(path)) });
  });
});

describe('fileDigest', () => {
  it("uses the read's digest when the size still matches, else streams the file", async () => {
    const path = csvFile('small.csv', 10);
    const bytes = readFileSync(path);
    const taken = new InputDigest();
    taken.record(path, { bytes: bytes.length, sha256: 'taken by the read' });
    expect(await fileDigest(path, taken)).toEqual({ bytes: bytes.length, sha256: 'taken by the read' });
    const stale = new InputDigest();
    stale.record(path, { bytes: bytes.length + 1, sha256: 'of an older file' });
    expect(await fileDigest(path, stale)).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
    expect(await fileDigest(path)).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
  });

  it('gives an empty hash for standard input and folders', async () => {
    expect(await fileDigest('-')).toEqual({ bytes: 0, sha256: '' });
    expect(await fileDigest(dir)).toEqual({ bytes: 0, sha256: '' });
  });
});

describe('startFileDigest (the checksum on a worker thread while the file is read)', () => {
  it("gives the file's sha256 and size, from the worker's own read (several 1 MiB reads)", async () => {
    const path = csvFile('worker.csv', 100_000);
    const bytes = readFileSync(path);
    const background = startFileDigest(path, 0);
    expect(background).toBeDefined();
    expect(await background!.done).toBe(true);
    // Same size, other bytes, after the worker read it: the worker's digest is the one given (not streamed again).
    writeFileSync(path, Buffer.from(bytes).fill(0x41, 0, 10));
    expect(await background!.result()).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
  });

  it('streams the file again when it changed size after the worker read it', async () => {
    const path = csvFile('grown.csv', 1_000);
    const background = startFileDigest(path, 0);
    expect(await background!.done).toBe(true);
    writeFileSync(path, `${readFileSync(path, 'utf8')}c1,a1,2024-02-01T00:00:00.000Z\n`);
    const grown = readFileSync(path);
    expect(await background!.result()).toEqual({ bytes: grown.length, sha256: sha256(grown) });
  });

  it('still gives the digest after cancel (the file streamed here), and the worker has ended', async () => {
    const path = csvFile('cancelled.csv', 100_000);
    const bytes = readFileSync(path);
    const background = startFileDigest(path, 0)!;
    background.cancel();
    await background.done;
    expect(await background.result()).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
  });

  it('starts nothing for standard input, folders, missing files and files under the size floor', () => {
    const small = csvFile('tiny.csv', 10);
    expect(startFileDigest('-', 0)).toBeUndefined();
    expect(startFileDigest(dir, 0)).toBeUndefined();
    expect(startFileDigest(join(dir, 'missing.csv'), 0)).toBeUndefined();
    expect(startFileDigest(small, readFileSync(small).length + 1)).toBeUndefined();
    expect(startFileDigest(small)).toBeUndefined();
    expect(DIGEST_WORKER_MIN_BYTES).toBe(32 * 1024 * 1024);
  });

  it('the worker script posts the digest of a file, and the read error of one it cannot read', async () => {
    const path = csvFile('direct.csv', 1_000);
    const bytes = readFileSync(path);
    const script = workerScriptBeside(import.meta.url, 'digest-worker.js', 'ingest');
    expect(script).toBeDefined();
    const post = (workerPath: string) =>
      new Promise<unknown>((resolve, reject) => {
        const worker = new Worker(script!, { workerData: { path: workerPath } });
        worker.once('message', (message) => void worker.terminate().then(() => resolve(message)));
        worker.once('error', reject);
      });
    expect(await post(path)).toEqual({ ok: true, bytes: bytes.length, sha256: sha256(bytes) });
    expect(await post(join(dir, 'missing.csv'))).toMatchObject({ ok: false, error: expect.stringContaining('ENOENT') });
  });
});
