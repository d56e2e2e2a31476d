// Memory per VU: peak RSS of k6 once it has initialised N pre-allocated VUs.
// k6 runs with --paused, so it builds every VU (running the init context, where
// the proto is loaded and payloads are made) and then waits without sending a
// request; the run is stopped as soon as its CPU use settles.
import { basename } from 'node:path';
import { K6_BINARY } from '../../test/helpers/k6.js';
import { REPO_ROOT } from '../../test/helpers/emulator-process.js';
import { cpuLayout } from './measure/cpu-layout.js';
import { measureRun, type RunSample } from './measure/measured-run.js';
import { readFileSync } from 'node:fs';
import { applyEdits, LAZY_PAYLOADS, type BundleEdit } from './generators/bundle-edits.js';
import { withProtoset, writeBundleVariant, type BundleVariant } from './generators/protoset-variant.js';
import { markdownTable } from './table.js';

/**
 * How the VUs are built: `proto` as the bundles are today (client.load parses the
 * .proto in every VU), `protoset` with client.loadProtoset of the prebuilt
 * descriptor set instead, and `protoset-lazy` which also skips building the
 * blob payloads in the init context (the most a lazy, first-use build saves).
 */
export const PROTO_SOURCES = ['proto', 'protoset', 'protoset-lazy'] as const;
export type ProtoSource = (typeof PROTO_SOURCES)[number];

export interface MemoryCase {
  /** "minimal" or a bundle name such as "mixed" */
  script: string;
  protoSource: ProtoSource;
}

// Each payload anchor separately, so bundles that build only some payloads still get a lazy variant.
const INIT_PAYLOAD_EDITS: BundleEdit[] = LAZY_PAYLOADS.replacements.map((replacement, index) => ({
  name: `${LAZY_PAYLOADS.name}-${index + 1}`,
  removes: LAZY_PAYLOADS.removes,
  replacements: [replacement],
}));

export interface MemoryResult extends MemoryCase {
  vus: number;
  peakRssMb: number;
  /** CPU seconds k6 spent until every VU was ready */
  initCpuSeconds: number;
  initSeconds: number;
  exitCode: number | null;
}

const SAMPLE_INTERVAL_MS = 250;
// Settled: under 0.05 CPU seconds in the last 2 s, so the VUs are built and k6 only waits.
const SETTLE_WINDOW_MS = 2000;
const SETTLE_CPU_SECONDS = 0.05;
const K6_ENV = { ...process.env, K6_NO_USAGE_REPORT: 'true' };

export function initSettled(samples: readonly RunSample[]): boolean {
  const last = samples.at(-1);
  if (!last || last.elapsedMs < SETTLE_WINDOW_MS + 500) return false;
  const windowStart = [...samples].reverse().find((sample) => last.elapsedMs - sample.elapsedMs >= SETTLE_WINDOW_MS);
  return windowStart !== undefined && last.cpuSeconds - windowStart.cpuSeconds < SETTLE_CPU_SECONDS;
}

/** Whether a case can be built: the minimal script has no payloads, and a bundle needs at least one payload anchor. */
export function applicable(memoryCase: MemoryCase): boolean {
  if (memoryCase.protoSource !== 'protoset-lazy') return true;
  if (memoryCase.script === 'minimal') return false;
  const source = readFileSync(`${REPO_ROOT}/dist/${memoryCase.script}.js`, 'utf8');
  return INIT_PAYLOAD_EDITS.some((edit) => applyEdits(source, [edit]).missing.length === 0);
}

function bundleVariant(bundle: string, memoryCase: MemoryCase, protosetPath: string): BundleVariant | null {
  if (memoryCase.protoSource === 'proto') return null;
  let source = withProtoset(readFileSync(bundle, 'utf8'), protosetPath, `${memoryCase.script}.js`);
  if (memoryCase.protoSource === 'protoset-lazy') {
    for (const edit of INIT_PAYLOAD_EDITS) {
      const outcome = applyEdits(source, [edit]);
      if (outcome.missing.length === 0) source = outcome.source;
    }
  }
  return writeBundleVariant(`${memoryCase.script}-${memoryCase.protoSource}`, source);
}

