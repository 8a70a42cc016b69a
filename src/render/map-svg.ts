import { busiestSteps, answerSteps, DISPLAY_LIMITS, otherStepsLabel } from './top-steps.js';
import { formatCount, formatPercent } from '../model/units.js';
import { durationFormatFor, type FormatDuration } from './duration.js';
import type { ReportJson } from '../contracts/report-schema.js';
import { drawArcs, planArcs } from './map-arcs.js';
import { drawBox } from './map-box.js';
import { layoutMap, MAP_GEOMETRY, type MapBox, type MapLayout } from './map-layout.js';
import { answerMarker, MAP_COLORS, MAP_FONT, mapDefs, queueTriangle } from './map-marks.js';
import { CAUSE_LEGEND_WIDTH_PX, causeBar, causeLegend } from './map-wait-causes.js';
import { causesIn } from './wait-cause-style.js';
import { el, estimateTextWidthPx, fitText, label, text } from './svg-kit.js';
import { noFindingShort } from './answers.js';
import { leadPercentileText, notSupportedByLog } from './sufficiency.js';
import { approximateKey, approximateMark } from './approximate.js';

/**
 * The current-state value stream map as a standalone SVG document: step boxes in map order, queue triangles
 * with the median delay, rework arcs, handoff marks, the timeline ladder and the four answers numbered.
 * Pure and deterministic: the same report gives byte-identical output.
 */
export interface MapSvgOptions {
  /** 'future' titles the map as the simulated future state. Default 'current'. */
  state?: 'current' | 'future';
  /** Steps to mark as changed (highlight border) with the short label drawn on the box, e.g. "Δ −1.2 d delay". */
  changedSteps?: ReadonlyMap<string, string>;
}

const CHANGE_COLOR = '#6d28d9';

export function renderMapSvg(report: ReportJson, options: MapSvgOptions = {}): string {
  const stateWord = options.state === 'future' ? 'Future-state' : 'Current-state';
  // Bounded: the busiest steps (and every answer's step) are drawn; the rest are named in the header.
  const { shown: steps, hiddenCount } = busiestSteps(report, DISPLAY_LIMITS.mapSteps, answerSteps(report));
  const columns = Math.max(1, Math.min(MAP_GEOMETRY.maxColumns, steps.length));
  const arcs = planArcs(report.rework.loops, steps, columns);
  const layout = layoutMap(steps, arcs.lanesPerRow, arcs.crossLaneCount);
  // Step times the log cannot support (every finished case outside the calendar's hours, say) are drawn as unknown,
  // not as the 0 s they were computed as.
  const fmt: FormatDuration = notSupportedByLog(report, 'stepTimes') ? () => 'unknown' : durationFormatFor(report.calendar);
  const findings = report.findings;
  const biggestDelayStep = findings.biggestDelay?.subject.step ?? null;
  const handoff = findings.handoffToSimplify?.subject ?? null;
  const futureStep = findings.futureStateChange?.subject.step ?? null;

  const parts: string[] = [mapDefs(), el('rect', { x: 0, y: 0, width: layout.widthPx, height: layout.heightPx, fill: '#ffffff' })];
  parts.push(drawHeader(report, layout, stateWord, hiddenCount));
  for (const box of layout.boxes) {
    const previous = box.index > 0 ? layout.boxes[box.index - 1] : null;
    const isHandoffAnswer = handoff !== null && previous?.step.owner?.name === handoff.from && box.step.owner?.name === handoff.to;
    parts.push(drawGap(box, previous, box.step.name === biggestDelayStep, isHandoffAnswer, fmt));
    parts.push(drawBox(box, box.step.name === biggestDelayStep, fmt));
    if (box.step.name === futureStep) parts.push(answerMarker(4, box.x + MAP_GEOMETRY.boxWidthPx - 4, box.y + 4));
    const change = options.changedSteps?.get(box.step.name);
    if (change !== undefined) parts.push(drawChangeMark(box, change));
  }
  if (layout.boxes.length === 0) parts.push(drawNoSteps(report, layout));
  parts.push(drawArcs(arcs.plans, layout, findings.mostCommonReworkLoop?.subject.path ?? null, fmt));
  for (let row = 0; row < layout.rows.length; row += 1) parts.push(drawLadder(layout, row, report.steps.some((step) => step.activeUnknown), fmt));
  parts.push(drawSummary(report, layout, options.state === 'future'));
  parts.push(drawLegend(report, layout, options.state === 'future'));

  const description = `${steps.length} steps${hiddenCount > 0 ? ` drawn (${otherStepsLabel(hiddenCount)} not drawn)` : ''} from "${report.boundaries.trigger}" to "${report.boundaries.outcome}" over ${formatCount(report.log.cases)} cases; lead time median ${notSupportedByLog(report, 'leadTime') ? 'unknown' : durationFormatFor(report.calendar)(report.leadTimeMs.median)}.`;
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${layout.widthPx} ${layout.heightPx}`,
      width: layout.widthPx,
      height: layout.heightPx,
      role: 'img',
      'aria-labelledby': 'vsm-map-title vsm-map-desc',
      'font-family': MAP_FONT,
      class: 'vsm-map',
    },
    [
      el('title', { id: 'vsm-map-title' }, [text(`${stateWord} value stream map: ${report.log.name}`)]),
      el('desc', { id: 'vsm-map-desc' }, [text(description)]),
      ...parts,
    ],
  )}\n`;
}

