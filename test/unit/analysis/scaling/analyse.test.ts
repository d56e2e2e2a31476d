// The scaling analysis on synthetic runs with known per-request costs: which component saturated first and at
// which offered rate, its alignment with the SLO knee, and each sized setting's figures.
import { describe, expect, it } from 'vitest';
import { loadPriceTable } from '../../../../analysis/src/verdicts/cost.js';
import { DEFAULT_PRICES_PATH } from '../../../../analysis/src/config/args.js';
import { analyseScaling, type ScalingInput } from '../../../../analysis/src/scaling/index.js';
import { capacityFailingAt, clientSeries, END_MS, history, RATES, START_MS, withWaf, type ModelParameters } from './synthetic.js';

const prices = loadPriceTable(DEFAULT_PRICES_PATH);

const WRITES_FIRST: ModelParameters = {
  wcuPerRequest: 2,
  rcuPerRequest: 0.5,
  provisionedWcu: 70,
  provisionedRcu: 100,
  cpuMsPerRequest: 5,
  pods: 2,
  podsMax: 10,
  cpuLimitMillicores: 500,
  cpuRequestMillicores: 100,
  hpaTargetPercent: 70,
};
// Two pods that cannot grow: 70 % of the 100m request is 14 % of the 500m limit.
const PODS_FIRST: ModelParameters = { ...WRITES_FIRST, provisionedWcu: 1000, cpuMsPerRequest: 20, podsMax: 2 };

function input(overrides: Partial<ScalingInput>): ScalingInput {
  return {
    history: null,
    sourceText: 'synthetic',
    unavailable: null,
    series: clientSeries(),
    capacity: capacityFailingAt(3),
    startMs: START_MS,
    endMs: END_MS,
    prices,
    goalRate: null,
    wafBlocks: null,
    httpShare: 1,
    configuredRate: null,
    ...overrides,
  };
}

