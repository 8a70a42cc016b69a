import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInputTexts } from '../../src/ingest/status-source-kit.js';

/** Issue 11 #10 for the readers that take a file whole (ServiceNow, Salesforce, Greenhouse, Lever). */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-kit-limits-`);
});

describe('readInputTexts caps', () => {
  const limits = { maxWholeTextChars: 1024 * 1024 };

  it('a gzip inflating past maxWholeTextChars stops with INPUT_TOO_LARGE before the text is built', async () => {
    const path = `${dir}/bomb.json.gz`;
    writeFileSync(path, gzipSync(`{"result": [${' '.repeat(3 * 1024 * 1024)}]}`));
    await expect(readInputTexts(path, ['.json'], limits)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', where: path });
  });

  it('a plain file past the cap is refused from its size; one under it is read', async () => {
    const big = `${dir}/big.json`;
    writeFileSync(big, `{"result": [${' '.repeat(2 * 1024 * 1024)}]}`);
    await expect(readInputTexts(big, ['.json'], limits)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    const small = `${dir}/small.json`;
    writeFileSync(small, '{"result": []}');
    expect((await readInputTexts(small, ['.json'], limits))[0].text).toBe('{"result": []}');
  });

  it('a corrupt gzip is BAD_ENCODING, not a raw zlib error', async () => {
    const path = `${dir}/corrupt.json.gz`;
    writeFileSync(path, gzipSync('{"result": []}').subarray(0, 12));
    await expect(readInputTexts(path, ['.json'])).rejects.toMatchObject({ code: 'BAD_ENCODING' });
  });
});
