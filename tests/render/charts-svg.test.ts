import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../src/render/charts-svg.js';
import { buildCharts, isChart } from '../../src/render/specs/index.js';
import { hostileReport, jiraReport } from './render-fixtures.js';
import { findActiveContent, parseXmlElements } from './svg-parse.js';

describe('renderChartSvg', () => {
  it('renders every Jira chart to a well-formed SVG with an accessible name, twice identically', async () => {
    for (const chart of buildCharts(jiraReport()).filter(isChart)) {
      const svg = await renderChartSvg(chart);
      const elements = parseXmlElements(svg);
      expect(elements[0].name).toBe('svg');
      expect(elements[0].attributes['aria-label']).toBeTruthy();
      expect(elements.filter((element) => element.name === 'path' || element.name === 'text').length).toBeGreaterThan(5);
      expect(await renderChartSvg(chart)).toBe(svg);
    }
  });

  it('keeps hostile names as text in every chart', async () => {
    for (const chart of buildCharts(hostileReport()).filter(isChart)) {
      const svg = await renderChartSvg(chart);
      const elements = parseXmlElements(svg);
      expect(findActiveContent(elements)).toEqual([]);
      expect(svg).not.toMatch(/<script|<img/i);
    }
  });
});
