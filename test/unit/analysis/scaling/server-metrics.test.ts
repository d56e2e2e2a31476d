// --server-metrics end to end: a local HTTP server answers GET /metrics/history for the window of a real k6
// capacity run (the analysis fixture) with a history derived from that run's own rates, and the CLI writes the
// scaling section, summary.json's scaling and the utilisation chart; then every way the source can fail, and the
// flags' bad values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { historyOfTheRun } from './run-history.js';
import type { ServerMetricsHistory } from '../../../../catalogue/server-metrics.js';
import { cli, fixture, removeTempDirs, tempDir, unwrapped } from '../helpers.js';

const RUN = fixture('capacity.json.gz');
let server: Server;
let baseUrl = '';
let answer: (from: number, to: number) => { status: number; body: string };
const asked: Array<{ from: number; to: number }> = [];
let closedUrl = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/metrics/history') {
      response.writeHead(404).end();
      return;
    }
    const from = Number(url.searchParams.get('from'));
    const to = Number(url.searchParams.get('to'));
    asked.push({ from, to });
    const { status, body } = answer(from, to);
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  removeTempDirs();
});

describe('--server-metrics URL', () => {
  let out = '';
  let run: Awaited<ReturnType<typeof cli>>;
  let history: ServerMetricsHistory;

  beforeAll(async () => {
    history = await historyOfTheRun(RUN, tempDir());
    answer = () => ({ status: 200, body: JSON.stringify(history) });
    out = tempDir();
    asked.length = 0;
    run = await cli([RUN, '--bucket', '1s', '--server-metrics', baseUrl, '--out-dir', out]);
  });

  it('asks for the window from the first to the last k6 timestamp', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(asked).toEqual([{ from: Date.parse(summary.startTime), to: Date.parse(summary.endTime) + 1 }]);
  });

  it('names the records table as the bottleneck with the WCU the run consumed per request, 2', () => {
    const { scaling } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(scaling.bottleneck).toBe('DynamoDB open-saves-records');
    const table = scaling.components.find((c: { name: string }) => c.name === 'DynamoDB open-saves-records');
    expect(table.arithmetic).toMatch(/WCU per request = [\d,.]+ consumed \/ [\d,.]+ requests \(periods without throttling\) = 2;/);
    expect(table.saturatedAtRate).toBeGreaterThan(0);
    expect(table.evidence[0].metric).toBe('AWS/DynamoDB WriteThrottleEvents TableName=open-saves-records (Sum)');
  });

  it('names the bottleneck and its action in the printed summary, once', () => {
    const text = unwrapped(run.stderr);
    expect(text).toMatch(/^Bottleneck +DynamoDB open-saves-records saturated first, \d+ s into the run, at [\d.]+ iterations\/s offered \(sized for [\d,.]+ iterations\/s\)$/m);
    expect(text).toMatch(/^Action +Provision open-saves-records with [\d,]+ WCU \(now \d+\)/m);
    expect(run.stderr.match(/Provision open-saves-records/g)).toHaveLength(1);
  });

  it('writes the section in report.md and report.html, and the utilisation chart', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/## Scaling recommendations\n/);
    expect(md).toMatch(/\| DynamoDB open-saves-records \(bottleneck\) \| [\d.]+ \| Provision open-saves-records with [\d,]+ WCU \(now 20\) \|/);
    // The evidence and the arithmetic, folded.
    expect(md).toMatch(/<summary>Every component’s recommendation, how the figures were computed, and the evidence<\/summary>[^]*\| DynamoDB open-saves-records \| AWS\/DynamoDB WriteThrottleEvents/);
    expect(md).toMatch(/!\[Load, errors and latency over the run, and where it saturated\]\(overview\.png\)/);
    expect(existsSync(join(out, 'overview.png'))).toBe(true);
    expect(md).toMatch(/!\[Utilisation against offered load\]\(utilisation\.png\)/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<section id="scaling"><h2>Scaling recommendations<\/h2>/);
    expect(existsSync(join(out, 'utilisation.png'))).toBe(true);
  });
});

describe('a server-metrics source that cannot be read: a warning, the client-side report, the usual exit code', () => {
  let usualExit = -1;
  beforeAll(async () => {
    usualExit = (await cli([RUN, '--format', 'json', '--out-dir', tempDir()])).exitCode;
  });

  const cases: Array<[string, () => string, RegExp]> = [
    ['nothing listening', () => closedUrl, /cannot reach http:\/\/127\.0\.0\.1:\d+\/metrics\/history\?from=\d+&to=\d+ \(ECONNREFUSED\)/],
    ['an emulator without --model (404)', () => { answer = () => ({ status: 404, body: '{"error":"not found"}' }); return baseUrl; }, /answered HTTP 404 .*without --model has no metrics history/],
    ['an answer that is not JSON', () => { answer = () => ({ status: 200, body: '<html>' }); return baseUrl; }, /did not answer JSON/],
    ['JSON of another shape', () => { answer = () => ({ status: 200, body: '{"source":"x","from":1,"to":2,"periodSeconds":1,"series":[{"namespace":"AWS/DynamoDB"}]}' }); return baseUrl; }, /is not a metrics history; series\[0\]\.metricName: expected a non-empty string, got `undefined`/],
  ];

  it.each(cases)('%s', async (_, url, message) => {
    const out = tempDir();
    const run = await cli([RUN, '--server-metrics', url(), '--format', 'json,md', '--out-dir', out]);
    expect(run.exitCode).toBe(usualExit);
    expect(unwrapped(run.stderr)).toMatch(new RegExp(`warning: --server-metrics http://127\\.0\\.0\\.1:\\d+: .*${message.source}`));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.scaling.bottleneck).toBeNull();
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Server metrics unavailable: --server-metrics/);
  });
});

