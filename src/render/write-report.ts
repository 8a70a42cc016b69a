import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IngestReport } from '../contracts/ingest-report.js';
import type { ReportJson } from '../contracts/report-schema.js';
import type { ActivityTable } from '../vsm/wait-analysis.js';
import { renderActivitiesCsv, writeActivitiesCsv } from './activities-csv.js';
import { writePrettyJsonFile } from './json-stream.js';
import { writeOutputSet } from './output-set.js';
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
 * order: report.json, report.html, map.svg, report.md, steps.csv, activities.csv (activity logs), charts/<name>.svg. Pure: no file system.
 * With `html: false` only report.json.
 */
export async function renderReportFiles(report: ReportJson, options: WriteReportOptions): Promise<Map<string, string>> {
  const files = new Map<string, string>([['report.json', `${JSON.stringify(report, null, 2)}\n`]]);
  if (!options.html) return files;
  for (const [path, content] of await renderHumanFiles(report, options)) files.set(path, typeof content === 'string' ? content : renderActivitiesCsv(content.table));
  return files;
}

/** activities.csv is not rendered ahead: written line by line when its turn comes (writeActivitiesCsv). */
export interface ActivitiesFile {
  table: ActivityTable;
}

/** The human outputs (HTML, map, Markdown, CSV, chart SVGs) in the fixed order of renderReportFiles. */
async function renderHumanFiles(report: ReportJson, options: WriteReportOptions): Promise<Map<string, string | ActivitiesFile>> {
  const files = new Map<string, string | ActivitiesFile>();
  const mapSvg = renderMapSvg(report);
  const charts = buildCharts(report);
  // Charts render one after another: Vega is single-threaded, and a fixed order keeps output identical.
  const chartSvgs: Array<[string, string]> = [];
  for (const chart of charts) if (isChart(chart)) chartSvgs.push([`charts/${chart.name}.svg`, await renderChartSvg(chart)]);
  files.set('report.html', renderHtml(report, { mapSvg, charts, ingest: options.ingest }));
  files.set('map.svg', mapSvg);
  files.set('report.md', renderMarkdown(report, charts));
  files.set('steps.csv', renderStepsCsv(report));
  if (options.activities) files.set('activities.csv', { table: options.activities });
  for (const [path, svg] of chartSvgs) files.set(path, svg);
  return files;
}

/** Top-level names `vsm analyze` writes: its previous set, replaced as a whole (see output-set.ts). */
export const REPORT_OUTPUT_NAMES = ['report.json', 'report.html', 'map.svg', 'report.md', 'steps.csv', 'activities.csv', 'charts'] as const;

/**
 * Writes report.json (and, with `html`, the shareable outputs) into `outDir`, all or nothing: the set is written
 * beside the folder and moved into place when complete (output-set.ts). Returns the paths written.
 */
export async function writeReport(report: ReportJson, outDir: string, options: WriteReportOptions): Promise<string[]> {
  return writeOutputSet(outDir, { ownedNames: REPORT_OUTPUT_NAMES }, async (tempDir) => {
    // report.json first: the rest takes longer to render, and the whole set only appears once all is written.
    // Streamed: a report with a very large alphabet can exceed the longest string V8 can hold.
    writePrettyJsonFile(join(tempDir, 'report.json'), report);
    const written = ['report.json'];
    if (options.html) written.push(...writeFiles(tempDir, await renderHumanFiles(report, options)));
    return written;
  });
}

/** Writes `relative path → content` files below `dir`; returns the relative paths in order. */
export function writeFiles(dir: string, files: Iterable<[string, string | ActivitiesFile]>): string[] {
  const written: string[] = [];
  for (const [relativePath, content] of files) {
    const path = join(dir, ...relativePath.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'string') writeFileSync(path, content);
    else writeActivitiesCsv(path, content.table);
    written.push(relativePath);
  }
  return written;
}
