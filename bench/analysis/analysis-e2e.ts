// The analysis as a user runs it: `npm run analyze -- FILE --format json`, timed from process start to exit
// (npm, the build check, reading, aggregating, writing summary.json), on a real k6 output's mix of lines. A short
// capacity run recorded against the local emulator (or --from FILE, any `k6 run --out json` file) is replicated to
// --lines lines, each copy shifted in time after the one before, so the result reads as one long run; --synthetic
// yes writes bench/analysis/analysis-synthetic.ts's mixed gRPC run instead. Its anchor is measured in the same run: a plain
// readline + JSON.parse script over the same file (bench/analysis/analysis-readline.mjs). Each repeat is one round of every
// case, the order rotating from round to round, and each round gives a ratio, so load that comes and goes on the
// shared machine moves both sides of a ratio alike. --before DIR adds a third case: `npm run analyze` in another
// checkout (an earlier commit: `git archive COMMIT analysis catalogue proto data package.json | tar -x -C DIR` and
// `ln -s "$PWD/node_modules" DIR/`), for before/after figures from the same run. A rebuild of analysis/dist that a
// changed source calls for is made before a timed run, untimed. Prints wall time, CPU time and peak RSS (GNU
// time, worker threads and npm included) per run, the ratios per round, medians and ranges, and the load average.
//
//   npx tsx bench/analysis/analysis-e2e.ts [--lines 5000000] [--repeat 3] [--from k6.json | --synthetic yes] [--record-rate 200]
//                                 [--before DIR] [--keep yes]
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT, startEmulatorProcess } from '../../test/helpers/emulator-process.js';
import { K6_BINARY } from '../../test/helpers/k6.js';
import { MissingInputError, runMain } from '../lib/main.js';
import { GNU_TIME } from '../lib/measure/measured-run.js';
import { BenchConfigError, positiveInteger, readOptions } from '../lib/options.js';
import { parseTimeReport, TIME_FORMAT } from '../lib/measure/time-report.js';
import { steadyMixedRun, writeSyntheticFile } from './analysis-synthetic.js';

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

/** One program measured on the input: a label and how to start it. */
interface Case {
  label: string;
  cwd: string;
  command: string;
  args: (input: string, outDir: string) => string[];
  /** exit codes that mean "ran to the end" (the analysis exits 1 on a missed SLO) */
  okCodes: readonly number[];
  /** run before each timed run, untimed */
  prepare?: () => void;
}

const ANALYZE_ARGS = (input: string, outDir: string) => ['run', '--silent', 'analyze', '--', input, '--format', 'json', '--out-dir', outDir];

function analysisCase(label: string, cwd: string): Case {
  const build = join(cwd, 'analysis/build.mjs');
  // The working tree may change while the benchmark runs: a rebuild (about 0.2 s) belongs to no timed run.
  const prepare = existsSync(build) ? () => void execFileSync(process.execPath, [build, '--if-stale'], { cwd, stdio: 'ignore' }) : undefined;
  return { label, cwd, command: 'npm', args: ANALYZE_ARGS, okCodes: [0, 1], ...(prepare === undefined ? {} : { prepare }) };
}

const READLINE_CASE: Case = {
  label: 'readline + JSON.parse',
  cwd: REPO_ROOT,
  command: process.execPath,
  args: (input) => [join(REPO_ROOT, 'bench/analysis/analysis-readline.mjs'), input],
  okCodes: [0],
};

/** Runs one case under GNU time. */
async function timeCase(runCase: Case, input: string, outDir: string): Promise<Timing> {
  mkdirSync(outDir, { recursive: true });
  runCase.prepare?.();
  const report = join(outDir, 'time.txt');
  const started = performance.now();
  const code = await new Promise<number | null>((done) => {
    const child = spawn(GNU_TIME, ['-f', TIME_FORMAT, '-o', report, runCase.command, ...runCase.args(input, outDir)], {
      cwd: runCase.cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (exit) => {
      if (exit === null || !runCase.okCodes.includes(exit)) process.stderr.write(stderr);
      done(exit);
    });
  });
  const wallSec = (performance.now() - started) / 1000;
  if (code === null || !runCase.okCodes.includes(code)) throw new Error(`${runCase.label} exited with ${code}`);
  const totals = parseTimeReport(readFileSync(report, 'utf8'), `of ${runCase.label}`);
  return { wallSec, cpuSec: totals.cpuSeconds, peakRssMb: totals.peakRssKb / 1024 };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const spread = (values: readonly number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
const loadText = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** The input file: a recording replicated to `lines` lines, or the synthetic mixed run. Returns its line count. */
async function writeInput(raw: Record<string, string | undefined>, lines: number, dir: string, input: string): Promise<number> {
  if (raw.synthetic === 'yes') {
    // 5,000 requests/s of the synthetic mix write about 6 lines per request (7 for a failed one) and a vus line a second.
    writeSyntheticFile(input, steadyMixedRun(5000, Math.max(1, Math.round(lines / 30_000))));
    return countLines(input);
  }
  const source = raw.from ? resolve(raw.from) : join(dir, 'capacity.json');
  if (raw.from) {
    if (!existsSync(source)) throw new MissingInputError(`--from ${raw.from}`, 'expected a file written by `k6 run --out json=FILE`');
  } else {
    const rate = positiveInteger('record-rate', raw['record-rate'], 5000);
    console.log(`recording a capacity run (5 steps up to ${rate}/s, 30 s) against a local emulator ...`);
    await recordCapacityRun(rate, source);
  }
  const recording = await readRecording(source);
  console.log(`${recording.points.length.toLocaleString('en-US')} recorded points, replicated`);
  return replicate(recording, lines, input);
}

async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) count++;
  }
  return count;
}

