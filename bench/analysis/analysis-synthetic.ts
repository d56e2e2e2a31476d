// Synthetic k6 `--out json` output with known distributions, for the analysis benchmarks and tests. Each request
// produces the lines a real k6 gRPC run writes per iteration (grpc_req_duration and, on
// failure, opensaves_errors, checks, data_sent, data_received, iteration_duration, iterations), plus vus every
// second and dropped_iterations when the offered rate exceeds what the step achieves. Deterministic for a seed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createGzip } from 'node:zlib';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

export interface SyntheticOperation {
  op: string;
  /** share of requests; weights are normalised */
  weight: number;
  /** median latency in ms of a log-normal distribution */
  medianMs: number;
  /** log-normal sigma; 0 gives a constant latency */
  sigma?: number;
  /** share of requests failing with gRPC status 14 (UNAVAILABLE) */
  errorRate?: number;
}

export interface SyntheticStep {
  /** offered iterations (one request each) per second */
  rate: number;
  durationSec: number;
  /** share of the offered rate that k6 could not start (reported as dropped_iterations) */
  droppedShare?: number;
  /** latency multiplier for the step, per operation (default 1) */
  latencyFactor?: Record<string, number>;
  /** error rate override for the step, per operation */
  errorRate?: Record<string, number>;
}

export interface SyntheticRun {
  operations: SyntheticOperation[];
  steps: SyntheticStep[];
  startTime?: Date;
  seed?: number;
  /** adds an `instance` tag to every point */
  instance?: string;
  /** emit the full line set per request (default) or only grpc_req_duration lines */
  linesPerRequest?: 'full' | 'duration-only';
}

export interface SyntheticRequest {
  op: string;
  timeMs: number;
  latencyMs: number;
  status: string;
}

/** Park-Miller style 32-bit generator: fast, seeded, good enough for test distributions. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const DECLARATIONS: Record<string, string> = {
  grpc_req_duration: '{"type":"Metric","data":{"name":"grpc_req_duration","type":"trend","contains":"time","thresholds":["p(95)<500"],"submetrics":null},"metric":"grpc_req_duration"}',
  opensaves_requests: '{"type":"Metric","data":{"name":"opensaves_requests","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"opensaves_requests"}',
  opensaves_errors: '{"type":"Metric","data":{"name":"opensaves_errors","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"opensaves_errors"}',
  checks: '{"type":"Metric","data":{"name":"checks","type":"rate","contains":"default","thresholds":["rate>0.9"],"submetrics":null},"metric":"checks"}',
  data_sent: '{"type":"Metric","data":{"name":"data_sent","type":"counter","contains":"data","thresholds":[],"submetrics":null},"metric":"data_sent"}',
  data_received: '{"type":"Metric","data":{"name":"data_received","type":"counter","contains":"data","thresholds":[],"submetrics":null},"metric":"data_received"}',
  iteration_duration: '{"type":"Metric","data":{"name":"iteration_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"iteration_duration"}',
  iterations: '{"type":"Metric","data":{"name":"iterations","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"iterations"}',
  vus: '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
  dropped_iterations: '{"type":"Metric","data":{"name":"dropped_iterations","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"dropped_iterations"}',
};

function isoTime(ms: number): string {
  // k6 writes nanoseconds; keep microseconds of the synthetic clock and pad like k6 does.
  const whole = Math.floor(ms);
  const micros = Math.round((ms - whole) * 1000);
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}000Z`;
}

/**
 * Yields the output as chunks of lines. `onRequest` sees every request with the exact latency written, so tests
 * can compute exact percentiles.
 */
