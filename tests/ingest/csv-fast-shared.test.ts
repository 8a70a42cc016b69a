// The fast engine's shared leading fields (h26-read): a record whose first fields equal the previous record's bytes takes
// their bounds and codes from it instead of scanning and interning them again. These tests check the cells and codes a
// sink sees against the rows written, with every chunk split, quotes, CRLF, blank lines and rows the sink does not code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/ingest/csv.js';
import { runFastEngine } from '../../src/ingest/csv-fast.js';
import type { CsvRowSink } from '../../src/ingest/csv-row-sink.js';
import { Dictionary } from '../../src/model/dictionary.js';
import { logSnapshot } from './log-snapshot.js';

/** A seeded generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cells as written and as read: lengths 0–9 (every offset in a 4-byte word), quoted ones with a delimiter or a doubled quote. */
const CELLS: [written: string, read: string][] = [
  ['', ''],
  ['a', 'a'],
  ['ab', 'ab'],
  ['abc', 'abc'],
  ['abcd', 'abcd'],
  ['abcde', 'abcde'],
  ['abcdef', 'abcdef'],
  ['abcdefg', 'abcdefg'],
  ['abcdefgh', 'abcdefgh'],
  ['abcdefghi', 'abcdefghi'],
  ['abcdefghj', 'abcdefghj'],
  ['abcdX', 'abcdX'],
  ['b', 'b'],
  ['é€', 'é€'],
  ['"x,y"', 'x,y'],
  ['"q""q"', 'q"q'],
  ['""', ''],
  ['"abcd"', 'abcd'],
];

interface Written {
  text: string;
  /** The cells of each data row, as a reader must see them. */
  rows: string[][];
}

/** Rows of `columns` cells, each row often a copy of the previous one with its tail changed (what the sharing feeds on). */
function writeRows(seed: number, columns: number, count: number, lineEnd: string, blankLines: boolean): Written {
  const next = random(seed);
  const pick = (): [string, string] => CELLS[Math.floor(next() * CELLS.length)];
  const header = Array.from({ length: columns }, (_, k) => `h${k}`);
  const lines = [header.join(',')];
  const rows: string[][] = [];
  let previous: [string, string][] = header.map((h) => [h, h]);
  for (let r = 0; r < count; r++) {
    // Keep a random number of leading cells of the previous row (the header too), change the rest.
    const keep = Math.floor(next() * (columns + 1));
    const cells = Array.from({ length: columns }, (_, k) => (k < keep ? previous[k] : pick()));
    lines.push(cells.map(([written]) => written).join(','));
    if (blankLines && next() < 0.1) lines.push('');
    rows.push(cells.map(([, read]) => read));
    previous = cells;
  }
  return { text: `${lines.join(lineEnd)}${lineEnd}`, rows };
}

/** What a sink saw: per data row, each cell's text and the dictionary value of its code (or null when it did not ask). */
async function readThroughEngine(text: string, chunkBytes: (k: number) => number, codes: (row: number, column: number) => boolean): Promise<{ texts: string[][]; coded: (string | null)[][] }> {
  const bytes = Buffer.from(text);
  const texts: string[][] = [];
  const coded: (string | null)[][] = [];
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let offset = 0, k = 0; offset < bytes.length; k++) {
      const end = Math.min(bytes.length, offset + chunkBytes(k));
      yield bytes.subarray(offset, end);
      offset = end;
    }
  }
  let columnDictionaries: Dictionary[] = [];
  const sink = {
    get columnDictionaries() {
      return columnDictionaries;
    },
    accept(row: { fieldCount: number; isEmpty(k: number): boolean; text(k: number): string; code(k: number): number }, dataRow: number) {
      const rowTexts: string[] = [];
      const rowCoded: (string | null)[] = [];
      for (let k = 0; k < row.fieldCount; k++) {
        rowTexts.push(row.text(k));
        // The code first: it may append the value (as bytes), which a values array taken before it does not hold.
        const code = !row.isEmpty(k) && codes(dataRow, k) ? row.code(k) : undefined;
        rowCoded.push(code === undefined ? null : (columnDictionaries[k].values[code] ?? '(no value)'));
      }
      texts.push(rowTexts);
      coded.push(rowCoded);
    },
    rejectOversizedRecord() {
      throw new Error('not expected');
    },
  };
  await runFastEngine({
    file: 'test.csv',
    delimiter: ',',
    chunks: chunks(),
    bomBytes: 0,
    encoding: 'utf-8',
    maxRecordChars: 1e6,
    final: true,
    onHeader: (header) => {
      columnDictionaries = header.map(() => new Dictionary());
      return sink as unknown as CsvRowSink;
    },
  });
  return { texts, coded };
}

