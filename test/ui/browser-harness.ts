/**
 * Web UI tests' helpers: headless Chromium (Debian's `chromium` package, driven by
 * playwright-core), a TrefoilServer serving the real UI from engine/server/ui, screenshots under
 * test/artifacts/, and layout probes.
 *
 * Chromium is required, not optional: without it the tests fail and say how to install it
 * (.ci/run installs it in CI).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

// Code inside page.evaluate runs in the browser. The project's tsconfig has no DOM library, so
// the few browser globals used there are declared here (types only; nothing is emitted).
declare const document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(selector: string): { scrollWidth: number; clientWidth: number } | null };
declare const window: { innerWidth: number };

/** Where Chromium is looked for; `TREFOIL_CHROMIUM` may point elsewhere. */
export const CHROMIUM_PATH = process.env.TREFOIL_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots land here (gitignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../artifacts');

/**
 * Launches headless Chromium with a fresh profile, no network services of its own.
 * @throws Error naming the install command when Chromium is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}; the web UI tests need it. Install it with ` +
        '`apt-get update && apt-get install -y --no-install-recommends chromium` (as .ci/run does), ' +
        'or set TREFOIL_CHROMIUM to a Chromium executable.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records uncaught errors and console errors, for {@link expectNoPageErrors}. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens a page at a viewport size in its own context (own sessionStorage), watching for errors. */
export async function openPage(browser: Browser, size: { width: number; height: number } = { width: 1280, height: 800 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: size });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused API call (e.g. a wrong token, on purpose) is logged by the browser as a failed load.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console error: ${message.text()}`);
  });
  return { page, errors };
}

export function expectNoPageErrors(watched: WatchedPage): void {
  expect(watched.errors).toEqual([]);
}

/** Saves a full-page screenshot as test/artifacts/<name>. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** How far the document and `<main>` are wider than the window (0 = no horizontal overflow). */
export async function horizontalOverflow(page: Page): Promise<{ document: number; main: number; viewport: number }> {
  return page.evaluate(() => {
    const main = document.querySelector('main')!;
    return {
      document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      main: main.scrollWidth - main.clientWidth,
      viewport: window.innerWidth,
    };
  });
}

/** The record count an edge's label shows on the page's picture (the `<tspan data-role="records">`). */
export async function edgeCount(page: Page, edgeId: string): Promise<number> {
  const text = await page.locator(`.picture [data-edge-id="${edgeId}"] tspan[data-role="records"]`).textContent();
  if (text === null || !/^[\d,]+$/.test(text)) throw new Error(`edge ${edgeId} shows no record count (${JSON.stringify(text)})`);
  return Number(text.replaceAll(',', ''));
}
