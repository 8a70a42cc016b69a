import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readJira } from '../../src/ingest/jira.js';
import { type JsonDocument, readJsonInput, visitJsonInput } from '../../src/ingest/json-input.js';
import { LIST_LOOKAHEAD_ITEMS } from '../../src/ingest/json-lists.js';
import type { ReadOptions, ReadResult } from '../../src/ingest/read-options.js';
import { readZendesk } from '../../src/ingest/zendesk.js';
import { SHARED_DIR, sharedOrSkip } from '../shared-dir.js';

/**
 * Issue 11 #10, record-level streaming: a JSON page past limits.wholeJsonParseBytes hands the items of its top-level
 * lists (Jira `issues`, Zendesk `audits` / `ticket_events` / `tickets`) to the adapter one at a time. With the threshold
 * lowered to 0 every page is streamed; the EventLog and IngestReport (rows, rejections, pagination, history evidence)
 * must be the same as when the page is parsed whole.
 */
const STREAMED: ReadOptions = { limits: { wholeJsonParseBytes: 0 } };
type Reader = (path: string, options: ReadOptions) => Promise<ReadResult>;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-item-stream-`);
});

/**
 * The outcome of a read, comparable with toEqual: the log and report, or the error's code, what and where (its `got`
 * excerpt is cut from the text around the error, whose width differs between JSON.parse and the stream).
 */
async function outcome(read: Reader, path: string, options: ReadOptions): Promise<unknown> {
  try {
    const { log, report } = await read(path, options);
    return { log, report };
  } catch (error) {
    const { code, what, where } = error as { code?: string; what?: string; where?: string };
    return { error: code ?? String(error), what, where };
  }
}

async function expectSameBothWays(read: Reader, path: string): Promise<unknown> {
  const whole = await outcome(read, path, {});
  const streamed = await outcome(read, path, STREAMED);
  expect(streamed).toEqual(whole);
  return whole;
}

/** The JSON files and page folders in `folder` (one level: a sub-folder is read as one input). */
function inputsIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => /\.(json|jsonl)$/.test(name) || statSync(join(folder, name)).isDirectory())
    .map((name) => join(folder, name))
    .sort();
}

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

describe('streamed and whole-page reads agree on every fixture', () => {
  const cases: [string, Reader, string][] = [
    ...inputsIn(join(FIXTURES, 'jira')).map((path): [string, Reader, string] => ['jira', readJira, path]),
    ...inputsIn(join(FIXTURES, 'pull/jira')).map((path): [string, Reader, string] => ['jira', readJira, path]),
    ...inputsIn(join(FIXTURES, 'zendesk')).map((path): [string, Reader, string] => ['zendesk', readZendesk, path]),
    ...inputsIn(join(FIXTURES, 'pull/zendesk')).map((path): [string, Reader, string] => ['zendesk', readZendesk, path]),
  ];
  it('finds the fixtures', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const [source, read, path] of cases) {
    it(`${source}: ${path.slice(FIXTURES.length)}`, async () => {
      await expectSameBothWays(read, path);
    });
  }
});

describe('streamed and whole-page reads agree on the ../shared format samples', () => {
  const samples = sharedOrSkip('formats/samples');
  it.skipIf(samples === undefined)(`Jira and Zendesk samples in ${SHARED_DIR}/formats/samples`, async () => {
    const inputs: [Reader, string][] = [
      ...inputsIn(join(samples as string, 'jira')).map((path): [Reader, string] => [readJira, path]),
      ...inputsIn(join(samples as string, 'zendesk')).map((path): [Reader, string] => [readZendesk, path]),
    ];
    expect(inputs.length).toBeGreaterThan(4);
    let read = 0;
    for (const [reader, path] of inputs) {
      const result = (await expectSameBothWays(reader, path)) as { report?: unknown };
      if (result.report) read++;
    }
    expect(read).toBeGreaterThan(3);
  });
});

const issue = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  fields: { status: { name: 'Done', statusCategory: { key: 'done' } }, created: '2024-01-01T09:00:00.000+0000' },
  changelog: {
    histories: [
      { id: '1', created: '2024-01-02T09:00:00.000+0000', items: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }] },
      { id: '2', created: '2024-01-03T09:00:00.000+0000', items: [{ field: 'status', fromString: 'In Progress', toString: 'Done' }] },
    ],
  },
  ...extra,
});

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 1));
  return path;
}

describe('a streamed page', () => {
  it('never holds its list: the document keeps the first items and the count', async () => {
    const path = write('fifty.json', { startAt: 0, issues: Array.from({ length: 50 }, (_, k) => issue(`A-${k}`)), maxResults: 50, total: 50 });
    const seen: number[] = [];
    const documents: JsonDocument[] = [];
    await visitJsonInput(path, STREAMED, {
      lists: { keys: ['issues'], open: () => (_item, index) => seen.push(index) },
      document: (document) => documents.push(document),
    });
    expect(seen).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(documents).toHaveLength(1);
    expect((documents[0].value as { issues: unknown[] }).issues).toHaveLength(LIST_LOOKAHEAD_ITEMS);
    expect(documents[0].lists).toEqual(new Map([['issues', 50]]));
    // The keys after the list are still read.
    expect(documents[0].value).toMatchObject({ startAt: 0, maxResults: 50, total: 50 });
  });

  it('keeps pagination markers written after the list: the same verdict (page 1 of 4, 150 issues missing)', async () => {
    const path = write('page-1.json', { issues: Array.from({ length: 50 }, (_, k) => issue(`B-${k}`)), startAt: 0, maxResults: 50, total: 200, isLast: false });
    const whole = (await expectSameBothWays(readJira, path)) as ReadResult;
    const [pagination] = whole.report.history?.pagination ?? [];
    expect(pagination).toMatchObject({ itemsKey: 'issues', itemsRead: 50, totalItems: 200, itemsMissingAbout: 150, pagesAbout: 4, incomplete: true });
    expect(whole.report.rowsRead).toBe(100);
  });

  it('null items, fields:null and a non-object are rejected or noted the same way', async () => {
    const path = write('damaged.json', { issues: [null, issue('C-1'), 5, issue('C-2', { fields: null }), 'x'], startAt: 0, maxResults: 5, total: 5 });
    const whole = (await expectSameBothWays(readJira, path)) as ReadResult;
    expect(whole.report.rejections['bad-record']?.count).toBe(3);
    expect(whole.report.rowsRead).toBe(7);
    expect(whole.report.notes.join('\n')).toContain('issue C-2 has "fields": null');
  });

  it('a page cut off inside an issue stops with "JSON ends early" and its line', async () => {
    const text = JSON.stringify({ issues: [issue('D-1'), issue('D-2')] }, null, 1);
    const path = write('cut.json', text.slice(0, text.indexOf('D-2') + 20));
    const whole = await outcome(readJira, path, {});
    const streamed = await outcome(readJira, path, STREAMED);
    expect(whole).toMatchObject({ error: 'JSON_PARSE', what: 'JSON ends early (truncated download or page?)' });
    expect(streamed).toMatchObject({ error: 'JSON_PARSE', what: 'JSON ends early (truncated download or page?)' });
    expect((streamed as { where: string }).where).toMatch(new RegExp(`^${path}:\\d+:\\d+$`));
  });

  it('malformed lists name the same error and place as the whole-page parse', async () => {
    const one = JSON.stringify(issue('F-1'));
    const bad = {
      'missing-comma.json': `{"issues": [\n${one}\n${one}\n], "total": 2}`,
      'trailing-comma.json': `{"issues": [\n${one},\n], "total": 1}`,
      'double-comma.json': `{"issues": [${one},,${one}]}`,
      'bad-item.json': `{"issues": [${one}, {"key": "F-2", "fields": {"created": 2024-01-01}}]}`,
      'bad-head.json': `{"startAt": 0 "issues": [${one}]}`,
      'garbage-after.json': `{"issues": [${one}]} x`,
    };
    for (const [name, text] of Object.entries(bad)) {
      const path = write(name, text);
      expect(await outcome(readJira, path, {}), name).toMatchObject({ error: 'JSON_PARSE' });
      // The streamed read names the place the streaming parser names without lists (JSON.parse words a few differently:
      // it calls a trailing comma "ends early").
      const plain = await readJsonInput(path, STREAMED).then(
        () => ({}),
        (error: { code: string; what: string; where: string }) => ({ error: error.code, what: error.what, where: error.where }),
      );
      expect(plain, name).toMatchObject({ error: 'JSON_PARSE' });
      expect(await outcome(readJira, path, STREAMED), name).toEqual(plain);
    }
  });

  it('items past a chunk, multi-byte text across chunk ends, escaped keys and brackets inside strings', async () => {
    // 1 MiB chunks: a 2.5 MB description spans three; "é" and "💥" land on chunk boundaries somewhere in 1.3 M of them.
    const long = issue('G-1', { fields: { status: { name: 'Done', statusCategory: { key: 'done' } }, created: '2024-01-01T09:00:00.000+0000', summary: 'é💥]},['.repeat(360_000) } });
    const tricky = issue('G-2', { fields: { status: { name: 'In "Review" ]}', statusCategory: { key: 'indeterminate' } }, created: '2024-01-01T09:00:00.000+0000' } });
    const text = `{"note": "a ] } [ { \\" , : quote", "iss\\u0075es" : [ ${JSON.stringify(long)} , ${JSON.stringify(tricky)} ] , "startAt": 0, "maxResults": 2, "total": 3}`;
    const path = write('tricky.json', text);
    const whole = (await expectSameBothWays(readJira, path)) as ReadResult;
    expect(whole.report.rowsUsed).toBe(4);
    expect(whole.report.history?.pagination[0]).toMatchObject({ itemsRead: 2, totalItems: 3, incomplete: true });
  });

  it('a gzipped page streams the same, and a cut gzipped page is re-read to name its end', async () => {
    const text = JSON.stringify({ startAt: 0, maxResults: 30, total: 30, issues: Array.from({ length: 30 }, (_, k) => issue(`H-${k}`)) }, null, 1);
    const path = join(dir, 'page.json.gz');
    writeFileSync(path, gzipSync(text));
    const whole = (await expectSameBothWays(readJira, path)) as ReadResult;
    expect(whole.report.rowsUsed).toBe(60);
    const cut = join(dir, 'cut.json.gz');
    writeFileSync(cut, gzipSync(text.slice(0, Math.floor(text.length / 2))));
    expect(await outcome(readJira, cut, STREAMED)).toMatchObject({ error: 'JSON_PARSE', what: 'JSON ends early (truncated download or page?)' });
  });

  it('an empty issues[] says the export is empty, streamed or not', async () => {
    const path = write('empty.json', { startAt: 0, maxResults: 50, total: 0, issues: [] });
    expect(await expectSameBothWays(readJira, path)).toMatchObject({ error: 'EMPTY_FILE', what: 'the Jira export is empty' });
  });

  it('a list whose first items are not Jira issues is not handed out: the page is skipped as before', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'a.json'), JSON.stringify({ issues: [{ id: 1, title: 'not jira' }] }));
    writeFileSync(join(folder, 'b.json'), JSON.stringify({ issues: [issue('E-1')] }));
    const whole = (await expectSameBothWays(readJira, folder)) as ReadResult;
    expect(whole.report.notes.join('\n')).toContain('skipped');
    expect(whole.report.rowsUsed).toBe(2);
  });

  it('Zendesk audits with null items, and tickets listed before audits, read the same streamed', async () => {
    const audit = (id: number, ticket: number, from: string, to: string) => ({
      id,
      ticket_id: ticket,
      created_at: `2024-01-0${id}T10:00:00Z`,
      author_id: 7,
      events: [{ id: id * 10, type: 'Change', field_name: 'status', value: to, previous_value: from }],
    });
    const tickets = [{ id: 1, status: 'solved', created_at: '2024-01-01T09:00:00Z', priority: 'high', via: { channel: 'web' } }];
    const audits = [audit(1, 1, 'new', 'open'), null, audit(2, 1, 'open', 'solved'), 3];
    const inOrder = write('zd-audits-first.json', { audits, tickets, next_page: null, count: 2 });
    const whole = (await expectSameBothWays(readZendesk, inOrder)) as ReadResult;
    expect(whole.report.rejections['bad-record']?.count).toBe(2);
    expect(whole.report.rowsUsed).toBe(2);
    // Tickets before audits: a streamed page cannot be reordered, so its audits are kept whole and read last, and the
    // report says so; here nothing else differs (no audit creates the ticket).
    const reversed = write('zd-tickets-first.json', { tickets, audits, next_page: null, count: 2 });
    const wholeReversed = await readZendesk(reversed, {});
    const streamedReversed = await readZendesk(reversed, STREAMED);
    expect(streamedReversed.log).toEqual(wholeReversed.log);
    const outOfOrder = streamedReversed.report.notes.filter((note) => note.includes('were read last'));
    expect(outOfOrder).toEqual([`${reversed} lists audits after a list read before it; the page is too large to hold whole, so its audits were read last (a ticket's starting owner or attributes may then come from the other list)`]);
    expect({ ...streamedReversed.report, notes: streamedReversed.report.notes.filter((note) => !outOfOrder.includes(note)) }).toEqual(wholeReversed.report);
    const incremental = write('zd-events.json', {
      ticket_events: [null, { id: 5, ticket_id: 9, created_at: '2024-01-02T10:00:00Z', updater_id: 3, child_events: [{ event_type: 'Change', field_name: 'status', value: 'open', previous_value: 'new' }] }],
      end_of_stream: false,
      after_cursor: 'x',
    });
    const events = (await expectSameBothWays(readZendesk, incremental)) as ReadResult;
    expect(events.report.history?.pagination[0]).toMatchObject({ scheme: 'zendesk incremental', itemsRead: 2, incomplete: true });
  });
});
