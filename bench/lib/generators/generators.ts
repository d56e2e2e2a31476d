// The load generators compared by the benchmarks, and how each one is told to
// make the same load: one RPC (or the mix) at a fixed rate for a fixed time
// against the local emulator. Only command lines live here; measuring is
// measured-run.ts's job.
import { join } from 'node:path';
import { REPO_ROOT } from '../../../test/helpers/emulator-process.js';
import { K6_BINARY } from '../../../test/helpers/k6.js';
import { GHZ_BINARY, LOCUST_BINARY } from './peers.js';

// One generator's run of one workload at one load shape, as the cost benchmarks compare them.
export interface CostCase {
  /** stable id used to group repeats, e.g. "k6-minimal/Ping" */
  id: string;
  label: string;
  workload: Workload;
  shape: LoadShape;
  command: (context: GeneratorContext) => GeneratorCommand;
  /** id of the case this one is compared with, if any */
  baselineId?: string;
}

export const WORKLOADS = ['Ping', 'GetRecord', 'mixed'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const GENERATOR_IDS = ['k6-minimal', 'k6-bundle', 'ghz', 'locust'] as const;
export type GeneratorId = (typeof GENERATOR_IDS)[number];

export interface LoadShape {
  /** requests (iterations) per second */
  rate: number;
  durationSeconds: number;
}

export interface GeneratorContext {
  grpcAddress: string;
  httpUrl: string;
  /** binary descriptor set from tools/protoset */
  protosetPath: string;
  /** the record GetRecord reads, for generators without a setup hook */
  seeded: { storeKey: string; recordKey: string; recordKeys: readonly string[] };
  /** scratch directory for summaries the generators write */
  scratchDir: string;
  runId: string;
  /** host:port on 127.0.0.1 where a k6 run serves its REST API, so its iterations can be counted while it runs */
  k6ApiAddress: string;
}

export interface GeneratorCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** where k6 writes its end-of-test summary (--summary-export), for dropped iterations */
  summaryExportPath?: string;
  /** set for k6 runs: where their REST API listens (k6IterationCounter reads it) */
  k6ApiAddress?: string;
}

export interface LoadGenerator {
  id: GeneratorId;
  /** how the tables name it */
  label: string;
  workloads: readonly Workload[];
  command: (workload: Workload, shape: LoadShape, context: GeneratorContext) => GeneratorCommand;
}

// Enough VUs, workers or users for 2,000 calls per second at a few ms each.
const CONCURRENCY = 50;
const LOCUST_USERS = 100;
const K6_ENV = { ...process.env, K6_NO_USAGE_REPORT: 'true' };

/** Where a bench-only bundle variant or the real bundles live. */
export const BUNDLE_DIR = join(REPO_ROOT, 'dist');

/**
 * A plain k6 script as a generator: quiet, its summary exported, its REST API on the context's
 * address, aimed at the context's emulator; `env` holds the script's own -e pairs.
 */
export function k6ScriptCommand(script: string, context: GeneratorContext, env: readonly string[]): GeneratorCommand {
  const summaryExportPath = join(context.scratchDir, `export-${context.runId}.json`);
  return {
    command: K6_BINARY,
    summaryExportPath,
    k6ApiAddress: context.k6ApiAddress,
    args: [
      'run', '--quiet', '--no-color', '--summary-export', summaryExportPath, '--address', context.k6ApiAddress,
      '-e', `OPEN_SAVES_ADDR=${context.grpcAddress}`,
      ...env,
      join(REPO_ROOT, script),
    ],
    env: K6_ENV,
  };
}

function k6Minimal(workload: Workload, shape: LoadShape, context: GeneratorContext): GeneratorCommand {
  return k6ScriptCommand('bench/k6/minimal-grpc.js', context, [
    '-e', `RPC=${workload}`,
    '-e', `RATE=${shape.rate}`,
    '-e', `VUS=${CONCURRENCY}`,
    '-e', `DURATION=${shape.durationSeconds}s`,
    '-e', `STORE_KEY=${context.seeded.storeKey}`,
    '-e', `RECORD_KEYS=${context.seeded.recordKeys.join(',')}`,
  ]);
}

