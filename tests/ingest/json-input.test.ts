import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestReportBuilder } from '../../src/ingest/ingest-report.js';
import { apiErrorText, parseJsonText } from '../../src/ingest/json-text.js';
import { describeShape, jsonSourceShape } from '../../src/ingest/json-shape.js';
import { readJsonInput } from '../../src/ingest/json-input.js';
import { timestampReader } from '../../src/ingest/timestamp-reader.js';
import { thrownVsmError } from '../vsm-error.js';

const folder = mkdtempSync(join(tmpdir(), 'vsm-json-input-'));
afterAll(() => rmSync(folder, { recursive: true }));

describe('json-input', () => {
  it('reads a folder of .json, .jsonl and .json.gz pages in natural name order', async () => {
    writeFileSync(join(folder, 'page-10.json'), '{"n":10}');
    writeFileSync(join(folder, 'page-2.json.gz'), gzipSync('{"n":2}'));
    writeFileSync(join(folder, 'lines.jsonl'), '{"n":"a"}\n\n{"n":"b"}\n');
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    const input = await readJsonInput(folder);
    expect(input.documents.map((d) => [d.file.slice(folder.length + 1), d.line, (d.value as { n: unknown }).n])).toEqual([
      ['lines.jsonl', 1, 'a'],
      ['lines.jsonl', 3, 'b'],
      ['page-2.json.gz', 0, 2],
      ['page-10.json', 0, 10],
    ]);
  });

  it('a truncated page says it ends early, with line and column', () => {
    const error = thrownVsmError(() => parseJsonText('{\n  "issues": [\n    {"key": "A-1"', 'page.json'));
    expect(error.code).toBe('JSON_PARSE');
    expect(error.what).toContain('ends early');
    // Line 3 is `    {"key": "A-1"` (17 chars); the parser stops just past its end: column 18.
    expect(error.where).toBe('page.json:3:18');
  });

  it('a syntax error mid-file is not called truncated; JSONL errors name the line', async () => {
    const error = thrownVsmError(() => parseJsonText('{"a": 1 "b": 2}', 'x.json'));
    expect(error.what).toBe('JSON syntax error');
    expect(error.where).toBe('x.json:1:9');
    writeFileSync(join(folder, 'bad.jsonl'), '{"ok":1}\n{"ok":\n');
    await expect(readJsonInput(join(folder, 'bad.jsonl'))).rejects.toMatchObject({ code: 'JSON_PARSE', where: `${join(folder, 'bad.jsonl')}:2` });
  });

  it('recognises API error bodies of Jira, Zendesk and GitHub, and not real data', () => {
    expect(apiErrorText({ errorMessages: ['Issue does not exist'], errors: {} })).toBe('Issue does not exist');
    expect(apiErrorText({ errorMessages: [], errors: { jql: 'bad JQL' } })).toBe('jql: bad JQL');
    expect(apiErrorText({ error: 'RecordNotFound', description: 'Not found' })).toBe('RecordNotFound: Not found');
    expect(apiErrorText({ error: { title: 'Forbidden', message: 'You do not have access' } })).toBe('Forbidden: You do not have access');
    expect(apiErrorText({ message: 'Not Found', documentation_url: 'https://docs.github.com' })).toBe('Not Found');
    expect(apiErrorText({ issues: [], errorMessages: [] })).toBeUndefined();
    expect(apiErrorText([{ message: 'x', documentation_url: 'y' }])).toBeUndefined();
  });

  it('an empty file and an empty folder are clear errors', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vsm-empty-'));
    try {
      await expect(readJsonInput(empty)).rejects.toMatchObject({ code: 'EMPTY_FILE', what: 'folder holds no export pages' });
      writeFileSync(join(empty, 'blank.json'), '  \n');
      await expect(readJsonInput(join(empty, 'blank.json'))).rejects.toMatchObject({ code: 'EMPTY_FILE' });
      await expect(readJsonInput(join(empty, 'missing.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it('names the source a JSON shape belongs to', () => {
    expect(jsonSourceShape({ audits: [] })).toBe('zendesk');
    expect(jsonSourceShape({ result: [{ sys_id: 'x' }] })).toBe('servicenow');
    expect(describeShape({ foo: 1 })).toBe('is not a recognised API export');
  });

  it('timestamps: offsets honoured (+0000 / -0500 / Z), offset-less in the given zone or UTC with a note', () => {
    const report = new IngestReportBuilder('jira', 'flag');
    const utc = timestampReader(report, undefined);
    expect(utc('2015-11-21T07:14:01.643-0500')).toBe(Date.UTC(2015, 10, 21, 12, 14, 1, 643));
    expect(utc('2021-09-06T04:34:26.239+0000')).toBe(Date.UTC(2021, 8, 6, 4, 34, 26, 239));
    expect(utc('2020-06-01 21:11:59')).toBe(Date.UTC(2020, 5, 1, 21, 11, 59));
    expect(Number.isNaN(utc('yesterday'))).toBe(true);
    expect(report.finish().notes.some((n) => n.includes('read as UTC'))).toBe(true);
    // New York in January is UTC-5.
    expect(timestampReader(new IngestReportBuilder('x', 'flag'), 'America/New_York')('2024-01-15T09:00:00')).toBe(Date.UTC(2024, 0, 15, 14));
  });
});
