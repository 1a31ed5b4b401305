/**
 * The web UI of `trefoil serve`, in headless Chromium against a real server (127.0.0.1, ephemeral
 * port, runs in child processes): the graph list, running a graph from its form, the live run
 * view, a failed run, the run history, keyboard use and the layout at 1280×800 and 400×800.
 * Screenshots go to test/artifacts/ui-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, TestProject, type TestServer } from '../server/server-harness.ts';
import { edgeCount, expectNoPageErrors, horizontalOverflow, launchChromium, openPage, screenshot } from './browser-harness.ts';

// Browser globals used inside page.evaluate (types only: the tsconfig has no DOM library).
declare const document: { activeElement: { id: string; matches(selector: string): boolean } | null };
declare function getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string };

const TOKEN = 'ui-test-token-0815';

/** Paced so a run lasts a few seconds: the generator pauses 20 ms every 20,000 records. */
const SLOW_GRAPH = `graph: slow
description: Numbers through a Reformat, slowly enough to watch.
parameters:
  RECORDS: { default: 1000, type: integer, description: How many numbers to generate }
  LABEL: { required: true, description: Written into every record }
  API_KEY: { secure: true, default: hidden-default }
metadata:
  N: { fields: { n: long, label: string } }
components:
  numbers:
    type: DataGenerator
    records: \${RECORDS}
    generate: |
      if (index % 20000 === 0) { const until = Date.now() + 20; while (Date.now() < until) {} }
      $out[0].n = index;
      $out[0].label = params.LABEL;
  double: { type: Reformat, transform: "$out[0].n = $in[0].n * 2; $out[0].label = $in[0].label;" }
  done: { type: Trash }
  summary: { type: DataGenerator, phase: 1, records: 1, generate: "$out[0].n = 0; $out[0].label = 'summary';" }
  summaryDone: { type: Trash, phase: 1 }
edges:
  - { from: numbers, to: double, metadata: N }
  - { from: double, to: done, metadata: N }
  - { from: summary, to: summaryDone, metadata: N }
`;

const FAILING_GRAPH = `graph: failing
description: Fails at the fifth record.
metadata:
  N: { fields: { n: long } }
components:
  numbers: { type: DataGenerator, records: 10, generate: "$out[0].n = index + 1;" }
  check:
    type: Reformat
    transform: |
      if ($in[0].n === 5) throw new Error('amount 5 is not allowed');
      $out[0].n = $in[0].n;
  done: { type: Trash }
edges:
  - { from: numbers, to: check, metadata: N }
  - { from: check, to: done, metadata: N }
`;

const BROKEN_GRAPH = `graph: broken
description: Names a component type that does not exist.
components:
  mystery: { type: NoSuchComponent }
`;

const project = new TestProject();
let server: TestServer;
let browser: Browser | undefined;
/** Why Chromium could not start; every test then fails with it (never skips). */
let launchProblem: unknown;

/** The browser, or the reason there is none (e.g. Chromium is not installed). */
function chromiumBrowser(): Browser {
  if (browser === undefined) throw launchProblem;
  return browser;
}
/** Runs the tests start, for the later tests. */
const runs: { slow?: string; failing?: string } = {};

