// `make demo` end to end, shortened (tools/demo.sh with real k6 against the emulator and its model), and the relay in
// front of k6's web dashboard that lets an open browser tab not keep k6 running: real k6, real Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../../helpers/emulator-process.js';
import { K6_BINARY } from '../../helpers/k6.js';
import { removeTempDirs, tempDir } from './helpers.js';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGTERM');
  removeTempDirs();
});

interface Ended {
  exitCode: number | null;
  output: string;
}

/** Runs a command to its end, killed after `boundMs` (a hang then shows as a null exit code). */
function run(command: string, args: string[], env: Record<string, string>, boundMs: number): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, K6_NO_USAGE_REPORT: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
  const ended = new Promise<Ended>((resolve) => {
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
  return { child, ended };
}

async function untilServed(url: string, boundMs: number): Promise<void> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not served within ${boundMs} ms`);
}

describe("k6's web dashboard through tools/dashboard-relay.mjs", () => {
  it('a browser tab open on the dashboard does not keep k6 running once the run is over, and the export is written', async () => {
    // Arrange: a run whose thresholds pass (k6 waits for open dashboard connections only then), and the relay.
    const dir = tempDir();
    const script = join(dir, 'idle.js');
    writeFileSync(script, "import { sleep } from 'k6';\nexport const options = { vus: 1, duration: '5s' };\nexport default function () { sleep(0.5); }\n");
    const exported = join(dir, 'k6-dashboard.html');
    const relay = run('node', ['tools/dashboard-relay.mjs', exported], {}, 120_000);
    const ports = await new Promise<{ relay: number; k6: number }>((resolve, reject) => {
      relay.child.stdout!.on('data', (d: Buffer) => {
        const match = /^relay (\d+) k6 (\d+)$/m.exec(d.toString());
        if (match) resolve({ relay: Number(match[1]), k6: Number(match[2]) });
      });
      relay.child.once('close', () => reject(new Error('the relay ended before saying its ports')));
    });
    const k6 = run(
      K6_BINARY,
      ['run', '--quiet', '--no-color', '--address', '', script],
      { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_HOST: '127.0.0.1', K6_WEB_DASHBOARD_PORT: String(ports.k6), K6_WEB_DASHBOARD_PERIOD: '1s', K6_WEB_DASHBOARD_EXPORT: exported },
      90_000,
    );
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      // Act: the dashboard open in a tab while k6 runs, as a user watching the demo.
      await untilServed(`http://127.0.0.1:${ports.relay}/`, 20_000);
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${ports.relay}/`, { waitUntil: 'load' });
      const live = await page.evaluate(() => (globalThis as unknown as { document: { title: string } }).document.title);
      const ended = await k6.ended;

      // Assert: k6 ended by itself (not killed by the bound) with the tab still open, and exported its dashboard.
      expect(live).toMatch(/k6/i);
      expect(ended.exitCode, ended.output).toBe(0);
      expect(page.isClosed()).toBe(false);
      expect(readFileSync(exported, 'utf8')).toMatch(/^<!doctype html>/i);
      // After the run the relay answers with the exported page.
      await expect(fetch(`http://127.0.0.1:${ports.relay}/`).then((r) => r.text())).resolves.toBe(readFileSync(exported, 'utf8'));
    } finally {
      await browser.close();
      relay.child.kill('SIGTERM');
      await relay.ended;
    }
  }, 120_000);
});

describe('make demo, shortened', () => {
  it('says why it saturates, shows the live view, leaves k6-dashboard.html beside k6.json and prints the answer once', async () => {
    // Arrange
    const dir = join(tempDir(), 'demo');

    // Act: the demo's rate with a short ramp and hold; the model's pods still saturate below it.
    const demo = await run('bash', ['tools/demo.sh'], { DEMO_DIR: dir, DEMO_RATE: '50', DEMO_RAMP: '3s', DEMO_HOLD: '12s' }, 240_000).ended;

    // Assert: before the load, why it will saturate and where to watch it.
    expect(demo.exitCode, demo.output).toBe(0);
    const why = demo.output.indexOf("The model's two pods saturate near 30 iterations/s, below the demo's 50/s on purpose");
    const live = /^Live view while the load runs \(k6's web dashboard\): http:\/\/127\.0\.0\.1:\d+$/m.exec(demo.output);
    expect(why, demo.output).toBeGreaterThan(-1);
    expect(live, demo.output).not.toBeNull();
    expect(why).toBeLessThan(demo.output.indexOf('k6 finished (exit code'));
    // The dashboard, exported beside the raw samples.
    expect(existsSync(join(dir, 'k6.json'))).toBe(true);
    expect(readFileSync(join(dir, 'k6-dashboard.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    // After: the verdict, the scaling answer once, and where to look.
    expect(demo.output).toMatch(/^FAIL +SLO missed: /m);
    expect(demo.output.match(/^Bottleneck +pods\/HPA saturated first/gm)).toHaveLength(1);
    expect(demo.output.match(/^Action +/gm)).toHaveLength(1);
    expect(demo.output.match(/Raise the pods' CPU request from 100m to 500m \(their limit\)/g)).toHaveLength(1);
    expect(demo.output).toMatch(/Where to look, in .*demo\/:\n {2}report\/report\.html +the answer first/);
    // The analysis's printed summary of this real run: short, and no line wider than the widest terminal it allows.
    const text = readFileSync(join(dir, 'report', 'analysis.txt'), 'utf8');
    expect(demo.output).toContain(text);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(200);
  }, 240_000);
});
