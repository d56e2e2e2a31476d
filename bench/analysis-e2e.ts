// The analysis as a user runs it: `npm run analyze -- FILE --format json`, timed from process start to exit
// (npm, tsx, reading, aggregating, writing summary.json), on a real k6 output's mix of lines. A short capacity run
// recorded against the local emulator (or --from FILE, any `k6 run --out json` file) is replicated to --lines lines,
// each copy shifted in time after the one before, so the result reads as one long run. Prints throughput and peak RSS
// (GNU time, worker threads included) per repeat, their median and range, and the load average.
//
//   npx tsx bench/analysis-e2e.ts [--lines 5000000] [--repeat 3] [--from k6.json] [--record-rate 200] [--keep yes]
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, startEmulatorProcess } from '../test/helpers/emulator-process.js';
import { K6_BINARY } from '../test/helpers/k6.js';
import { MissingInputError, runMain } from './lib/main.js';
import { GNU_TIME } from './lib/measured-run.js';
import { BenchConfigError, positiveInteger, readOptions } from './lib/options.js';
import { parseTimeReport, TIME_FORMAT } from './lib/time-report.js';

/** A Point line cut around its time, so copies can be written with another time. */
interface TimedLine {
  before: string;
  /** whole milliseconds of the time */
  ms: number;
  /** the digits after the milliseconds, e.g. "574490" of .041574490Z */
  subMs: string;
  after: string;
}

const TIME_FIELD = '"time":"';

/** Reads a k6 JSON file into its declaration lines and its Point lines cut around their times. */
export async function readRecording(path: string): Promise<{ declarations: string[]; points: TimedLine[]; spanMs: number }> {
  const declarations: string[] = [];
  const points: TimedLine[] = [];
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (line.length === 0) continue;
    const at = line.indexOf(TIME_FIELD);
    if (!line.includes('"type":"Point"') || at < 0) {
      declarations.push(line);
      continue;
    }
    const start = at + TIME_FIELD.length;
    const end = line.indexOf('"', start);
    const time = line.slice(start, end);
    const dot = time.indexOf('.');
    const ms = Date.parse(dot < 0 ? time : `${time.slice(0, dot + 4).padEnd(dot + 4, '0')}Z`);
    if (Number.isNaN(ms)) throw new Error(`${path}: cannot read the time of \`${line.slice(0, 120)}\``);
    points.push({ before: line.slice(0, start), ms, subMs: dot < 0 ? '' : time.slice(dot + 4, -1), after: line.slice(end) });
  }
  if (points.length === 0) throw new Error(`${path}: no k6 Points`);
  const times = points.map((point) => point.ms);
  return { declarations, points, spanMs: Math.max(...times) - Math.min(...times) + 1000 };
}

