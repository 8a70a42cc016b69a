import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { open } from 'node:fs/promises';
import { readCsv } from '../../src/ingest/csv.js';
import { CHUNK_BYTES, chooseEncoding, filePieces, firstInvalidUtf8, openInput } from '../../src/ingest/decode.js';

describe('chooseEncoding', () => {
  it('detects BOMs', () => {
    expect(chooseEncoding('f', Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bomBytes: 3 });
    expect(chooseEncoding('f', Buffer.from([0xff, 0xfe, 0x61, 0x00])).encoding).toBe('utf-16le');
    expect(chooseEncoding('f', Buffer.from([0xfe, 0xff, 0x00, 0x61])).encoding).toBe('utf-16be');
  });
  it('detects UTF-16 without BOM from NUL positions', () => {
    expect(chooseEncoding('f', Buffer.from('case,activity\n', 'utf16le'))).toMatchObject({ encoding: 'utf-16le', bomBytes: 0 });
  });
  it('keeps valid UTF-8 and falls back to Windows-1252 otherwise', () => {
    expect(chooseEncoding('f', Buffer.from('naïve,café\n'))).toEqual({ encoding: 'utf-8', bomBytes: 0 });
    expect(chooseEncoding('f', Buffer.from('caf\xe9\n', 'latin1'))).toMatchObject({ encoding: 'windows-1252', note: expect.stringContaining('first at byte 3') });
  });
  it('throws BINARY_INPUT for control-byte soup', () => {
    expect(() => chooseEncoding('f', Buffer.alloc(100, 1))).toThrow(expect.objectContaining({ code: 'BINARY_INPUT' }));
  });
});

describe('firstInvalidUtf8', () => {
  it('finds bad sequences but accepts a sequence cut by the end of the head', () => {
    expect(firstInvalidUtf8(Buffer.from('abc'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3, 0x28, 0x61]))).toBe(1);
    // Overlong encoding of '/' and a UTF-16 surrogate are invalid.
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf, 0x61]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80, 0x61]))).toBe(0);
  });
});

describe('openInput', () => {
  it('replays the head then streams the rest, for plain and gzip input', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-decode-`);
    const content = Buffer.from('x'.repeat(200_000) + '\n');
    writeFileSync(`${dir}/plain.txt`, content);
    writeFileSync(`${dir}/packed.bin`, gzipSync(content));
    for (const [name, gzip] of [['plain.txt', false], ['packed.bin', true]] as const) {
      const input = await openInput(`${dir}/${name}`);
      expect(input.gzip).toBe(gzip);
      expect(input.head.length).toBe(64 * 1024);
      expect(input.contentBytesHint).toBe(content.length);
      const parts: Buffer[] = [];
      for await (const chunk of input.chunks) parts.push(chunk);
      expect(Buffer.concat(parts).equals(content)).toBe(true);
    }
  });
});

/** Bytes 0..n-1 of a pattern that differs at every offset within a few MiB (each chunk's bytes are its own). */
function patterned(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  for (let k = 0; k < n; k++) bytes[k] = (k * 7 + (k >>> 10) * 13 + (k >>> 20)) & 0xff;
  return bytes;
}

describe('filePieces', () => {
  it('gives the file from a position in pieces ending at multiples of CHUNK_BYTES, two buffers taking turns with reuse', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-pieces-`);
    const content = patterned(3 * CHUNK_BYTES + 12_345);
    writeFileSync(`${dir}/f.bin`, content);
    for (const reuse of [false, true]) {
      for (const from of [0, 5, CHUNK_BYTES - 1, CHUNK_BYTES, 2 * CHUNK_BYTES + 7]) {
        const handle = await open(`${dir}/f.bin`, 'r');
        const copies: Buffer[] = [];
        const arrays = new Set<ArrayBufferLike>();
        let position = from;
        for await (const piece of filePieces(handle, from, reuse)) {
          position += piece.length;
          // Each piece ends at a multiple of CHUNK_BYTES or at the end of the file.
          expect(position % CHUNK_BYTES === 0 || position === content.length).toBe(true);
          copies.push(Buffer.from(piece));
          arrays.add(piece.buffer);
        }
        await handle.close();
        expect(Buffer.concat(copies).equals(content.subarray(from))).toBe(true);
        expect(copies.length).toBe(Math.ceil(content.length / CHUNK_BYTES) - Math.floor(from / CHUNK_BYTES));
        if (reuse && copies.length > 2) expect(arrays.size).toBe(2);
        if (!reuse) expect(arrays.size).toBe(copies.length);
      }
    }
  });

  it('finishes its read ahead when the caller stops early, so the file can be closed', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-pieces-`);
    writeFileSync(`${dir}/f.bin`, patterned(3 * CHUNK_BYTES));
    const handle = await open(`${dir}/f.bin`, 'r');
    const pieces = filePieces(handle, 0, true);
    expect((await pieces.next()).value?.length).toBe(CHUNK_BYTES);
    await pieces.return(undefined);
    await handle.close();
  });
});

describe('openInput with reused chunk buffers', () => {
  it("gives the file's bytes for a plain file, and the head still holds its own after every chunk was read", async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-reuse-`);
    const content = patterned(4 * CHUNK_BYTES + 999);
    writeFileSync(`${dir}/plain.bin`, content);
    const input = await openInput(`${dir}/plain.bin`, undefined, undefined, undefined, true);
    const parts: Buffer[] = [];
    for await (const chunk of input.chunks) parts.push(Buffer.from(chunk));
    expect(Buffer.concat(parts).equals(content)).toBe(true);
    expect(input.head.equals(content.subarray(0, 64 * 1024))).toBe(true);
  });

  it('closes the file when the reader gives up before asking for a chunk', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-reuse-`);
    writeFileSync(`${dir}/plain.bin`, patterned(2 * CHUNK_BYTES));
    const input = await openInput(`${dir}/plain.bin`, undefined, undefined, undefined, true);
    const result = await input.chunks.return(undefined);
    expect(result.done).toBe(true);
    expect((await input.chunks.next()).done).toBe(true);
  });

  it('reads a CSV record longer than two chunks exactly (the engine copies a chunk it holds past the next)', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-reuse-`);
    // An activity of 2.5 MiB of letters that differ from chunk to chunk, between ordinary rows.
    const letters = patterned(2.5 * CHUNK_BYTES);
    for (let k = 0; k < letters.length; k++) letters[k] = 97 + (letters[k] % 26);
    const long = letters.toString('latin1');
    const rows = ['case,activity,timestamp'];
    for (let k = 0; k < 30_000; k++) rows.push(`c${k},a${k % 7},2024-01-01T00:00:${String(k % 60).padStart(2, '0')}Z`);
    rows.push(`long,${long},2024-01-02T00:00:00Z`);
    for (let k = 0; k < 30_000; k++) rows.push(`d${k},b${k % 5},2024-01-03T00:00:${String(k % 60).padStart(2, '0')}Z`);
    writeFileSync(`${dir}/long.csv`, `${rows.join('\n')}\n`);
    const { log, report } = await readCsv(`${dir}/long.csv`, { maxFieldChars: 4 * CHUNK_BYTES, csvEngine: 'fast' });
    expect(report.rowsRejected).toBe(0);
    expect(log.eventCount).toBe(60_001);
    expect(log.activities.codeOf(long)).toBeGreaterThanOrEqual(0);
    expect(log.activities.size).toBe(13);
  });
});
