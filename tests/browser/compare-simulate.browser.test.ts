import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, offlineProblems as offline, openGuarded, type GuardedPage } from './chromium.js';
import { writeCompareAndSimulate } from './compare-simulate-fixtures.js';

const OUTPUT_DIR = resolve('tests/output/browser/synthetic');

describe.skipIf(!hasChromium)('compare.html and simulate.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await writeCompareAndSimulate(OUTPUT_DIR);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  function open(relativePath: string): Promise<GuardedPage> {
    return openGuarded(browser, join(OUTPUT_DIR, relativePath));
  }

  async function chartMarks(page: Page): Promise<Array<{ id: string; marks: number; area: number; error: boolean }>> {
    return page.$$eval('.chart-view', (views) =>
      views.map((view) => {
        const box = view.querySelector('svg, canvas')?.getBoundingClientRect();
        return { id: view.id, marks: view.querySelectorAll('svg path, svg text, svg line').length, area: (box?.width ?? 0) * (box?.height ?? 0), error: view.hasAttribute('data-error') };
      }),
    );
  }

  it('compare.html: clean, offline, statements first, the XmR trend drawn', async () => {
    const { page, problems, requests } = await open('compare/compare.html');
    expect(problems).toEqual([]);
    expect(offline(requests)).toEqual([]);
    const charts = await chartMarks(page);
    expect(charts.map((chart) => chart.id)).toEqual(['chart-compare-trend']);
    expect(charts[0].error).toBe(false);
    expect(charts[0].marks).toBeGreaterThan(20);
    expect(charts[0].area).toBeGreaterThan(400 * 200);
    await expect.poll(() => page.locator('#statements p.verdict').isVisible()).toBe(true);
    // One line per compared metric; the synthetic quarters come from one process, so nothing is significant.
    expect(await page.locator('#statements li').count()).toBe(17);
    expect(await page.locator('#statements p.verdict').innerText()).toMatch(/^No significant change: none of the 17 tested metrics/);
    expect(await page.locator('#statements li.significant').count()).toBe(0);
    // Statements come before the table and the chart.
    const order = await page.$$eval('main section', (sections) => sections.map((section) => section.id));
    expect(order.slice(0, 3)).toEqual(['statements', 'metrics', 'charts']);
    expect(await page.locator('#metrics tbody tr').count()).toBeGreaterThan(5);
    await page.screenshot({ path: join('tests/output', 'compare-synthetic.png'), fullPage: true });
    await page.close();
  });

  it('simulate.html: clean, offline, statement, workload chart, both maps with the changed step marked', async () => {
    const { page, problems, requests } = await open('simulate/simulate.html');
    expect(problems).toEqual([]);
    expect(offline(requests)).toEqual([]);
    const charts = await chartMarks(page);
    expect(charts.map((chart) => chart.id)).toEqual(['chart-workload-shift']);
    expect(charts[0].error).toBe(false);
    expect(charts[0].marks).toBeGreaterThan(10);
    expect((await page.locator('#statement p.verdict').first().innerText()).length).toBeGreaterThan(20);
    // Merging Review into Fix moves QA's work onto Dev: flagged in red.
    await expect.poll(() => page.locator('strong.warn', { hasText: 'Moves the bottleneck' }).isVisible()).toBe(true);
    expect(await page.locator('#current-map svg .vsm-step').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('#future-map svg .vsm-step').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#current-map svg .vsm-changed').count()).toBe(0);
    expect(await page.locator('#future-map svg .vsm-changed').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#future-map svg title').first().textContent()).toContain('Future-state');
    await page.locator('#future-map').screenshot({ path: join('tests/output', 'simulate-future-map.png') });
    await page.screenshot({ path: join('tests/output', 'simulate-synthetic.png'), fullPage: true });
    await page.close();
  });

  it('report.html from the synthetic log: the lead-time histogram and the ladder total active', async () => {
    const { page, problems } = await open('report/report.html');
    expect(problems).toEqual([]);
    const legend = await page.locator('#chart-lead-time svg').textContent();
    expect(legend).toContain('open (censored): still running, counted at their age so far');
    expect(legend).toMatch(/p50 \S/);
    expect(await page.locator('figure.map svg .vsm-summary').textContent()).toMatch(/active \S+.*\(p50 per case\)/);
    await page.locator('#figure-lead-time').screenshot({ path: join('tests/output', 'lead-time-histogram.png') });
    await page.screenshot({ path: join('tests/output', 'report-synthetic.png'), fullPage: true });
    await page.close();
  });
});
