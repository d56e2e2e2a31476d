// Reads every input into one Aggregate: on the main thread for small inputs, else on worker threads over byte
// ranges. Turns per-range line problems into file-and-line errors or warnings.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Aggregate } from '../aggregate/aggregate.js';
import { PARALLEL_MIN_BYTES, RANGE_TARGET_BYTES } from '../config/constants.js';
import { InputError } from '../config/errors.js';
import { openInputs, planRanges, type InputFile } from './plan.js';
import { chooseBucketMs } from './bucket.js';
import { readRange, type RangeResult, type RangeTask } from './reader.js';
import type { WorkerMessage, WorkerSettings } from './worker.js';

export interface ScanOptions {
  /** 'auto': chosen from the inputs' first and last timestamps (bucket.ts) */
  bucketMs: number | 'auto';
  lenient: boolean;
  /** worker threads; 'auto' uses up to two for inputs over PARALLEL_MIN_BYTES, 0 reads on the main thread */
  workers: number | 'auto';
  /** plain files are cut into ranges of about this many bytes (tests use small values) */
  rangeBytes?: number;
  onStart?: (totalBytes: number) => void;
  onProgress?: (bytes: number) => void;
}

export interface ScanResult {
  aggregate: Aggregate;
  files: InputFile[];
  warnings: string[];
}

export async function scanInputs(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const files = await openInputs(paths);
  const bucketMs = options.bucketMs === 'auto' ? chooseBucketMs(files) : options.bucketMs;
  const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
  options.onStart?.(totalBytes);
  const wanted =
    options.workers === 'auto' ? (totalBytes < PARALLEL_MIN_BYTES ? 0 : Math.min(2, availableParallelism())) : options.workers;
  const rangeBytes = balancedRangeBytes(totalBytes, wanted, options.rangeBytes ?? RANGE_TARGET_BYTES);
  const tasks = await planRanges(files, rangeBytes);
  const workerCount = Math.min(wanted, tasks.length);
  const settings: WorkerSettings = { bucketMs, lenient: options.lenient };
  // Each range's aggregate is merged as soon as it arrives and dropped; only its line counts and problems are kept,
  // so memory does not grow with the number of ranges (a 30 GB file has over a hundred).
  const aggregate = new Aggregate(bucketMs);
  const collect = (result: RangeResult): RangeOutcome => {
    aggregate.merge(result.aggregate);
    const { id, lines, firstInvalid, truncatedLastLine, truncatedGzip, failure } = result;
    return { id, lines, firstInvalid, truncatedLastLine, truncatedGzip, failure, invalidLines: result.aggregate.input.invalidLines };
  };
  const outcomes =
    workerCount === 0
      ? await readOnMainThread(tasks, settings, options, collect)
      : await readOnWorkers(tasks, settings, workerCount, options, collect);

  const warnings = checkResults(tasks, outcomes, options.lenient);
  if (aggregate.input.points === 0) {
    throw new InputError(paths.join(', '), 'no k6 samples found; expected output of `k6 run --out json=FILE`');
  }
  return { aggregate, files, warnings };
}

/**
 * The size of the byte ranges: at most `targetBytes`, and as many ranges as a multiple of the workers, so each worker
 * reads the same share. Five ranges for two workers left one worker reading the fifth alone, a fifth of the scan on
 * one core (a 1.1 GB file: ranges of 227 MB, 3 against 2).
 */
export function balancedRangeBytes(totalBytes: number, workers: number, targetBytes: number): number {
  const perWorker = Math.max(1, workers);
  const ranges = Math.ceil(Math.max(1, Math.ceil(totalBytes / targetBytes)) / perWorker) * perWorker;
  return Math.max(1, Math.ceil(totalBytes / ranges));
}

/** What is kept of a range once its aggregate is merged. */
type RangeOutcome = Omit<RangeResult, 'aggregate'> & { invalidLines: number };

function endsRun(outcome: RangeOutcome, lenient: boolean): boolean {
  return outcome.failure !== null || (outcome.firstInvalid !== null && !lenient);
}

async function readOnMainThread(
  tasks: RangeTask[],
  settings: WorkerSettings,
  options: ScanOptions,
  collect: (result: RangeResult) => RangeOutcome,
): Promise<RangeOutcome[]> {
  const outcomes: RangeOutcome[] = [];
  for (const task of tasks) {
    const outcome = collect(await readRange(task, { ...settings, onProgress: options.onProgress }));
    outcomes.push(outcome);
    if (endsRun(outcome, settings.lenient)) break;
  }
  return outcomes;
}

let bundledWorker: string | null = null;

/** A bundled worker kept between runs, with the size and mtime of every file it was built from. */
interface CachedWorker {
  inputs: [path: string, mtimeMs: number, size: number][];
  code: string;
}

function workerCachePath(source: string): string {
  return join(tmpdir(), `opensaves-analysis-worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.json`);
}

function unchanged(inputs: CachedWorker['inputs']): boolean {
  return inputs.every(([path, mtimeMs, size]) => {
    try {
      const stats = statSync(path);
      return stats.mtimeMs === mtimeMs && stats.size === size;
    } catch {
      return false;
    }
  });
}