export function* syntheticK6Output(run: SyntheticRun, onRequest?: (request: SyntheticRequest) => void): Generator<string> {
  const random = mulberry32(run.seed ?? 1);
  const start = (run.startTime ?? new Date('2026-01-01T00:00:00Z')).getTime();
  const totalWeight = run.operations.reduce((sum, op) => sum + op.weight, 0);
  const instanceTag = run.instance === undefined ? '' : `,"instance":"${run.instance}"`;
  const declared = new Set<string>();
  const lines: string[] = [];
  const emit = (metric: string, timeMs: number, value: number | string, tags: string): void => {
    if (!declared.has(metric)) {
      declared.add(metric);
      lines.push(DECLARATIONS[metric]!);
    }
    lines.push(`{"metric":"${metric}","type":"Point","data":{"time":"${isoTime(timeMs)}","value":${value},"tags":${tags}}}`);
  };
  let stepStart = start;
  for (const step of run.steps) {
    const achieved = step.rate * (1 - (step.droppedShare ?? 0));
    const intervalMs = 1000 / achieved;
    const total = Math.round(achieved * step.durationSec);
    let nextSecond = stepStart;
    for (let i = 0; i < total; i++) {
      const time = stepStart + i * intervalMs;
      while (time >= nextSecond) {
        emit('vus', nextSecond, Math.ceil(step.rate / 100), `{${instanceTag.slice(1)}}`);
        if ((step.droppedShare ?? 0) > 0) {
          emit('dropped_iterations', nextSecond, Math.round(step.rate * step.droppedShare!), `{"scenario":"load"${instanceTag}}`);
        }
        nextSecond += 1000;
      }
      let pick = random() * totalWeight;
      const operation = run.operations.find((op) => (pick -= op.weight) < 0) ?? run.operations[0]!;
      const factor = step.latencyFactor?.[operation.op] ?? 1;
      const sigma = operation.sigma ?? 0.5;
      const latency = Number((operation.medianMs * factor * Math.exp(sigma * normal(random))).toFixed(6));
      const errorRate = step.errorRate?.[operation.op] ?? operation.errorRate ?? 0;
      const status = random() < errorRate ? '14' : '0';
      onRequest?.({ op: operation.op, timeMs: time, latencyMs: latency, status });
      const rpc = operation.op;
      emit(
        'grpc_req_duration',
        time,
        latency,
        `{"group":"","method":"${rpc}"${instanceTag},"name":"/opensaves.OpenSaves/${rpc}","op":"${rpc}","scenario":"load","service":"opensaves.OpenSaves","status":"${status}","url":"127.0.0.1:6000/opensaves.OpenSaves/${rpc}"}`,
      );
      if (run.linesPerRequest !== 'duration-only') {
        const common = `"group":""${instanceTag},"scenario":"load"`;
        // The scenarios judge each call with one kind=status check and count failures, by status name, in opensaves_errors.
        const counterTags = `{"group":""${instanceTag},"op":"${rpc}","scenario":"load","status":"${status === '0' ? 'OK' : 'UNAVAILABLE'}"}`;
        if (status !== '0') emit('opensaves_errors', time, 1, counterTags);
        emit('checks', time, status === '0' ? 1 : 0, `{"check":"the ${rpc} call ends with an expected status",${common},"op":"${rpc}","kind":"status"}`);
        emit('data_sent', time, 208, `{${common}}`);
        emit('data_received', time, 191, `{${common}}`);
        emit('iteration_duration', time, Number((latency + 0.05).toFixed(6)), `{${common}}`);
        emit('iterations', time, 1, `{${common}}`);
      }
      if (lines.length >= 4096) yield `${lines.splice(0).join('\n')}\n`;
    }
    stepStart += step.durationSec * 1000;
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

export function writeSyntheticFile(path: string, run: SyntheticRun, onRequest?: (request: SyntheticRequest) => void): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunk of syntheticK6Output(run, onRequest)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export async function writeSyntheticGzip(path: string, run: SyntheticRun): Promise<void> {
  await pipeline(Readable.from(syntheticK6Output(run)), createGzip(), createWriteStream(path));
}

/** A steady mix close to the mixed scenario: requests/s for durationSec. */
export function steadyMixedRun(rate: number, durationSec: number, seed = 1): SyntheticRun {
  return {
    seed,
    operations: [
      { op: 'GetRecord', weight: 10, medianMs: 2, sigma: 0.4 },
      { op: 'CreateRecord', weight: 5, medianMs: 4, sigma: 0.5, errorRate: 0.002 },
      { op: 'UpdateRecord', weight: 3, medianMs: 4, sigma: 0.5 },
      { op: 'QueryRecords', weight: 6, medianMs: 8, sigma: 0.6 },
      { op: 'CreateBlob', weight: 4, medianMs: 15, sigma: 0.7, errorRate: 0.01 },
      { op: 'GetBlob', weight: 3, medianMs: 10, sigma: 0.6 },
      { op: 'AtomicInc', weight: 2, medianMs: 3, sigma: 0.4 },
    ],
    steps: [{ rate, durationSec }],
  };
}

// CLI: tsx bench/analysis/analysis-synthetic.ts <out.json[.gz]> <requests/s> <seconds>
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [path, rate, seconds] = process.argv.slice(2);
  if (path === undefined || !(Number(rate) > 0) || !(Number(seconds) > 0)) {
    console.error('usage: tsx bench/analysis/analysis-synthetic.ts <out.json[.gz]> <requests/s> <seconds>');
    process.exit(2);
  }
  const run = steadyMixedRun(Number(rate), Number(seconds));
  if (path.endsWith('.gz')) await writeSyntheticGzip(path, run);
  else writeSyntheticFile(path, run);
}
