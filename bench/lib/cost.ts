// Measures and tabulates load-generator cost (bench/load-cost.ts and
// bench/overhead.ts): each case is one command that makes a given load
// against the shared local emulator, measured in a steady window.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startBenchEmulator, type BenchEmulator, type SeededRecord } from './bench-emulator.js';
import type { CostCase, GeneratorCommand, LoadShape, Workload } from './generators/generators.js';
import { freeLoopbackPort, k6DataCounter, k6IterationCounter } from './generators/k6-iterations.js';
import { measureRun } from './measure/measured-run.js';
import { rpcCounter } from './measure/prometheus-counter.js';
import { prepareScratch } from './preflight.js';
import { commonSpan, steadyState, type SteadyState } from './measure/steady-state.js';
import type { RunSample } from './measure/measured-run.js';
import { markdownTable, ratio } from './table.js';

export interface CostResult {
  caseId: string;
  label: string;
  workload: Workload;
  repeat: number;
  /** runs with the same key are compared with each other: the repeat, or a case and the baseline run beside it */
  pairKey: string;
  targetRate: number;
  exitCode: number | null;
  steady: SteadyState | null;
  /** whole process: start-up, load and shut-down, over every request the emulator counted */
  wholeCpuSecondsPer10k: number | null;
  requests: number;
  peakRssMb: number;
  /** k6's dropped_iterations over the run; null for tools that do not report it */
  droppedIterations: number | null;
  /** iterations k6 started over the run; null for tools that do not report it */
  iterations: number | null;
  /** bytes k6 sent and received over the run (data_sent + data_received); null for tools that do not report it */
  dataBytes: number | null;
  /** the machine's 1-minute load average as the run ended (its own pair included) */
  loadAverage: number;
}

export interface MeasureOptions {
  /**
   * Run each compared case at the same time as its own run of the baseline, both
   * on the generator's CPU: the machine's drift (a shared VM's speed moves by 10 %
   * and more within minutes) then hits both runs of a pair alike. Two k6 runs share
   * one emulator and each counts its own iterations (k6's REST API); a pair with
   * another tool gives each run its own emulator, and which emulator a side gets moves
   * that ratio (pairSide balances it over repeats). Off: every case runs alone, one
   * after the other (for benchmarks whose figure is the run itself, such as dropped
   * iterations).
   */
  concurrentPairs?: boolean;
  /** extra options of the local emulator, e.g. a larger --max-bytes for blob-heavy mixes */
  emulatorArgs?: readonly string[];
}

/** How a run's requests are counted: the emulator's counter (its RPCs), or the k6 run's own iterations. */
type Counting = 'emulator' | 'k6';

// Samples every 500 ms; the window leaves out warm-up and shut-down. Warm-up is the
// first 4 s: each VU's first calls dial its connection and build its per-VU objects
// (the bundles build more of them), a one-off cost that the whole-process column
// keeps and a per-request figure must not. Shut-down is the last second.
const SAMPLE_INTERVAL_MS = 500;
const WARM_UP_SAMPLES = 8;
const TRIM_SAMPLES = 2;
// k6 exits 99 when thresholds fail; the load was still made and measured.
const COMPLETED_EXIT_CODES = [0, 99];
const WINDOW = { trimSamples: TRIM_SAMPLES, warmUpSamples: WARM_UP_SAMPLES };

interface MeasuredCase {
  result: CostResult;
  samples: readonly RunSample[];
}

/**
 * Both runs of a pair measured over the part of their windows they share: the two
 * start and stop seconds apart, and a run that has the CPU to itself while the other
 * builds its VUs or shuts down costs more per call than one that shares it.
 */
export function alignPair(pair: readonly MeasuredCase[]): CostResult[] {
  const [a, b] = pair;
  if (!a || !b || !a.result.steady || !b.result.steady) return pair.map(({ result }) => result);
  const span = commonSpan(a.result.steady, b.result.steady);
  return pair.map(({ result, samples }) => ({ ...result, steady: span ? steadyState(samples, { ...WINDOW, within: span }) : null }));
}

interface SeededEmulator {
  emulator: BenchEmulator;
  seeded: SeededRecord;
}