/** No step to draw (a current-state export without history): say why in the space the boxes would take. */
function drawNoSteps(report: ReportJson, layout: MapLayout): string {
  const verdict = report.dataQuality.sufficiency?.stepTimes;
  const why = verdict?.verdict === 'unsupported' && verdict.reason ? verdict.reason : 'no step visit could be reconstructed from this log';
  const maxWidth = layout.widthPx - 2 * MAP_GEOMETRY.leftMarginPx;
  const lines = [...wrapWords(`No step can be drawn: ${why}.`, maxWidth, 13), ...(verdict?.fix ? wrapWords(`Fix: ${verdict.fix}`, maxWidth, 13) : [])].slice(0, 6);
  return el('g', { class: 'vsm-no-steps', fill: MAP_COLORS.muted }, lines.map((line, index) =>
    label(fitText(line, maxWidth, 13), { x: MAP_GEOMETRY.leftMarginPx, y: MAP_GEOMETRY.headerHeightPx + 40 + index * 20, 'font-size': 13 }, line),
  ));
}

/** Greedy word wrap to `maxWidthPx` (estimated widths); a single over-long word is left to fitText. */
function wrapWords(sentence: string, maxWidthPx: number, fontSizePx: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of sentence.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && estimateTextWidthPx(candidate, fontSizePx) > maxWidthPx) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A changed step (future-state map): a thick violet frame around the box and a badge with what changed. */
function drawChangeMark(box: MapBox, change: string): string {
  const g = MAP_GEOMETRY;
  // The badge may reach into the gap to the right: nothing else is drawn at that height there.
  const maxBadgePx = g.boxWidthPx + g.gapPx - 24;
  const shown = fitText(change, maxBadgePx - 12, 11);
  // Bold text runs about 10 % wider than the regular-weight estimate.
  const badgeWidth = Math.min(maxBadgePx, estimateTextWidthPx(shown, 11) * 1.12 + 12);
  return el('g', { class: 'vsm-changed', 'data-step-index': box.index }, [
    el('title', {}, [text(`changed by the simulated change: ${change}`)]),
    el('rect', { x: box.x - 4, y: box.y - 4, width: g.boxWidthPx + 8, height: g.boxHeightPx + 8, rx: 6, fill: 'none', stroke: CHANGE_COLOR, 'stroke-width': 3 }),
    el('rect', { x: box.x - 4, y: box.y + g.boxHeightPx + 2, width: badgeWidth, height: 17, rx: 3, fill: CHANGE_COLOR }),
    label(shown, { x: box.x + 2, y: box.y + g.boxHeightPx + 15, 'font-size': 11, 'font-weight': 700, fill: '#ffffff' }, change),
  ]);
}

function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