function scriptArgs(memoryCase: MemoryCase, vus: number, protosetPath: string, scratchDir: string): { script: string; env: string[]; cleanup: () => void } {
  if (memoryCase.script === 'minimal') {
    return {
      script: `${REPO_ROOT}/bench/k6/minimal-grpc.js`,
      env: [`VUS=${vus}`, 'RATE=1', 'DURATION=1m', ...(memoryCase.protoSource === 'protoset' ? [`PROTOSET=${protosetPath}`] : [])],
      cleanup: () => undefined,
    };
  }
  const bundle = `${REPO_ROOT}/dist/${memoryCase.script}.js`;
  const variant = bundleVariant(bundle, memoryCase, protosetPath);
  return {
    script: variant?.path ?? bundle,
    // The profiles pre-allocate one VU per 10 iterations/s of the peak rate, capped by MAX_VUS.
    env: ['PROFILE=load', `RATE=${vus * 10}`, `MAX_VUS=${vus}`, `SUMMARY_PATH=${scratchDir}/summary-${basename(bundle)}.json`],
    cleanup: () => variant?.remove(),
  };
}

export async function measureVuMemory(memoryCase: MemoryCase, vus: number, protosetPath: string, scratchDir: string): Promise<MemoryResult> {
  const { script, env, cleanup } = scriptArgs(memoryCase, vus, protosetPath, scratchDir);
  try {
    let settledAt: RunSample | undefined;
    const run = await measureRun({
      label: `k6 ${memoryCase.script} (${memoryCase.protoSource}) with ${vus} VUs`,
      command: K6_BINARY,
      args: ['run', '--paused', '--quiet', '--no-color', ...env.flatMap((pair) => ['-e', pair]), script],
      env: K6_ENV,
      cpuList: cpuLayout().generator,
      timeoutMs: 180_000,
      sampleIntervalMs: SAMPLE_INTERVAL_MS,
      stopWhen: (samples) => {
        if (!initSettled(samples)) return false;
        settledAt = samples.at(-1);
        return true;
      },
    });
    if (!settledAt) throw new Error(`${run.label} never finished initialising its VUs:\n${run.stderr.trim().split('\n').slice(-6).join('\n')}`);
    return {
      ...memoryCase,
      vus,
      peakRssMb: run.totals.peakRssKb / 1024,
      initCpuSeconds: settledAt.cpuSeconds,
      initSeconds: (settledAt.elapsedMs - SETTLE_WINDOW_MS) / 1000,
      exitCode: run.exitCode,
    };
  } finally {
    cleanup();
  }
}

/** MB per additional VU, from the smallest and largest VU counts measured. */
export function mbPerVu(results: readonly MemoryResult[]): number | null {
  const sorted = [...results].sort((a, b) => a.vus - b.vus);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last || last.vus === first.vus) return null;
  return (last.peakRssMb - first.peakRssMb) / (last.vus - first.vus);
}

export function renderVuMemory(results: readonly MemoryResult[], vuCounts: readonly number[]): string {
  const cases = new Map<string, MemoryResult[]>();
  for (const result of results) {
    const key = `${result.script} (${result.protoSource})`;
    cases.set(key, [...(cases.get(key) ?? []), result]);
  }
  const largest = Math.max(...vuCounts);
  const rows = [...cases].map(([label, group]) => {
    const at = (vus: number) => group.find((result) => result.vus === vus);
    const asBuilt = results.find((r) => r.script === group[0]?.script && r.protoSource === 'proto' && r.vus === largest);
    const current = at(largest);
    return [
      label,
      ...vuCounts.map((vus) => at(vus)?.peakRssMb ?? null),
      mbPerVu(group),
      group[0]?.protoSource !== 'proto' && asBuilt && current ? `${(((current.peakRssMb - asBuilt.peakRssMb) / asBuilt.peakRssMb) * 100).toFixed(0)}%` : '—',
      current?.initCpuSeconds ?? null,
      current?.initSeconds ?? null,
    ];
  });
  return markdownTable(
    ['script (variant)', ...vuCounts.map((vus) => `peak RSS MB, ${vus} VUs`), 'MB per added VU', `RSS vs as built, ${largest} VUs`, `init CPU s, ${largest} VUs`, `init wall s, ${largest} VUs`],
    rows,
  );
}
