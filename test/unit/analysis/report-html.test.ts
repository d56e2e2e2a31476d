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

  it('shows the operations table with a row per operation of both runs', async () => {
    const rows = await page.locator('#operations tbody tr').count();
    expect(rows).toBe(27);
    await expect(page.locator('#operations tbody tr', { hasText: 'GetRecord' }).locator('td.fail').count()).resolves.toBe(1);
    await expect(page.locator('header .badge.fail').allTextContents()).resolves.toContain('SLO FAIL');
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
    expect(canvases.map((c) => c.id)).toEqual([
      'chart-latency-p95',
      'chart-latency-p99',
      'chart-latency-distribution',
      'chart-request-rate',
      'chart-errors',
      'chart-vus',
    ]);
    for (const canvas of canvases) {
      expect(canvas.width, canvas.id).toBeGreaterThan(300);
      expect(canvas.painted, canvas.id).toBeGreaterThan(0.005);
    }
  });
});
