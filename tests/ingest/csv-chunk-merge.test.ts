import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { releaseColumns } from '../../src/ingest/csv-chunk-merge.js';
import { parseChunk } from '../../src/ingest/csv-chunk-parse.js';
import { sinkOptionsOf } from '../../src/ingest/csv-read-state.js';

describe('releaseColumns', () => {
  it("detaches a merged chunk's typed arrays (their memory goes now, not at a later garbage collection)", async () => {
    const path = `${mkdtempSync(`${tmpdir()}/vsm-chunk-merge-`)}/chunk.csv`;
    const body = 'c1,a,2024-01-01T00:00:00Z,web\nc2,b,2024-01-01T01:00:00Z,\nc1,b,2024-01-01T02:00:00Z,mail\n';
    writeFileSync(path, body);
    const header = ['case', 'activity', 'timestamp', 'channel'];
    const result = await parseChunk({ path, start: 0, end: body.length, final: true, header, mapping: undefined, keepAttributes: true, sinkOptions: sinkOptionsOf({}, ','), maxRecordChars: 1e6, capacityHint: 3 });
    if (!result.ok) throw new Error(result.reason);
    const { columns } = result;
    expect(columns.count).toBe(3);
    expect(columns.caseCode.byteLength).toBeGreaterThan(0);
    expect(columns.attributes.map((a) => a.name)).toEqual(['channel']);
    releaseColumns(columns);
    for (const array of [columns.caseCode, columns.activityCode, columns.timestampMs, columns.sourceRow, columns.caseIdHashes, columns.attributes[0].codes]) expect(array.byteLength).toBe(0);
    // The dictionaries (plain strings) stay readable.
    expect(columns.caseIds).toEqual(['c1', 'c2']);
  });
});
