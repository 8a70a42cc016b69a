import type { ReportJson } from '../contracts/report-schema.js';
import type { SimulateJson } from '../contracts/simulate-schema.js';
import { futureReport } from '../vsm/simulate-map.js';
import { changedStepLabels } from './change-marks.js';
import { durationFormatFor } from './duration.js';
import { renderMapSvg } from './map-svg.js';
import { renderSimulateHtml } from './simulate-html.js';
import { renderSimulateMarkdown } from './simulate-markdown.js';

/**
 * The files `vsm simulate --out` writes, keyed by name in a fixed order: simulate.json, simulate.html, simulate.md,
 * map.svg (current state) and future-map.svg (future state, changed steps marked). Pure: no file system.
 */
export function renderSimulateFiles(report: ReportJson, simulate: SimulateJson): Map<string, string> {
  const currentMapSvg = renderMapSvg(report);
  const changedSteps = changedStepLabels(report.steps, simulate, durationFormatFor(report.calendar));
  const future = futureReport(report, simulate);
  // The simulation gives no per-case active total: the current one must not appear on the future map.
  const { activeMsPerCase: _currentActive, ...flowEfficiency } = future.flowEfficiency;
  const futureMapSvg = renderMapSvg({ ...future, flowEfficiency }, { state: 'future', changedSteps });
  return new Map([
    ['simulate.json', `${JSON.stringify(simulate, null, 2)}\n`],
    ['simulate.html', renderSimulateHtml(simulate, { currentMapSvg, futureMapSvg, workdayMs: report.calendar.workdayMs })],
    ['simulate.md', renderSimulateMarkdown(simulate, { workdayMs: report.calendar.workdayMs })],
    ['map.svg', currentMapSvg],
    ['future-map.svg', futureMapSvg],
  ]);
}
