// Measures and tabulates the load-generator cost benchmark (see bench/load-cost.ts).
import { startBenchTarget } from './bench-target.js';
import { GENERATORS, type GeneratorId, type LoadShape, type Workload } from './generators.js';
import { measureRun } from './measured-run.js';
import { rpcCounter } from './prometheus-counter.js';
import { checkGenerators, prepareScratch } from './preflight.js';
import { steadyState, type SteadyState } from './steady-state.js';
import { markdownTable, ratio } from './table.js';

export interface CostResult {
  generator: GeneratorId;
  workload: Workload;
  repeat: number;
  targetRate: number;
  exitCode: number | null;
  steady: SteadyState | null;
  /** whole process: start-up, load and shut-down, over every request the target counted */
  wholeCpuSecondsPer10k: number | null;
  requests: number;
  peakRssMb: number;
}

// Samples every 500 ms; trimming two samples (1 s) each side leaves out ramp-up and shut-down.
const SAMPLE_INTERVAL_MS = 500;
const TRIM_SAMPLES = 2;

export async function measureCosts(
  shape: LoadShape,
  workloads: readonly Workload[],
  generatorIds: readonly GeneratorId[],
  repeats: number,
): Promise<CostResult[]> {
  checkGenerators(generatorIds);
  const scratch = prepareScratch('load-cost');
  const target = await startBenchTarget();
  const seeded = await target.seedRecord(scratch.runId);
  console.error(`load-cost: ${shape.rate} requests/s for ${shape.durationSeconds} s per run; ${target.layout.description}`);
  const results: CostResult[] = [];
  try {
    for (let repeat = 1; repeat <= repeats; repeat++) {
      for (const workload of workloads) {
        // Interleaved, so a noisy neighbour hurts every generator alike.
        for (const id of generatorIds.filter((candidate) => GENERATORS[candidate].workloads.includes(workload))) {
          const generator = GENERATORS[id];
          const command = generator.command(workload, shape, {
            grpcAddress: target.process.grpcAddress,
            httpUrl: target.process.httpUrl,
            protosetPath: scratch.protosetPath,
            seeded,
            scratchDir: scratch.dir,
            runId: `${scratch.runId}-${results.length + 1}`,
          });
          const countRequests = rpcCounter(target.process.httpUrl, workload === 'mixed' ? [] : [workload]);
          const before = await countRequests();
          const run = await measureRun({
            label: `${generator.label} ${workload}`,
            ...command,
            cpuList: target.layout.generator,
            timeoutMs: (shape.durationSeconds + 90) * 1000,
            sampleIntervalMs: SAMPLE_INTERVAL_MS,
            countRequests,
          });
          const requests = (await countRequests()) - before;
          if (run.exitCode !== 0 || run.timedOut) {
            process.exitCode = 1;
            console.error(`load-cost: ${run.label} exited with ${run.timedOut ? 'a timeout' : run.exitCode}:\n${tail(run.stderr || run.stdout)}`);
          }
          const result: CostResult = {
            generator: id,
            workload,
            repeat,
            targetRate: shape.rate,
            exitCode: run.exitCode,
            steady: steadyState(run.samples, { trimSamples: TRIM_SAMPLES }),
            wholeCpuSecondsPer10k: requests > 0 ? (run.totals.cpuSeconds / requests) * 10_000 : null,
            requests,
            peakRssMb: run.totals.peakRssKb / 1024,
          };
          console.error(`load-cost: ${run.label}: ${describe(result)}`);
          results.push(result);
        }
      }
    }
  } finally {
    await seeded.remove().catch((error: Error) => console.error(`load-cost: cleanup failed: ${error.message}`));
    await target.stop();
    scratch.remove();
  }
  return results;
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

/** Median of the repeats for each generator and workload. */
export function summarizeCosts(results: readonly CostResult[]): Map<string, CostResult> {
  const groups = new Map<string, CostResult[]>();
  for (const result of results) {
    const key = `${result.generator}/${result.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const medians = new Map<string, CostResult>();
  for (const [key, group] of groups) {
    const sorted = [...group].sort((a, b) => (a.steady?.cpuSecondsPer10k ?? Infinity) - (b.steady?.cpuSecondsPer10k ?? Infinity));
    medians.set(key, sorted[Math.floor((sorted.length - 1) / 2)]!);
  }
  return medians;
}

export function renderCosts(results: readonly CostResult[], shape: LoadShape): string {
  const medians = summarizeCosts(results);
  const rows = [...medians.values()].map((result) => {
    const baseline = medians.get(`k6-minimal/${result.workload}`)?.steady?.cpuSecondsPer10k;
    return [
      result.workload,
      GENERATORS[result.generator].label,
      result.steady ? result.steady.achievedRate : null,
      result.steady ? result.steady.cpuSecondsPer10k : null,
      ratio(result.steady?.cpuSecondsPer10k, baseline),
      result.wholeCpuSecondsPer10k,
      result.peakRssMb,
    ];
  });
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return [
    `Target rate ${shape.rate}/s for ${shape.durationSeconds} s per run; median of ${Math.max(...results.map((r) => r.repeat))} run(s).`,
    '',
    markdownTable(
      ['workload', 'generator', 'achieved /s', 'CPU s per 10k (steady)', 'ratio to (b)', 'CPU s per 10k (whole process)', 'peak RSS MB'],
      rows,
    ),
  ].join('\n');
}