export async function measureCosts(
  benchmark: string,
  cases: readonly CostCase[],
  repeats: number,
  options: MeasureOptions = {},
): Promise<CostResult[]> {
  const scratch = prepareScratch(benchmark);
  const emulators: SeededEmulator[] = [];
  const results: CostResult[] = [];
  let runs = 0;
  const commandFor = async (costCase: CostCase, where: SeededEmulator): Promise<GeneratorCommand> => {
    runs++;
    const { emulator, seeded } = where;
    return costCase.command({
      grpcAddress: emulator.process.grpcAddress,
      httpUrl: emulator.process.httpUrl,
      protosetPath: scratch.protosetPath,
      seeded,
      scratchDir: scratch.dir,
      runId: `${scratch.runId}-${runs}`,
      k6ApiAddress: `127.0.0.1:${await freeLoopbackPort()}`,
    });
  };
  const runCase = async (costCase: CostCase, where: SeededEmulator, repeat: number, pairKey: string, counting: Counting = 'emulator', prepared?: GeneratorCommand): Promise<MeasuredCase> => {
    const command = prepared ?? (await commandFor(costCase, where));
    if (counting === 'k6' && command.k6ApiAddress === undefined) throw new Error(`${costCase.label}: counting its own iterations needs a k6 run`);
    const countRequests =
      counting === 'k6'
        ? k6IterationCounter(command.k6ApiAddress!)
        : rpcCounter(where.emulator.process.httpUrl, costCase.workload === 'mixed' ? [] : [costCase.workload]);
    const before = counting === 'k6' ? 0 : await countRequests();
    const run = await measureRun({
      label: `${costCase.label} ${costCase.workload}`,
      ...command,
      cpuList: where.emulator.layout.generator,
      timeoutMs: (costCase.shape.durationSeconds + 120) * 1000,
      sampleIntervalMs: SAMPLE_INTERVAL_MS,
      countRequests,
      ...(counting === 'k6' ? { countBytes: k6DataCounter(command.k6ApiAddress!) } : {}),
    });
    const exported = command.summaryExportPath ? readSummaryExport(command.summaryExportPath) : null;
    // A k6 run's API is gone once it has exited: its whole-run count is the iterations of its summary.
    const requests = counting === 'k6' ? (exported?.iterations ?? 0) : (await countRequests()) - before;
    if (run.timedOut || !COMPLETED_EXIT_CODES.includes(run.exitCode ?? -1)) {
      process.exitCode = 1;
      console.error(`${benchmark}: ${run.label} exited with ${run.timedOut ? 'a timeout' : run.exitCode}:\n${tail(run.stderr || run.stdout)}`);
    }
    const result: CostResult = {
      caseId: costCase.id,
      label: costCase.label,
      workload: costCase.workload,
      repeat,
      pairKey,
      targetRate: costCase.shape.rate,
      exitCode: run.exitCode,
      steady: steadyState(run.samples, WINDOW),
      wholeCpuSecondsPer10k: requests > 0 ? (run.totals.cpuSeconds / requests) * 10_000 : null,
      requests,
      peakRssMb: run.totals.peakRssKb / 1024,
      droppedIterations: exported?.droppedIterations ?? null,
      iterations: exported?.iterations ?? null,
      dataBytes: exported?.dataBytes ?? null,
      loadAverage: loadavg()[0]!,
    };
    return { result, samples: run.samples };
  };
  const report = (result: CostResult) =>
    console.error(`${benchmark}: ${result.label} ${result.workload} (${result.repeat}/${repeats}${result.pairKey.includes(':') ? ', paired' : ''}): ${describe(result)}`);
  try {
    for (let index = 0; index < (options.concurrentPairs ? 2 : 1); index++) {
      const emulator = await startBenchEmulator([...(options.emulatorArgs ?? [])]);
      emulators.push({ emulator, seeded: await emulator.seedRecord(`${scratch.runId}-t${index}`) });
    }
    const mode = options.concurrentPairs
      ? 'each compared case beside its own baseline run (two k6 runs on one emulator, each counting its iterations; another tool on a emulator of its own)'
      : 'one run at a time';
    console.error(`${benchmark}: ${cases.length} cases x ${repeats}; ${mode}; ${emulators[0]!.emulator.layout.description}`);
    const byId = new Map(cases.map((costCase) => [costCase.id, costCase]));
    const isBaseline = (costCase: CostCase) => cases.some((other) => other.baselineId === costCase.id);
    for (let repeat = 1; repeat <= repeats; repeat++) {
      // Cases interleave within each repeat, so a noisy neighbour hurts every case alike.
      for (const costCase of cases) {
        const baseline = costCase.baselineId === undefined || costCase.baselineId === costCase.id ? undefined : byId.get(costCase.baselineId);
        if (!options.concurrentPairs || baseline === undefined) {
          if (options.concurrentPairs && isBaseline(costCase)) continue;
          const { result } = await runCase(costCase, emulators[0]!, repeat, String(repeat));
          report(result);
          results.push(result);
          continue;
        }
        const pairKey = `${repeat}:${costCase.id}`;
        const side = pairSide(repeat, cases.indexOf(costCase));
        const shared = emulators[0]!;
        const baselineCommand = await commandFor(baseline, shared);
        const caseCommand = await commandFor(costCase, shared);
        if (baselineCommand.k6ApiAddress !== undefined && caseCommand.k6ApiAddress !== undefined) {
          // Two k6 runs: one emulator serves both, each counts its own iterations. Which is started
          // first alternates, as the side does below.
          const pair = [
            () => runCase(baseline, shared, repeat, pairKey, 'k6', baselineCommand),
            () => runCase(costCase, shared, repeat, pairKey, 'k6', caseCommand),
          ];
          if (side === 1) pair.reverse();
          const measured = alignPair(await Promise.all(pair.map((start) => start())));
          measured.forEach(report);
          results.push(...measured);
          continue;
        }
        // Another tool: each run on its own emulator, counted there. Which emulator each run gets alternates from
        // repeat to repeat for every case: the side moves a pair's ratio by up to 0.1 either way (BENCHMARKS.md,
        // Method), so an even number of repeats balances it.
        // The run that stays on the shared emulator keeps the command already built for it.
        const [first, second] = side === 0 ? [emulators[0]!, emulators[1]!] : [emulators[1]!, emulators[0]!];
        const measured = alignPair(
          await Promise.all([
            runCase(baseline, first, repeat, pairKey, 'emulator', first === shared ? baselineCommand : undefined),
            runCase(costCase, second, repeat, pairKey, 'emulator', second === shared ? caseCommand : undefined),
          ]),
        );
        measured.forEach(report);
        results.push(...measured);
      }
    }
  } finally {
    for (const { emulator, seeded } of emulators) {
      await seeded.remove().catch((error: Error) => console.error(`${benchmark}: cleanup failed: ${error.message}`));
      await emulator.stop();
    }
    scratch.remove();
  }
  return results;
}

