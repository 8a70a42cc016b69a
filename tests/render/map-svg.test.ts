import { describe, expect, it } from 'vitest';
import { MAP_GEOMETRY } from '../../src/render/map-layout.js';
import { renderMapSvg } from '../../src/render/map-svg.js';
import { estimateTextWidthPx } from '../../src/render/svg-kit.js';
import { HOUR_MS, hostileReport, jiraReport, syntheticReport } from './render-fixtures.js';
import { findActiveContent, parseXmlElements } from './svg-parse.js';

function boxesOf(svg: string): Array<{ x: number; y: number; width: number; height: number }> {
  const elements = parseXmlElements(svg);
  const boxes: Array<{ x: number; y: number; width: number; height: number }> = [];
  elements.forEach((element, index) => {
    if (element.name === 'g' && (element.attributes.class ?? '').startsWith('vsm-step')) {
      const rect = elements.slice(index + 1).find((candidate) => candidate.name === 'rect' && candidate.attributes.rx === '4');
      if (rect) boxes.push({ x: Number(rect.attributes.x), y: Number(rect.attributes.y), width: Number(rect.attributes.width), height: Number(rect.attributes.height) });
    }
  });
  return boxes;
}

describe('renderMapSvg on the Jira report', () => {
  const report = jiraReport();
  const svg = renderMapSvg(report);
  const elements = parseXmlElements(svg);

  it('is a well-formed standalone SVG with an accessible name', () => {
    expect(elements[0].name).toBe('svg');
    expect(elements[0].attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(elements[0].attributes.role).toBe('img');
    expect(elements.find((element) => element.name === 'title')?.text).toBe('Current-state value stream map: jira_issues_changelog');
  });

  it('draws one box per step in map order with owner, active, queue and visits', () => {
    const stepGroups = elements.filter((element) => element.name === 'g' && (element.attributes.class ?? '').startsWith('vsm-step'));
    expect(stepGroups.map((group) => group.attributes['data-step-index'])).toEqual(['0', '1', '2', '3', '4', '5']);
    const texts = elements.filter((element) => element.name === 'text').map((element) => element.text);
    // Backlog: queue median 430,677,898 ms = 4.98 d → "5 d"; 31 visits, 6 cases re-enter (from the report).
    expect(texts).toContain('Backlog');
    expect(texts).toContain('queue 5 d');
    expect(texts).toContain('n 31 visits · ↺ 6');
    expect(texts).toContain('owner unknown');
    // Dev Active: active median 4,737,… ms ≈ 55 d (formatDurationMs rounds days ≥ 10 to whole days).
    expect(texts).toContain('active 55 d');
  });

  it('puts a queue triangle before every box and highlights the biggest delay with answer 1', () => {
    expect(elements.filter((element) => element.name === 'polygon')).toHaveLength(report.steps.length);
    const hot = elements.filter((element) => element.name === 'g' && element.attributes.class === 'vsm-queue vsm-biggest-delay');
    expect(hot).toHaveLength(1);
    const answers = elements.filter((element) => element.name === 'g' && element.attributes.class === 'vsm-answer').map((element) => element.attributes['data-answer']);
    // ① on the Backlog queue, ② on the Backlog → Analysis Active → Backlog arc, ④ on the Backlog box, and ①–④ in the legend; no ③ on the map (no handoff).
    expect(answers.filter((answer) => answer === '1')).toHaveLength(2);
    expect(answers.filter((answer) => answer === '2')).toHaveLength(2);
    expect(answers.filter((answer) => answer === '3')).toHaveLength(1);
    expect(answers.filter((answer) => answer === '4')).toHaveLength(2);
  });

  it('draws the rework loops as arcs with cases and median added time', () => {
    const arcs = elements.filter((element) => element.name === 'g' && element.attributes.class === 'vsm-rework');
    expect(arcs.map((arc) => arc.attributes['data-cases'])).toEqual(['6', '3']);
    // Loop 1: addedMs median 1,557,188,906 ms = 18.02 d → "18 d".
    expect(elements.some((element) => element.name === 'text' && element.text === '↺ 6 cases · +18 d')).toBe(true);
  });

  it('shows the ladder totals: lead time p50, p85 not reached (censored), flow efficiency', () => {
    const texts = elements.filter((element) => element.name === 'text').map((element) => element.text);
    // leadTimeMs.median 1,987,875,848 ms = 23.0 d; pooled flow efficiency 0.7547 → "75 %".
    expect(texts).toContain('lead time 23 d (p50)');
    expect(texts).toContain('p85 not reached · n 25 · 8 open');
    expect(texts).toContain('flow efficiency 75 %');
  });

  it('is deterministic', () => {
    expect(renderMapSvg(jiraReport())).toBe(svg);
  });

  it('shows working days on a business calendar', () => {
    const business = jiraReport();
    business.calendar = { ...business.calendar, kind: 'business', workdayMs: 8 * HOUR_MS };
    const texts = parseXmlElements(renderMapSvg(business)).filter((element) => element.name === 'text').map((element) => element.text);
    // Backlog queue median 430,677,898 ms = 119.6 h = 14.95 working days of 8 h → rounds to "15 wd".
    expect(texts).toContain('queue 15 wd');
  });
});

describe('renderMapSvg layout', () => {
  it.each([3, 12, 40])('lays out %i steps in rows of at most 5 without overlapping boxes', (stepCount) => {
    const svg = renderMapSvg(syntheticReport(stepCount));
    const root = parseXmlElements(svg)[0];
    const [, , width, height] = root.attributes.viewBox.split(' ').map(Number);
    const boxes = boxesOf(svg);
    expect(boxes).toHaveLength(stepCount);
    expect(new Set(boxes.map((box) => box.y)).size).toBe(Math.ceil(stepCount / Math.min(5, stepCount)));
    for (const [index, box] of boxes.entries()) {
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      for (const other of boxes.slice(index + 1)) {
        const apart = box.x + box.width <= other.x || other.x + other.width <= box.x || box.y + box.height <= other.y || other.y + other.height <= box.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('keeps every box line within the box (estimated), shortening with … and a <title> holding the full text', () => {
    const report = syntheticReport(40);
    report.steps[0].name = 'A very long step name that cannot possibly fit into one map box at all';
    const elements = parseXmlElements(renderMapSvg(report));
    const innerWidth = MAP_GEOMETRY.boxWidthPx - 14;
    const boxTexts = elements.filter((element) => element.name === 'text' && element.ancestorClasses.some((name) => name.startsWith('vsm-step')));
    expect(boxTexts.length).toBeGreaterThanOrEqual(40 * 6);
    for (const text of boxTexts) expect(estimateTextWidthPx(text.text, Number(text.attributes['font-size']))).toBeLessThanOrEqual(innerWidth);
    const shortened = elements.find((element) => element.name === 'text' && element.text.startsWith('A very long') && element.text.endsWith('…'));
    expect(shortened).toBeDefined();
    expect(elements.some((element) => element.name === 'title' && element.text === report.steps[0].name)).toBe(true);
  });

  it('marks necessary non-value-adding steps with a dashed hatched box, not hiding them', () => {
    const elements = parseXmlElements(renderMapSvg(syntheticReport(12)));
    const necessary = elements.filter((element) => element.name === 'g' && element.attributes.class === 'vsm-step vsm-necessary');
    expect(necessary).toHaveLength(1); // step index 6 (every 7th)
    expect(elements.filter((element) => element.name === 'rect' && element.attributes['stroke-dasharray'] === '6 3')).toHaveLength(1);
    expect(elements.some((element) => element.name === 'text' && element.text === 'necessary NVA')).toBe(true);
  });

  it('marks a handoff where the owner changes between adjacent boxes', () => {
    // Owners change every second step (Team A, A, B, B, …): 11 of the 12 boundaries → 5 handoffs (1|2, 3|4, … 9|10).
    const elements = parseXmlElements(renderMapSvg(syntheticReport(12)));
    expect(elements.filter((element) => element.name === 'text' && element.text === '⇄ handoff')).toHaveLength(5);
  });

  it('routes rework loops that span rows through lanes right of the grid', () => {
    const elements = parseXmlElements(renderMapSvg(syntheticReport(40)));
    const polylines = elements.filter((element) => element.name === 'polyline' && (element.attributes['marker-end'] ?? '').includes('rework') || (element.attributes['marker-end'] ?? '').includes('hot'));
    const pointCounts = polylines.map((line) => line.attributes.points.split(' ').length);
    // The first 5 loops are drawn: 3→1, 7→7 and 9→8 stay in a row; 12→2 and 39→5 cross rows (20→19 is the 6th, not drawn).
    expect(pointCounts.filter((count) => count === 6)).toHaveLength(2);
    expect(pointCounts.filter((count) => count === 4)).toHaveLength(3);
  });
});

describe('renderMapSvg with hostile names', () => {
  const svg = renderMapSvg(hostileReport());

  it('stays well-formed and contains no active content', () => {
    const elements = parseXmlElements(svg);
    expect(findActiveContent(elements)).toEqual([]);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('\u202E');
  });

  it('shows the names as text', () => {
    const elements = parseXmlElements(svg);
    expect(elements.some((element) => element.name === 'title' && element.text.startsWith('<script>alert(1)</script>'))).toBe(true);
  });
});
