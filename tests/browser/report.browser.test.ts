import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../src/ingest/read-log.js';
import { writeReport } from '../../src/render/write-report.js';
import { analyzeLog } from '../../src/vsm/analyze.js';
import { hostileReport, jiraReport } from '../render/render-fixtures.js';
import { hasChromium, launchChromium, offlineProblems, openGuarded, type GuardedPage } from './chromium.js';

const OUTPUT_DIR = resolve('tests/output/browser');
const DEMO_LOG = 'fixtures/demo/helpdesk.csv.gz';

describe.skipIf(!hasChromium)('report.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT_DIR, { recursive: true });
    // The demo report comes from the real pipeline, as `vsm analyze fixtures/demo/helpdesk.csv.gz` makes it.
    const read = await readLog(DEMO_LOG);
    const input = { file: 'helpdesk.csv.gz', bytes: statSync(DEMO_LOG).size, sha256: createHash('sha256').update(readFileSync(DEMO_LOG)).digest('hex') };
    const { report } = analyzeLog(read.log, read.report, { logName: 'helpdesk', seed: 42, input, provenanceOptions: { calendar: '24x7', seed: 42 } });
    await writeReport(report, join(OUTPUT_DIR, 'demo'), { html: true, ingest: read.report });
    await writeReport(jiraReport(), join(OUTPUT_DIR, 'jira'), { html: true });
    await writeReport(hostileReport(), join(OUTPUT_DIR, 'hostile'), { html: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  function openReport(name: string): Promise<GuardedPage> {
    return openGuarded(browser, join(OUTPUT_DIR, name, 'report.html'));
  }

  async function chartSizes(page: Page): Promise<Array<{ id: string; marks: number; width: number; height: number; error: boolean }>> {
    return page.$$eval('.chart-view', (views) =>
      views.map((view) => {
        const drawing = view.querySelector('svg, canvas');
        const box = drawing?.getBoundingClientRect();
        return { id: view.id, marks: view.querySelectorAll('svg path, svg text, svg rect, svg line').length, width: box?.width ?? 0, height: box?.height ?? 0, error: view.hasAttribute('data-error') };
      }),
    );
  }

  it('demo report: no error, no network, every chart drawn, the four answers visible', async () => {
    const { page, problems, requests, dialogs } = await openReport('demo');
    expect(problems).toEqual([]);
    expect(offlineProblems(requests)).toEqual([]);
    expect(dialogs).toEqual([]);
    const charts = await chartSizes(page);
    expect(charts.length).toBeGreaterThanOrEqual(7);
    // Issue 12: the single-timestamp demo gets estimated starts and the waiting-time-by-cause chart.
    expect(charts.map((chart) => chart.id)).toContain('chart-wait-causes');
    for (const chart of charts) {
      expect(chart.error, chart.id).toBe(false);
      expect(chart.marks, chart.id).toBeGreaterThan(10);
      expect(chart.width * chart.height, chart.id).toBeGreaterThan(200 * 100);
    }
    const answers = page.locator('li.answer');
    expect(await answers.count()).toBe(4);
    for (let index = 0; index < 4; index += 1) {
      await expect.poll(() => answers.nth(index).isVisible()).toBe(true);
      expect((await answers.nth(index).locator('.statement').innerText()).length).toBeGreaterThan(20);
    }
    expect(await page.locator('figure.map svg .vsm-step').count()).toBeGreaterThanOrEqual(10);
    // The lead-time histogram (closed vs open cases, labelled percentiles) and the ladder's totals, close up.
    expect(await page.locator('#chart-lead-time svg').textContent()).toContain('open (censored): still running, counted at their age so far');
    await page.locator('#figure-lead-time').screenshot({ path: join('tests/output', 'report-demo-lead-time.png') });
    await page.locator('figure.map').screenshot({ path: join('tests/output', 'report-demo-map.png') });
    await page.screenshot({ path: join('tests/output', 'report-demo.png'), fullPage: true });
    await page.close();
  });

  it('demo report: the step table sorts by clicking a header (numbers numerically)', async () => {
    const { page } = await openReport('demo');
    const header = page.locator('#steps th button', { hasText: 'Visits' });
    await header.click();
    await header.click(); // second click: descending
    expect(await page.locator('#steps th', { hasText: 'Visits' }).getAttribute('aria-sort')).toBe('descending');
    const visits = await page.$$eval('#steps tbody tr', (rows) => rows.map((row) => Number(row.querySelectorAll('td')[6].getAttribute('data-sort'))));
    expect(visits).toEqual([...visits].sort((a, b) => b - a));
    expect(visits[0]).toBeGreaterThan(visits[visits.length - 1]);
    await page.close();
  });

  it('Jira report: clean, offline, charts drawn; the threshold slider filters the process map', async () => {
    const { page, problems, requests } = await openReport('jira');
    expect(problems).toEqual([]);
    expect(offlineProblems(requests)).toEqual([]);
    for (const chart of await chartSizes(page)) expect(chart.marks, chart.id).toBeGreaterThan(10);
    const barsBefore = await page.locator('#chart-process-map svg .mark-rect path').count();
    const slider = page.locator('#chart-process-map input[type=range]');
    await slider.fill('5');
    await expect.poll(() => page.locator('#chart-process-map svg .mark-rect path').count()).toBeLessThan(barsBefore);
    await page.screenshot({ path: join('tests/output', 'report-jira.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join('tests/output', 'report-jira-print.png'), fullPage: true });
    await page.close();
  });

  it('hostile names: nothing executes, nothing is injected, names show as text', async () => {
    const { page, problems, requests, dialogs } = await openReport('hostile');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(offlineProblems(requests)).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(5);
    const handlers = await page.$$eval('*', (elements) => elements.flatMap((element) => element.getAttributeNames().filter((name: string) => name.startsWith('on')).map((name: string) => `${element.tagName}@${name}`)));
    expect(handlers).toEqual([]);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await page.locator('h1 .data').innerText()).toBe('<img src=x onerror=alert(3)>');
    // Hovering chart marks shows Vega tooltips built from hostile names: they must stay text too.
    const marks = page.locator('#chart-step-time svg .mark-rect path');
    for (let index = 0; index < Math.min(3, await marks.count()); index += 1) await marks.nth(index).hover({ force: true });
    await page.locator('#chart-aging svg .mark-symbol path').first().hover({ force: true });
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join('tests/output', 'report-hostile.png'), fullPage: true });
    await page.close();
  });
});
