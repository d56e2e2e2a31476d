// Throughput and peak memory of `npm run analyze` on synthetic k6 output (bench/analysis/analysis-synthetic.ts, the mixed
// gRPC line set at 5,000 requests/s). Prints figures; it is not a test and asserts nothing.
//   npx tsx bench/analysis/analysis-throughput.ts [lines=1000000] [--keep]
// Each figure comes from a fresh process that only reads and aggregates (no report rendering, no tsx start-up in
// the timing): wall time, CPU time (all threads) and peak RSS (worker threads included). The machine is shared,
// so lines per CPU-second is the steadier figure; the load average is printed alongside.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as hdr from 'hdr-histogram-js';
import { steadyMixedRun, writeSyntheticFile } from './analysis-synthetic.js';
import { scanInputs } from '../../analysis/src/input/scan.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
// Lines per request in the synthetic mix (6, 7 for a failed request, plus a vus point per second).
const LINES_PER_REQUEST = 6;
const RATE = 5000;

interface Measurement {
  lines: number;
  wallSec: number;
  cpuSec: number;
  peakRssMb: number;
}

/** Child side: scans one file with the given worker setting and prints a Measurement as JSON. */
async function measure(input: string, workers: string): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let lines: number;
  if (workers === 'naive') lines = await naiveBaseline(input);
  else {
    const { aggregate } = await scanInputs([input], { bucketMs: 10_000, lenient: false, workers: workers === 'auto' ? 'auto' : Number(workers) });
    lines = aggregate.input.lines;
  }
  const wallSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // maxRSS covers the whole process, worker threads included (they share its address space).
  const result: Measurement = { lines, wallSec, cpuSec: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

/** Runs `measure` in a fresh process, so each figure has its own peak RSS. */
function measureInChild(input: string, workers: string): Promise<Measurement> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', input, workers], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout) as Measurement) : reject(new Error(`measurement exited ${code}`))));
  });
}

/** The approach the tool replaces: readline, JSON.parse of every line, one HDR histogram per operation. */
async function naiveBaseline(input: string): Promise<number> {
  const histograms = new Map<string, ReturnType<typeof hdr.build>>();
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(input) })) {
    lines++;
    const parsed = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags: { op?: string } } };
    if (parsed.type !== 'Point' || parsed.metric !== 'grpc_req_duration') continue;
    const op = parsed.data.tags.op ?? '';
    let histogram = histograms.get(op);
    if (histogram === undefined) histograms.set(op, (histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 })));
    histogram.recordValue(Math.round(parsed.data.value * 1000));
  }
  return lines;
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3]!, process.argv[4]!);
  process.exit(0);
}

const lines = Number(process.argv[2] ?? 1_000_000);
if (!(lines >= 10_000)) {
  console.error('usage: tsx bench/analysis/analysis-throughput.ts [lines >= 10000] [--keep]');
  process.exit(2);
}
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(join(tmpdir(), 'analysis-bench-'));
const input = join(dir, 'k6.json');
const seconds = Math.max(1, Math.round(lines / (RATE * LINES_PER_REQUEST)));
console.log(`generating ~${(lines / 1e6).toFixed(1)}M lines (${RATE} requests/s for ${seconds} s) in ${input} ...`);
writeSyntheticFile(input, steadyMixedRun(RATE, seconds));
const bytes = statSync(input).size;
const actualLines = await countLines(input);
console.log(`input: ${actualLines.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores shared)`);

const settings = lines <= 2_000_000 ? ['naive', '0', 'auto'] : ['0', 'auto'];
for (const workers of settings) {
  const m = await measureInChild(input, workers);
  const label = workers === 'naive' ? 'readline + JSON.parse + HDR (baseline)' : workers === '0' ? 'analysis, main thread only' : 'analysis, 2 worker threads';
  console.log(
    `${label.padEnd(40)} ${m.wallSec.toFixed(2).padStart(6)} s  ${(m.lines / m.wallSec / 1e6).toFixed(2)} M lines/s  ` +
      `(${(m.lines / m.cpuSec / 1e6).toFixed(2)} M lines per CPU-second)  peak RSS ${m.peakRssMb.toFixed(0)} MB`,
  );
}
if (keep) console.log(`kept ${input}`);
else rmSync(dir, { recursive: true, force: true });

async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count++;
  }
  return count;
}
