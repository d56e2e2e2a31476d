// What the command users run costs: dist/mixed.js on the default mix (data/mix.json)
// against bench/k6/bare-mixed.js, the same mix written by hand, as pairs that run at
// the same time on the generator's CPU against one emulator, each counting its own
// iterations, measured over the seconds both windows share (bench/lib/cost.ts). Then
// the same pairs on each operation class of the mix alone (records, blobs, ...), so
// the cost per class is known. Printed for the steady window and for the whole process
// (start-up, setup(), VU building and teardown() included), each as CPU seconds per
// 10,000 iterations, the pair's bundle/bare ratio with the machine's load as the pair
// ended, and, where blobs are what a class moves, k6 CPU ms per MB sent and received
// (the steady window's bytes read from each k6's REST API, data_sent + data_received).
//
//   npx tsx bench/mixed.ts [--rate 40] [--duration 30] [--repeat 3] [--classes default,records,blobs,stores,health,atomic]
//                          [--class-rates records=100,blobs=10,...] [--bundle dist/mixed.js] [--before other/mixed.js]
//                          [--classes ops --ops QueryRecords,GetRecords]
//                          [--json results/bench/mixed.json]
// --before adds a second build of mixed.js, each of its runs paired with its own bare run in the same repeats,
// so a change's before/after ratios come from the same minutes.
// --bundle measures another build of mixed.js (it loads ../proto relative to itself, as dist/ does).
// An iteration is one operation of the mix (an UpdateRecord also reads the record back),
// so costs are per 10,000 iterations.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GRPC_OPERATION_GROUPS } from '../catalogue/operations.js';
import { REPO_ROOT } from '../test/helpers/emulator-process.js';
import { measureCosts, pairedRatios, steadyCost, wholeProcessCost, type CostResult } from './lib/cost.js';
import { bundleRun, k6ScriptCommand, type CostCase, type GeneratorCommand, type GeneratorContext, type LoadShape } from './lib/generators/generators.js';
import { MissingInputError, runMain } from './lib/main.js';
import { BenchConfigError, choiceList, positiveInteger, readOptions } from './lib/options.js';
import { checkGenerators, writeJson } from './lib/preflight.js';
import { classMix, type MixFile } from './lib/generators/mix-classes.js';
import { markdownTable } from './lib/table.js';

// 'ops' is the default mix cut down to the operations named by --ops (e.g. QueryRecords, to price one of them).
const CLASSES = ['default', ...(Object.keys(GRPC_OPERATION_GROUPS) as (keyof typeof GRPC_OPERATION_GROUPS)[]), 'ops'] as const;
type MixClass = (typeof CLASSES)[number];
// Rates that keep two generators of a class within one core (blobs move ~2 MB per iteration).
const CLASS_RATES: Record<MixClass, number> = { default: 40, records: 100, blobs: 10, stores: 100, health: 100, atomic: 100, ops: 100 };
// Two generators' blobs, own records and uploads: more than the emulator's default 1 GiB budget.
const EMULATOR_ARGS = ['--max-bytes', '4g'];

/** A bundle command with MAX_VUS set to `vus` instead of the generators' default. */
function withMaxVus(command: GeneratorCommand, vus: number): GeneratorCommand {
  return { ...command, args: command.args.map((arg) => (arg.startsWith('MAX_VUS=') ? `MAX_VUS=${vus}` : arg)) };
}

function bareCommand(shape: LoadShape, context: GeneratorContext, env: string[], vus: number): GeneratorCommand {
  return k6ScriptCommand('bench/k6/bare-mixed.js', context, [
    '-e', `RATE=${shape.rate}`,
    '-e', `DURATION=${shape.durationSeconds}s`,
    '-e', `MAX_VUS=${vus}`,
    '-e', `RUN_ID=${context.runId}`,
    ...env,
  ]);
}

