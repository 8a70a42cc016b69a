/**
 * Every real sample and fixture through the whole pipeline, with vega-lite's three checks (STYLE.md):
 * the input is untouched afterwards, the ingest report accounts for every row, and report.json is valid
 * against its zod schema. Samples that need a flag say so in SAMPLE_OPTIONS.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { ReportSchema } from '../../src/contracts/report-schema.js';
import { SHARED_DIR, hasShared } from '../shared-dir.js';

const SAMPLES = `${SHARED_DIR}/formats/samples/`;
const DATA = `${SHARED_DIR}/data/`;

/** Samples that are not logs on their own (status catalogues, board configs) or need options. */
const SKIP = new Set(['jirametrics_sample_statuses.json', 'jirametrics_sample_board_1_configuration.json', 'SOURCES.md', 'FORMATS.md']);
const SAMPLE_OPTIONS: Record<string, ReadOptions> = {
  'uci_incident_event_log_excerpt.csv': { source: 'servicenow' },
  'pm4py_ocel20_example.jsonocel': { objectType: 'Invoice' },
  'pm4py_ocel20_example.xmlocel': { objectType: 'Invoice' },
  'generic_edge_cases_SYNTHETIC.csv': {},
};

function sampleFiles(): string[] {
  if (!existsSync(SAMPLES)) return [];
  return readdirSync(SAMPLES)
    .filter((folder) => statSync(join(SAMPLES, folder)).isDirectory())
    .flatMap((folder) => readdirSync(join(SAMPLES, folder)).map((name) => join(SAMPLES, folder, name)))
    .filter((path) => !SKIP.has(path.split('/').pop() as string))
    .sort();
}

describe.skipIf(!hasShared(SAMPLES))('every format sample through read → analyze', () => {
  for (const path of sampleFiles()) {
    const name = path.split('/').pop() as string;
    it(name, async () => {
      let read;
      try {
        read = await readLog(path, SAMPLE_OPTIONS[name] ?? {});
      } catch (error) {
        // A sample may be refused only with a coded, explained error (never a crash).
        expect((error as { code?: string }).code, String(error)).toMatch(/^[A-Z_]+$/);
        expect(String((error as Error).message)).toContain(' · ');
        return;
      }
      const { log, report: ingest } = read;
      expect(ingest.rowsRead).toBe(ingest.rowsUsed + ingest.rowsRejected + ingest.rowsIgnored + ingest.duplicatesDropped);
      const before = structuredClone(ingest);
      const { report } = analyzeLog(log, ingest, { logName: name });
      expect(ingest).toEqual(before);
      const parsed = ReportSchema.safeParse(report);
      expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
      expect(report.log.cases).toBe(log.caseCount);
    });
  }
});

describe.skipIf(!hasShared(DATA))('real logs through analyze: schema-valid and deterministic', () => {
  for (const name of ['running-example.csv', 'jira/jira_issues_changelog.json', 'sepsis.csv.gz', 'receipt.csv.gz']) {
    it(name, async () => {
      const { log, report: ingest } = await readLog(join(DATA, name));
      const first = JSON.stringify(analyzeLog(log, ingest, { logName: name }).report);
      const second = JSON.stringify(analyzeLog(log, ingest, { logName: name }).report);
      expect(second).toBe(first);
      expect(ReportSchema.safeParse(JSON.parse(first)).success).toBe(true);
    });
  }
});