/** Writes the declarations once and the points copy after copy until `lines` lines; returns the lines written. */
export function replicate(recording: Awaited<ReturnType<typeof readRecording>>, lines: number, output: string): number {
  const fd = openSync(output, 'w');
  let written = 0;
  let buffer: string[] = [];
  const flush = () => {
    writeSync(fd, buffer.join(''));
    buffer = [];
  };
  try {
    for (const declaration of recording.declarations) {
      buffer.push(`${declaration}\n`);
      written++;
    }
    for (let copy = 0; written < lines; copy++) {
      const shift = copy * recording.spanMs;
      for (const point of recording.points) {
        if (written >= lines) break;
        const iso = new Date(point.ms + shift).toISOString();
        buffer.push(`${point.before}${iso.slice(0, -1)}${point.subMs}Z${point.after}\n`);
        written++;
        if (buffer.length >= 50_000) flush();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return written;
}

/** A short capacity run at `rate` against a local emulator, recorded with --out json. Bounded: 5 steps of 6 s. */
async function recordCapacityRun(rate: number, output: string): Promise<void> {
  const bundle = join(REPO_ROOT, 'dist/capacity.js');
  if (!existsSync(bundle)) throw new MissingInputError('bundle dist/capacity.js', 'run `make bundle` first');
  const emulator = await startEmulatorProcess(['--max-bytes', '4g']);
  try {
    const args = ['run', '--quiet', '--no-color', '--out', `json=${output}`,
      '-e', `OPEN_SAVES_ADDR=${emulator.grpcAddress}`, '-e', `RATE=${rate}`, '-e', 'RAMP=2s', '-e', 'HOLD=4s', '-e', 'MAX_VUS=100',
      '-e', `SUMMARY_PATH=${output}.summary.json`, '-e', 'SLO_P95_MS=600000', '-e', 'SLO_P99_MS=600000', bundle];
    const code = await new Promise<number | null>((done) => {
      const child = spawn(K6_BINARY, args, { cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.once('close', (exit) => {
        clearTimeout(timer);
        done(exit);
      });
    });
    if (code !== 0 && code !== 99) throw new Error(`the capacity run exited with ${code}`);
  } finally {
    await emulator.stop();
  }
}

interface Timing {
  wallSec: number;
  cpuSec: number;
  peakRssMb: number;
}

/** `npm run analyze -- input --format json` under GNU time. */
async function timeAnalyze(input: string, outDir: string): Promise<Timing> {
  mkdirSync(outDir, { recursive: true });
  const report = join(outDir, 'time.txt');
  const started = performance.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn(GNU_TIME, ['-f', TIME_FORMAT, '-o', report, 'npm', 'run', '--silent', 'analyze', '--', input, '--format', 'json', '--out-dir', outDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (exit) => {
      if (exit !== 0 && exit !== 1) process.stderr.write(stderr);
      done(exit);
    });
  });
  const wallSec = (performance.now() - started) / 1000;
  // Exit 1 is a missed SLO: the analysis ran to the end.
  if (code !== 0 && code !== 1) throw new Error(`npm run analyze exited with ${code}`);
  const totals = parseTimeReport(readFileSync(report, 'utf8'), 'of npm run analyze');
  return { wallSec, cpuSec: totals.cpuSeconds, peakRssMb: totals.peakRssKb / 1024 };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const spread = (values: readonly number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

runMain('analysis-e2e', async () => {
  const raw = readOptions(process.argv.slice(2), { lines: '5000000', repeat: '3', from: '', 'record-rate': '200', keep: 'no' });
  if (raw.keep !== 'yes' && raw.keep !== 'no') throw new BenchConfigError('--keep', 'yes or no', raw.keep ?? '');
  const lines = positiveInteger('lines', raw.lines, 100_000_000);
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  const dir = mkdtempSync(join(tmpdir(), 'analysis-e2e-'));
  try {
    const source = raw.from ? resolve(raw.from) : join(dir, 'capacity.json');
    if (raw.from) {
      if (!existsSync(source)) throw new MissingInputError(`--from ${raw.from}`, 'expected a file written by `k6 run --out json=FILE`');
    } else {
      const rate = positiveInteger('record-rate', raw['record-rate'], 5000);
      console.log(`recording a capacity run (5 steps up to ${rate}/s, 30 s) against a local emulator ...`);
      await recordCapacityRun(rate, source);
    }
    const recording = await readRecording(source);
    const input = join(dir, 'k6.json');
    const written = replicate(recording, lines, input);
    const bytes = statSync(input).size;
    console.log(
      `input: ${written.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(0)} MB (${(bytes / written).toFixed(0)} bytes per line), ` +
        `${recording.points.length.toLocaleString('en-US')} recorded points replicated`,
    );
    const timings: Timing[] = [];
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const load = loadavg().map((value) => value.toFixed(2)).join(' ');
      const timing = await timeAnalyze(input, join(dir, `out-${repeat}`));
      timings.push(timing);
      console.log(
        `run ${repeat}: ${timing.wallSec.toFixed(2)} s, ${(bytes / 1e6 / timing.wallSec).toFixed(0)} MB/s, ${(written / 1e6 / timing.wallSec).toFixed(2)} M lines/s, ` +
          `${timing.cpuSec.toFixed(2)} CPU s, peak RSS ${timing.peakRssMb.toFixed(0)} MB; load average before ${load}`,
      );
    }
    const mbPerSec = timings.map((t) => bytes / 1e6 / t.wallSec);
    const linesPerSec = timings.map((t) => written / 1e6 / t.wallSec);
    const rss = timings.map((t) => t.peakRssMb);
    console.log(
      `analysis end to end: ${median(mbPerSec).toFixed(0)} MB/s (${spread(mbPerSec, 0)}), ${median(linesPerSec).toFixed(2)} M lines/s (${spread(linesPerSec, 2)}), ` +
        `peak RSS ${median(rss).toFixed(0)} MB (${spread(rss, 0)}) over ${repeats} run(s); load average ${loadavg().map((value) => value.toFixed(2)).join(' ')} (2 cores shared)`,
    );
    if (raw.keep === 'yes') console.log(`kept ${input}`);
  } finally {
    if (raw.keep !== 'yes') rmSync(dir, { recursive: true, force: true });
  }
});