function parseRates(raw: string | undefined): Partial<Record<MixClass, number>> {
  const rates: Partial<Record<MixClass, number>> = {};
  for (const part of (raw ?? '').split(',').filter(Boolean)) {
    const [name, value] = part.split('=');
    if (!name || !(CLASSES as readonly string[]).includes(name)) throw new BenchConfigError('--class-rates', `class=rate pairs of ${CLASSES.join(', ')}`, raw ?? '');
    rates[name as MixClass] = positiveInteger('class-rates', value, 2000);
  }
  return rates;
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const range = (values: readonly number[]): string => (values.length > 1 ? `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}` : '—');
const costsOf = (results: readonly CostResult[], id: string, cost: (r: CostResult) => number | null) =>
  results.filter((r) => r.caseId === id).flatMap((r) => (cost(r) === null ? [] : [cost(r)!]));
const steadyCosts = (results: readonly CostResult[], id: string) => costsOf(results, id, steadyCost);
const wholeCosts = (results: readonly CostResult[], id: string) => costsOf(results, id, wholeProcessCost);
/** k6 CPU ms per MB sent and received within each run's steady window (data_sent + data_received read from k6's REST API there). */
const steadyMsPerMb = (results: readonly CostResult[], id: string) =>
  results.filter((r) => r.caseId === id && r.steady?.bytes).map((r) => (r.steady!.cpuSeconds * 1000) / (r.steady!.bytes! / 1e6));
const steadyMbPerIteration = (results: readonly CostResult[], id: string) =>
  median(results.filter((r) => r.caseId === id && r.steady?.bytes).map((r) => r.steady!.bytes! / 1e6 / r.steady!.requests));
/** MB sent and received per iteration over the whole run (k6's data_sent + data_received). */
const mbPerIteration = (results: readonly CostResult[], id: string) =>
  median(results.filter((r) => r.caseId === id && r.dataBytes !== null && (r.iterations ?? 0) > 0).map((r) => r.dataBytes! / 1e6 / r.iterations!));

runMain('mixed', async () => {
  const raw = readOptions(process.argv.slice(2), {
    rate: String(CLASS_RATES.default),
    duration: '30',
    repeat: '3',
    classes: 'default',
    'class-rates': '',
    bundle: 'dist/mixed.js',
    before: '',
    ops: '',
    json: 'results/bench/mixed.json',
  });
  const durationSeconds = positiveInteger('duration', raw.duration, 300);
  const repeats = positiveInteger('repeat', raw.repeat, 9);
  const classes = choiceList('classes', raw.classes, CLASSES);
  const allOps = [...Object.keys(GRPC_OPERATION_GROUPS).flatMap((group) => GRPC_OPERATION_GROUPS[group as keyof typeof GRPC_OPERATION_GROUPS])];
  const ops = raw.ops ? choiceList('ops', raw.ops, allOps) : [];
  if (classes.includes('ops') !== ops.length > 0) throw new BenchConfigError('--ops', 'RPC names when --classes has ops, and only then', raw.ops ?? '');
  const opsOf = (mixClass: Exclude<MixClass, 'default'>): readonly string[] => (mixClass === 'ops' ? ops : GRPC_OPERATION_GROUPS[mixClass]);
  const rates: Record<MixClass, number> = { ...CLASS_RATES, default: positiveInteger('rate', raw.rate, 1000), ...parseRates(raw['class-rates']) };
  checkGenerators(['k6-bundle']);
  const bundle = resolve(REPO_ROOT, raw.bundle!);
  if (!existsSync(bundle)) throw new MissingInputError(`bundle ${raw.bundle}`, 'run `make bundle` first, or name a built copy of mixed.js with --bundle');
  const before = raw.before ? resolve(REPO_ROOT, raw.before) : null;
  if (before !== null && !existsSync(before)) throw new MissingInputError(`bundle ${raw.before}`, 'expected a built copy of mixed.js (--before)');
  const defaultMix = JSON.parse(readFileSync(join(REPO_ROOT, 'data/mix.json'), 'utf8')) as MixFile;
  const scratch = mkdtempSync(join(tmpdir(), 'bench-mixed-mix-'));

  const cases: CostCase[] = classes.flatMap((mixClass) => {
    const shape: LoadShape = { rate: rates[mixClass], durationSeconds };
    const env: string[] = [];
    if (mixClass !== 'default') {
      const { mix, readRatio } = classMix(defaultMix, opsOf(mixClass));
      const path = join(scratch, `${mixClass}.json`);
      writeFileSync(path, JSON.stringify(mix));
      env.push('-e', `MIX=${path}`, ...(readRatio === undefined ? [] : ['-e', `READ_RATIO=${readRatio}`]));
    }
    // As many VUs as k6 pre-allocates for the rate (one per 5/s, both scripts alike): no VU is built inside
    // the measured window, where building one (running the whole init context) would count as per-request cost.
    const vus = Math.max(2, Math.ceil(shape.rate / 5));
    const bundleCase = (id: string, label: string, path: string, baselineId: string): CostCase => ({
      id,
      label,
      workload: 'mixed',
      shape,
      baselineId,
      command: (context) => withMaxVus(bundleRun(path, 'mixed', shape, context, env), vus),
    });
    const bare = (id: string): CostCase => ({ id, label: `bare k6 script (${mixClass})`, workload: 'mixed', shape, command: (context) => bareCommand(shape, context, env, vus) });
    return [
      bare(`bare/${mixClass}`),
      bundleCase(`bundle/${mixClass}`, `mixed.js (${mixClass})`, bundle, `bare/${mixClass}`),
      ...(before === null ? [] : [bare(`bare-before/${mixClass}`), bundleCase(`before/${mixClass}`, `mixed.js before (${mixClass})`, before, `bare-before/${mixClass}`)]),
    ];
  });

  const loadBefore = loadavg();
  let results: CostResult[];
  try {
    results = await measureCosts('mixed', cases, repeats, { concurrentPairs: true, emulatorArgs: EMULATOR_ARGS });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');

  const variants = before === null ? [['bundle', 'bare', '']] : [['bundle', 'bare', ''], ['before', 'bare-before', ' (before)']];
  // k6 CPU per MB moved (data_sent + data_received), each side over its own bytes; only where the bytes are what the class is about.
  const perMb = (cpu: number | null, mb: number | null) => (cpu !== null && mb !== null && mb >= 0.05 ? (cpu / 10_000 / mb) * 1000 : null);
  const ratioCell = (ratios: readonly number[]) => (median(ratios) === null ? null : `${median(ratios)!.toFixed(2)}×`);
  const rows = classes.flatMap((mixClass) => variants.map(([variant, bareVariant, suffix]) => {
    const bundleCase = cases.find((c) => c.id === `${variant}/${mixClass}`)!;
    const bareId = `${bareVariant}/${mixClass}`;
    const name = `${mixClass === 'ops' ? ops.join('+') : mixClass}${suffix}`;
    const ratios = pairedRatios(results, bundleCase);
    const wholeRatios = pairedRatios(results, bundleCase, wholeProcessCost);
    const bare = median(steadyCosts(results, bareId));
    const ours = median(steadyCosts(results, bundleCase.id));
    const bareWhole = median(wholeCosts(results, bareId));
    const oursWhole = median(wholeCosts(results, bundleCase.id));
    const mb = mbPerIteration(results, bundleCase.id);
    const bareMb = mbPerIteration(results, bareId);
    const steadyMb = steadyMbPerIteration(results, bundleCase.id);
    // Per MB only where the bytes are what the class is about.
    const steadyPerMb = (id: string) => (steadyMb !== null && steadyMb >= 0.05 ? median(steadyMsPerMb(results, id)) : null);
    const pairs = results
      .filter((r) => r.caseId === bundleCase.id)
      .map((r) => {
        const other = results.find((b) => b.caseId === bareId && b.pairKey === r.pairKey);
        const steadyRatio = other && steadyCost(r) !== null && steadyCost(other) ? steadyCost(r)! / steadyCost(other)! : null;
        const wholeRatio = other && r.wholeCpuSecondsPer10k !== null && other.wholeCpuSecondsPer10k ? r.wholeCpuSecondsPer10k / other.wholeCpuSecondsPer10k : null;
        const load = Math.max(r.loadAverage, other?.loadAverage ?? 0);
        return `${steadyRatio?.toFixed(2) ?? '—'} steady, ${wholeRatio?.toFixed(2) ?? '—'} whole (load ${load.toFixed(1)})`;
      });
    return {
      name,
      ratio: median(ratios),
      ratios,
      wholeRatios,
      pairs,
      steadyCells: [name, rates[mixClass], bare, range(steadyCosts(results, bareId)), ours, range(steadyCosts(results, bundleCase.id)),
        ratioCell(ratios), range(ratios), steadyMb, steadyPerMb(bareId), steadyPerMb(bundleCase.id)],
      wholeCells: [name, bareWhole, range(wholeCosts(results, bareId)), oursWhole, range(wholeCosts(results, bundleCase.id)),
        ratioCell(wholeRatios), range(wholeRatios), perMb(bareWhole, bareMb), perMb(oursWhole, mb)],
    };
  }));
  console.log(`load average ${load(loadBefore)} before, ${load(loadAfter)} after (1, 5, 15 min; 2 cores shared)`);
  for (const row of rows) {
    console.log(`mixed ${row.name}: bundle/bare = ${row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`} (range ${range(row.ratios)} over ${row.ratios.length} pairs); whole process ${ratioCell(row.wholeRatios) ?? '—'} (range ${range(row.wholeRatios)})`);
    console.log(`  pairs: ${row.pairs.join('; ')}`);
  }
  console.log('');
  console.log('Steady window (the seconds both runs of a pair share, warm-up and shut-down left out):');
  console.log('');
  console.log(
    markdownTable(
      ['class', 'rate /s', 'bare CPU s per 10k it.', 'range', 'bundle CPU s per 10k it.', 'range', 'bundle/bare', 'ratio range', 'bundle MB per it.', 'bare CPU ms per MB', 'bundle CPU ms per MB'],
      rows.map((row) => row.steadyCells),
    ),
  );
  console.log('');
  console.log('Whole process (start-up, setup(), VU building and teardown() included):');
  console.log('');
  console.log(
    markdownTable(
      ['class', 'bare CPU s per 10k it.', 'range', 'bundle CPU s per 10k it.', 'range', 'bundle/bare', 'ratio range', 'bare CPU ms per MB', 'bundle CPU ms per MB'],
      rows.map((row) => row.wholeCells),
    ),
  );
  writeJson(raw.json!, { durationSeconds, rates, loadAverage: { before: loadBefore, after: loadAfter }, results });
});