function ghz(workload: Workload, shape: LoadShape, context: GeneratorContext): GeneratorCommand {
  const request =
    workload === 'Ping' ? { ping: 'bench' } : { store_key: context.seeded.storeKey, key: context.seeded.recordKey };
  return {
    command: GHZ_BINARY,
    args: [
      '--insecure',
      '--proto', join(REPO_ROOT, 'proto/open_saves.proto'),
      '--import-paths', join(REPO_ROOT, 'proto'),
      '--call', `opensaves.OpenSaves/${workload}`,
      '--data', JSON.stringify(request),
      '--rps', String(shape.rate),
      '--duration', `${shape.durationSeconds}s`,
      '--concurrency', String(CONCURRENCY),
      '--format', 'summary',
      context.grpcAddress,
    ],
    env: process.env,
  };
}

function locust(workload: Workload, shape: LoadShape, context: GeneratorContext): GeneratorCommand {
  return {
    command: LOCUST_BINARY,
    args: [
      '-f', join(REPO_ROOT, 'bench/locust/grpc_user.py'),
      '--headless', '--only-summary',
      '--users', String(LOCUST_USERS),
      '--spawn-rate', String(LOCUST_USERS),
      '--run-time', `${shape.durationSeconds}s`,
      '--host', context.grpcAddress,
      '--loglevel', 'WARNING',
    ],
    env: {
      ...process.env,
      PROTOSET: context.protosetPath,
      RPC: workload,
      STORE_KEY: context.seeded.storeKey,
      RECORD_KEYS: context.seeded.recordKeys.join(','),
      RATE_PER_USER: String(shape.rate / LOCUST_USERS),
    },
  };
}

export const GENERATORS: Readonly<Record<GeneratorId, LoadGenerator>> = {
  'k6-minimal': { id: 'k6-minimal', label: 'minimal k6 script (b)', workloads: ['Ping', 'GetRecord'], command: k6Minimal },
  'k6-bundle': { id: 'k6-bundle', label: 'our bundle (a)', workloads: WORKLOADS, command: bundleCommand },
  ghz: { id: 'ghz', label: 'ghz (c)', workloads: ['Ping', 'GetRecord'], command: ghz },
  locust: { id: 'locust', label: 'Locust (d)', workloads: ['Ping', 'GetRecord'], command: locust },
};

function bundleCommand(workload: Workload, shape: LoadShape, context: GeneratorContext): GeneratorCommand {
  return bundleRun(join(BUNDLE_DIR, 'mixed.js'), workload, shape, context);
}

/** Our mixed bundle (or a variant of it) driven at one rate; Ping and GetRecord use weights files that name only that RPC. */
export function bundleRun(
  bundle: string,
  workload: Workload,
  shape: LoadShape,
  context: GeneratorContext,
  k6Args: readonly string[] = [],
): GeneratorCommand {
  const weights = workload === 'mixed' ? [] : ['-e', `MIX=${join(REPO_ROOT, `bench/mix/${workload.toLowerCase()}-only.json`)}`];
  const summaryExportPath = join(context.scratchDir, `export-${context.runId}.json`);
  return {
    command: K6_BINARY,
    summaryExportPath,
    k6ApiAddress: context.k6ApiAddress,
    args: [
      'run', '--quiet', '--no-color', '--summary-export', summaryExportPath, '--address', context.k6ApiAddress, ...k6Args,
      '-e', `OPEN_SAVES_ADDR=${context.grpcAddress}`,
      '-e', `OPEN_SAVES_HTTP_URL=${context.httpUrl}`,
      '-e', 'PROFILE=load',
      '-e', `STAGES=${JSON.stringify([{ duration: '1s', target: shape.rate }, { duration: `${shape.durationSeconds}s`, target: shape.rate }])}`,
      '-e', `MAX_VUS=${CONCURRENCY}`,
      '-e', `RUN_ID=${context.runId}`,
      '-e', `SUMMARY_PATH=${join(context.scratchDir, `summary-${context.runId}.json`)}`,
      ...weights,
      bundle,
    ],
    env: K6_ENV,
  };
}

/** One case per generator and workload it supports; each compares with the minimal k6 script making the same call. */
export function generatorCases(
  generatorIds: readonly GeneratorId[],
  workloads: readonly Workload[],
  shape: LoadShape,
  mixedShape: LoadShape,
): CostCase[] {
  return workloads.flatMap((workload) =>
    generatorIds
      .filter((id) => GENERATORS[id].workloads.includes(workload))
      .map((id): CostCase => {
        const generator = GENERATORS[id];
        const caseShape = workload === 'mixed' ? mixedShape : shape;
        return {
          id: `${id}/${workload}`,
          label: generator.label,
          workload,
          shape: caseShape,
          command: (context) => generator.command(workload, caseShape, context),
          ...(workload === 'mixed' ? {} : { baselineId: `k6-minimal/${workload}` }),
        };
      }),
  );
}
