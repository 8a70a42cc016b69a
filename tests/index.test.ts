import { describe, expect, it } from 'vitest';
import { analyze, readLog, ReportSchema } from '../src/index.js';

describe('library API', () => {
  it('reads and analyses a log without the CLI, and the report is schema-valid', async () => {
    const { log, report: ingest } = await readLog('fixtures/cli/tickets.csv');
    const input = structuredClone(ingest);
    const report = analyze(log, ingest, { logName: 'tickets' });
    expect(ReportSchema.safeParse(report).success).toBe(true);
    expect(report.log.cases).toBe(3);
    // analyse leaves its input untouched (the vega-lite habit: compile must not mutate the spec)
    expect(ingest).toEqual(input);
  });
});
