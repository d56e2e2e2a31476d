// Reads a k6 JSON output (--out json=...): its request samples by phase, as k6
// tags them (setup() and teardown() carry the group ::setup / ::teardown and no
// scenario; the iterations carry their scenario's name), and what the run created.
import { readFileSync } from 'node:fs';

export interface RequestSample {
  readonly metric: 'http_reqs' | 'grpc_req_duration';
  readonly tags: Readonly<Record<string, string>>;
}

/** Every request sample: one http_reqs point per HTTP request, one grpc_req_duration point per gRPC call. */
export function requestSamples(path: string): RequestSample[] {
  const samples: RequestSample[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes('"type":"Point"')) continue;
    const point = JSON.parse(line) as { metric: string; data: { tags?: Record<string, string> } };
    if (point.metric === 'http_reqs' || point.metric === 'grpc_req_duration') samples.push({ metric: point.metric, tags: point.data.tags ?? {} });
  }
  return samples;
}

export type Phase = 'setup' | 'teardown' | 'workload';

export function phaseOf(sample: RequestSample): Phase | undefined {
  if (sample.tags.scenario !== undefined) return 'workload';
  if (sample.tags.group === '::setup') return 'setup';
  if (sample.tags.group === '::teardown') return 'teardown';
  return undefined;
}

export function countByPhase(samples: readonly RequestSample[]): Record<Phase, number> {
  const counts: Record<Phase, number> = { setup: 0, teardown: 0, workload: 0 };
  for (const sample of samples) {
    const phase = phaseOf(sample);
    if (phase !== undefined) counts[phase]++;
  }
  return counts;
}

function succeeded(sample: RequestSample): boolean {
  return sample.metric === 'http_reqs' ? /^2\d\d$/.test(sample.tags.status ?? '') : sample.tags.status === '0';
}

/** Stores, records (markers included) and blob uploads the run made: its successful creates, in any phase. */
export function itemsCreated(samples: readonly RequestSample[]): number {
  return samples.filter((sample) => ['CreateStore', 'CreateRecord', 'CreateBlob'].includes(sample.tags.op ?? '') && succeeded(sample)).length;
}
