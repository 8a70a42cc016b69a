/**
 * The small stacked bar above a queue triangle: how the wait before the step splits into its causes
 * (docs/wait-causes.md), widths proportional to each cause's share. Drawn only when causes were measured.
 */
import { formatPercent } from '../model/units.js';
import type { StepJson } from '../contracts/report-schema.js';
import { el, text } from './svg-kit.js';
import { causesIn, WAIT_CAUSE_COLORS, type AnyWaitCause } from './wait-cause-style.js';

export const CAUSE_BAR_WIDTH_PX = 56;
const BAR_HEIGHT_PX = 7;

export function causeBar(step: StepJson, centerX: number, topY: number): string {
  const causes = step.waitCausesMs;
  if (!causes || !(causes.totalMs > 0)) return '';
  const left = centerX - CAUSE_BAR_WIDTH_PX / 2;
  const parts: string[] = [];
  let x = left;
  const shown = causesIn([step]);
  for (const cause of shown) {
    const width = (causes.shares[cause] ?? 0) * CAUSE_BAR_WIDTH_PX;
    if (width <= 0) continue;
    parts.push(el('rect', { x: Math.round(x * 100) / 100, y: topY, width: Math.round(width * 100) / 100, height: BAR_HEIGHT_PX, fill: WAIT_CAUSE_COLORS[cause] }));
    x += width;
  }
  parts.push(el('rect', { x: left, y: topY, width: CAUSE_BAR_WIDTH_PX, height: BAR_HEIGHT_PX, fill: 'none', stroke: '#52606d', 'stroke-width': 0.75 }));
  const estimated = step.startEstimated ? ' (≈ estimated start times)' : '';
  const title = `why work waits before ${step.name}${estimated}: ${shown.map((cause) => `${cause} ${formatPercent(causes.shares[cause] ?? 0)}`).join(', ')}`;
  return el('g', { class: 'vsm-cause-bar' }, [el('title', {}, [text(title)]), ...parts]);
}

/** Legend: a title (baseline at y) and swatches below it, five a column; CAUSE_LEGEND_WIDTH_PX wide, 70 px tall. */
export const CAUSE_LEGEND_WIDTH_PX = 220;
export function causeLegend(x: number, y: number, causes: readonly AnyWaitCause[]): string {
  const parts: string[] = [el('text', { x, y, 'font-size': 11, fill: '#52606d' }, ['wait causes: bar over △'])];
  causes.forEach((cause, index) => {
    // Five rows a column: the legend band under the map has room for five.
    const rowY = y + 5 + (index % 5) * 13;
    const columnX = x + Math.floor(index / 5) * 105;
    parts.push(el('rect', { x: columnX, y: rowY, width: 10, height: 10, fill: WAIT_CAUSE_COLORS[cause] }));
    parts.push(el('text', { x: columnX + 15, y: rowY + 9, 'font-size': 11, fill: '#1f2933' }, [cause]));
  });
  return el('g', { class: 'vsm-cause-legend' }, parts);
}
