/**
 * Fuzz suite (issue 11, "beyond the list"): every fixture format, mutated byte-wise and structure-wise, through
 * readLog → analyzeLog → render. The property: the run ends in a VsmError (a coded, explained refusal), or in a report
 * whose row accounting adds up (rowsRead = used + rejected + ignored + duplicates) and that renders. Never another exception.
 * Seeded and bounded (a fixed number of runs per format) so CI replays the same inputs; a failing input found once is
 * kept under fixtures/fuzz/ and replayed by the last test.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isVsmError } from '../../src/errors.js';
import { readLog } from '../../src/ingest/read-log.js';
import type { ReadOptions } from '../../src/ingest/read-options.js';
import { buildCharts } from '../../src/render/specs/index.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { renderReportFiles } from '../../src/render/write-report.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { applyByteMutation, applyJsonMutation, applyLineMutation, byteMutation, jsonMutation, lineMutation } from './mutations.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
/** Runs per format and mutation family; 12 formats × 3 families × RUNS inputs, about 20–40 s on one core. */
const RUNS = 30;
/** Fixed so CI replays the same inputs; VSM_FUZZ_SEED=<n> explores other inputs locally (keep what fails in fixtures/fuzz/). */
const SEED = Number(process.env.VSM_FUZZ_SEED ?? 20261202);

interface Seed {
  name: string;
  file: string;
  options: ReadOptions;
  json: boolean;
}

const SEEDS: Seed[] = [
  { name: 'csv', file: 'cli/tickets.csv', options: {}, json: false },
  { name: 'csv-quoted', file: 'csv/quoted-multiline.csv', options: {}, json: false },
  { name: 'xes', file: 'xes/lifecycle-pairs.xes', options: {}, json: false },
  { name: 'ocel-json', file: 'ocel/employees-orders.jsonocel', options: { source: 'ocel' }, json: true },
  { name: 'ocel-xml', file: 'ocel/pm4py-example.xmlocel', options: { source: 'ocel', objectType: 'Invoice' }, json: false },
  { name: 'jira', file: 'jira/missing-from.json', options: { source: 'jira' }, json: true },
  { name: 'zendesk', file: 'zendesk/reopened-twice.json', options: { source: 'zendesk' }, json: true },
  { name: 'servicenow', file: 'servicenow/audit-traps.json', options: { source: 'servicenow' }, json: true },
  { name: 'salesforce', file: 'salesforce/case-history-traps.csv', options: { source: 'salesforce' }, json: false },
  { name: 'github', file: 'github/label-flow/page-1.json', options: { source: 'github' }, json: true },
  { name: 'greenhouse', file: 'hr/greenhouse-traps.json', options: { source: 'greenhouse' }, json: true },
  { name: 'lever', file: 'hr/lever-traps.json', options: { source: 'lever' }, json: true },
];

let dir = '';
let counter = 0;
beforeAll(() => {
  dir = mkdtempSync(`${tmpdir()}/vsm-fuzz-`);
});

/** The outcome of one input: 'refused' (VsmError) or 'read'; any other exception propagates and fails the property. */
async function runPipeline(bytes: Buffer, seed: Seed, renderHtml = false): Promise<'refused' | 'read'> {
  const path = join(dir, `${counter++}-${basename(seed.file)}`);
  writeFileSync(path, bytes);
  let read;
  try {
    read = await readLog(path, seed.options);
  } catch (error) {
    if (isVsmError(error)) return 'refused';
    throw error;
  }
  const { log, report: ingest } = read;
  expect(ingest.rowsRead).toBe(ingest.rowsUsed + ingest.rowsRejected + ingest.rowsIgnored + ingest.duplicatesDropped);
  if (log.eventCount === 0) return 'read';
  const { report } = analyzeLog(log, ingest, { logName: seed.name, seed: 1 });
  renderMapSvg(report);
  buildCharts(report);
  await renderReportFiles(report, { html: renderHtml, ingest });
  return 'read';
}

describe('fuzz: mutated fixtures through read → analyze → render', () => {
  for (const seed of SEEDS) {
    const original = readFileSync(join(FIXTURES, seed.file));
    it(`${seed.name}: the fixture itself reads, analyzes and renders (with HTML)`, async () => {
      expect(await runPipeline(original, seed, true)).toBe('read');
    });
    it(`${seed.name}: byte mutations`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(byteMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
          await runPipeline(mutations.reduce(applyByteMutation, original), seed);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
    it(`${seed.name}: structure-aware mutations`, async () => {
      if (seed.json) {
        await fc.assert(
          fc.asyncProperty(fc.array(jsonMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
            await runPipeline(mutations.reduce(applyJsonMutation, original), seed);
          }),
          { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
        );
      } else {
        await fc.assert(
          fc.asyncProperty(fc.array(lineMutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
            await runPipeline(mutations.reduce(applyLineMutation, original), seed);
          }),
          { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
        );
      }
    });
  }

  const kept = readdirSync(join(FIXTURES, 'fuzz')).filter((name) => !name.startsWith('.') && name !== 'README.md');
  it.skipIf(kept.length === 0)('inputs that once failed (fixtures/fuzz/) now end in a VsmError or a sound report', async () => {
    for (const name of kept) {
      const seed = SEEDS.find((candidate) => name.startsWith(`${candidate.name}--`)) as Seed;
      expect(seed, name).toBeDefined();
      await runPipeline(readFileSync(join(FIXTURES, 'fuzz', name)), { ...seed, file: name });
    }
  });
});
