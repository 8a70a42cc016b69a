import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXes } from '../../src/ingest/xes.js';

/** Issue 11 ingest defects on XES (#22 nested events, #10 gzip bombs). */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-xes-hard-`);
});

const event = (name: string, time: string) => `<event><string key="concept:name" value="${name}"/><date key="time:timestamp" value="${time}"/></event>`;

describe('nested <event> elements (issue 11 #22)', () => {
  it('are refused as invalid XES with the line and column of the inner <event>', async () => {
    // Before the fix the inner 3 events were skipped as "unknown children" and 1 of 4 was kept, without a note.
    const xes = `<?xml version="1.0"?>\n<log>\n<trace><string key="concept:name" value="c1"/>\n<event><string key="concept:name" value="A"/>\n  ${event('B', '2024-01-01T00:00:00Z')}${event('C', '2024-01-01T01:00:00Z')}\n<date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event></trace></log>\n`;
    const path = `${dir}/nested.xes`;
    writeFileSync(path, xes);
    await expect(readXes(path)).rejects.toMatchObject({ code: 'XML_PARSE', what: 'invalid XES: <event> nested inside <event>', where: `${path}:5:10` });
  });

  it('a <trace> inside a <trace> is refused too', async () => {
    const path = `${dir}/nested-trace.xes`;
    writeFileSync(path, `<log><trace><string key="concept:name" value="c1"/><trace>${event('A', '2024-01-01T00:00:00Z')}</trace></trace></log>`);
    await expect(readXes(path)).rejects.toMatchObject({ code: 'XML_PARSE', what: 'invalid XES: <trace> nested inside <trace>' });
  });
});

describe('gzip bombs (issue 11 #10)', () => {
  it('one huge comment past the token cap ends with INPUT_TOO_LARGE, not "Invalid string length"', async () => {
    // 3 MB comment, cap lowered to 1 MB (the default 64 Mi chars works the same way on the 2 GB original).
    const path = `${dir}/comment-bomb.xes.gz`;
    const head = `<log><trace><string key="concept:name" value="c1"/>${event('A', '2024-01-01T00:00:00Z')}</trace><!-- `;
    async function* body() {
      yield head;
      for (let k = 0; k < 3; k++) yield 'x'.repeat(1024 * 1024);
      yield ' --></log>';
    }
    await pipeline(Readable.from(body()), createGzip(), createWriteStream(path));
    await expect(readXes(path, { limits: { maxXmlTokenChars: 1024 * 1024 } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', where: path });
  });

  it('a gzip inflating past the ratio cap stops with INPUT_TOO_LARGE (exit 2), whatever its shape', async () => {
    // 8 MB of whitespace between elements gzips to ~8 KB (~1000:1); cap 150:1 from 1 MB on.
    const xes = `<log>${' '.repeat(8 * 1024 * 1024)}<trace><string key="concept:name" value="c1"/>${event('A', '2024-01-01T00:00:00Z')}</trace></log>`;
    const path = `${dir}/whitespace-bomb.xes.gz`;
    writeFileSync(path, gzipSync(xes));
    await expect(readXes(path, { limits: { inflateRatioFloorBytes: 1024 * 1024 } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
    // Within the default floor (64 MiB) the same file is read: the cap only bites on large inflations.
    const { report } = await readXes(path);
    expect(report.rowsUsed).toBe(1);
  });
});
