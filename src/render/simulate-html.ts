import { formatDurationMs, formatPercent } from '../model/units.js';
import type { SimulateJson } from '../contracts/simulate-schema.js';
import { removedSteps } from './change-marks.js';
import { runsLabel } from './simulate-runs.js';
import { escapeHtml as h } from './escape.js';
import { chartFigure, factList, htmlDocument, simpleTable } from './html-shell.js';
import { isChart, withSafeStrings } from './specs/index.js';
import { workloadShiftChart } from './specs/workload-shift.js';

export interface SimulateHtmlInputs {
  /** map.svg of the current state (renderMapSvg(report)), already escaped markup. */
  currentMapSvg: string;
  /** future-map.svg (renderMapSvg(futureReport(…), { state: 'future', changedSteps })), already escaped markup. */
  futureMapSvg: string;
  /** Working ms per working day on a business calendar (durations then in wd). */
  workdayMs?: number | null;
}

type RunInterval = { estimate: number; ciLow: number; ciHigh: number } | null | undefined;

function withInterval(value: RunInterval, format: (n: number) => string): string {
  return value ? `${format(value.estimate)} (${format(value.ciLow)} … ${format(value.ciHigh)})` : '—';
}

function signedInterval(value: RunInterval, format: (n: number) => string): string {
  const signed = (n: number) => `${n < 0 ? '−' : n > 0 ? '+' : '±'}${format(Math.abs(n))}`;
  return value ? `${signed(value.estimate)} (${signed(value.ciLow)} … ${signed(value.ciHigh)})` : '—';
}

/**
 * simulate.html: the statement, the before/after lead-time table with 95 % run intervals, the workload shift
 * per owner (bottleneck moves flagged red) and the current and future maps stacked, changed steps marked.
 */
export function renderSimulateHtml(simulate: SimulateJson, inputs: SimulateHtmlInputs): string {
  const calendar = { workdayMs: inputs.workdayMs ?? null };
  const fmt = (ms: number) => formatDurationMs(ms, calendar);
  const percentagePoints = (ratio: number) => `${(ratio * 100).toFixed(1)} pp`;
  const lead = (state: SimulateJson['before']) => state.leadTimeMs;
  const rows = [
    { cells: ['lead time median', withInterval(lead(simulate.before)?.median, fmt), withInterval(lead(simulate.after)?.median, fmt), signedInterval(simulate.difference.leadTimeMedianMs, fmt)] },
    { cells: ['lead time p85', withInterval(lead(simulate.before)?.p85, fmt), withInterval(lead(simulate.after)?.p85, fmt), signedInterval(simulate.difference.leadTimeP85Ms, fmt)] },
    { cells: ['lead time p95', withInterval(lead(simulate.before)?.p95, fmt), withInterval(lead(simulate.after)?.p95, fmt), signedInterval(simulate.difference.leadTimeP95Ms, fmt)] },
    { cells: ['flow efficiency', withInterval(simulate.before.flowEfficiency, formatPercent), withInterval(simulate.after.flowEfficiency, formatPercent), signedInterval(simulate.difference.flowEfficiency, percentagePoints)] },
  ].map((row) => ({ ...row, numeric: [false, true, true, true] }));
  const workload = simulate.workload;
  const gaining = new Set(workload.gainingOwners);
  const ownerRows = workload.owners.map((owner) => ({
    cells: [
      owner.owner,
      fmt(owner.activeMsBefore),
      fmt(owner.activeMsAfter),
      owner.shift === null ? 'new' : `${owner.shift > 0 ? '+' : owner.shift < 0 ? '−' : '±'}${formatPercent(Math.abs(owner.shift))}`,
      gaining.has(owner.owner) ? (workload.movesBottleneck ? 'gains work: moves the bottleneck' : 'gains more than 10 %') : '',
    ],
    numeric: [false, true, true, true, false],
    rowClass: gaining.has(owner.owner) && workload.movesBottleneck ? 'bottleneck' : undefined,
  }));
  const chartResult = workloadShiftChart(simulate, inputs);
  const chart = isChart(chartResult) ? { ...chartResult, spec: withSafeStrings(chartResult.spec) } : chartResult;
  const bottleneck = workload.movesBottleneck
    ? `<p class="verdict hot"><strong class="warn">Moves the bottleneck:</strong> ${h(workload.gainingOwners.join(', '))} ${workload.gainingOwners.length === 1 ? 'gains' : 'gain'} more than 10 % active work while total active work does not fall. The change shifts work rather than removing it.</p>`
    : '';
  const removed = removedSteps(simulate);
  const changes =
    simulate.changes.length === 0
      ? '<li>no change (baseline check: before and after should agree)</li>'
      : simulate.changes.map((change) => `<li><strong>${h(change.description)}</strong> <span class="hint">(${h(change.spec)}; ${h(String(change.visitsAffected))} visits affected)</span>${change.notes.length > 0 ? `<ul class="notes">${change.notes.map((note) => `<li>${h(note)}</li>`).join('')}</ul>` : ''}</li>`).join('');
  const body = `<header><h1>Simulated future state: <span class="data">${h(simulate.log.name)}</span></h1>${factList([
    ['cases resampled', `${simulate.log.closedCases.toLocaleString('en-US')} closed (${simulate.log.openCasesExcluded.toLocaleString('en-US')} open excluded)`],
    ['runs', runsLabel(simulate)],
    ['changed steps', simulate.changedSteps.length > 0 ? simulate.changedSteps.join(', ') : 'none'],
  ])}</header>
<section id="statement" aria-labelledby="statement-title"><h2 id="statement-title">What the change would do</h2><p class="verdict${workload.movesBottleneck ? ' hot' : ''}">${h(simulate.statement)}</p><h3>Changes simulated</h3><ul class="changes">${changes}</ul>${bottleneck}</section>
<section id="lead-time" aria-labelledby="lead-title"><h2 id="lead-title">Lead time before and after</h2><p class="hint">Estimate over runs with the central 95 % of runs in brackets; difference = after − before on the same resampled cases.</p>${simpleTable(['', 'before', 'after', 'difference'], rows)}</section>
<section id="workload" aria-labelledby="workload-title"><h2 id="workload-title">Workload shift per ${workload.level === 'group' ? 'team' : 'person'}</h2>${chartFigure(chart)}${workload.activeKnown && ownerRows.length > 0 ? simpleTable(['owner', 'active before', 'active after', 'shift', ''], ownerRows) : ''}</section>
<section id="maps" aria-labelledby="maps-title"><h2 id="maps-title">Current and future maps</h2><p class="hint">The future map shows the medians after the change; changed steps have a <span class="badge">violet frame and Δ label</span>.${removed.length > 0 ? ` ${h(`Removed or merged away: ${removed.join(', ')}.`)}` : ''}</p>
<figure class="map" id="current-map">${inputs.currentMapSvg}<figcaption>Current state, as measured.</figcaption></figure>
<figure class="map" id="future-map">${inputs.futureMapSvg}<figcaption>Simulated future state: Monte Carlo medians after the change; a model, not a measurement.</figcaption></figure></section>
${simulate.notes.length > 0 ? `<section id="notes" aria-labelledby="notes-title"><h2 id="notes-title">Notes</h2><ul class="notes">${simulate.notes.map((note) => `<li>${h(note)}</li>`).join('')}</ul></section>` : ''}
<footer>Generated by valuestream ${h(simulate.tool.version)} · simulate schema ${h(simulate.schemaVersion)}.</footer>`;
  return htmlDocument({ title: `Simulated future state: ${simulate.log.name}`, body, charts: [chart] });
}