/** The side (0 or 1) of a case's pair in a repeat: alternating over a case's repeats, and between neighbouring cases. */
export function pairSide(repeat: number, caseIndex: number): 0 | 1 {
  return (repeat + caseIndex) % 2 === 0 ? 0 : 1;
}

interface SummaryExport {
  metrics?: Record<string, { count?: number } | undefined>;
}

/** Iterations, dropped iterations and bytes from k6's --summary-export file (k6 leaves out a metric that never got a sample). */
export function readSummaryExport(path: string): { iterations: number; droppedIterations: number; dataBytes: number } | null {
  let parsed: SummaryExport;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as SummaryExport;
  } catch {
    // k6 writes no export when it fails before the test starts; the run's exit code already says so.
    return null;
  }
  return {
    iterations: parsed.metrics?.['iterations']?.count ?? 0,
    droppedIterations: parsed.metrics?.['dropped_iterations']?.count ?? 0,
    dataBytes: (parsed.metrics?.['data_sent']?.count ?? 0) + (parsed.metrics?.['data_received']?.count ?? 0),
  };
}

function describe(result: CostResult): string {
  const steady = result.steady;
  return steady
    ? `${steady.cpuSecondsPer10k.toFixed(2)} CPU s per 10k requests at ${steady.achievedRate.toFixed(0)}/s`
    : `no steady window (${result.requests} requests counted)`;
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-8).join('\n');
}

