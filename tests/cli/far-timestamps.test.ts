import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { runCli } from './run-cli.js';

/*
 * Issue 11 item 1: one far-future stamp made one weekly slot per week up to it (a 159 MB report.json and 3.6 GB
 * for 9999-12-31; past 4 GB for epoch 8,600,000,000,000 s). The series is now bounded and the stamp is named.
 */
describe('a 4-row log with one far-future timestamp', () => {
  for (const [label, stamp, unit] of [
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59Z', 'century'],
    ['epoch 8,600,000,000,000 s', '8600000000000', '10 millennia'],
  ] as const) {
    it(`${label}: bounded flow series, a small report, the row named in the data-quality notes`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'vsm-far-'));
      const first = stamp.includes('T') ? ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z'] : ['1704067200', '1704153600', '1704240000'];
      writeFileSync(join(dir, 'far.csv'), `case,activity,timestamp\nc1,A,${first[0]}\nc1,B,${first[1]}\nc2,A,${first[2]}\nc2,B,${stamp}\n`);
      const result = runCli(['analyze', join(dir, 'far.csv'), '--out', join(dir, 'out')]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const path = join(dir, 'out', 'report.json');
      expect(statSync(path).size).toBeLessThan(200_000);
      const report = ReportSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      expect(report.flow.bucket?.unit).toBe(unit);
      expect(report.flow.weeks.length).toBeLessThanOrEqual(260);
      expect(report.dataQuality.notes.some((note) => /^1 event lies far outside the bulk of the log .*far\.csv record 4 /.test(note))).toBe(true);
      expect(report.dataQuality.notes.some((note) => note.startsWith(`flow series bucketed by ${unit}`))).toBe(true);
      expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toContain('far outside the bulk');
    });
  }
});
