// The scaling section and the utilisation chart of report.html in Debian's Chromium (offline, new empty profile), for
// a real k6 capacity run whose server history a local server answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { cli, fixture, removeTempDirs, tempDir } from '../helpers.js';
import { historyOfTheRun } from './run-history.js';

const RUN = fixture('capacity.json.gz');
let server: Server;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

beforeAll(async () => {
  const body = JSON.stringify(await historyOfTheRun(RUN, tempDir()));
  server = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = tempDir();
  const out = join(dir, 'report');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const run = await cli([RUN, '--bucket', '1s', '--server-metrics', url, '--format', 'html', '--out-dir', out]);
  expect(run.exitCode).not.toBe(2);
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  removeTempDirs();
});

describe('report.html with server metrics', () => {
  it('opens at 1400x900 with the verdict, the bottleneck by name and its action, all inside the first screen', async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await expect(page.locator('#verdict-headline').textContent()).resolves.toMatch(/^(Last step that held: \S+ at [\d.]+ iterations\/s offered|No step held the SLO)/);
    await expect(page.locator('#bottleneck-name').textContent()).resolves.toBe('DynamoDB open-saves-records');
    await expect(page.locator('#bottleneck-action .lever').textContent()).resolves.toMatch(/^Provision open-saves-records with [\d,]+ WCU \(now 20\)/);
    for (const selector of ['#verdict-headline', '#bottleneck-name', '#bottleneck-action', '#verdict .figures']) {
      const box = await page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.y, selector).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, selector).toBeLessThanOrEqual(900);
    }
  });

  it('draws the overview chart under the verdict, with the moment the bottleneck saturated marked', async () => {
    const overview = await page.locator('#chart-overview').boundingBox();
    const band = await page.locator('#verdict').boundingBox();
    expect(overview!.y).toBeGreaterThan(band!.y + band!.height);
    expect(overview!.height).toBeGreaterThan(250);
    const labels = await page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(id: string): { data: { datasets: { label: string; data: { x: number; y: number | null }[] }[] } } } }).Chart.getChart('chart-overview');
      return chart.data.datasets.map((d) => ({ label: d.label, xs: [...new Set(d.data.map((p) => p.x))] }));
    });
    expect(labels.map((l) => l.label)).toEqual(
      expect.arrayContaining(['iterations/s offered (started + dropped)', 'iterations/s achieved (started)', 'errors/s', 'p95 latency, all operations (ms, right axis)']),
    );
    const mark = labels.find((l) => /^DynamoDB open-saves-records saturated \(\d+ s\)$/.test(l.label));
    expect(mark, JSON.stringify(labels.map((l) => l.label))).toBeDefined();
    // A vertical line: one x, at the second the table's throttling began.
    expect(mark!.xs).toHaveLength(1);
    expect(labels.some((l) => l.label.startsWith('DynamoDB open-saves-records utilisation'))).toBe(true);
  });

  it('has the Scaling recommendations section with a row per component, the bottleneck marked, and the arithmetic folded', async () => {
    expect(consoleErrors).toEqual([]);
    await expect(page.locator('section#scaling h2').textContent()).resolves.toBe('Scaling recommendations');
    const names = await page.locator('#scaling > .table-wrap').first().locator('tbody tr td:first-child').allTextContents();
    expect(names).toEqual(['pods/HPA', 'DynamoDB open-saves-records (bottleneck)', 'k6 runners']);
    const changes = await page.locator('#scaling > .table-wrap').first().locator('tbody tr td:last-child').allTextContents();
    expect(changes[1]).toMatch(/^Provision open-saves-records with [\d,]+ WCU \(now 20\)$/);
    await expect(page.locator('#scaling details summary').allTextContents()).resolves.toContain('Every component’s recommendation, how the figures were computed, and the evidence');
    await expect(page.locator('#scaling details', { hasText: 'how: WCU per request' }).evaluate((d) => (d as unknown as { open: boolean }).open)).resolves.toBe(false);
    await expect(page.locator('nav a[href="#scaling"]').count()).resolves.toBe(1);
  });

  it('draws the utilisation chart: offered load on x, a line per component and the 100 % line', async () => {
    const canvas = page.locator('canvas#chart-utilisation');
    const painted = await canvas.evaluate((element) => {
      const c = element as unknown as PageCanvas;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n / (data.length / 4);
    });
    expect(painted).toBeGreaterThan(0.005);
    const labels = await page.evaluate(() => {
      const chart = (globalThis as unknown as { Chart: { getChart(id: string): { data: { datasets: { label: string }[] }; options: { scales: { x: { title: { text: string } } } } } } }).Chart.getChart('chart-utilisation');
      return { datasets: chart.data.datasets.map((d) => d.label), x: chart.options.scales.x.title.text };
    });
    expect(labels.x).toBe('offered load (iterations/s)');
    expect(labels.datasets).toEqual([
      'pods/HPA (pod CPU as a share of its 500m limit)',
      'DynamoDB open-saves-records (consumed as a share of provisioned capacity (the higher of reads and writes))',
      'saturation (100 %)',
    ]);
  });
});
