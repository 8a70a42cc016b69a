import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJsonInput } from '../../src/ingest/json-input.js';
import { readJira } from '../../src/ingest/jira.js';

/** Issue 11 #10: JSON exports are parsed as streams, with caps on gzip inflation and single values. */
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-json-stream-`);
});

const MiB = 1024 * 1024;
/** Every document through the streaming parser (by default only those past 32 MB are). */
const STREAM = { limits: { wholeJsonParseBytes: 0 } };
const issue = (key: string) => ({
  key,
  fields: { status: { name: 'Done', statusCategory: { key: 'done' } }, created: '2024-01-01T09:00:00.000+0000' },
  changelog: { histories: [{ id: '1', created: '2024-01-02T09:00:00.000+0000', items: [{ field: 'status', fromString: 'To Do', toString: 'Done' }] }] },
});

async function writeStreamed(path: string, parts: () => AsyncGenerator<string>, gzip: boolean): Promise<void> {
  if (gzip) await pipeline(Readable.from(parts()), createGzip(), createWriteStream(path));
  else await pipeline(Readable.from(parts()), createWriteStream(path));
}

describe('JSON exports as streams', () => {
  it('a Jira page padded with 16 MB of whitespace parses to the same issues (never one 16 MB string)', async () => {
    const path = `${dir}/padded.json`;
    await writeStreamed(
      path,
      async function* () {
        yield '{"issues": [';
        yield JSON.stringify(issue('A-1'));
        for (let k = 0; k < 16; k++) yield ' '.repeat(MiB);
        yield `, ${JSON.stringify(issue('A-2'))}], "total": 2}`;
      },
      false,
    );
    const input = await readJsonInput(path, STREAM);
    expect(input.documents).toHaveLength(1);
    expect((input.documents[0].value as { issues: { key: string }[] }).issues.map((i) => i.key)).toEqual(['A-1', 'A-2']);
    // Whole and streamed parsing give the same document.
    expect((await readJsonInput(path)).documents[0].value).toEqual(input.documents[0].value);
    const { report } = await readJira(path, {});
    expect(report.rowsUsed).toBe(2);
  });

  it('a .json.gz whitespace bomb stops at the inflation cap with INPUT_TOO_LARGE (exit 2)', async () => {
    // 12 MB of spaces gzip to ~12 KB (~1000:1); with the floor lowered to 2 MB the 150:1 cap stops it.
    const path = `${dir}/bomb.json.gz`;
    await writeStreamed(
      path,
      async function* () {
        yield '{"issues": [';
        for (let k = 0; k < 12; k++) yield ' '.repeat(MiB);
        yield ']}';
      },
      true,
    );
    await expect(readJsonInput(path, { limits: { inflateRatioFloorBytes: 2 * MiB } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', where: path });
  });

  it('one string past the value cap is refused with its line and column before it is buffered', async () => {
    const path = `${dir}/long-value.json`;
    writeFileSync(path, `{"issues": [\n  {"key": "A-1", "fields": {"description": "${'x'.repeat(3000)}"}}]}`);
    // Cap 1,000 chars: the string starts at line 2, column 44; its 1,001st character is column 44 + 1,001.
    await expect(readJsonInput(path, { limits: { maxJsonValueChars: 1000 } })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', where: `${path}:2:1045` });
  });

  it('streamed: syntax errors and cut-off files keep their line and column; white space only is EMPTY_FILE', async () => {
    const bad = `${dir}/bad.json`;
    writeFileSync(bad, '{"issues": [\n {"key": "A-1" "x": 1}]}');
    await expect(readJsonInput(bad, STREAM)).rejects.toMatchObject({ code: 'JSON_PARSE', what: 'JSON syntax error', where: `${bad}:2:16` });
    const cut = `${dir}/cut.json`;
    writeFileSync(cut, '{"issues": [\n {"key": "A-1"');
    await expect(readJsonInput(cut, STREAM)).rejects.toMatchObject({ code: 'JSON_PARSE', what: 'JSON ends early (truncated download or page?)', where: `${cut}:2:15` });
    const blank = `${dir}/blank.json`;
    writeFileSync(blank, '   \n  ');
    await expect(readJsonInput(blank, STREAM)).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    const trailing = `${dir}/trailing.json`;
    writeFileSync(trailing, '{"issues": []}  x');
    await expect(readJsonInput(trailing, STREAM)).rejects.toMatchObject({ code: 'JSON_PARSE' });
  });

  it('"__proto__" keys stay plain own data, as with JSON.parse', async () => {
    const path = `${dir}/proto.json`;
    writeFileSync(path, '{"__proto__": {"polluted": true}, "issues": []}');
    const value = (await readJsonInput(path, STREAM)).documents[0].value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
