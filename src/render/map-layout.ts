import type { ReportJson, StepJson } from '../contracts/report-schema.js';

/**
 * Grid layout of the current-state map: steps in map order, left to right, wrapped into rows of at most
 * `columns` boxes. Hand placement rather than elkjs: the order is fixed and every box has the same size, so a
 * grid is exact, synchronous and byte-stable; rework arcs use fixed lanes (see map-arcs.ts).
 */
export const MAP_GEOMETRY = {
  boxWidthPx: 168,
  boxHeightPx: 124,
  gapPx: 92,
  leftMarginPx: 64,
  rightMarginPx: 24,
  summaryWidthPx: 210,
  headerHeightPx: 78,
  laneHeightPx: 16,
  arcBasePx: 26,
  ladderHeightPx: 64,
  rowGapPx: 18,
  legendHeightPx: 104,
  maxColumns: 5,
} as const;

export interface MapBox {
  step: StepJson;
  /** Index in map order. */
  index: number;
  row: number;
  column: number;
  /** Left and top of the step box. */
  x: number;
  y: number;
}

export interface MapRow {
  /** Top of the arc band above the boxes. */
  top: number;
  boxTop: number;
  ladderTop: number;
  /** Number of arc lanes reserved above this row. */
  lanes: number;
}

export interface MapLayout {
  boxes: MapBox[];
  rows: MapRow[];
  columns: number;
  widthPx: number;
  heightPx: number;
  /** Right edge of the step grid; cross-row rework arcs run in lanes right of it. */
  gridRightPx: number;
  /** Left edge of the totals next to the last ladder. */
  summaryLeftPx: number;
}

/** Steps in map order (by `order`, then name so ties are stable). */
export function stepsInMapOrder(report: ReportJson): StepJson[] {
  return [...report.steps].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Places the boxes; `lanesPerRow[r]` is how many arc lanes row r needs above it. */
export function layoutMap(steps: readonly StepJson[], lanesPerRow: (rowCount: number, columns: number) => number[], crossRowLanes: number): MapLayout {
  const g = MAP_GEOMETRY;
  const columns = Math.max(1, Math.min(g.maxColumns, steps.length));
  const rowCount = Math.max(1, Math.ceil(steps.length / columns));
  const lanes = lanesPerRow(rowCount, columns);
  const rows: MapRow[] = [];
  let y = g.headerHeightPx;
  for (let row = 0; row < rowCount; row += 1) {
    const laneCount = lanes[row] ?? 0;
    const boxTop = y + g.arcBasePx + laneCount * g.laneHeightPx;
    const ladderTop = boxTop + g.boxHeightPx + 14;
    rows.push({ top: y, boxTop, ladderTop, lanes: laneCount });
    y = ladderTop + g.ladderHeightPx + g.rowGapPx;
  }
  const boxes = steps.map((step, index) => {
    const row = Math.floor(index / columns);
    const column = index % columns;
    const x = g.leftMarginPx + column * (g.gapPx + g.boxWidthPx) + g.gapPx;
    return { step, index, row, column, x, y: rows[row].boxTop };
  });
  const gridRightPx = g.leftMarginPx + columns * (g.gapPx + g.boxWidthPx);
  // The totals sit after the last box; only a full last row needs a column of their own on the right.
  const lastRowFull = steps.length % columns === 0;
  const lanesRightPx = crossRowLanes > 0 ? 12 + crossRowLanes * 12 : 0;
  const widthPx = gridRightPx + lanesRightPx + (lastRowFull ? g.summaryWidthPx + 12 : 0) + g.rightMarginPx;
  const lastBox = boxes[boxes.length - 1];
  const summaryLeftPx = lastRowFull || lastBox === undefined ? gridRightPx + lanesRightPx + 12 : lastBox.x + g.boxWidthPx + 24;
  return { boxes, rows, columns, widthPx, heightPx: y + g.legendHeightPx, gridRightPx, summaryLeftPx };
}
