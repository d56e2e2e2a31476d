// Runs one load generator as a child process, pinned to given CPUs, and
// records what it costs: total CPU and peak RSS from GNU time, plus periodic
// /proc samples paired with the emulator's request counter so that a
// steady-state window (no start-up, no shut-down) can be cut out afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childPids, sampleProcess } from './proc-stats.js';
import { parseTimeReport, TIME_FORMAT, type TimeTotals } from './time-report.js';

export const GNU_TIME = '/usr/bin/time';

export interface MeasuredRunOptions {
  /** label used in messages, e.g. "ghz Ping" */
  label: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** taskset CPU list the generator may use, e.g. "0" */
  cpuList?: string;
  /** the run is killed after this long; every run is bounded */
  timeoutMs: number;
  sampleIntervalMs?: number;
  /** reads the emulator's request counter; sampled together with CPU */
  countRequests?: () => Promise<number>;
  /** reads the bytes the generator has moved so far (a k6 run's data_sent + data_received); sampled with CPU */
  countBytes?: () => Promise<number>;
  /** checked after every sample; when true the generator gets SIGINT (a graceful stop) */
  stopWhen?: (samples: readonly RunSample[]) => boolean;
}

export interface RunSample {
  /** performance.now() when taken: comparable between runs measured by one process, such as a pair's two runs */
  atMs: number;
  elapsedMs: number;
  cpuSeconds: number;
  peakRssKb: number;
  /** the emulator's counter at this moment; NaN when no counter was given */
  requests: number;
  /** bytes the generator has moved by this moment; absent or NaN when no byte counter was given */
  bytes?: number;
}

export interface MeasuredRun {
  label: string;
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  totals: TimeTotals;
  samples: RunSample[];
}

// Generators running now, so an interrupted benchmark stops them rather than leave them loading a emulator.
const running = new Set<number>();

/** Sends `signal` to every generator still running (GNU time's child, or time itself before it has forked). */
export function signalRunningGenerators(signal: NodeJS.Signals): number {
  for (const pid of running) {
    try {
      process.kill(childPids(pid)[0] ?? pid, signal);
    } catch {
      // Already gone.
    }
  }
  return running.size;
}

export async function measureRun(options: MeasuredRunOptions): Promise<MeasuredRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const reportPath = join(scratch, 'time.txt');
  const pinned = options.cpuList ? ['taskset', '-c', options.cpuList] : [];
  const child = spawn(GNU_TIME, ['-f', TIME_FORMAT, '-o', reportPath, ...pinned, options.command, ...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) running.add(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const started = performance.now();
  const samples: RunSample[] = [];
  let generatorPid: number | undefined;
  let sampling = false;
  let stopRequested = false;
  const takeSample = async (): Promise<void> => {
    if (sampling || child.pid === undefined) return;
    sampling = true;
    try {
      // GNU time forks the generator (taskset execs into it), so it is time's only child.
      generatorPid ??= childPids(child.pid)[0];
      if (generatorPid === undefined) return;
      const reading = sampleProcess(generatorPid);
      if (!reading) return;
      const requests = options.countRequests ? await options.countRequests() : Number.NaN;
      const bytes = options.countBytes ? await options.countBytes() : Number.NaN;
      const atMs = performance.now();
      samples.push({ atMs, elapsedMs: atMs - started, ...reading, requests, bytes });
      if (!stopRequested && options.stopWhen?.(samples)) {
        stopRequested = true;
        process.kill(generatorPid, 'SIGINT');
      }
    } finally {
      sampling = false;
    }
  };
  const sampler = setInterval(() => {
    takeSample().catch((error: Error) => (stderr += `\n[bench] sampling failed: ${error.message}`));
  }, options.sampleIntervalMs ?? 500);

  let timedOut = false;
  let lastResort: NodeJS.Timeout | undefined;
  const killer = setTimeout(() => {
    timedOut = true;
    generatorPid ??= child.pid === undefined ? undefined : childPids(child.pid)[0];
    // Kill the generator itself, so GNU time still reports on it; killing time alone would orphan it.
    if (generatorPid === undefined) child.kill('SIGKILL');
    else process.kill(generatorPid, 'SIGKILL');
    lastResort = setTimeout(() => child.kill('SIGKILL'), 5_000);
  }, options.timeoutMs);

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (child.pid !== undefined) running.delete(child.pid);
  clearInterval(sampler);
  clearTimeout(killer);
  clearTimeout(lastResort);
  try {
    let report: string;
    try {
      report = readFileSync(reportPath, 'utf8');
    } catch {
      throw new Error(`${options.label}: ${GNU_TIME} wrote no report (is GNU time installed?); stderr:\n${stderr}`);
    }
    const totals = parseTimeReport(report, `of ${options.label}`);
    return { label: options.label, exitCode, timedOut, stdout, stderr, totals, samples };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
