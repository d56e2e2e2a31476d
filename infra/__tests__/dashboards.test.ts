import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../../dashboards/cloudwatch/index.js';
import { DashboardLimitError, assertDashboardWithinLimits, dashboardProblems } from '../../dashboards/cloudwatch/validate.js';
import { dashboard, expression, graph, metric, type DashboardBody } from '../../dashboards/cloudwatch/widgets.js';
import { CLOUDFRONT, DASHBOARD_LIMITS, WAFV2 } from '../../catalogue/aws-metrics.js';
import { allowedMetrics, unknownRefs, widgetRefs, type MetricRef } from './support/metric-refs.js';
import { exampleConfig } from './support/config.js';

// Untagged runs (no OS_INFRA_K6_RUN_ID); a run id's filter is tested on its own below.
const CONFIG = exampleConfig({ OS_INFRA_K6_PROTOCOLS: 'grpc,http', OS_INFRA_K6_RUN_ID: undefined });
const DASHBOARDS = buildDashboards(CONFIG);

type Row = unknown[];

// Per metric widget, its rows of the CloudWatch "metrics" array.
function metricRows(body: DashboardBody): Row[][] {
  return body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.metrics as Row[]);
}

const MATH_FUNCTIONS = new Set(['FILL', 'DIFF', 'PERIOD', 'SUM', 'AVG', 'MAX', 'MIN', 'RATE', 'METRICS', 'IF']);

describe.each(Object.entries(DASHBOARDS))('CloudWatch dashboard %s', (key, body) => {
  it('parses back from its JSON text', () => {
    const text = JSON.stringify(body);
    expect(JSON.parse(text)).toEqual(body);
    expect(text).not.toContain('${');
  });

  it('stays within CloudWatch limits', () => {
    expect(dashboardProblems(`${CONFIG.prefix}-${key}`, body)).toEqual([]);
    for (const widget of body.widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(DASHBOARD_LIMITS.gridColumns);
    }
  });

  it('names only metrics declared in catalogue/aws-metrics.ts or data/metric-names.json', () => {
    const refs: MetricRef[] = metricRows(body).flatMap((rows) => widgetRefs(rows));
    expect(refs.length).toBeGreaterThan(0);
    expect(unknownRefs(refs, allowedMetrics())).toEqual([]);
  });

  it('uses in each metric math expression only ids defined in the same widget', () => {
    for (const rows of metricRows(body)) {
      const ids = new Set(rows.map((row) => (row.at(-1) as { id?: string }).id).filter((id) => id !== undefined));
      for (const row of rows) {
        const { expression: expr } = row[0] as { expression?: string };
        // Metrics Insights and SEARCH() name metrics by query, not by id.
        if (expr === undefined || expr.startsWith('SELECT') || expr.startsWith('SEARCH(')) continue;
        const names = [...expr.matchAll(/\b([A-Za-z][A-Za-z0-9_]*)\b/g)].map((m) => m[1] as string).filter((n) => !MATH_FUNCTIONS.has(n));
        for (const name of names) expect(ids, `${key}: "${expr}" uses ${name}`).toContain(name);
      }
    }
  });
});

