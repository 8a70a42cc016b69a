/** Shared set-up for the headless-Chromium tests: one launch recipe and one set of page guards. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium) console.warn(`SKIPPED: browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);

/** Headless, sandbox-free (containers) and with every background fetch off, so any request a page makes is its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface GuardedPage {
  page: Page;
  /** Console errors and warnings, page errors and CSP violations. */
  problems: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a local file with every problem recorded, and waits until each chart has drawn or reported its error. */
export async function openGuarded(browser: Browser, filePath: string): Promise<GuardedPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const opened: GuardedPage = { page, problems: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') opened.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => opened.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // Reported as console errors, so a blocked eval or fetch fails the test like any other error.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (event) => console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));",
  });
  await page.goto(pathToFileURL(filePath).href);
  await page.waitForFunction(
    "document.querySelectorAll('.chart-view').length === document.querySelectorAll('.chart-view[data-rendered], .chart-view[data-error]').length",
    null,
    { timeout: 30_000 },
  );
  return opened;
}

/** Requests that left the machine (anything but file:, data: and about: URLs). */
export function offlineProblems(requests: readonly string[]): string[] {
  return requests.filter((url) => !/^(file|data|about):/.test(url));
}
