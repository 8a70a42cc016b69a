import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLog } from '../../src/ingest/read-log.js';
import { renderCompareHtml } from '../../src/render/compare-html.js';
import { renderSimulateFiles } from '../../src/render/write-simulate.js';
import { writeReport } from '../../src/render/write-report.js';
import { generateTicketLog } from '../../src/synthetic/generate.js';
import { writeCsv } from '../../src/synthetic/write-log.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { comparePeriods } from '../../src/vsm/compare.js';
import { parsePeriods } from '../../src/vsm/compare-periods.js';
import { simulateFutureState } from '../../src/vsm/simulate.js';

/**
 * Writes compare.html (two quarters) and simulate.html (merge Fix+Review, which moves QA work onto Dev) for a
 * 1,500-ticket synthetic helpdesk log into `outDir`, as `vsm compare|simulate --out` would.
 */
export async function writeCompareAndSimulate(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const logPath = join(outDir, 'helpdesk.csv');
  await writeCsv(generateTicketLog({ seed: 42, cases: 1_500, shape: 'activity-start-complete' }), logPath);
  const read = await readLog(logPath);
  const { report, reconstruction } = analyzeLog(read.log, read.report, { logName: 'helpdesk.csv', seed: 42 });
  const compare = comparePeriods(reconstruction, parsePeriods('2024-Q1,2024-Q2', undefined), { seed: 42, resamples: 300, by: 'completed', source: 'helpdesk.csv' });
  mkdirSync(join(outDir, 'compare'), { recursive: true });
  writeFileSync(join(outDir, 'compare', 'compare.html'), renderCompareHtml(compare));
  const simulate = simulateFutureState(reconstruction, [{ kind: 'merge', spec: 'Fix+Review' }], { logName: 'helpdesk.csv', runs: 300, seed: 42, currentSteps: report.steps });
  mkdirSync(join(outDir, 'simulate'), { recursive: true });
  for (const [name, content] of renderSimulateFiles(report, simulate)) writeFileSync(join(outDir, 'simulate', name), content);
  await writeReport(report, join(outDir, 'report'), { html: true, ingest: read.report });
}
