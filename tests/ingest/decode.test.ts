import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, firstInvalidUtf8, openInput } from '../../src/ingest/decode.js';

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
