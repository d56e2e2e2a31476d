// The report files: Markdown tables, JUnit cases, PNG charts, and the text on stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { cli, fixture, removeTempDirs, tempDir, type CliRun } from './helpers.js';
import { PNG_HEIGHT, PNG_WIDTH } from '../../../analysis/src/charts/render-png.js';
import { ProgressBar } from '../../../analysis/src/input/progress.js';

const out = join(tempDir(), 'report');
let run: CliRun;

beforeAll(async () => {
  run = await cli([fixture('smoke.json'), '--out-dir', out, '--bucket', '1s']);
});
afterAll(removeTempDirs);

describe('report files of a real smoke run', () => {
  it('exits 1 because GetRecord missed its error-rate objective, and says so on stderr', () => {
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^FAIL +SLO missed: 1 objective failed on 1 of \d+ operations/m);
    expect(run.stderr).toMatch(/^ {2}GetRecord +[\d,]+ +[\d.]+% .* errors [\d.]+% > 1\.00%$/m);
    expect(run.stdout).toBe('');
  });

  it('report.md has a row per operation with every percentile column', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| Operation \| Count \| Req\/s \| Errors \| Error rate \| Status codes \| min \| mean \| p50 \| p90 \| p95 \| p99 \| p99\.9 \| max \| SLO \|/);
    const section = md.slice(md.indexOf('## Operations'), md.indexOf('## SLO verdicts'));
    const rows = section.split('\n').filter((line) => line.startsWith('| ')).slice(2);
    expect(rows).toHaveLength(27);
    for (const row of rows) expect(row.split(' | ')).toHaveLength(15);
    // 27 expected NOT_FOUND and 3 injected UNAVAILABLE: only the 3 count as errors.
    expect(md).toMatch(/\| GetRecord \| 70 \| [\d.]+ \| 3 \| 4\.29% \| 0 OK: 40, 5 NOT_FOUND: 27, 14 UNAVAILABLE: 3 \|/);
    expect(md).toMatch(/!\[p95 latency by operation\]\(latency-p95\.png\)/);
  });

  it('junit.xml fails the GetRecord SLO case and passes the others', () => {
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="slo" tests="27" failures="1" skipped="0">/);
    expect(xml).toMatch(/name="GetRecord meets p95 latency, p99 latency, error rate objectives">\s*<failure message="error rate 0\.04\d* &gt; 0\.01"/);
  });

  it('summary.json follows schema version 1', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.schemaVersion).toBe(1);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['inputs', 'startTime', 'endTime', 'durationSec', 'totals', 'operations', 'droppedIterations', 'checks', 'thresholds', 'slo', 'cost']),
    );
    expect(Object.keys(summary.operations.GetRecord.latencyMs)).toEqual(['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max']);
    expect(summary.totals.requests).toBe(Object.values(summary.operations).reduce((sum: number, o) => sum + (o as { count: number }).count, 0));
  });

  it.each(['latency-p95', 'latency-p99', 'latency-distribution', 'request-rate', 'errors', 'vus'])('%s.png is a drawn chart', async (name) => {
    const image = await loadImage(readFileSync(join(out, `${name}.png`)));
    expect([image.width, image.height]).toEqual([PNG_WIDTH, PNG_HEIGHT]);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let drawn = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) drawn++;
    // Axes, labels and data: well over 1% of the pixels are not background.
    expect(drawn / (pixels.length / 4)).toBeGreaterThan(0.01);
  });
});

describe('ProgressBar', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, isTTY, write: (text: string) => (writes.push(text), true) };
  };

  it('draws on a terminal for a large input', () => {
    const tty = stream(true);
    const bar = new ProgressBar(tty);
    bar.start(1e9);
    bar.advance(5e8);
    bar.finish();
    expect(tty.writes[0]).toMatch(/^\r\[#{15}-{15}\] 50%/);
  });

  it('stays quiet on a pipe, and on a terminal for a small input', () => {
    for (const [isTTY, size] of [[false, 1e9], [true, 1e6]] as const) {
      const s = stream(isTTY);
      const bar = new ProgressBar(s);
      bar.start(size);
      bar.advance(size);
      bar.finish();
      expect(s.writes).toEqual([]);
    }
  });
});

describe('chart time labels', () => {
  it('use seconds under a minute, m:ss under an hour and h:mm:ss beyond, never twice the same', async () => {
    const { timeLabels } = await import('../../../analysis/src/charts/chart-spec.js');
    expect(timeLabels([0, 10, 20])).toEqual(['0s', '10s', '20s']);
    expect(timeLabels([0, 125, 130, 135, 140])).toEqual(['0:00', '2:05', '2:10', '2:15', '2:20']);
    expect(timeLabels([0, 3600, 3605])).toEqual(['0:00:00', '1:00:00', '1:00:05']);
  });
});

describe('status labels', () => {
  it('name gRPC codes, keep HTTP codes, and call HTTP status 0 what it is', async () => {
    const { statusLabel } = await import('../../../analysis/src/format.js');
    expect(statusLabel('5', 'grpc')).toBe('5 NOT_FOUND');
    expect(statusLabel('0', 'grpc')).toBe('0 OK');
    expect(statusLabel('503', 'http')).toBe('503');
    expect(statusLabel('0', 'http')).toBe('0 no response');
    // Among errors of unknown origin a 0 cannot be gRPC OK.
    expect(statusLabel('0', 'unknown', true)).toBe('0 no response');
    expect(statusLabel('14', 'unknown', true)).toBe('14 UNAVAILABLE');
  });
});

describe('junit.xml for thresholds this tool cannot re-evaluate', () => {
  it('marks them skipped, neither passed nor failed', async () => {
    const { syntheticK6Output, steadyMixedRun } = await import('../../../bench/analysis/analysis-synthetic.js');
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    const text = [...syntheticK6Output(steadyMixedRun(20, 5))]
      .join('')
      .replace('"name":"data_sent","type":"counter","contains":"data","thresholds":[]', '"name":"data_sent","type":"counter","contains":"data","thresholds":["avg<5"]');
    const input = join(dir, 'k6.json');
    writeFileSync(input, text);
    const run = await cli([input, '--out-dir', join(dir, 'out'), '--format', 'junit']);
    expect(run.exitCode).toBe(0);
    const xml = readFileSync(join(dir, 'out', 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="k6 thresholds" tests="3" failures="0" skipped="1">/);
    expect(xml).toMatch(/name="data_sent: avg&lt;5">\s*<skipped message="this aggregation is not re-evaluated from k6 JSON output"\/>/);
  });
});