function drawHeader(report: ReportJson, layout: MapLayout, stateWord: string, hiddenCount: number): string {
  const maxWidth = layout.widthPx - 32;
  const range = report.log.timeRange ? ` · ${dateOnly(report.log.timeRange.from)} – ${dateOnly(report.log.timeRange.to)}` : '';
  const lines: Array<[string, number, number]> = [
    [`${stateWord} value stream · ${report.log.name}`, 16, 700],
    [`Trigger: ${report.boundaries.trigger}${hiddenCount > 0 ? ` · ${formatCount(report.steps.length - hiddenCount)} busiest steps drawn; ${otherStepsLabel(hiddenCount)} are in steps.csv and report.json` : ''}`, 12, 400],
    [`Outcome: ${report.boundaries.outcome} · ${formatCount(report.log.cases)} cases${range} · calendar ${report.calendar.description}`, 12, 400],
  ];
  return el(
    'g',
    { class: 'vsm-header', fill: MAP_COLORS.ink },
    lines.map(([content, fontSize, weight], index) =>
      label(fitText(content, maxWidth, fontSize), { x: 16, y: 24 + index * 19, 'font-size': fontSize, 'font-weight': weight }, content),
    ),
  );
}

/** The space before a box: flow arrow, queue triangle with the median delay, handoff mark. */
function drawGap(box: MapBox, previous: MapBox | null, isBiggestDelay: boolean, isHandoffAnswer: boolean, fmt: FormatDuration): string {
  const g = MAP_GEOMETRY;
  const centerX = box.x - g.gapPx / 2;
  const arrowY = box.y + 46;
  const parts: string[] = [];
  const continuesRow = previous !== null && box.column === 0;
  parts.push(el('line', { x1: box.x - g.gapPx + 4, y1: arrowY, x2: box.x - 2, y2: arrowY, stroke: MAP_COLORS.boxStroke, 'stroke-width': 1.5, 'marker-end': 'url(#vsm-arrow)' }));
  if (previous === null) parts.push(label('start', { x: box.x - g.gapPx + 4, y: arrowY - 30, 'font-size': 10, fill: MAP_COLORS.muted }));
  if (continuesRow) parts.push(label('from above', { x: box.x - g.gapPx + 4, y: arrowY - 30, 'font-size': 10, fill: MAP_COLORS.muted }));
  if (previous !== null && box.column === 0) {
    // The row above ends with an arrow stub so the reader follows the wrap.
    const endX = previous.x + g.boxWidthPx;
    parts.push(el('line', { x1: endX + 2, y1: previous.y + 46, x2: endX + 26, y2: previous.y + 46, stroke: MAP_COLORS.boxStroke, 'stroke-width': 1.5, 'marker-end': 'url(#vsm-arrow)' }));
  }
  const delayMs = box.step.delayMs.median;
  parts.push(queueTriangle(centerX, arrowY - 6, isBiggestDelay));
  parts.push(causeBar(box.step, centerX, arrowY - 50));
  parts.push(label(fmt(delayMs), { x: centerX, y: arrowY + 16, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': isBiggestDelay ? 700 : 400, fill: isBiggestDelay ? MAP_COLORS.hot : MAP_COLORS.ink }));
  if (isBiggestDelay) {
    parts.push(label('biggest delay', { x: centerX, y: arrowY + 30, 'text-anchor': 'middle', 'font-size': 10, 'font-weight': 700, fill: MAP_COLORS.hot }));
    parts.push(answerMarker(1, centerX + 24, arrowY - 22));
  }
  const ownerChanges = previous !== null && previous.step.owner !== null && box.step.owner !== null && previous.step.owner.name !== box.step.owner.name;
  if (ownerChanges) {
    parts.push(label('⇄ handoff', { x: centerX, y: arrowY + 46, 'text-anchor': 'middle', 'font-size': 11, fill: MAP_COLORS.handoff, 'font-weight': isHandoffAnswer ? 700 : 400 }));
    if (isHandoffAnswer) parts.push(answerMarker(3, centerX, arrowY + 62));
  }
  const title = `${box.step.activeUnknown ? 'elapsed time' : 'delay (queue + waiting + blocked)'} before ${box.step.name}: median ${fmt(delayMs)}, p85 ${fmt(box.step.delayMs.p85)}`;
  return el('g', { class: isBiggestDelay ? 'vsm-queue vsm-biggest-delay' : 'vsm-queue' }, [el('title', {}, [text(title)]), ...parts]);
}

/** The classic VSM timeline under a row: delay segments up (under the gaps), active segments down (under the boxes). */
function drawLadder(layout: MapLayout, row: number, anyActiveUnknown: boolean, fmt: FormatDuration): string {
  const g = MAP_GEOMETRY;
  const { ladderTop } = layout.rows[row];
  const delayY = ladderTop + 22;
  const activeY = ladderTop + 44;
  const boxes = layout.boxes.filter((box) => box.row === row);
  const parts: string[] = [
    label('delay', { x: 8, y: delayY - 4, 'font-size': 11, fill: MAP_COLORS.ladderDelay }),
    label(anyActiveUnknown ? 'active?' : 'active', { x: 8, y: activeY + 14, 'font-size': 11, fill: MAP_COLORS.ladderActive }),
  ];
  const points: string[] = [];
  for (const box of boxes) {
    const gapStart = box.x - g.gapPx;
    points.push(`${gapStart},${delayY}`, `${box.x},${delayY}`, `${box.x},${activeY}`, `${box.x + g.boxWidthPx},${activeY}`, `${box.x + g.boxWidthPx},${delayY}`);
    parts.push(label(`${approximateMark(box.step.delayMs)}${fmt(box.step.delayMs.median)}`, { x: box.x - g.gapPx / 2, y: delayY - 5, 'text-anchor': 'middle', 'font-size': 11, fill: MAP_COLORS.ladderDelay }));
    const activeText = box.step.activeUnknown ? 'unknown' : `${box.step.startEstimated ? '≈ ' : approximateMark(box.step.activeMs)}${fmt(box.step.activeMs.median)}`;
    parts.push(label(activeText, { x: box.x + g.boxWidthPx / 2, y: activeY + 15, 'text-anchor': 'middle', 'font-size': 11, fill: MAP_COLORS.ladderActive }));
  }
  parts.unshift(el('polyline', { points: points.join(' '), fill: 'none', stroke: MAP_COLORS.muted, 'stroke-width': 1.5 }));
  return el('g', { class: 'vsm-ladder' }, parts);
}

/** Totals at the right end of the last ladder: lead and cycle time medians and flow efficiency, as reported. */
function drawSummary(report: ReportJson, layout: MapLayout, isFuture: boolean): string {
  const fmt = durationFormatFor(report.calendar);
  const x = layout.summaryLeftPx;
  const top = layout.rows[layout.rows.length - 1].ladderTop;
  const lead = report.leadTimeMs;
  const censored = lead.censored > 0 ? ` · ${formatCount(lead.censored)} open` : '';
  const efficiency = report.flowEfficiency.activeKnown && report.flowEfficiency.pooled !== null ? formatPercent(report.flowEfficiency.pooled) : 'unknown';
  // Total active work per closed case (median), the ladder's lower line summed: DESIGN §6 sketch.
  const activePerCase = report.flowEfficiency.activeMsPerCase;
  const active =
    report.flowEfficiency.activeKnown && activePerCase !== undefined && activePerCase.median !== null
      ? `${report.flowEfficiency.startEstimated ? '≈ ' : ''}active ${fmt(activePerCase.median)} (p50 per case)`
      : isFuture && report.flowEfficiency.activeKnown
        ? 'active per case: not simulated'
        : 'active unknown';
  const leadUnknown = notSupportedByLog(report, 'leadTime');
  const lines: Array<[string, number, string]> = [
    [leadUnknown ? 'lead time unknown' : `lead time ${fmt(lead.median)} (p50)`, 700, MAP_COLORS.ink],
    [`${leadUnknown ? '' : `p85 ${leadPercentileText(report, lead.p85, fmt)} · `}n ${formatCount(lead.n)}${censored}`, 400, MAP_COLORS.ink],
    [active, 400, MAP_COLORS.ladderActive],
    [isFuture ? 'cycle time: not simulated' : report.cycleTimeMs.median === null || notSupportedByLog(report, 'cycleTime') ? 'cycle time unknown' : `cycle time ${fmt(report.cycleTimeMs.median)} (p50)`, 400, MAP_COLORS.ink],
    [`flow efficiency ${report.flowEfficiency.startEstimated && efficiency !== 'unknown' ? `≈ ${efficiency}` : efficiency}`, 700, MAP_COLORS.ink],
  ];
  return el(
    'g',
    { class: 'vsm-summary', fill: MAP_COLORS.ink },
    lines.map(([content, weight, color], index) =>
      label(fitText(content, MAP_GEOMETRY.summaryWidthPx - 8, 12), { x, y: top + 4 + index * 15, 'font-size': 12, 'font-weight': weight, fill: color === MAP_COLORS.ink ? null : color }, content),
    ),
  );
}

function drawLegend(report: ReportJson, layout: MapLayout, isFuture: boolean): string {
  const y = layout.heightPx - MAP_GEOMETRY.legendHeightPx + 14;
  const maxWidth = layout.widthPx - 32;
  const activeUnknown = report.steps.some((step) => step.activeUnknown);
  const keyText = [
    activeUnknown ? '△ median elapsed time before the step (single-timestamp log: active time unknown)' : '△ median delay before the step (queue + waiting + blocked)',
    '↺ rework loop: cases, median added time',
    '⇄ owner changes',
    'dashed hatched box: necessary non-value-adding (NVA)',
    'red box: waste',
    ...(report.flowEfficiency.startEstimated ? ['≈ rests on estimated start times'] : []),
    ...approximateKey(report),
  ].join(' · ');
  if (isFuture) {
    // The four answers describe the measured current state; the future map marks what the change alters instead.
    const futureKey = 'violet frame and Δ label: a step the simulated change alters (medians after the change, from Monte Carlo runs)';
    return el('g', { class: 'vsm-legend', fill: MAP_COLORS.muted }, [
      label(fitText(keyText, maxWidth, 11), { x: 16, y, 'font-size': 11 }, keyText),
      label(fitText(futureKey, maxWidth, 11.5), { x: 16, y: y + 21, 'font-size': 11.5, fill: CHANGE_COLOR, 'font-weight': 700 }, futureKey),
    ]);
  }
  const f = report.findings;
  // An absent answer is "unknown" when the log cannot support its metric, "none found" only when it could have been seen.
  const absent = (metric: 'stepTimes' | 'rework' | 'handoffs'): string => noFindingShort(report, metric);
  const answers = [
    f.biggestDelay ? `biggest delay: ${f.biggestDelay.subject.step ?? f.biggestDelay.title}` : `biggest delay: ${absent('stepTimes')}`,
    f.mostCommonReworkLoop ? `most common rework loop: ${(f.mostCommonReworkLoop.subject.path ?? []).join(' → ')}` : `most common rework loop: ${absent('rework')}`,
    f.handoffToSimplify ? `handoff to simplify: ${f.handoffToSimplify.subject.from ?? '?'} → ${f.handoffToSimplify.subject.to ?? '?'}` : `handoff to simplify: ${absent('handoffs')}`,
    f.futureStateChange ? `future-state change at: ${f.futureStateChange.subject.step ?? (f.futureStateChange.subject.path ?? []).join(' → ')}` : `future-state change: ${absent('stepTimes')}`,
  ];
  const causes = report.steps.some((step) => step.waitCausesMs !== undefined);
  const answerWidth = maxWidth - 24 - (causes ? CAUSE_LEGEND_WIDTH_PX : 0);
  return el('g', { class: 'vsm-legend', fill: MAP_COLORS.muted }, [
    label(fitText(keyText, maxWidth, 11), { x: 16, y, 'font-size': 11 }, keyText),
    causes ? causeLegend(layout.widthPx - CAUSE_LEGEND_WIDTH_PX, y + 21, causesIn(report.steps)) : '',
    ...answers.flatMap((answer, index) => [
      answerMarker(index + 1, 25, y + 17 + index * 19),
      label(fitText(answer, answerWidth, 11.5), { x: 40, y: y + 21 + index * 19, 'font-size': 11.5, fill: MAP_COLORS.ink }, answer),
    ]),
  ]);
}
