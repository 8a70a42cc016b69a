import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffSource } from '../../src/ingest/sniff.js';

const dir = mkdtempSync(join(tmpdir(), 'vsm-sniff-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('sniffSource', () => {
  it('goes by extension for XES and OCEL', () => {
    expect(sniffSource(file('a.xes.gz', gzipSync('<log/>'))).source).toBe('xes');
    expect(sniffSource(file('a.jsonocel', '{}')).source).toBe('ocel');
  });
  it('recognises JSON exports by their keys, gzipped or not', () => {
    expect(sniffSource(file('jira.json', '{"issues":[{"key":"A-1","changelog":{"histories":[]}}]}')).source).toBe('jira');
    expect(sniffSource(file('zd.json.gz', gzipSync('{"audits":[{"ticket_id":1,"events":[]}]}'))).source).toBe('zendesk');
    expect(sniffSource(file('sn.json', '{"result":[{"documentkey":"x","fieldname":"state"}]}')).source).toBe('servicenow');
    expect(sniffSource(file('gh.json', '[{"id":1,"event":"labeled","label":{"name":"bug"}}]')).source).toBe('github');
    expect(sniffSource(file('o.json', '{"objectTypes":[],"eventTypes":[]}')).source).toBe('ocel');
  });
  it('recognises CSV field-history exports by their header, else plain CSV', () => {
    expect(sniffSource(file('sf.csv', 'CaseId,Field,OldValue,NewValue,CreatedDate\n')).source).toBe('salesforce');
    expect(sniffSource(file('snow.csv', 'number,incident_state,sys_updated_at\n')).source).toBe('servicenow');
    expect(sniffSource(file('log.csv', 'case,activity,timestamp\n')).source).toBe('csv');
    expect(sniffSource(file('log.csv', 'case,activity,timestamp\n')).detectedBy).toBe('extension .csv');
  });
  it('reads UTF-16 heads', () => {
    const text = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('CaseId,Field,OldValue,NewValue\n', 'utf16le')]);
    expect(sniffSource(file('sf16.csv', text)).source).toBe('salesforce');
  });
  it('explains missing paths, empty folders and unknown XML', () => {
    expect(() => sniffSource(join(dir, 'nope.csv'))).toThrow(/input not found · .*nope\.csv · check the path/);
    const empty = mkdtempSync(join(tmpdir(), 'vsm-empty-'));
    expect(() => sniffSource(empty)).toThrow(/input is a folder without JSON pages/);
    expect(() => sniffSource(file('x.xml', '<html><body/></html>'))).toThrow(/XML that is neither XES nor OCEL/);
    // jira-to-analytics' config (../shared/data/jira/config-v1.yaml) was read as a CSV with a column "Connection:".
    expect(() => sniffSource(file('config-v1.yaml', 'Connection:\n    Domain: https://test.atlassian.net\n'))).toThrow(/a YAML file is a configuration, not an event log · .*config-v1\.yaml · got "Connection:/);
  });
});

describe('sniffSource on JSON it cannot place', () => {
  it('recognises Airbyte Zendesk streams and refuses unknown JSON with the sources to choose from', () => {
    expect(sniffSource(file('ab.jsonl', '{"stream": "ticket_metric_events", "data": {}}\n')).source).toBe('zendesk');
    expect(() => sniffSource(file('gl.json', '[{"id": 1, "resource_type": "Issue", "action": "add"}]'))).toThrow(/JSON of no recognised export shape · .*gl\.json · got .* · pass --source jira\|zendesk/);
  });
});