describe('bad flags: one line naming the flag, what it expects and what it got, exit 2', () => {
  // --cloudwatch alone reads OS_INFRA_* from the environment: a developer's own deployment values stay out of it.
  const stashed = new Map<string, string>();
  beforeAll(() => {
    for (const [name, value] of Object.entries(process.env)) {
      if (name.startsWith('OS_INFRA_') && value !== undefined) {
        stashed.set(name, value);
        delete process.env[name];
      }
    }
  });
  afterAll(() => {
    for (const [name, value] of stashed) process.env[name] = value;
  });
  const envFile = (text: string): string => {
    const path = join(tempDir(), 'infra.env');
    writeFileSync(path, text);
    return path;
  };
  const cases: Array<[string, () => string[], RegExp]> = [
    ['--goal-rate abc', () => ['--goal-rate', 'abc'], /^error: invalid --goal-rate; reason: expected a rate above 0 in iterations per second, such as 5000, got `abc`$/],
    ['--goal-rate 0', () => ['--goal-rate', '0'], /^error: invalid --goal-rate; reason: expected a rate above 0/],
    ['--server-metrics not a URL', () => ['--server-metrics', '127.0.0.1:8080'], /^error: invalid --server-metrics; reason: expected the emulator's HTTP URL, such as http:\/\/127\.0\.0\.1:8080, got `127\.0\.0\.1:8080`$/],
    ['both sources', () => ['--server-metrics', 'http://127.0.0.1:1', '--cloudwatch'], /^error: invalid --server-metrics; reason: expected either --server-metrics URL or --cloudwatch, not both/],
    ['--infra-env without --cloudwatch', () => ['--infra-env', 'x.env'], /^error: invalid --infra-env; reason: expected --cloudwatch with it/],
    ['--cloudwatch without a file or OS_INFRA_* variables', () => ['--cloudwatch'], /^error: --cloudwatch \(OS_INFRA_\* from the environment\): missing OS_INFRA_EKS_CLUSTER; reason: expected the EKS cluster name running Open Saves, got nothing; /],
    ['--infra-env missing', () => ['--cloudwatch', '--infra-env', '/nonexistent/infra.env'], /^error: cannot read --infra-env \/nonexistent\/infra\.env: no such file$/],
    ['--infra-env line', () => ['--cloudwatch', '--infra-env', envFile('OS_INFRA_REGION us-west-2\n')], /^error: invalid --infra-env .* line 1; reason: expected KEY=VALUE, got `OS_INFRA_REGION us-west-2`$/],
    [
      '--infra-env value',
      () => ['--cloudwatch', '--infra-env', envFile(`${readFileSync(fixture('../../../infra/example.env'), 'utf8')}\nOS_INFRA_REGION=mars\n`)],
      /^error: --infra-env .*: invalid OS_INFRA_REGION; reason: expected an AWS region such as us-west-2, got `mars`$/,
    ],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const run = await cli([RUN, ...args(), '--out-dir', tempDir()]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('WAF blocks seen by k6 (opensaves_waf_blocked)', () => {
  it('get a section saying how many, under which rule, and what to do; without them there is none', async () => {
    const lines = readFileSync(fixture('mixed-http.json'), 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!).data.time as string;
    const blocked = [
      JSON.stringify({ type: 'Metric', data: { name: 'opensaves_waf_blocked', type: 'counter', contains: 'default', thresholds: [], submetrics: null }, metric: 'opensaves_waf_blocked' }),
      ...Array.from({ length: 7 }, () => JSON.stringify({ metric: 'opensaves_waf_blocked', type: 'Point', data: { time: last, value: 1, tags: { op: 'GetRecord' } } })),
    ];
    const input = join(tempDir(), 'k6.json');
    writeFileSync(input, `${[...lines, ...blocked].join('\n')}\n`);
    const out = tempDir();
    await cli([input, '--format', 'json,md', '--out-dir', out]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/## WAF blocks\n\nk6 counted 7 requests blocked by the WAF \(opensaves_waf_blocked\): CloudFront's 403 "Request blocked" answers, not API errors\./);
    expect(md).toMatch(/Allow-list the runners' egress addresses in the WAF .* or target the ALB behind CloudFront: the WAF blocked the load \(the per-address rate-based rule: 2,000 requests per 300 s per address \(the AWS port's rule; the source does not say\)\)/);
    const waf = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).scaling.components.find((c: { name: string }) => c.name === 'WAF rate rule');
    expect(waf.evidence).toEqual([{ metric: 'k6 opensaves_waf_blocked', value: 7, time: new Date(last).toISOString() }]);

    const clean = tempDir();
    await cli([fixture('mixed-http.json'), '--format', 'md', '--out-dir', clean]);
    expect(readFileSync(join(clean, 'report.md'), 'utf8')).not.toMatch(/WAF blocks|Scaling recommendations/);
  });
});
