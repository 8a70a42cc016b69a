import { formatCount } from '../model/units.js';
import type { FormatDuration } from './duration.js';
import type { ReportJson, StepJson } from '../contracts/report-schema.js';
import { MAP_GEOMETRY, type MapLayout } from './map-layout.js';
import { answerMarker } from './map-marks.js';
import { el, fitText, label, text } from './svg-kit.js';

type ReworkLoop = ReportJson['rework']['loops'][number];

/** How many rework loops the map draws (the rest are in the rework chart). */
export const MAP_LOOP_LIMIT = 5;

export interface ArcPlan {
  loop: ReworkLoop;
  fromIndex: number;
  toIndex: number;
  /** Lane above the `to` row (and above the `from` row for a loop that spans rows). */
  laneInToRow: number;
  laneInFromRow: number;
  /** Lane right of the grid for loops that span rows; null within a row. */
  crossLane: number | null;
}

export interface ArcPlanSet {
  plans: ArcPlan[];
  lanesPerRow: (rowCount: number, columns: number) => number[];
  crossLaneCount: number;
}

/** Assigns lanes to the top loops in report order (the report ranks them); loops naming unknown steps are skipped. */
export function planArcs(loops: readonly ReworkLoop[], steps: readonly StepJson[], columns: number): ArcPlanSet {
  const indexByName = new Map(steps.map((step, index) => [step.name, index]));
  const lanesUsed = new Map<number, number>();
  const takeLane = (row: number): number => {
    const lane = lanesUsed.get(row) ?? 0;
    lanesUsed.set(row, lane + 1);
    return lane;
  };
  const plans: ArcPlan[] = [];
  let crossLaneCount = 0;
  for (const loop of loops.slice(0, MAP_LOOP_LIMIT)) {
    const fromIndex = indexByName.get(loop.from);
    const toIndex = indexByName.get(loop.to);
    if (fromIndex === undefined || toIndex === undefined) continue;
    const fromRow = Math.floor(fromIndex / columns);
    const toRow = Math.floor(toIndex / columns);
    const laneInToRow = takeLane(toRow);
    const laneInFromRow = fromRow === toRow ? laneInToRow : takeLane(fromRow);
    const crossLane = fromRow === toRow ? null : crossLaneCount++;
    plans.push({ loop, fromIndex, toIndex, laneInToRow, laneInFromRow, crossLane });
  }
  return {
    plans,
    crossLaneCount,
    lanesPerRow: (rowCount) => Array.from({ length: rowCount }, (_, row) => lanesUsed.get(row) ?? 0),
  };
}

function laneY(boxTop: number, lane: number): number {
  return boxTop - 16 - lane * MAP_GEOMETRY.laneHeightPx;
}

/** Draws each planned loop as an orthogonal arc over the boxes with an arrowhead into the re-entered step. */
export function drawArcs(plans: readonly ArcPlan[], layout: MapLayout, highlightedPath: readonly string[] | null, fmt: FormatDuration): string {
  const g = MAP_GEOMETRY;
  const highlightKey = highlightedPath ? JSON.stringify(highlightedPath) : null;
  return plans
    .map((plan) => {
      const fromBox = layout.boxes[plan.fromIndex];
      const toBox = layout.boxes[plan.toIndex];
      const isHighlighted = highlightKey !== null && JSON.stringify(plan.loop.path) === highlightKey;
      const selfLoop = plan.fromIndex === plan.toIndex;
      const fromX = fromBox.x + g.boxWidthPx / 2 + (selfLoop ? 24 : plan.fromIndex > plan.toIndex ? -8 : 8);
      const toX = toBox.x + g.boxWidthPx / 2 + (selfLoop ? -24 : plan.fromIndex > plan.toIndex ? 8 : -8);
      const toLaneY = laneY(toBox.y, plan.laneInToRow);
      let points: Array<[number, number]>;
      if (plan.crossLane === null) {
        points = [[fromX, fromBox.y], [fromX, toLaneY], [toX, toLaneY], [toX, toBox.y]];
      } else {
        const fromLaneY = laneY(fromBox.y, plan.laneInFromRow);
        const sideX = layout.gridRightPx + 12 + plan.crossLane * 12;
        points = [[fromX, fromBox.y], [fromX, fromLaneY], [sideX, fromLaneY], [sideX, toLaneY], [toX, toLaneY], [toX, toBox.y]];
      }
      const stroke = isHighlighted ? '#b4500a' : '#7a5195';
      const path = el('polyline', {
        points: points.map(([x, y]) => `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`).join(' '),
        fill: 'none',
        stroke,
        'stroke-width': isHighlighted ? 2.5 : 1.5,
        'marker-end': isHighlighted ? 'url(#vsm-arrow-hot)' : 'url(#vsm-arrow-rework)',
      });
      const fullText = `↺ ${plan.loop.path.join(' → ')} · ${formatCount(plan.loop.cases)} cases · +${fmt(plan.loop.addedMs.median)} median`;
      const shortText = `↺ ${formatCount(plan.loop.cases)} cases · +${fmt(plan.loop.addedMs.median)}`;
      const labelX = plan.crossLane === null ? (fromX + toX) / 2 : toX + (toX < layout.gridRightPx ? 70 : -70);
      const labelWidth = 150;
      const shown = fitText(shortText, labelWidth - 8, 11);
      const labelParts = [
        el('rect', { x: labelX - labelWidth / 2, y: toLaneY - 7, width: labelWidth, height: 13, rx: 3, fill: '#ffffff', 'fill-opacity': 0.9 }),
        label(shown, { x: labelX, y: toLaneY + 4, 'text-anchor': 'middle', 'font-size': 11, fill: stroke, 'font-weight': isHighlighted ? 700 : 400 }),
      ];
      if (isHighlighted) labelParts.push(answerMarker(2, labelX - labelWidth / 2 - 10, toLaneY));
      return el('g', { class: 'vsm-rework', 'data-cases': plan.loop.cases }, [el('title', {}, [text(fullText)]), path, ...labelParts]);
    })
    .join('');
}