describe('leading fields shared with the previous record (fast engine)', () => {
  for (const lineEnd of ['\n', '\r\n']) {
    for (const seed of [1, 2, 3, 4]) {
      it(`every cell and code as written, ${JSON.stringify(lineEnd)}, seed ${seed}, chunks of 1–97 bytes`, async () => {
        const columns = 2 + (seed % 4);
        const written = writeRows(seed, columns, 600, lineEnd, seed % 2 === 0);
        const next = random(seed * 31);
        const sizes = Array.from({ length: 100_000 }, () => 1 + Math.floor(next() * 97));
        // The sink codes only some cells (as a sink rejecting a row codes none): a code kept for a cell the previous
        // row did not code would be the value of an older row.
        const asks = (row: number, column: number) => (row * 7 + column * 3) % 5 !== 0;
        const { texts, coded } = await readThroughEngine(written.text, (k) => sizes[k % sizes.length], asks);
        expect(texts).toEqual(written.rows);
        const expected = written.rows.map((cells, r) => cells.map((cell, k) => (cell !== '' && asks(r + 1, k) ? cell : null)));
        expect(coded).toEqual(expected);
      });
    }
    it(`whole file in one chunk, ${JSON.stringify(lineEnd)}`, async () => {
      const written = writeRows(9, 4, 2000, lineEnd, true);
      const { texts, coded } = await readThroughEngine(written.text, () => 1 << 30, () => true);
      expect(texts).toEqual(written.rows);
      expect(coded).toEqual(written.rows.map((cells) => cells.map((cell) => (cell === '' ? null : cell))));
    });
  }

  it('a row rejected before its cells were coded does not lend the row before it its codes', async () => {
    const dir = mkdtempSync(`${tmpdir()}/vsm-csv-shared-`);
    const path = `${dir}/rejected.csv`;
    // Row 2 shares "c1,Triage," with nothing (c2 differs), is rejected for its timestamp before any cell is coded; row 3
    // shares "c2,Triage," with row 2 and must be c2, not c1 (the case code row 1 left).
    writeFileSync(
      path,
      [
        'case,activity,resource,timestamp',
        'c1,Triage,Ann,2024-01-01T10:00:00Z',
        'c2,Triage,Ann,not a time',
        'c2,Triage,Ann,2024-01-01T11:00:00Z',
        'c2,Triage,Bob,2024-01-01T12:00:00Z',
        'c2,Triage,Bob',
        'c2,Triage,Bob,2024-01-01T13:00:00Z',
        '',
        'c2,Triage,Bob,2024-01-01T14:00:00Z',
        '"c2",Triage,Bob,2024-01-01T15:00:00Z',
        '"c2",Triage,Bob,2024-01-01T16:00:00Z',
        'c3,"Tri""age",Cy,2024-01-01T17:00:00Z',
        'c3,"Tri""age",Cy,2024-01-01T18:00:00Z',
        'c3,Tri,Cy,2024-01-01T19:00:00Z',
      ].join('\r\n'),
    );
    const fast = await readCsv(path, { csvEngine: 'fast' });
    const slow = await readCsv(path, { csvEngine: 'csv-parse' });
    expect(logSnapshot(fast.log)).toEqual(logSnapshot(slow.log));
    expect(fast.report).toEqual(slow.report);
    const { log } = fast;
    const cases = Array.from(log.caseCode.subarray(0, log.eventCount), (code) => log.caseIds.values[code]);
    const activities = Array.from(log.activityCode.subarray(0, log.eventCount), (code) => log.activities.values[code]);
    expect(cases).toEqual(['c1', 'c2', 'c2', 'c2', 'c2', 'c2', 'c2', 'c3', 'c3', 'c3']);
    expect(activities).toEqual(['Triage', 'Triage', 'Triage', 'Triage', 'Triage', 'Triage', 'Triage', 'Tri"age', 'Tri"age', 'Tri']);
    expect(fast.report.rowsRejected).toBe(2);
  });
});
