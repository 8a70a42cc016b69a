// Screenshot a page (or an SVG) with Debian's Chromium: node scripts/screenshot.mjs <file> <out.png> [width] [clipHeight]
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
const [, , file, out, width = '1400', clipHeight = '0'] = process.argv;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: 1000 } });
await page.goto(`file://${resolve(file)}`);
await page.waitForTimeout(1000);
const height = Number(clipHeight);
await page.screenshot({ path: out, timeout: 120_000, ...(height > 0 ? { clip: { x: 0, y: 0, width: Number(width), height } } : { fullPage: true }) });
await browser.close();
