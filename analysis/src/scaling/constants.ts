// Assumptions and data constants of the sizing arithmetic, each stated in the report where it is used.

/** Headroom on provisioned DynamoDB capacity above the consumption the goal needs. */
export const DYNAMODB_HEADROOM = 0.3;

/** The AWS port's deployment (shared/spec/open-saves-aws-http.md section 1): used when the source does not say. */
export const PORT_DEFAULTS = { podsMin: 2, podsMax: 10, cpuLimitMillicores: 500, cpuRequestMillicores: 100, hpaTargetPercent: 70, memoryLimitMiB: 512 } as const;

/** ElastiCache: keep memory under the kit's alarm (OS_INFRA_REDIS_MEMORY_PERCENT default) and engine CPU under AWS's. */
export const CACHE_MEMORY_TARGET_PERCENT = 80;
export const CACHE_ENGINE_CPU_LIMIT_PERCENT = 90;

/**
 * Generator CPU per request for the default mix: BENCHMARKS.md section 1c, `dist/mixed.js` after its uncompared blob
 * reads stopped converting their bytes: at most 31 CPU seconds per 10,000 iterations over the whole process (23.5 to
 * 27.7 in the steady window; 2026-12-05, one core of this kind of machine), at the mix's 1.26 requests per iteration.
 * The k6 JSON output carries no CPU, so this measured figure stands in for the run's own.
 */
export const K6_CPU_SECONDS_PER_REQUEST = 31 / 1.26 / 10_000;
export const K6_CPU_SOURCE = 'BENCHMARKS.md section 1c (mixed bundle, at most 31 CPU s per 10k iterations of 1.26 requests, whole process)';
/** Keep each runner below this share of its cores, so the generator itself never adds latency. */
export const K6_CPU_TARGET = 0.7;
/** Cores of one runner pod: the assumption the pod count rests on. */
export const K6_CORES_PER_POD = 2;

/** A load generator fell behind when it achieved less than this share of what it offered (as capacity.ts). */
export const ACHIEVED_SHARE = 0.95;