/** The cached bundle when no file it was built from has changed since; null otherwise or when there is none. */
export function readCachedWorker(cachePath: string): string | null {
  try {
    const cached = JSON.parse(readFileSync(cachePath, 'utf8')) as CachedWorker;
    return Array.isArray(cached.inputs) && typeof cached.code === 'string' && unchanged(cached.inputs) ? cached.code : null;
  } catch {
    return null;
  }
}

/**
 * The worker's code. Built (`npm run analyze` runs analysis/dist, see analysis/build.mjs), this module sees itself as
 * dist/input/scan.js and the worker file is beside it. From TypeScript sources (tests, `tsx analysis/src/cli.ts`),
 * worker.ts and its imports are bundled with esbuild and run with `eval`: a worker started on the .ts file would need
 * tsx's loader in every thread, which costs each worker a loader thread and a transform of every module. The bundle
 * is kept in the temporary directory with the size and mtime of each of its inputs, so a run whose sources have not
 * changed skips esbuild (0.15 to 0.5 s before the first worker starts).
 */
async function workerCode(): Promise<{ code: string | URL; eval: boolean }> {
  const source = new URL('./worker.ts', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return { code: new URL('./worker.js', import.meta.url), eval: false };
  if (bundledWorker !== null) return { code: bundledWorker, eval: true };
  const sourcePath = fileURLToPath(source);
  const cachePath = workerCachePath(sourcePath);
  const cached = readCachedWorker(cachePath);
  if (cached !== null) {
    bundledWorker = cached;
    return { code: cached, eval: true };
  }
  // Loaded only here: runs that stay on the main thread, or find the bundle cached, do not pay for esbuild.
  const { buildSync } = await import('esbuild');
  const built = buildSync({
    entryPoints: [sourcePath],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  bundledWorker = built.outputFiles[0]!.text;
  try {
    const inputs = Object.keys(built.metafile.inputs).map((input): CachedWorker['inputs'][number] => {
      const path = resolve(input);
      const stats = statSync(path);
      return [path, stats.mtimeMs, stats.size];
    });
    // Written whole under another name, then renamed: a concurrent run reads the old file or the new one.
    const partial = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ inputs, code: bundledWorker } satisfies CachedWorker));
    renameSync(partial, cachePath);
  } catch {
    // No cache this time (read-only temporary directory, an input gone meanwhile): the next run builds again.
  }
  return { code: bundledWorker, eval: true };
}

async function readOnWorkers(
  tasks: RangeTask[],
  settings: WorkerSettings,
  workerCount: number,
  options: ScanOptions,
  collect: (result: RangeResult) => RangeOutcome,
): Promise<RangeOutcome[]> {
  const entry = await workerCode();
  const queue = [...tasks];
  const outcomes: RangeOutcome[] = [];
  return new Promise((resolve, reject) => {
    let running = workerCount;
    // After a failure that ends the run, no new ranges are handed out. Ranges are handed out in order, so every
    // range before the failing one has been read and its line count is known for the error message.
    let stopped = false;
    for (let i = 0; i < workerCount; i++) {
      // A 16 MB young generation: each line's garbage dies young anyway, and the default lets every worker's
      // nursery grow to several times that, about 50 MB of peak RSS for two workers with no gain in speed.
      const worker = new Worker(entry.code, { eval: entry.eval, workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      const next = (): void => worker.postMessage(stopped ? null : (queue.shift() ?? null));
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') options.onProgress?.(message.bytes);
        else {
          const outcome = collect(message.result);
          outcomes.push(outcome);
          if (endsRun(outcome, settings.lenient)) stopped = true;
          next();
        }
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        if (--running === 0) resolve(outcomes.sort((a, b) => a.id - b.id));
      });
      next();
    }
  });
}

/** Throws for unreadable input and (unless lenient) invalid lines; returns warnings for what was tolerated. */
function checkResults(tasks: readonly RangeTask[], results: readonly RangeOutcome[], lenient: boolean): string[] {
  const warnings: string[] = [];
  // Line numbers in a range are local; add the lines of the earlier ranges of the same file.
  const linesBefore = new Map<number, number>();
  const seenLines = new Map<string, number>();
  for (const result of results) {
    const task = tasks[result.id]!;
    linesBefore.set(result.id, seenLines.get(task.file) ?? 0);
    seenLines.set(task.file, (seenLines.get(task.file) ?? 0) + result.lines);
  }
  const invalidByFile = new Map<string, number>();
  for (const result of results) {
    const task = tasks[result.id]!;
    const offset = linesBefore.get(result.id)!;
    if (result.failure !== null) throw new InputError(task.file, result.failure);
    if (result.firstInvalid !== null) {
      const line = offset + result.firstInvalid.line;
      if (!lenient) {
        const hint = line === 1 ? 'the file does not look like k6 JSON output (`k6 run --out json=FILE`): ' : '';
        throw new InputError(task.file, `${hint}${result.firstInvalid.message}`, line);
      }
      invalidByFile.set(task.file, (invalidByFile.get(task.file) ?? 0) + result.invalidLines);
    }
    if (result.truncatedLastLine !== null) {
      warnings.push(
        `${task.file} line ${offset + result.truncatedLastLine.line}: the last line is incomplete (was k6 stopped while writing?); ignored`,
      );
    }
    if (result.truncatedGzip !== null) warnings.push(`${task.file}: ${result.truncatedGzip}; using what could be read`);
  }
  for (const [file, count] of invalidByFile) warnings.push(`${file}: ${count} invalid line(s) skipped (--lenient)`);
  return warnings;
}
