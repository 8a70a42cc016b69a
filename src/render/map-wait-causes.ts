/**
 * The small stacked bar above a queue triangle: how the wait before the step splits into its causes
 * (docs/wait-causes.md), widths proportional to each cause's share. Drawn only when causes were measured.
 */
import { formatPercent } from '../model/units.js';
import type { StepJson } from '../vsm/report-schema.js';
import { el, text } from './svg-kit.js';
import { WAIT_CAUSE_COLORS, WAIT_CAUSES } from './wait-cause-style.js';

export const CAUSE_BAR_WIDTH_PX = 56;
const BAR_HEIGHT_PX = 7;

export function causeBar(step: StepJson, centerX: number, topY: number): string {
  const causes = step.waitCausesMs;
  if (!causes || !(causes.totalMs > 0)) return '';
  const left = centerX - CAUSE_BAR_WIDTH_PX / 2;
  const parts: string[] = [];
  let x = left;
  for (const cause of WAIT_CAUSES) {
    const width = causes.shares[cause] * CAUSE_BAR_WIDTH_PX;
    if (width <= 0) continue;
    parts.push(el('rect', { x: Math.round(x * 100) / 100, y: topY, width: Math.round(width * 100) / 100, height: BAR_HEIGHT_PX, fill: WAIT_CAUSE_COLORS[cause] }));
    x += width;
  }
  parts.push(el('rect', { x: left, y: topY, width: CAUSE_BAR_WIDTH_PX, height: BAR_HEIGHT_PX, fill: 'none', stroke: '#52606d', 'stroke-width': 0.75 }));
  const estimated = step.startEstimated ? ' (≈ estimated start times)' : '';
  const title = `why work waits before ${step.name}${estimated}: ${WAIT_CAUSES.map((cause) => `${cause} ${formatPercent(causes.shares[cause])}`).join(', ')}`;
  return el('g', { class: 'vsm-cause-bar' }, [el('title', {}, [text(title)]), ...parts]);
}

/** Legend: a title (baseline at y) and one swatch a row below it; CAUSE_LEGEND_WIDTH_PX wide, 70 px tall. */
export const CAUSE_LEGEND_WIDTH_PX = 170;
export function causeLegend(x: number, y: number): string {
  const parts: string[] = [el('text', { x, y, 'font-size': 11, fill: '#52606d' }, ['wait causes: bar over △'])];
  WAIT_CAUSES.forEach((cause, index) => {
    const rowY = y + 5 + index * 13;
    parts.push(el('rect', { x, y: rowY, width: 10, height: 10, fill: WAIT_CAUSE_COLORS[cause] }));
    parts.push(el('text', { x: x + 15, y: rowY + 9, 'font-size': 11, fill: '#1f2933' }, [cause]));
  });
  return el('g', { class: 'vsm-cause-legend' }, parts);
}
