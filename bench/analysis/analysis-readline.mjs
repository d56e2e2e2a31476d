// The anchor of the analysis benchmarks: the plain script anyone would write first to get latency percentiles out of
// `k6 run --out json=FILE` — readline, JSON.parse of every line, one HDR histogram per operation of the request
// durations. Plain JavaScript run by node (no compile step), so its figure is the script's work and Node's start-up.
//   node bench/analysis/analysis-readline.mjs FILE
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as hdr from 'hdr-histogram-js';

const input = process.argv[2];
if (input === undefined) {
  console.error('usage: node bench/analysis/analysis-readline.mjs <k6 output .json>');
  process.exit(2);
}

const histograms = new Map();
let lines = 0;
for await (const line of createInterface({ input: createReadStream(input) })) {
  lines++;
  if (line.length === 0) continue;
  const parsed = JSON.parse(line);
  if (parsed.type !== 'Point' || (parsed.metric !== 'grpc_req_duration' && parsed.metric !== 'http_req_duration')) continue;
  const op = parsed.data.tags?.op ?? parsed.data.tags?.name ?? '';
  let histogram = histograms.get(op);
  if (histogram === undefined) {
    histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
    histograms.set(op, histogram);
  }
  histogram.recordValue(Math.round(parsed.data.value * 1000));
}
for (const [op, histogram] of histograms) {
  console.log(`${op}: ${histogram.totalCount} requests, p95 ${(histogram.getValueAtPercentile(95) / 1000).toFixed(3)} ms`);
}
console.log(`${lines} lines`);
