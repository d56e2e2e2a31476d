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
  it('has the Scaling recommendations section with a row per component, the bottleneck marked', async () => {
    expect(consoleErrors).toEqual([]);
    await expect(page.locator('section#scaling h2').textContent()).resolves.toBe('Scaling recommendations');
    const names = await page.locator('#scaling tbody tr td:first-child').allTextContents();
    expect(names).toEqual(['pods/HPA', 'DynamoDB open-saves-records (bottleneck)', 'k6 runners']);
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