beforeAll(async () => {
  project.write('graphs/slow.yaml', SLOW_GRAPH);
  project.write('graphs/failing.yaml', FAILING_GRAPH);
  project.write('graphs/broken.yaml', BROKEN_GRAPH);
  browser = await launchChromium().catch((error: unknown) => {
    launchProblem = error;
    return undefined;
  });
  server = await startServer(project, 'server: { port: 0, dataDir: data, maxConcurrentRuns: 2, token: { env: UI_TEST_TOKEN } }', {
    environment: { ...process.env, UI_TEST_TOKEN: TOKEN },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  project.cleanup();
});

/** Opens a hash route and waits until the page has loaded its data. */
async function visit(page: Page, hash: string): Promise<void> {
  await page.goto(`${server.url}/${hash}`);
  await page.locator('main h1').waitFor();
  await page.locator('main:not([aria-busy])').waitFor();
}

async function runIdOf(page: Page): Promise<string> {
  await page.waitForURL(/#\/runs\/[^/?]+$/);
  return decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
}

describe('web UI', { timeout: 90_000 }, () => {
  it('lists the project graphs with their pictures, validity and descriptions', async () => {
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    await visit(page, '');
    await expect.poll(() => page.locator('.graph-card').count()).toBe(3);

    const slow = page.locator('[data-graph-path="graphs/slow.yaml"]');
    await slow.locator('svg[data-graph-id="slow"]').waitFor();
    expect(await slow.locator('h2').textContent()).toBe('slow');
    expect(await slow.textContent()).toContain('Numbers through a Reformat, slowly enough to watch.');
    expect(await slow.locator('[data-valid]').textContent()).toContain('valid');
    // Drawn as valid although LABEL is required and has no default (the picture needs no values).
    expect(await slow.locator('svg').getAttribute('aria-label')).toBe('Graph slow: Numbers through a Reformat, slowly enough to watch.');
    // The picture is inlined: its components and phase bands are in the page.
    expect(await slow.locator('svg [data-node-id]').count()).toBe(5);
    expect(await slow.locator('svg [data-phase-band]').count()).toBe(2);

    const broken = page.locator('[data-graph-path="graphs/broken.yaml"]');
    expect(await broken.locator('[data-valid]').textContent()).toContain('invalid');
    expect(await broken.textContent()).toContain('NoSuchComponent');
    await page.locator('[data-graph-path="graphs/failing.yaml"] svg[data-graph-id="failing"]').waitFor();
    await broken.locator('svg').waitFor();

    expect((await horizontalOverflow(page)).document).toBe(0);
    await screenshot(page, 'ui-graph-list.png');
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('runs a graph from its form and shows the edge counts growing live, then the final counts', async () => {
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    await visit(page, '#/graphs/graphs%2Fslow.yaml');
    await page.locator('.picture svg[data-graph-id="slow"]').waitFor();

    // The form follows the declarations: default shown, required marked, secure as a password.
    const records = page.getByLabel('RECORDS');
    expect(await records.inputValue()).toBe('1000');
    expect(await records.getAttribute('type')).toBe('number');
    expect(await page.locator('[data-parameter="RECORDS"]').textContent()).toContain('Default: 1000');
    expect(await page.locator('label[for="parameter-LABEL"]').textContent()).toContain('(required)');
    expect(await page.getByLabel('LABEL').getAttribute('required')).not.toBeNull();
    expect(await page.getByLabel('API_KEY').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('API_KEY').inputValue()).toBe('');
    expect(await page.locator('#api-token-hint').textContent()).toContain('server: { token: { env: TREFOIL_SERVER_TOKEN } }');

    await screenshot(page, 'ui-graph-page.png');
    await records.fill('2000000');
    await page.getByLabel('LABEL').fill('from the browser');
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Run' }).click();
    const runId = await runIdOf(page);
    runs.slow = runId;

    // Live: the count on the first edge grows while the run is RUNNING, phase 0 is current.
    const firstEdge = 'numbers:0->double:0';
    await page.locator('.picture svg [data-edge-id] tspan[data-role="records"]').first().waitFor();
    await page.locator('[data-run-status="RUNNING"]').waitFor();
    await expect.poll(() => edgeCount(page, firstEdge), { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    const first = await edgeCount(page, firstEdge);
    await expect.poll(() => edgeCount(page, firstEdge), { timeout: 30_000, interval: 50 }).toBeGreaterThan(first);
    const second = await edgeCount(page, firstEdge);
    expect(second).toBeLessThan(2_000_000);
    expect(await page.locator('main').getAttribute('data-run-state')).toBe('live');
    expect(await page.locator('[data-run-status]').textContent()).toContain('RUNNING');
    expect(await page.locator('.picture [data-phase-band="0"]').getAttribute('data-current')).not.toBeNull();
    expect(await page.locator('.picture [data-phase-band="0"] > text').textContent()).toContain('running');
    expect(await page.locator('.picture [data-node-id="numbers"]').getAttribute('data-status')).toBe('RUNNING');
    expect(await page.locator('.picture [data-node-id="numbers"] [data-role="status"]').textContent()).toBe('RUNNING');
    expect(await page.locator('.phase-line').textContent()).toContain('Phase 0 is running');
    expect(await page.locator('.tracking-table tr[data-component="numbers"]').textContent()).toContain('RUNNING');
    await screenshot(page, 'ui-live-run.png');

    // The end: final status, and the picture's counts are the tracking API's.
    await page.locator('main[data-run-state="ended"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-run-status]').textContent()).toContain('FINISHED_OK');
    const tracking = (await server.api('GET', `/api/runs/${runId}/tracking`)).body.tracking;
    expect(tracking.status).toBe('FINISHED_OK');
    expect(tracking.edges).toHaveLength(3);
    for (const edge of tracking.edges) {
      expect(await edgeCount(page, edge.id)).toBe(edge.records);
      expect(await page.locator(`.picture [data-edge-id="${edge.id}"]`).getAttribute('data-records')).toBe(String(edge.records));
    }
    expect(await edgeCount(page, firstEdge)).toBe(2_000_000);
    for (const id of ['numbers', 'double', 'done', 'summary', 'summaryDone']) {
      expect(await page.locator(`.picture [data-node-id="${id}"]`).getAttribute('data-status')).toBe('FINISHED_OK');
      expect(await page.locator(`.picture [data-node-id="${id}"] [data-role="status"]`).textContent()).toMatch(/^FINISHED_OK · /);
    }
    expect(await page.locator('.tracking-table tr[data-component="double"]').textContent()).toContain('2,000,000');
    // The form sent only what was changed; the history shows the parameters.
    const run = (await server.api('GET', `/api/runs/${runId}`)).body;
    expect(run.parameters).toEqual({ RECORDS: 2_000_000, LABEL: 'from the browser' });
    expect(run.trigger.kind).toBe('api');
    const parameterRows = page.locator('section[aria-labelledby="parameters-heading"] tbody tr');
    expect(await parameterRows.count()).toBe(2);
    expect(await parameterRows.allTextContents()).toEqual(expect.arrayContaining(['RECORDS2000000', 'LABELfrom the browser']));
    await screenshot(page, 'ui-finished-run.png');

    // The token was asked for once: this tab keeps it.
    await visit(page, '#/graphs/graphs%2Fslow.yaml');
    await page.getByRole('button', { name: 'Run' }).waitFor();
    expect(await page.locator('#api-token').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Forget token' }).count()).toBe(1);
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('is keyboard-operable: Tab reaches the token field and the Run button (visibly focused), Enter runs', async () => {
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    await visit(page, '#/graphs/graphs%2Ffailing.yaml');
    await page.getByRole('button', { name: 'Run' }).waitFor();

    /** Presses Tab until the element matching `selector` has focus; returns how many presses it took. */
    const tabTo = async (selector: string): Promise<number> => {
      for (let presses = 1; presses <= 60; presses++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return presses;
      }
      throw new Error(`Tab never reached ${selector}`);
    };

    // A wrong token first: the run is refused, the page says so and asks again.
    await tabTo('#api-token');
    await page.keyboard.type('not-the-token');
    await tabTo('#run-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.form-message').textContent()).toContain('refused the token');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-token');
    expect(server.server.history.list({ graph: `${project.dir}/graphs/failing.yaml` }).total).toBe(0);

    await page.keyboard.type(TOKEN);
    await tabTo('#run-button');
    const focusRing = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
    });
    expect(focusRing.style).not.toBe('none');
    expect(focusRing.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    runs.failing = await runIdOf(page);
    await page.locator('main[data-run-state="ended"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-run-status]').textContent()).toContain('ERROR');
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('opens a failed run from the history and marks the failing component with its message', async () => {
    expect(runs.failing).toBeDefined();
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    await visit(page, '#/runs');
    await page.getByLabel('Status').selectOption('ERROR');
    await page.getByRole('button', { name: 'Show runs' }).click();
    await page.waitForURL(/status=ERROR/);
    await page.locator('main:not([aria-busy]) .run-table').waitFor();
    const rows = page.locator('.run-table tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-run-id')).toBe(runs.failing);
    await rows.first().getByRole('link', { name: `Run ${runs.failing}` }).click();
    await page.locator('main[data-run-state="ended"]').waitFor();
    await page.locator('.picture svg[data-graph-id="failing"]').waitFor();

    const node = page.locator('.picture [data-node-id="check"]');
    expect(await node.getAttribute('data-failed')).toBe('true');
    expect(await node.getAttribute('data-status')).toBe('ERROR');
    expect(await node.locator('[data-role="marker"]').textContent()).toBe('✖');
    // The card shows the start of the message; its tooltip has all of it.
    expect(await node.locator('[data-role="problem"]').textContent()).toMatch(/^✖ check \(Reformat\) failed/);
    expect(await node.locator(':scope > title').textContent()).toContain('amount 5 is not allowed');
    for (const other of ['numbers', 'done']) expect(await page.locator(`.picture [data-node-id="${other}"]`).getAttribute('data-failed')).toBeNull();

    const note = page.getByRole('alert').filter({ hasText: 'The run failed' });
    expect(await note.isVisible()).toBe(true);
    expect(await note.locator('[data-failing-component]').textContent()).toBe('check');
    expect(await note.textContent()).toContain('(Reformat)');
    expect(await note.textContent()).toContain('amount 5 is not allowed');
    expect(await page.locator('.tracking-table tr[data-component="check"]').textContent()).toContain('ERROR');
    await screenshot(page, 'ui-failed-run.png');
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('aborts a live run from its page', async () => {
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    const started = await server.api('POST', '/api/runs', { token: TOKEN, body: { graph: 'graphs/slow.yaml', parameters: { RECORDS: 100_000_000, LABEL: 'to abort' } } });
    expect(started.status).toBe(202);
    await visit(page, `#/runs/${started.body.runId}`);
    await page.locator('[data-run-status="RUNNING"]').waitFor();
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Abort run' }).click();
    await page.locator('main[data-run-state="ended"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-run-status]').textContent()).toContain('ABORTED');
    expect(await page.getByRole('alert').filter({ hasText: 'The run was aborted' }).isVisible()).toBe(true);
    expect((await server.api('GET', `/api/runs/${started.body.runId}`)).body.status).toBe('ABORTED');
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('lists the run history with status words, graph, trigger, start and duration, filtered by graph', async () => {
    expect(runs.slow).toBeDefined();
    const watched = await openPage(chromiumBrowser());
    const { page } = watched;
    await visit(page, '#/runs');
    const rows = page.locator('.run-table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const headers = await page.locator('.run-table thead th').allTextContents();
    expect(headers).toEqual(['Run', 'Status', 'Graph', 'Trigger', 'Started', 'Duration']);
    const slowRow = page.locator(`.run-table tr[data-run-id="${runs.slow}"]`);
    expect(await slowRow.textContent()).toContain('FINISHED_OK');
    expect(await slowRow.textContent()).toContain('graphs/slow.yaml');
    expect(await slowRow.textContent()).toContain('api');
    expect(await slowRow.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.locator(`.run-table tr[data-run-id="${runs.failing}"]`).textContent()).toContain('ERROR');

    await page.locator('#filter-graph option[value="graphs/slow.yaml"]').waitFor({ state: 'attached' });
    await page.getByLabel('Graph').selectOption('graphs/slow.yaml');
    await page.getByRole('button', { name: 'Show runs' }).click();
    await page.waitForURL(/graph=graphs%2Fslow.yaml/);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining('ABORTED'), expect.stringContaining('FINISHED_OK')]);
    await screenshot(page, 'ui-run-history.png');
    expectNoPageErrors(watched);
    await page.context().close();
  });

  it('fits 1280×800 and 400×800 windows without horizontal overflow on every page', async () => {
    expect(runs.slow).toBeDefined();
    expect(runs.failing).toBeDefined();
    const pages = ['', '#/graphs/graphs%2Fslow.yaml', '#/runs', `#/runs/${runs.slow}`, `#/runs/${runs.failing}`];
    for (const size of [{ width: 1280, height: 800 }, { width: 400, height: 800 }]) {
      const watched = await openPage(chromiumBrowser(), size);
      const { page } = watched;
      for (const hash of pages) {
        await visit(page, hash);
        if (hash.startsWith('#/runs/')) await page.locator('.picture svg').waitFor();
        const overflow = await horizontalOverflow(page);
        expect({ hash, ...overflow }).toEqual({ hash, document: 0, main: 0, viewport: size.width });
        const heading = await page.locator('main h1').boundingBox();
        expect(heading!.x + heading!.width).toBeLessThanOrEqual(size.width);
        // The navigation stays reachable and visible.
        expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).isVisible()).toBe(true);
      }
      if (size.width === 400) {
        await visit(page, `#/runs/${runs.failing}`);
        await page.locator('.picture svg').waitFor();
        await screenshot(page, 'ui-narrow-failed-run.png');
      }
      expectNoPageErrors(watched);
      await page.context().close();
    }
  });
});
