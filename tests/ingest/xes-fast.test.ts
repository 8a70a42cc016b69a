/**
 * The fast XES tokenizer (src/ingest/xes-fast-xml.ts) against saxes: the same open and close events at the same lines
 * whatever the chunking, a bailout for everything outside its subset, and readXes's log and report (or error) the same
 * with it as with saxes alone (VSM_XES_TOKENIZER=saxes) on every fixture, every shared XES log and a list of hostile
 * inputs — those leave the fast tokenizer, so saxes reads or rejects them as before.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterEach, describe, expect, it } from 'vitest';
import { readXes } from '../../src/ingest/xes.js';
import { FastXesTokenizer, FastXmlBailout } from '../../src/ingest/xes-fast-xml.js';
import { openTextSource } from '../../src/ingest/xes-source.js';
import { sharedOrSkip } from '../shared-dir.js';
import { logSnapshot } from './log-snapshot.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/xes');
const dir = mkdtempSync(join(tmpdir(), 'vsm-xes-fast-'));

afterEach(() => {
  delete process.env.VSM_XES_TOKENIZER;
});

type Seen = Array<[string, string, number, string?, string?]>;

/** The open / close events and lines saxes gives for `text`. */
function saxesEvents(text: string): Seen {
  const seen: Seen = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', (tag) => seen.push(['open', tag.name, parser.line, tag.attributes.key as string | undefined, tag.attributes.value as string | undefined]));
  parser.on('closetag', (tag) => seen.push(['close', tag.name, parser.line]));
  parser.write(text).close();
  return seen;
}

/** The same from the fast tokenizer, fed `text` in pieces of `size` characters. */
function fastEvents(text: string, size: number): Seen {
  const seen: Seen = [];
  const tokenizer = new FastXesTokenizer(
    (tag) => seen.push(['open', tag.name, tokenizer.line, tag.attributes.key, tag.attributes.value]),
    (name) => seen.push(['close', name, tokenizer.line]),
  );
  for (let at = 0; at < text.length; at += size) tokenizer.write(text.slice(at, at + size));
  tokenizer.close();
  return seen;
}

const SAMPLE = [
  '\uFEFF<?xml version="1.0"\n  encoding="UTF-8" ?>\r\n',
  '<!-- exported by a tool\n     over two lines\r\n and a third -->\n',
  '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n',
  '  <extension name="Concept" prefix="concept" uri="http://x/concept.xesext"/>\n',
  '  <trace>\n    <string key="concept:name" value="case &amp; 1"/>\n',
  "    <event>\n      <string value='Review &lt;final&gt;' key='concept:name' />\n",
  '      <date key="time:timestamp"\n            value="2024-01-01T12:00:00.000+01:00"/>\n',
  '      <string key="note" value="&#233;t&#xE9; &quot;q&quot; &apos;a&apos;"/>\n',
  '      <string key="R&amp;D &gt; x" value="&#x1F600; &#x10FFFF;"/>\n',
  '      <list key="l"><values><string key="a" value="b"/></values></list>\n',
  '    </event >\n  </trace>\n</log>\n<!-- end -->\n',
].join('');

describe('FastXesTokenizer', () => {
  it.each([1, 2, 7, 64, 100_000])('gives saxes\'s events, names, key and value, and lines (pieces of %i characters)', (size) => {
    expect(fastEvents(SAMPLE, size)).toEqual(saxesEvents(SAMPLE));
  });

  const outside: Array<[string, string]> = [
    ['text content', '<log><trace>text</trace></log>'],
    ['CDATA', '<log><![CDATA[x]]></log>'],
    ['DOCTYPE', '<!DOCTYPE log><log/>'],
    ['a processing instruction', '<log><?pi x?></log>'],
    ['an XML declaration after whitespace', ' <?xml version="1.0"?><log/>'],
    ['a non-ASCII name', '<log><stríng key="a" value="b"/></log>'],
    ['a tab in a value', '<log><string key="a" value="b\tc"/></log>'],
    ['a line end in a value', '<log><string key="a" value="b\nc"/></log>'],
    ['an unknown entity', '<log><string key="a" value="&nbsp;"/></log>'],
    ['a bare ampersand', '<log><string key="a" value="R&D"/></log>'],
    ['< in a value', '<log><string key="a" value="a<b"/></log>'],
    ['a control character', '<log><string key="a" value="\u0001"/></log>'],
    ['a character reference XML forbids', '<log><string key="a" value="&#1;"/></log>'],
    ['a lone CR', '<log>\r<trace/></log>'],
    ['a repeated attribute', '<log><string key="a" key="b"/></log>'],
    ['attributes without whitespace between', '<log><string key="a"value="b"/></log>'],
    ['an unquoted value', '<log><string key=a/></log>'],
    ['a mismatched close tag', '<log><trace></event></log>'],
    ['a missing close tag', '<log><trace></log>'],
    ['a second root', '<log/><log/>'],
    ['a comment with --', '<log><!-- a -- b --></log>'],
    ['a truncated file', '<log><trace><event><string key="a" value="b"'],
    ['= across a line end', '<log><string key\n="a"/></log>'],
  ];

  it.each(outside)('leaves %s to saxes', (_what, text) => {
    expect(() => fastEvents(text, 5)).toThrow(FastXmlBailout);
  });
});