const component = (result: ReturnType<typeof analyseScaling>, name: string) => {
  const found = result.scaling.components.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no component ${name} in ${result.scaling.components.map((c) => c.name).join(', ')}`);
  return found;
};

describe('DynamoDB writes saturate first', () => {
  const result = analyseScaling(input({ history: history(WRITES_FIRST) }));
  const table = component(result, 'DynamoDB open-saves-records');

  it('names the records table as the bottleneck, saturated at the step where 2 WCU per request passed 70 WCU', () => {
    expect(result.scaling.bottleneck).toBe('DynamoDB open-saves-records');
    // 40 requests/s × 2 = 80 > 70; 30 × 2 = 60 did not throttle.
    expect(table.saturatedAtRate).toBe(40);
    expect(table.evidence[0]).toMatchObject({ metric: 'AWS/DynamoDB WriteThrottleEvents TableName=open-saves-records (Sum)', value: 5, time: new Date(START_MS + 36_000).toISOString() });
  });

  it('consuming past provisioned capacity (burst) is saturation before any throttle', () => {
    const h = history(WRITES_FIRST);
    for (const s of h.series) {
      if (s.metricName === 'ConsumedWriteCapacityUnits') s.points = s.points.map(([t], i) => [t, 2 * RATES[i]!]);
      if (s.metricName === 'WriteThrottleEvents') s.points = s.points.map(([t]) => [t, 0]);
    }
    const burst = component(analyseScaling(input({ history: h })), 'DynamoDB open-saves-records');
    // 40 requests/s × 2 = 80 WCU/s > 70 provisioned
    expect(burst.saturatedAtRate).toBe(40);
    expect(burst.evidence).toEqual([{ metric: 'AWS/DynamoDB ConsumedWriteCapacityUnits TableName=open-saves-records (Sum)', value: 80, time: new Date(START_MS + 36_000).toISOString() }]);
  });

  it('sizes WCU from the unthrottled periods with 30 % headroom for the peak offered rate', () => {
    expect(result.scaling.goalRate).toBe(50);
    // 50 requests/s × 2 WCU = 100 consumed; × 1.3 = 130.
    expect(table.recommendation).toMatch(/^Provision open-saves-records with 130 WCU \(now 70\) and 33 RCU \(now 100\)/);
    expect(table.recommendation).toMatch(/30 % headroom over 100 WCU and 25 RCU consumed/);
    expect(table.arithmetic).toMatch(/WCU per request = [\d,.]+ consumed \/ [\d,.]+ requests \(periods without throttling\) = 2;/);
  });

  it('prices the goal on-demand and provisioned from the price table', () => {
    // on-demand: (100 × 0.000000625 + 25 × 0.000000125) × 3600 = 0.236 USD per hour
    expect(table.recommendation).toMatch(/or on-demand at 0\.236 USD per hour/);
    // provisioned: 130 × 0.00065 + 33 × 0.00013 = 0.0888 USD per hour
    expect(table.recommendation).toMatch(/0\.0888 USD per hour/);
  });

  it('lines the saturation up with the SLO knee of step 4', () => {
    expect(result.findings.join(' ')).toMatch(/The SLO broke at step 4 \(40 iterations\/s, from 36 s into the run\) \(CreateRecord errorRate\); DynamoDB open-saves-records saturated 0 s before that step began: it is what broke the SLO\./);
  });

  it('keeps the pods within their HPA: 50 requests/s × 5 ms = 0.25 cores, / 70 % of 100m = 3.6, so 4 pods of at most 10', () => {
    const pods = component(result, 'pods/HPA');
    expect(pods.saturatedAtRate).toBeNull();
    expect(pods.recommendation).toMatch(/^HPA maximum 10 suffices \(4 pods\) for 50 iterations\/s/);
  });

  it('sizes for --goal-rate instead of the peak', () => {
    const sized = analyseScaling(input({ history: history(WRITES_FIRST), goalRate: 500 }));
    expect(sized.scaling.goalRate).toBe(500);
    expect(component(sized, 'DynamoDB open-saves-records').recommendation).toMatch(/with 1,300 WCU/);
  });

  it("without --goal-rate sizes for the scenario's configured RATE when its summary gives one", () => {
    const configured = analyseScaling(input({ history: history(WRITES_FIRST), configuredRate: 80 }));
    expect(configured.scaling.goalRate).toBe(80);
    expect(configured.findings.join(' ')).toMatch(/Sized for 80 iterations\/s \(the run's configured peak rate \(RATE in the scenario summary\)/);
    // 80 × 2 WCU = 160; × 1.3 = 208
    expect(component(configured, 'DynamoDB open-saves-records').recommendation).toMatch(/with 208 WCU/);
  });

  it('keeps gaps as gaps: periods without points do not dilute the units per request', () => {
    const gapped = analyseScaling(input({ history: history({ ...WRITES_FIRST, gap: [5, 20] }) }));
    expect(component(gapped, 'DynamoDB open-saves-records').arithmetic).toMatch(/= 2; at the goal/);
  });
});

describe('pod CPU saturates first', () => {
  const result = analyseScaling(input({ history: history(PODS_FIRST) }));
  const pods = component(result, 'pods/HPA');

  it('names pods/HPA, saturated at the first step: 2 × rate % of the limit passes the HPA target (14 %) with both pods running', () => {
    expect(result.scaling.bottleneck).toBe('pods/HPA');
    expect(pods.saturatedAtRate).toBe(10);
    expect(pods.evidence[0]).toMatchObject({ metric: expect.stringMatching(/^ContainerInsights pod_cpu_utilization_over_pod_limit .*\(Average\)$/), value: 20 });
  });

  it('records queueing once the two pods are busy for whole seconds (past 50/s: never here)', () => {
    expect(pods.evidence.some((e) => e.metric.includes('RequestQueueLength'))).toBe(false);
    const busier = analyseScaling(input({ history: history({ ...PODS_FIRST, cpuMsPerRequest: 25 }) }));
    // 25 ms per request on 2 × 500m: busy at 40/s; queueing from the 50/s step
    expect(component(busier, 'pods/HPA').evidence.find((e) => e.metric.includes('RequestQueueLength'))!.time).toBe(new Date(START_MS + 48_000).toISOString());
  });

  it('a queue shorter than one request per running pod is bursts, not saturation', () => {
    const h = history({ ...PODS_FIRST, podsMax: 10 });
    const queue = h.series.find((s) => s.metricName === 'RequestQueueLength')!;
    queue.points = queue.points.map(([t]) => [t, 1]);
    expect(component(analyseScaling(input({ history: h })), 'pods/HPA').saturatedAtRate).toBeNull();
  });

  it('leads with the CPU request: 50/s × 20 ms = 1 core, / (70 % × 500m) = 2.9 → 3 pods, where the 100m request needs 14.3 → 15; 2 at the 500m limit', () => {
    expect(pods.action).toBe("Raise the pods' CPU request from 100m to 500m (their limit), and the HPA maximum from 2 to 3 pods");
    expect(pods.recommendation.startsWith(`${pods.action}: the HPA then runs 3 pods for 50 iterations/s`)).toBe(true);
    expect(pods.recommendation).toMatch(/With today's 100m request the HPA keeps each pod at 70 % of 100m and would want 15 pods, past its maximum of 2 .*, though 2 pods at their 500m limits carry the load\./);
    expect(pods.arithmetic).toMatch(/with the request at the 500m limit: 1\.00 \/ 0\.350 = 2\.86, 3 pods/);
    expect(pods.arithmetic).toMatch(/72\.0 limit-seconds \/ 1,800 requests × 0\.5 cores = 20\.0 ms CPU/);
  });
});

describe('the cache', () => {
  it('without a key TTL: a run of the same length at the goal fills goal / mean times the peak (18 % × 50 / 30 = 30 % of 64 MiB)', () => {
    const cache = component(analyseScaling(input({ history: history(WRITES_FIRST) })), 'ElastiCache local-redis');
    expect(cache.saturatedAtRate).toBeNull();
    expect(cache.arithmetic).toMatch(/peak 18 % of 64 MiB at a mean 30 iterations\/s; × 50 \/ 30 = 30 %; .* 19\.2 MiB \/ 0\.8 = 24\.0 MiB per node/);
    // 30 % of today's node is under the 80 % memory alarm: nothing to change, and the smallest node that would do.
    expect(cache.action).toBeNull();
    expect(cache.recommendation).toMatch(/^Today's node carries 50 iterations\/s; the smallest that would: cache\.t4g\.micro \(0\.5 GiB/);
  });

  it('with a TTL longer than the run: a TTL of growth per iteration at the goal (0.1 + 17.9 / 1,800 × 50 × 3,600 = 1,790 %), 1.4 GiB per node', () => {
    const h = history(WRITES_FIRST);
    const cache = component(analyseScaling(input({ history: { ...h, settings: { ...h.settings, 'cache.ttlSeconds': 3600 } } })), 'ElastiCache local-redis');
    expect(cache.arithmetic).toMatch(/keys live 3,600 s \(cache TTL\), so at the goal 0\.100 \+ 0\.00994 × 50 × 3,600 = 1,790 %/);
    expect(cache.action).toMatch(/^Use cache\.t4g\.medium \(3\.09 GiB/);
    expect(cache.recommendation.startsWith(`${cache.action} for 50 iterations/s`)).toBe(true);
    // engine CPU 0.2 % per request/s: 10 % at 50/s, one shard
    expect(cache.arithmetic).toMatch(/= 10 % of one engine thread; under 90 % per node: 1 shard\./);
  });
});

describe('WAF, runners and missing sources', () => {
  it('a blocking WAF rule saturates with its rule named, and the advice says allow-list or target the ALB', () => {
    const result = analyseScaling(
      input({ history: withWaf(history(WRITES_FIRST), 600, 60, 20), wafBlocks: { metric: 'opensaves_waf_blocked', count: 42, lastTimeMs: END_MS } }),
    );
    const waf = component(result, 'WAF rate rule');
    expect(waf.saturatedAtRate).toBe(20);
    expect(result.scaling.bottleneck).toBe('WAF rate rule');
    expect(waf.action).toMatch(/^Allow-list the runners' egress addresses in the WAF .* or target the ALB behind CloudFront$/);
    expect(waf.recommendation.startsWith(`${waf.action}: the WAF blocked the load (RateLimit: 600 requests per 60 s per address)`)).toBe(true);
    // keeping the rule: 50 requests/s × 60 s = 3,000 per window from one address
    expect(waf.recommendation).toMatch(/a limit of at least 3,000 per 60 s/);
    expect(waf.evidence.map((e) => e.metric)).toContain('k6 opensaves_waf_blocked');
  });

  it('sizes the k6 runners from the measured CPU per request of the default mix', () => {
    const result = analyseScaling(input({ history: history(WRITES_FIRST), goalRate: 5000 }));
    const runners = component(result, 'k6 runners');
    // 5000 × 2.46 ms = 12.30 cores, / 0.7 = 17.57, 18 cores; / 2 per pod = 9 pods
    expect(runners.action).toBe('Run 9 runner pods of 2 vCPU (OS_INFRA_K6_PARALLELISM=9)');
    expect(runners.recommendation).toMatch(/^Run 9 runner pods of 2 vCPU \(OS_INFRA_K6_PARALLELISM=9\): 18 cores for k6 at 5,000 iterations\/s/);
    expect(runners.arithmetic).toMatch(/BENCHMARKS\.md/);
  });

  it('the runners fell behind only when k6 dropped iterations for 3 s in a row, not for a moment', () => {
    const blip = clientSeries();
    blip.droppedPerSec[14] = 5;
    blip.droppedPerSec[15] = 5;
    expect(component(analyseScaling(input({ series: blip })), 'k6 runners').saturatedAtRate).toBeNull();
    const behind = clientSeries();
    for (const i of [40, 41, 42, 43]) behind.droppedPerSec[i] = 6;
    const runners = component(analyseScaling(input({ series: behind })), 'k6 runners');
    expect(runners.saturatedAtRate).toBe(40);
    expect(runners.evidence[0]).toEqual({ metric: 'k6 dropped_iterations (per second)', value: 6, time: new Date(START_MS + 40_000).toISOString() });
    // Nothing on the server side saturated first, so the runners themselves are the lever.
    expect(runners.action).toBe('Give the runners more VUs (MAX_VUS) or more CPU, or spread the load over more runners');
    expect(runners.recommendation.startsWith(`${runners.action}. `)).toBe(true);
  });

  it('runners that fell behind after a server component saturated point at it, with nothing of their own to change', () => {
    const behind = clientSeries();
    for (const i of [40, 41, 42, 43]) behind.droppedPerSec[i] = 6;
    const result = analyseScaling(input({ series: behind, history: history(PODS_FIRST) }));
    const runners = component(result, 'k6 runners');
    expect(result.scaling.bottleneck).toBe('pods/HPA');
    expect(runners.action).toBeNull();
    expect(runners.recommendation).toMatch(/this run fell behind from 40 iterations\/s because its VUs waited on pods\/HPA, which saturated first\.$/);
    expect(result.saturations.map((s) => s.component)).toEqual(['pods/HPA', 'k6 runners']);
  });

  it('without server metrics: says why, sizes only the runners and names no bottleneck', () => {
    const result = analyseScaling(input({ history: null, unavailable: 'Server metrics unavailable: --server-metrics http://127.0.0.1:9: cannot reach.' }));
    expect(result.scaling.bottleneck).toBeNull();
    expect(result.scaling.components.map((c) => c.name)).toEqual(['k6 runners']);
    expect(result.findings[0]).toMatch(/^Server metrics unavailable/);
  });

  it('the summary object has exactly the documented keys', () => {
    const { scaling } = analyseScaling(input({ history: history(WRITES_FIRST) }));
    expect(Object.keys(scaling)).toEqual(['goalRate', 'bottleneck', 'components']);
    for (const c of scaling.components) {
      expect(Object.keys(c)).toEqual(['name', 'saturatedAtRate', 'evidence', 'action', 'recommendation', 'arithmetic']);
      for (const e of c.evidence) expect(Object.keys(e)).toEqual(['metric', 'value', 'time']);
    }
  });

  it('draws one utilisation line per server component, 100 % being its saturation point', () => {
    const result = analyseScaling(input({ history: history(WRITES_FIRST) }));
    const table = result.utilisation.find((u) => u.component === 'DynamoDB open-saves-records')!;
    // at 30/s: 60 WCU of 70 = 85.7 %; throttled at 40/s: 70 of 70 = 100 %
    expect(table.points.find((p) => p.x === 30)!.y).toBeCloseTo(85.71, 1);
    expect(Math.max(...table.points.map((p) => p.y))).toBeCloseTo(100, 5);
  });
});

describe('housekeeping in the server metrics', () => {
  // setup() makes 30 requests/s in the first two seconds, while the first step offers 10: the pods serve 40.
  const housekeeping = RATES.map((_, i) => (i < 2 ? 30 : 0));
  const served = RATES.map((rate, i) => rate + housekeeping[i]!);
  const cpuMs = (result: ReturnType<typeof analyseScaling>): number => Number(/= ([\d.]+) ms CPU/.exec(component(result, 'pods/HPA').arithmetic)![1]);

  it("leaves out the periods where it ran, so the CPU per request is the workload's: 20 ms", () => {
    const result = analyseScaling(input({ history: history(PODS_FIRST, served), series: clientSeries(RATES, 1, housekeeping) }));
    expect(cpuMs(result)).toBe(20);
  });

  it('would put its CPU on the workload without them (the figure the join guards against)', () => {
    const result = analyseScaling(input({ history: history(PODS_FIRST, served), series: clientSeries(RATES, 1) }));
    expect(cpuMs(result)).toBeGreaterThan(20);
  });
});

describe('housekeeping in every server period (a run shorter than the periods)', () => {
  // A request/s of teardown's in every second: no period is clean, so all are kept and its requests count as served.
  const housekeeping = RATES.map(() => 1);
  // 10 ms a request keeps the pods under their limit at 51 requests/s, so no CPU is capped away.
  const model = { ...PODS_FIRST, cpuMsPerRequest: 10 };
  const result = analyseScaling(input({ history: history(model, RATES.map((rate) => rate + 1)), series: clientSeries(RATES, 1, housekeeping) }));

  it('keeps every period, dividing by the requests the server served: 10 ms', () => {
    expect(Number(/= ([\d.]+) ms CPU/.exec(component(result, 'pods/HPA').arithmetic)![1])).toBe(10);
  });

  it('says so', () => {
    expect(result.findings).toContain(
      'Every 1 s period of the server metrics also holds requests of setup() or teardown(): the per-request figures count them as served requests (a run longer than a few periods keeps them apart).',
    );
  });
});
