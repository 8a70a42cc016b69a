import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IngestReport } from '../ingest/ingest-report.js';
import type { ReportJson } from '../vsm/report-schema.js';
import type { ActivityTable } from '../vsm/wait-analysis.js';
import { renderActivitiesCsv } from './activities-csv.js';
import { renderChartSvg } from './charts-svg.js';
import { renderStepsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMapSvg } from './map-svg.js';
import { renderMarkdown } from './markdown.js';
import { buildCharts, isChart } from './specs/index.js';

export interface WriteReportOptions {
  /** Write the human outputs (HTML, SVG, Markdown, CSV) besides report.json. */
  html: boolean;
  ingest?: IngestReport;
  /** Activity logs: the per-instance table written as activities.csv (with the human outputs). */
  activities?: ActivityTable;
}

/**
 * Every output file as text, keyed by its path relative to the report folder (forward slashes), in a fixed
 * order: report.json, report.html, map.svg, report.md, steps.csv, charts/<name>.svg. Pure: no file system.
 * With `html: false` only report.json.
 */
export async function renderReportFiles(report: ReportJson, options: WriteReportOptions): Promise<Map<string, string>> {
  const files = new Map<string, string>([['report.json', `${JSON.stringify(report, null, 2)}\n`]]);
  if (!options.html) return files;
  const mapSvg = renderMapSvg(report);
  const charts = buildCharts(report);
  // Charts render one after another: Vega is single-threaded, and a fixed order keeps output identical.
  const chartSvgs: Array<[string, string]> = [];
  for (const chart of charts) if (isChart(chart)) chartSvgs.push([`charts/${chart.name}.svg`, await renderChartSvg(chart)]);
  files.set('report.html', renderHtml(report, { mapSvg, charts, ingest: options.ingest }));
  files.set('map.svg', mapSvg);
  files.set('report.md', renderMarkdown(report, charts));
  files.set('steps.csv', renderStepsCsv(report));
  if (options.activities) files.set('activities.csv', renderActivitiesCsv(options.activities));
  for (const [path, svg] of chartSvgs) files.set(path, svg);
  return files;
}

/** Writes report.json (and, with `html`, the shareable outputs) into `outDir`; returns the paths written. */
export async function writeReport(report: ReportJson, outDir: string, options: WriteReportOptions): Promise<string[]> {
  const files = await renderReportFiles(report, options);
  const written: string[] = [];
  for (const [relativePath, content] of files) {
    const path = join(outDir, ...relativePath.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
  return written;
}