/** readXes's result or error, for comparison. */
async function readOutcome(path: string): Promise<{ log?: Record<string, unknown>; report?: unknown; error?: unknown }> {
  try {
    const { log, report } = await readXes(path, {});
    return { log: logSnapshot(log), report };
  } catch (error) {
    return { error };
  }
}

/** Whether the fast tokenizer reads the whole file (no bailout): else the comparison would be saxes against saxes. */
async function fastReadsWhole(path: string): Promise<boolean> {
  const tokenizer = new FastXesTokenizer(() => undefined, () => undefined);
  try {
    for await (const chunk of (await openTextSource(path)).chunks) tokenizer.write(chunk);
    tokenizer.close();
    return true;
  } catch (error) {
    if (error instanceof FastXmlBailout) return false;
    throw error;
  }
}

async function expectSameWithSaxes(path: string): Promise<void> {
  const fast = await readOutcome(path);
  process.env.VSM_XES_TOKENIZER = 'saxes';
  const saxes = await readOutcome(path);
  delete process.env.VSM_XES_TOKENIZER;
  expect(fast).toEqual(saxes);
}

describe('readXes with the fast tokenizer', () => {
  it.each(readdirSync(FIXTURES).filter((name) => /\.(xes|xml)$/.test(name)))('reads fixtures/xes/%s as saxes does', async (name) => {
    await expectSameWithSaxes(join(FIXTURES, name));
  });

  it('reads the well-formed fixtures without leaving them to saxes', async () => {
    for (const name of ['lifecycle-pairs.xes', 'missing-fields.xes', 'nested-attributes.xes', 'no-events.xes', 'offsetless.xes', 'not-xes.xml']) {
      expect(await fastReadsWhole(join(FIXTURES, name)), name).toBe(true);
    }
  });

  it.each(['running-example.xes', 'roadtraffic100traces.xes', 'helpdesk.xes.gz', 'interval_event_log.xes.gz', 'bpic2012.xes.gz', 'bpic2020_domestic_declarations_cleaned.xes.gz', 'consulta_data_mining_201618.xes.gz'])(
    'reads the shared %s as saxes does',
    async (name) => {
      const path = sharedOrSkip(`data/${name}`);
      if (path === undefined) return;
      expect(await fastReadsWhole(path)).toBe(true);
      await expectSameWithSaxes(path);
    },
    60_000,
  );

  const events = (body: string) => `<?xml version="1.0"?>\n<log>\n<trace><string key="concept:name" value="c1"/>\n${body}\n</trace>\n</log>\n`;
  const event = (activity: string, time = '2024-01-01T10:00:00.000Z') => `<event><string key="concept:name" value="${activity}"/><date key="time:timestamp" value="${time}"/></event>`;
  const hostile: Array<[string, string]> = [
    ['entities in names', events(event('Billing &amp; Payments') + event('&#x41;&#66;'))],
    ['text content (saxes reads it)', events(`${event('A')}stray text${event('B')}`)],
    ['CDATA', events(`<event><string key="concept:name" value="A"/><![CDATA[x]]><date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event>`)],
    ['a value with a line end (XML makes it a space)', events(event('Two\nlines'))],
    ['a tab in a value', events(event('Tab\there'))],
    ['a bad timestamp (rejected with its line)', events(event('A') + event('B', 'yesterday'))],
    ['a nested event (an error with its column)', events('<event><event></event></event>')],
    ['a mismatched close tag (malformed XML)', events('<event></trace>')],
    ['a truncated file', events(event('A')).slice(0, -20)],
    ['an unknown entity', events(event('&nbsp;'))],
    ['a second root', `${events(event('A'))}<log/>`],
    ['a CR LF file', events(event('A') + event('B')).replace(/\n/g, '\r\n')],
    ['a lone CR', events(event('A')).replace('\n', '\r')],
    ['a DOCTYPE', `<!DOCTYPE log>\n${events(event('A')).replace('<?xml version="1.0"?>\n', '')}`],
  ];

  it.each(hostile)('reads %s as saxes does (result or error)', async (name, text) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.xes`);
    writeFileSync(path, text);
    await expectSameWithSaxes(path);
  });

  it('reads entities, CR LF line ends and a bad timestamp itself, with saxes\'s lines', async () => {
    for (const name of ['entities in names', 'a CR LF file', 'a bad timestamp (rejected with its line)']) {
      const path = join(dir, `${name.replace(/\W+/g, '-')}.xes`);
      expect(await fastReadsWhole(path), name).toBe(true);
    }
  });
});
