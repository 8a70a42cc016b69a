import { formatCount, formatPercent } from '../model/units.js';
import type { FormatDuration } from './duration.js';
import type { StepJson } from '../contracts/report-schema.js';
import { MAP_GEOMETRY, type MapBox } from './map-layout.js';
import { MAP_COLORS } from './map-marks.js';
import { el, fitText, label, text } from './svg-kit.js';
import { approximateMark } from './approximate.js';

const VALUE_CLASS_TAG: Record<StepJson['valueClass'], string> = {
  'value-adding': '',
  necessary: 'necessary NVA',
  waste: 'waste',
};

function ownerLine(step: StepJson): string {
  return step.owner ? `${step.owner.name} · ${formatPercent(step.owner.share)}` : 'owner unknown';
}

function activeLine(step: StepJson, fmt: FormatDuration): string {
  if (step.activeUnknown) return 'active unknown';
  return step.startEstimated ? `≈ active ${fmt(step.activeMs.median)} (estimated)` : `${approximateMark(step.activeMs)}active ${fmt(step.activeMs.median)}`;
}

/** Queue line: the delay classes measured for the step (medians per visit); elapsed for single-timestamp logs. */
function delayLine(step: StepJson, fmt: FormatDuration): string {
  if (step.activeUnknown) return `${approximateMark(step.elapsedMs)}elapsed ${fmt(step.elapsedMs.median)}`;
  const parts = [`${approximateMark(step.queueMs)}queue ${fmt(step.queueMs.median)}`];
  if ((step.waitingMs.median ?? 0) > 0) parts.push(`${approximateMark(step.waitingMs)}waiting ${fmt(step.waitingMs.median)}`);
  if ((step.blockedMs.median ?? 0) > 0) parts.push(`${approximateMark(step.blockedMs)}blocked ${fmt(step.blockedMs.median)}`);
  return parts.join(' · ');
}

function visitsLine(step: StepJson): string {
  const rework = step.reworkCases > 0 ? ` · ↺ ${formatCount(step.reworkCases)}` : '';
  return `n ${formatCount(step.visits)} visits${rework}`;
}

/** The hover text: full names and the p85 figures the box has no room for. */
function boxTooltip(step: StepJson, fmt: FormatDuration): string {
  const lines = [
    step.name,
    `owner: ${step.owner ? `${step.owner.name} (${formatPercent(step.owner.share)} of visits)` : 'unknown'}`,
    `system: ${step.system ?? 'unknown'}`,
    step.activeUnknown
      ? `active time unknown (single-timestamp log); elapsed median ${approximateMark(step.elapsedMs)}${fmt(step.elapsedMs.median)}, p85 ${approximateMark(step.elapsedMs)}${fmt(step.elapsedMs.p85)}`
      : `active median ${approximateMark(step.activeMs)}${fmt(step.activeMs.median)}, p85 ${approximateMark(step.activeMs)}${fmt(step.activeMs.p85)}`,
    `delay median ${approximateMark(step.delayMs)}${fmt(step.delayMs.median)}, p85 ${approximateMark(step.delayMs)}${fmt(step.delayMs.p85)}`,
    `${formatCount(step.visits)} visits in ${formatCount(step.cases)} cases; ${formatCount(step.reworkCases)} cases re-enter`,
  ];
  if (step.valueClass !== 'value-adding') lines.push(`value class: ${step.valueClass === 'necessary' ? 'necessary non-value-adding' : 'waste'}`);
  if (step.thin) lines.push('thin evidence: fewer than 30 values');
  return lines.join('\n');
}

/** One process box: name, owner with share, system, active, queue, visits (↺ re-entries), value class. */
export function drawBox(box: MapBox, isBiggestDelay: boolean, fmt: FormatDuration): string {
  const g = MAP_GEOMETRY;
  const { step, x, y } = box;
  const innerWidth = g.boxWidthPx - 14;
  const clipId = `vsm-box-clip-${box.index}`;
  const fill = step.valueClass === 'necessary' ? MAP_COLORS.necessaryFill : step.valueClass === 'waste' ? MAP_COLORS.wasteFill : MAP_COLORS.boxFill;
  const stroke = isBiggestDelay ? MAP_COLORS.hot : step.valueClass === 'necessary' ? MAP_COLORS.necessaryStroke : step.valueClass === 'waste' ? MAP_COLORS.wasteStroke : MAP_COLORS.boxStroke;
  const line = (content: string, row: number, extra: Record<string, string | number> = {}): string => {
    const fontSize = row === 0 ? 13 : 11.5;
    const shown = fitText(content, innerWidth, fontSize);
    return label(shown, { x: x + 7, y: y + 19 + row * 15.5, 'font-size': fontSize, ...extra }, content);
  };
  const tag = [VALUE_CLASS_TAG[step.valueClass], step.thin ? 'thin evidence' : ''].filter((part) => part !== '').join(' · ');
  return el('g', { class: `vsm-step vsm-${step.valueClass}`, 'data-step-index': box.index }, [
    el('title', {}, [text(boxTooltip(step, fmt))]),
    el('clipPath', { id: clipId }, [el('rect', { x, y, width: g.boxWidthPx, height: g.boxHeightPx })]),
    el('rect', {
      x,
      y,
      width: g.boxWidthPx,
      height: g.boxHeightPx,
      rx: 4,
      fill,
      stroke,
      'stroke-width': isBiggestDelay ? 3 : 1.5,
      'stroke-dasharray': step.valueClass === 'necessary' ? '6 3' : null,
    }),
    el('g', { 'clip-path': `url(#${clipId})`, fill: MAP_COLORS.ink }, [
      line(step.name, 0, { 'font-weight': 700 }),
      line(ownerLine(step), 1),
      line(step.system ?? 'system unknown', 2, { fill: MAP_COLORS.muted }),
      line(activeLine(step, fmt), 3, { fill: MAP_COLORS.ladderActive }),
      line(delayLine(step, fmt), 4, { fill: MAP_COLORS.ladderDelay }),
      line(visitsLine(step), 5),
      tag === '' ? '' : line(tag, 6, { fill: step.valueClass === 'waste' ? MAP_COLORS.wasteStroke : MAP_COLORS.muted, 'font-style': 'italic' }),
    ]),
  ]);
}
