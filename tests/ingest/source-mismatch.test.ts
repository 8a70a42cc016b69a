import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { lookOfFile } from '../../src/ingest/file-look.js';
import { SOURCE_KINDS, type SourceKind } from '../../src/ingest/read-options.js';
import { readLog } from '../../src/ingest/read-log.js';
import { runCli } from '../cli/run-cli.js';

/**
 * docs/ingest-accounting.md "Sniffing and --source": every forced source × every kind of file either reads (the file is
 * of that kind) or fails with a VsmError (exit 2) in `what · where · got · fix` shape that names what the file looks like.
 */
const dir = mkdtempSync(join(tmpdir(), 'vsm-mismatch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const randomBinary = join(dir, 'random.bin');
// Bytes with a NUL and invalid UTF-8: no text format.
writeFileSync(randomBinary, Buffer.from(Array.from({ length: 600 }, (_, k) => (k * 73 + 11) % 256)));
const zipBinary = join(dir, 'export.xlsx');
writeFileSync(zipBinary, Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(200, 1)]));

interface FileKind {
  file: string;
  /** Sources that may read it (its own; csv for every delimited text). */
  readers: SourceKind[];
  /** What a mismatch message must say the file looks like. */
  looks: RegExp;
}

const KINDS: Record<string, FileKind> = {
  // The Zendesk and ServiceNow CSV readers say "… · pass --source csv for a generic CSV" themselves.
  'generic CSV': { file: 'fixtures/cli/tickets.csv', readers: ['csv'], looks: /delimited text|generic CSV/ },
  'gzip CSV': { file: 'fixtures/demo/helpdesk.csv.gz', readers: ['csv'], looks: /delimited text|generic CSV/ },
  XES: { file: 'fixtures/xes/lifecycle-pairs.xes', readers: ['xes'], looks: /XES event log/ },
  'other XML': { file: 'fixtures/xes/not-xes.xml', readers: ['xes', 'ocel'], looks: /XML that is neither XES nor OCEL/ },
  'OCEL 2.0 JSON': { file: 'fixtures/ocel/employees-orders.jsonocel', readers: ['ocel'], looks: /OCEL 2\.0/ },
  'Jira issues': { file: 'fixtures/jira/missing-from.json', readers: ['jira'], looks: /Jira/ },
  'Jira status list': { file: 'fixtures/jira/status-list-folder/a-statuses.json', readers: [], looks: /Jira \/status list|holds a status list but no issues/ },
  'Zendesk audits': { file: 'fixtures/zendesk/reopened-twice.json', readers: ['zendesk'], looks: /Zendesk/ },
  'Zendesk field-history CSV': { file: 'fixtures/zendesk/field-history.csv', readers: ['zendesk', 'csv'], looks: /Zendesk ticket field history/ },
  'GitHub events': { file: 'fixtures/github/label-flow/page-1.json', readers: ['github'], looks: /GitHub/ },
  'ServiceNow sys_audit JSON': { file: 'fixtures/servicenow/audit-traps.json', readers: ['servicenow'], looks: /ServiceNow/ },
  'ServiceNow incident CSV': { file: 'fixtures/servicenow/snapshot-traps.csv', readers: ['servicenow', 'csv'], looks: /ServiceNow/ },
  'Salesforce history CSV': { file: 'fixtures/salesforce/case-history-traps.csv', readers: ['salesforce', 'csv'], looks: /Salesforce/ },
  'Greenhouse stages': { file: 'fixtures/hr/greenhouse-traps.json', readers: ['greenhouse'], looks: /Greenhouse/ },
  'Lever opportunities': { file: 'fixtures/hr/lever-traps.json', readers: ['lever'], looks: /Lever/ },
  'binary data': { file: randomBinary, readers: [], looks: /binary data/ },
  'ZIP (xlsx)': { file: zipBinary, readers: [], looks: /ZIP archive/ },
};

const PAIRS = Object.entries(KINDS).flatMap(([kind, spec]) => SOURCE_KINDS.map((source) => [kind, source, spec] as const));

describe('readLog: every forced --source × every kind of file', () => {
  it.each(PAIRS.map(([kind, source, spec]) => [kind, source, spec]))('%s × --source %s', async (_kind, source, spec) => {
    let outcome: 'read' | Error;
    try {
      await readLog(spec.file, { source });
      outcome = 'read';
    } catch (error) {
      outcome = error as Error;
    }
    if (outcome === 'read') {
      expect(spec.readers).toContain(source);
      return;
    }
    expect(isVsmError(outcome), `${outcome.name}: ${outcome.message}`).toBe(true);
    if (!isVsmError(outcome)) return;
    expect(outcome.code).not.toBe('INTERNAL');
    // what · where · got · fix
    expect(outcome.where).toBeTruthy();
    expect(outcome.got).toBeTruthy();
    expect(outcome.fix).toBeTruthy();
    if (!spec.readers.includes(source)) expect(outcome.message).toMatch(spec.looks);
  });
});

describe('lookOfFile names what a file is', () => {
  it.each(Object.entries(KINDS))('%s', (_kind, spec) => {
    expect(lookOfFile(spec.file).label).toMatch(spec.looks);
  });
});

describe('vsm inspect with a wrong --source (built CLI)', () => {
  const cases: [string, string, RegExp][] = [
    // The two crashes of issue 11 item 7: a CSV read as Jira or GitHub was a TypeError (exit 3).
    ['fixtures/cli/tickets.csv', 'jira', /--source jira given, but the file is delimited text/],
    ['fixtures/cli/tickets.csv', 'github', /--source github given, but the file is delimited text/],
    // An XES read as GitHub said "JSON ends early (truncated download?)".
    ['fixtures/xes/lifecycle-pairs.xes', 'github', /--source github given, but the file is an XES event log .* pass --source xes/],
    ['fixtures/zendesk/reopened-twice.json', 'xes', /the file is JSON with ticket audits .*Zendesk.* pass --source zendesk/],
    [randomBinary, 'zendesk', /the file is binary data/],
  ];
  it.each(cases)('%s --source %s → exit 2, names the kind', (file, source, message) => {
    const result = runCli(['inspect', file, '--source', source, '--no-progress']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/internal error|TypeError|JSON ends early/);
  });
});