runMain('analysis-e2e', async () => {
  const raw = readOptions(process.argv.slice(2), { lines: '5000000', repeat: '3', from: '', synthetic: 'no', 'record-rate': '200', before: '', keep: 'no' });
  for (const flag of ['keep', 'synthetic'] as const) {
    if (raw[flag] !== 'yes' && raw[flag] !== 'no') throw new BenchConfigError(`--${flag}`, 'yes or no', raw[flag] ?? '');
  }
  if (raw.synthetic === 'yes' && raw.from) throw new BenchConfigError('--synthetic', 'no together with --from', 'yes');
  const lines = positiveInteger('lines', raw.lines, 100_000_000);
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  const cases: Case[] = [analysisCase('analysis', REPO_ROOT)];
  if (raw.before) {
    const before = resolve(raw.before);
    if (!existsSync(join(before, 'package.json'))) throw new MissingInputError(`--before ${raw.before}`, 'expected a checkout with package.json and node_modules');
    cases.push(analysisCase('analysis before', before));
  }
  cases.push(READLINE_CASE);
  const dir = mkdtempSync(join(tmpdir(), 'analysis-e2e-'));
  try {
    const input = join(dir, 'k6.json');
    const written = await writeInput(raw, lines, dir, input);
    const bytes = statSync(input).size;
    console.log(`input: ${written.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(0)} MB (${(bytes / written).toFixed(0)} bytes per line)`);
    const timings = new Map<string, Timing[]>(cases.map((c) => [c.label, []]));
    for (let round = 0; round < repeats; round++) {
      const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
      for (const runCase of order) {
        const load = loadText();
        const timing = await timeCase(runCase, input, join(dir, `out-${round}-${cases.indexOf(runCase)}`));
        timings.get(runCase.label)!.push(timing);
        console.log(
          `round ${round + 1}, ${runCase.label.padEnd(22)} ${timing.wallSec.toFixed(2).padStart(6)} s, ${(bytes / 1e6 / timing.wallSec).toFixed(0).padStart(4)} MB/s, ` +
            `${(written / 1e6 / timing.wallSec).toFixed(2)} M lines/s, ${timing.cpuSec.toFixed(2)} CPU s, peak RSS ${timing.peakRssMb.toFixed(0)} MB; load average before ${load}`,
        );
      }
    }
    const anchor = timings.get(READLINE_CASE.label)!;
    for (const runCase of cases) {
      const runs = timings.get(runCase.label)!;
      const mbPerSec = runs.map((t) => bytes / 1e6 / t.wallSec);
      const linesPerSec = runs.map((t) => written / 1e6 / t.wallSec);
      const rss = runs.map((t) => t.peakRssMb);
      const cpu = runs.map((t) => t.cpuSec);
      let ratios = '';
      if (runCase !== READLINE_CASE) {
        // Per round: the anchor's time over this case's time (how many times faster than the plain script).
        const wallRatio = runs.map((t, i) => anchor[i]!.wallSec / t.wallSec);
        const cpuRatio = runs.map((t, i) => anchor[i]!.cpuSec / t.cpuSec);
        ratios = `; ${median(wallRatio).toFixed(2)}× the readline script's speed in wall time (${spread(wallRatio, 2)}), ${median(cpuRatio).toFixed(2)}× in CPU time (${spread(cpuRatio, 2)})`;
      }
      console.log(
        `${runCase.label}: ${median(mbPerSec).toFixed(0)} MB/s (${spread(mbPerSec, 0)}), ${median(linesPerSec).toFixed(2)} M lines/s (${spread(linesPerSec, 2)}), ` +
          `${median(cpu).toFixed(2)} CPU s (${spread(cpu, 2)}), peak RSS ${median(rss).toFixed(0)} MB (${spread(rss, 0)})${ratios}`,
      );
    }
    if (raw.before) {
      const after = timings.get('analysis')!;
      const before = timings.get('analysis before')!;
      const wall = after.map((t, i) => before[i]!.wallSec / t.wallSec);
      const cpu = after.map((t, i) => before[i]!.cpuSec / t.cpuSec);
      console.log(`analysis against before, per round: ${median(wall).toFixed(2)}× as fast in wall time (${spread(wall, 2)}), ${median(cpu).toFixed(2)}× in CPU time (${spread(cpu, 2)})`);
    }
    console.log(`${repeats} round(s); load average ${loadText()} (2 cores shared)`);
    if (raw.keep === 'yes') console.log(`kept ${input}`);
  } finally {
    if (raw.keep !== 'yes') rmSync(dir, { recursive: true, force: true });
  }
});
