import { el } from './svg-kit.js';

/** Shared marks of the map: arrowheads, the hatch for necessary non-value-adding steps, answer numbers. */
export const MAP_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

export const MAP_COLORS = {
  ink: '#1f2933',
  muted: '#52606d',
  boxFill: '#ffffff',
  boxStroke: '#334e68',
  necessaryFill: 'url(#vsm-hatch)',
  necessaryStroke: '#7b6f00',
  wasteFill: '#fdecea',
  wasteStroke: '#b42318',
  queue: '#f0b429',
  hot: '#c2410c',
  handoff: '#0b6e99',
  ladderDelay: '#b42318',
  ladderActive: '#17804a',
} as const;

export function mapDefs(): string {
  const arrow = (id: string, color: string): string =>
    el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }),
    ]);
  const hatch = el('pattern', { id: 'vsm-hatch', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, [
    el('rect', { width: 8, height: 8, fill: '#fffbe6' }),
    el('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: '#f0e4a8', 'stroke-width': 3 }),
  ]);
  return el('defs', {}, [
    arrow('vsm-arrow', MAP_COLORS.boxStroke),
    arrow('vsm-arrow-rework', '#7a5195'),
    arrow('vsm-arrow-hot', '#b4500a'),
    hatch,
  ]);
}

/** A numbered circle (①②③④ drawn, not typed, so it does not depend on the reader's fonts). */
export function answerMarker(answerNumber: number, centerX: number, centerY: number): string {
  return el('g', { class: 'vsm-answer', 'data-answer': answerNumber }, [
    el('circle', { cx: centerX, cy: centerY, r: 9, fill: MAP_COLORS.hot, stroke: '#ffffff', 'stroke-width': 1.5 }),
    el('text', { x: centerX, y: centerY + 4, 'text-anchor': 'middle', 'font-size': 11, 'font-weight': 700, fill: '#ffffff' }, [String(answerNumber)]),
  ]);
}

/** The inventory triangle of classic VSM notation, apex up, centred on (centerX, baseY). */
export function queueTriangle(centerX: number, baseY: number, isHot: boolean): string {
  const half = 11;
  const height = 19;
  return el('polygon', {
    points: `${centerX - half},${baseY} ${centerX + half},${baseY} ${centerX},${baseY - height}`,
    fill: isHot ? MAP_COLORS.hot : MAP_COLORS.queue,
    stroke: MAP_COLORS.ink,
    'stroke-width': 1,
  });
}
