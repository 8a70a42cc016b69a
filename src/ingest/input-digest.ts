/**
 * The input's sha256, taken from the bytes a reader reads anyway (report.json's provenance, issue 14: the file is read
 * once, not a second time for its checksum). A reader that opens a file hands each raw chunk, in file order, to a
 * session; a session that saw every byte from offset 0 to the end of the file records the file's digest. A read that
 * stopped early, restarted or read parts elsewhere (worker threads) records nothing, and the caller hashes the file
 * itself (`fileDigest`).
 */
import { type Hash, createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export interface FileDigest {
  /** The file's size in bytes. */
  bytes: number;
  /** Lowercase hex sha256 of the file's bytes (compressed bytes for a .gz file). */
  sha256: string;
}

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
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { bytes: stats.size, sha256: hash.digest('hex') };
}