/** The repeat with the median steady-state cost, for each case. */
export function medianByCase(results: readonly CostResult[]): Map<string, CostResult> {
  const groups = new Map<string, CostResult[]>();
  for (const result of results) groups.set(result.caseId, [...(groups.get(result.caseId) ?? []), result]);
  const medians = new Map<string, CostResult>();
  for (const [id, group] of groups) {
    const measured = group.filter((result) => result.steady !== null);
    const sorted = [...measured].sort((a, b) => a.steady!.cpuSecondsPer10k - b.steady!.cpuSecondsPer10k);
    medians.set(id, sorted[Math.floor((sorted.length - 1) / 2)] ?? group[0]!);
  }
  return medians;
}

/**
 * A case's cost over its baseline's in each pair: the baseline run beside it, or,
 * when cases ran one at a time, the baseline's run in the same repeat.
 */
export function pairedRatios(results: readonly CostResult[], costCase: CostCase, cost: (result: CostResult) => number | null = steadyCost): number[] {
  if (!costCase.baselineId) return [];
  const baselines = new Map<string, number>();
  for (const result of results) {
    const baseline = result.caseId === costCase.baselineId ? cost(result) : null;
    if (baseline !== null && baseline > 0) baselines.set(result.pairKey, baseline);
  }
  return results.flatMap((result) => {
    const baseline = baselines.get(result.pairKey);
    const own = result.caseId === costCase.id ? cost(result) : null;
    return own !== null && baseline !== undefined ? [own / baseline] : [];
  });
}

/** CPU seconds per 10k requests in the steady window (the default figure of a ratio). */
export const steadyCost = (result: CostResult): number | null => result.steady?.cpuSecondsPer10k ?? null;
/** CPU seconds per 10k requests over the whole process: start-up, VU building and shut-down included. */
export const wholeProcessCost = (result: CostResult): number | null => result.wholeCpuSecondsPer10k;

/** The median of a case's paired ratios (pairedRatios); null when no repeat measured both. */
export function costRatio(results: readonly CostResult[], costCase: CostCase): number | null {
  const ratios = pairedRatios(results, costCase).sort((a, b) => a - b);
  if (ratios.length === 0) return null;
  const middle = Math.floor(ratios.length / 2);
  return ratios.length % 2 === 1 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
}

export function renderCosts(results: readonly CostResult[], cases: readonly CostCase[], baselineLabel: string): string {
  const medians = medianByCase(results);
  const repeats = Math.max(0, ...results.map((result) => result.repeat));
  const rows = cases.map((costCase) => {
    const median = medians.get(costCase.id);
    const spread = results.filter((result) => result.caseId === costCase.id && result.steady).map((result) => result.steady!.cpuSecondsPer10k);
    const ratios = pairedRatios(results, costCase);
    const caseRatio = costRatio(results, costCase);
    return [
      costCase.workload,
      costCase.label,
      costCase.shape.rate,
      median?.steady?.achievedRate ?? null,
      median?.steady?.cpuSecondsPer10k ?? null,
      spread.length > 1 ? `${Math.min(...spread).toFixed(2)}–${Math.max(...spread).toFixed(2)}` : '—',
      ratio(caseRatio, 1),
      ratios.length > 1 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '—',
      median?.wholeCpuSecondsPer10k ?? null,
      median?.peakRssMb ?? null,
    ];
  });
  return [
    results.some((result) => result.pairKey.includes(':'))
      ? `Median of ${repeats} repeat(s) per case. Each compared case ran at the same time as its own run of ${baselineLabel} making the same call, both on the generator's CPU (two k6 runs against one emulator, each counting its own iterations; ghz or Locust against a emulator of its own); the ratio is the median over repeats of the case's cost over that run's.`
      : `Median of ${repeats} interleaved run(s) per case. Ratios are to ${baselineLabel} making the same call: the median over repeats of the case's cost over the baseline's in the same repeat.`,
    '',
    markdownTable(
      ['workload', 'generator', 'target /s', 'achieved /s', 'CPU s per 10k (steady)', 'range', 'ratio', 'ratio range', 'CPU s per 10k (whole process)', 'peak RSS MB'],
      rows,
    ),
  ].join('\n');
}
