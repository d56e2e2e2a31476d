// report.html in a real browser: Debian's Chromium driven by playwright-core, offline, with a new empty profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { cli, fixture, removeTempDirs, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The part of the browser's HTMLCanvasElement the test reads (the project compiles without DOM types). */
interface PageCanvas {
  id: string;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** The part of a Chart.js chart the test reads in the page. */
interface PageChart {
  canvas: { id: string };
  options: {
    plugins: { title: { text: string } };
    scales: { x: { title: { text: string } }; y: { title: { text: string }; type: string } };
  };
  data: { datasets: { label: string }[] };
}

let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const out = join(dir, 'report');
  const run = await cli([fixture('smoke.json'), fixture('mixed-http.json'), '--out-dir', out, '--format', 'html', '--bucket', '1s']);
  expect(run.exitCode).not.toBe(2);
  // launchPersistentContext is how playwright takes a --user-data-dir: a new, empty one per run.
  context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
});

afterAll(async () => {
  await context?.close();
  removeTempDirs();
});

describe('report.html in Chromium', () => {
  it('loads with no console errors and no request beyond the file itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  it('opens with the answer at 1400x900: the verdict, and without server metrics how to get the bottleneck, above the fold', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await expect(page.locator('#verdict .verdict-badge').textContent()).resolves.toBe('FAIL');
    await expect(page.locator('#verdict-headline').textContent()).resolves.toBe('SLO missed');
    await expect(page.locator('#bottleneck-name').textContent()).resolves.toBe('not known without server metrics');
    await expect(page.locator('#bottleneck-action').textContent()).resolves.toMatch(/--server-metrics URL .* or --cloudwatch --infra-env FILE/);
    for (const selector of ['#verdict-headline', '#bottleneck-name', '#bottleneck-action', '#verdict .figures']) {
      const box = await page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.y + box!.height, selector).toBeLessThanOrEqual(900);
    }
    // The findings, each with what to do, follow the overview chart.
    const seen = await page.locator('#findings ol.findings li .seen').allTextContents();
    const todo = await page.locator('#findings ol.findings li .do').allTextContents();
    expect(seen[0]).toMatch(/^records: 1 operation over budget on errors, worst GetRecord \(errors [\d.]+% > 1\.00%\)$/);
    expect(todo[0]).toMatch(/^read the status codes/);
    expect(seen.some((f) => /checks failed/.test(f))).toBe(true);
    expect(todo).toHaveLength(seen.length);
  });

  it('shows the operations table whole, with a row per operation of both runs, sorted by a click on a header', async () => {
    const rows = await page.locator('#operations tbody tr').count();
    expect(rows).toBe(27);
    await expect(page.locator('#operations tbody tr', { hasText: 'GetRecord' }).locator('td.fail').count()).resolves.toBe(1);
    const counts = async (): Promise<number[]> =>
      (await page.locator('#operations tbody tr td:nth-child(2)').allTextContents()).map((c) => Number(c.replace(/,/g, '')));
    await page.locator('#operations th', { hasText: /^Count$/ }).click();
    const descending = await counts();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(descending[0]).toBeGreaterThan(descending[descending.length - 1]!);
    await page.locator('#operations th', { hasText: /^Count$/ }).click();
    const ascending = await counts();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  });

  it('lists failed thresholds and checks in the open and folds the passing ones, counted', async () => {
    const open = await page.locator('#thresholds > .table-wrap td:last-child').allTextContents();
    expect(open.length).toBeGreaterThan(0);
    for (const result of open) expect(result).toBe('FAIL');
    const folded = page.locator('#thresholds details');
    await expect(folded.locator('summary').allTextContents()).resolves.toContainEqual(expect.stringMatching(/^\d+ check\(s\) passed every time$/));
    await expect(folded.first().evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(false);
  });

  it('has the other sections: SLO, thresholds and checks, cost, load generators', async () => {
    for (const id of ['slo', 'thresholds', 'cost', 'instances']) await expect(page.locator(`section#${id} h2`).count()).resolves.toBe(1);
    await expect(page.locator('#instances tbody tr').count()).resolves.toBe(2);
  });

  it('draws every chart on its canvas', async () => {
    const canvases = await page.locator('canvas').evaluateAll((elements) =>
      elements.map((element) => {
        const canvas = element as unknown as PageCanvas;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return { id: canvas.id, width: canvas.width, painted: painted / (data.length / 4) };
      }),
    );
    const classes = ['records', 'blobs', 'atomic', 'stores', 'health'];
    expect(canvases.map((c) => c.id)).toEqual([
      'chart-overview',
      ...classes.map((cls) => `chart-latency-p95-${cls}`),
      ...classes.map((cls) => `chart-latency-p99-${cls}`),
      ...classes.map((cls) => `chart-latency-distribution-${cls}`),
      'chart-request-rate',
      // Only classes with errors get an errors panel; the fixtures' injected errors are on records and atomics.
      ...canvases.map((c) => c.id).filter((id) => id.startsWith('chart-errors-')),
      'chart-vus',
    ]);
    expect(canvases.some((c) => c.id.startsWith('chart-errors-'))).toBe(true);
    for (const canvas of canvases) {
      expect(canvas.width, canvas.id).toBeGreaterThan(300);
      expect(canvas.painted, canvas.id).toBeGreaterThan(0.005);
    }
  });

  it('gives every chart a title, axis titles with units and at most 8 series per panel', async () => {
    const panels = await page.evaluate(() => {
      // Chart.js's registry of drawn charts, read back from the page (the project compiles without DOM types).
      const registry = (globalThis as unknown as { Chart: { instances: Record<string, PageChart> } }).Chart.instances;
      return Object.values(registry).map((chart) => ({
        id: chart.canvas.id,
        title: chart.options.plugins.title.text,
        x: chart.options.scales.x.title.text,
        y: chart.options.scales.y.title.text,
        yType: chart.options.scales.y.type,
        series: chart.data.datasets.length,
      }));
    });
    expect(panels.length).toBeGreaterThan(6);
    for (const panel of panels) {
      expect(panel.title, panel.id).toMatch(/\S/);
      // Units in brackets at the end, e.g. "p95 latency (ms)", "errors (errors/s, log scale)", "time since start (s)".
      expect(panel.x, panel.id).toMatch(/\((ms|s|m:ss|h:mm:ss)\)$/);
      expect(panel.y, panel.id).toMatch(/\((ms|errors\/s|%|per second|VUs)(, log scale)?\)$/);
      expect(panel.y.endsWith('log scale)'), panel.id).toBe(panel.yType === 'logarithmic');
      expect(panel.series, panel.id).toBeGreaterThan(0);
      expect(panel.series, panel.id).toBeLessThanOrEqual(8);
    }
    // The blob class has nine operations: seven drawn and the others folded into one line.
    const blobs = await page.evaluate(() => {
      const registry = (globalThis as unknown as { Chart: { instances: Record<string, PageChart> } }).Chart.instances;
      const chart = Object.values(registry).find((c) => c.canvas.id === 'chart-latency-p95-blobs')!;
      return chart.data.datasets.map((d) => d.label);
    });
    expect(blobs).toHaveLength(8);
    expect(blobs[7]).toBe('others (max of 2)');
    await expect(page.locator('figure.chart-group figcaption').allTextContents()).resolves.toEqual([
      'p95 latency by operation',
      'p99 latency by operation',
      'Response-time distribution',
      'Errors by operation',
    ]);
  });

  it('lays the panels out readably (screenshot in REPORT_SCREENSHOT when set)', async () => {
    const box = await page.locator('#chart-latency-p95-records').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(300);
    const path = process.env.REPORT_SCREENSHOT;
    if (path) {
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.locator('#chart-group-latency-p95').scrollIntoViewIfNeeded();
      await page.screenshot({ path, fullPage: true });
    }
  });
});