describe('dashboard contents', () => {
  it('draws the configured SLOs as annotations on the k6 latency and error graphs', () => {
    const k6 = DASHBOARDS['k6-client'];
    const annotated = k6.widgets.flatMap((w) => ((w.properties.annotations as { horizontal?: { value: number }[] } | undefined)?.horizontal ?? []).map((a) => a.value));
    expect(annotated).toContain(CONFIG.slo.p95Ms);
    expect(annotated).toContain(CONFIG.slo.p99Ms);
    expect(annotated).toContain(CONFIG.slo.errorRatePercent);
  });

  it('plots p95 and p99 of every operation of each configured protocol', () => {
    const rows = metricRows(DASHBOARDS['k6-client']).flat();
    const latencyOps = rows
      .filter((row) => row[1] === 'GrpcRequestDuration' && (row.at(-1) as { stat?: string }).stat === 'p99')
      .map((row) => row[row.indexOf('op') + 1]);
    expect(latencyOps).toHaveLength(27);
    expect(latencyOps).toContain('CompareAndSwapGreaterInt');
    expect(latencyOps).toContain('UploadChunk');
    const http = rows.filter((row) => row[1] === 'HttpRequestDuration');
    expect(http.find((row) => row.includes('CreateRecord'))).toEqual(expect.arrayContaining(['status', '201', 'scenario', 'main']));
  });

  it('reads VUs for the whole run, since k6 does not tag them with a scenario', () => {
    const rows = metricRows(DASHBOARDS['k6-client']).flat();
    const vus = rows.map((row) => (row[0] as { expression?: string }).expression).find((e) => e?.includes('MAX(VUs)'));
    expect(vus).toBe('SELECT MAX(VUs) FROM "OpenSaves/LoadTest"');
    const tagged = buildDashboards(exampleConfig({ OS_INFRA_K6_RUN_ID: 'run-42' }))['k6-client'];
    const expressions = metricRows(tagged).flat().map((row) => (row[0] as { expression?: string }).expression).filter(Boolean);
    expect(expressions).toContain(`SELECT MAX(VUs) FROM "OpenSaves/LoadTest" WHERE testid = 'run-42'`);
    expect(expressions).toContain(`SELECT SUM(Errors) FROM "OpenSaves/LoadTest" WHERE scenario = 'main' AND testid = 'run-42' GROUP BY op`);
  });

  it('computes ratios with metric math where a count alone says little', () => {
    const expressions = (key: keyof typeof DASHBOARDS) =>
      metricRows(DASHBOARDS[key]).flat().map((row) => (row[0] as { expression?: string }).expression).filter(Boolean);
    expect(expressions('alb')).toContain('100 * FILL(target5xx, 0) / reqs');
    expect(expressions('s3')).toContain('100 * e5 / all');
    expect(expressions('k6-client')).toContain('100 * errs / reqs');
    expect(expressions('elasticache')).toContain('100 * hits0 / (hits0 + misses0)');
  });

  it('reads CloudFront metrics from us-east-1 and everything else from the configured region', () => {
    for (const [key, body] of Object.entries(buildDashboards(exampleConfig({ OS_INFRA_REGION: 'eu-west-1' })))) {
      for (const widget of body.widgets.filter((w) => w.type === 'metric')) {
        expect(widget.properties.region, key).toBe(key === 'cloudfront' ? CLOUDFRONT.metricsRegion : 'eu-west-1');
      }
    }
  });

  it("graphs the port's WAF blocks: every CloudFront web ACL, or the one whose ARN is configured", () => {
    const wafWidget = (body: DashboardBody) => body.widgets.find((w) => String(w.properties.title).startsWith('WAF '));
    const unnamed = wafWidget(DASHBOARDS.cloudfront);
    expect(unnamed?.properties.region).toBe(WAFV2.metricsRegion);
    expect(unnamed?.properties.metrics).toEqual([
      [{ expression: `SEARCH('{AWS/WAFV2,Rule,WebACL} MetricName="BlockedRequests" Rule="ALL"', 'Sum', 60)`, id: 'wafBlocked' }],
    ]);
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/open-saves-cloudfront/0123abcd-0123-4567-89ab-0123456789ab';
    const named = wafWidget(buildDashboards(exampleConfig({ OS_INFRA_WAF_WEB_ACL_ARN: arn })).cloudfront);
    expect(named?.properties.title).toBe('WAF requests per minute (open-saves-cloudfront)');
    expect(named?.properties.metrics).toEqual([
      ['AWS/WAFV2', 'BlockedRequests', 'WebACL', 'open-saves-cloudfront', 'Rule', 'ALL', { stat: 'Sum', label: 'blocked' }],
      ['AWS/WAFV2', 'AllowedRequests', 'WebACL', 'open-saves-cloudfront', 'Rule', 'ALL', { stat: 'Sum', label: 'allowed' }],
    ]);
  });

  it('puts the S3 request metrics under the FilterId of the bucket metrics configuration', () => {
    const rows = metricRows(DASHBOARDS.s3).flat().filter((row) => row[0] === 'AWS/S3');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.slice(2, 6)).toEqual(['BucketName', CONFIG.s3Bucket, 'FilterId', 'EntireBucket']);
  });
});

describe('dashboard builders and limits', () => {
  it('lays widgets out in rows of 24 columns', () => {
    const body = dashboard([
      graph({ title: 'a', region: 'r', series: [metric('N', 'M', {})], width: 16 }),
      graph({ title: 'b', region: 'r', series: [metric('N', 'M', {})], width: 16, height: 4 }),
      graph({ title: 'c', region: 'r', series: [metric('N', 'M', {})], width: 8 }),
    ]);
    expect(body.widgets.map(({ x, y, width }) => ({ x, y, width }))).toEqual([
      { x: 0, y: 0, width: 16 },
      { x: 0, y: 6, width: 16 },
      { x: 16, y: 6, width: 8 },
    ]);
  });

  it('renders metrics as CloudWatch arrays: namespace, name, dimension pairs, options', () => {
    const body = dashboard([graph({ title: 't', region: 'r', series: [metric('N', 'M', { A: '1' }, { stat: 'p99' }), expression('e', 'm * 2')] })]);
    expect(body.widgets[0]?.properties.metrics).toEqual([['N', 'M', 'A', '1', { stat: 'p99' }], [{ expression: 'm * 2', id: 'e' }]]);
  });

  it('reports too many widgets, too many metrics, bad ids and a bad name', () => {
    const many = dashboard(Array.from({ length: DASHBOARD_LIMITS.maxWidgets + 1 }, () => graph({ title: 'w', region: 'r', series: [metric('N', 'M', {})] })));
    expect(dashboardProblems('ok', many)).toContain(`${DASHBOARD_LIMITS.maxWidgets + 1} widgets, more than ${DASHBOARD_LIMITS.maxWidgets}`);

    const wide = dashboard([graph({ title: 'w', region: 'r', series: Array.from({ length: 501 }, (_, i) => metric('N', 'M', { i: String(i) })) })]);
    expect(dashboardProblems('ok', wide)).toEqual([expect.stringMatching(/has 501 metrics, more than 500/)]);

    const ids = dashboard([graph({ title: 'w', region: 'r', series: [expression('a', '1'), expression('a', '2'), expression('Bad', '3')] })]);
    expect(dashboardProblems('ok', ids)).toEqual([expect.stringMatching(/repeats metric id `a`/), expect.stringMatching(/metric id `Bad`/)]);

    expect(() => assertDashboardWithinLimits('has space', DASHBOARDS.s3)).toThrow(DashboardLimitError);
    expect(() => assertDashboardWithinLimits('has space', DASHBOARDS.s3)).toThrow(/name `has space`/);
  });
});
