// Cleanup: removes the data of a run that did not clean up after itself (k6
// killed, the target gone mid-run, KEEP_DATA=true), over either transport:
//   k6 run -e RUN_ID=<id> [-e TRANSPORT=http ...] [--execution-segment ...] dist/cleanup.js
// Every key a run can create follows from its id, its segment and the bounded
// parameters its setup() recorded in the manifest store (cleanup-plan.ts), so the
// keys are looked up, not listed (the AWS port lists a first page only). Workers
// share the VUs' keys; teardown() then removes setup()'s records, whatever the
// run's stores still list, the stores and last the manifest. Exits 0 only when
// nothing of the run is left; 99 (a failed threshold) when something is.
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import templates from '../../data/save-templates.json';
import { config } from '../lib/config/runtime.js';
import { ConfigError } from '../lib/config/errors.js';
import { preflight } from '../lib/preflight/preflight.js';
import { retryUnavailable } from '../lib/transport/grpc-client.js';
import { manifestStoreKey, segmentLabel, storeKey } from '../lib/run/keys.js';
import { sizeLabel } from '../lib/model/payloads.js';
import { resolveShape } from '../profiles/index.js';
import { candidateCount, parseManifest, setupRecords, vuRecords, vuStores, type RunManifest } from '../lib/run/cleanup-plan.js';
import {
  deleteGrpcRecords,
  deleteGrpcStore,
  deleteHttpRecord,
  deleteHttpStore,
  describeTally,
  grpcStoreName,
  httpStoreName,
  newTally,
  sweepStores,
  type ItemKind,
  type Tally,
} from '../lib/lifecycle/cleanup-run.js';

const WORKERS = 4;
const RETRIES = 5;
const KINDS: readonly ItemKind[] = ['store', 'record', 'blob'];
const deletedItems = new Counter('opensaves_cleanup_deleted');
const goneItems = new Counter('opensaves_cleanup_not_found');
const leftItems = new Counter('opensaves_cleanup_left');
// One sample when teardown() got through: without it the summary cannot say nothing is left.
const finished = new Counter('opensaves_cleanup_finished');
const http = config.transport === 'http';

export const options = {
  scenarios: { cleanup: { executor: 'per-vu-iterations', vus: WORKERS, iterations: 1, maxDuration: '1h' } },
  thresholds: {
    opensaves_cleanup_left: ['count==0'],
    // Listed so the summary has each kind's counts.
    ...Object.fromEntries(KINDS.flatMap((kind) => ['deleted', 'not_found', 'left'].map((what) => [`opensaves_cleanup_${what}{kind:${kind}}`, ['count>=0']]))),
  },
  setupTimeout: '2m',
  teardownTimeout: '30m',
  summaryTrendStats: ['count'],
};

interface CleanupPlan {
  readonly manifest: RunManifest;
  /** whether the manifest came from the target (else from this command's environment) */
  readonly recorded: boolean;
}

function requireRunId(): string {
  if (config.runId !== undefined) return config.runId;
  exec.test.abort(new ConfigError('RUN_ID', 'the id of the run whose data to remove (its setup() printed it)', '').message);
  throw new Error('unreachable');
}

export function setup(): CleanupPlan {
  const runId = requireRunId();
  preflight();
  retryUnavailable(RETRIES);
  const manifestStore = manifestStoreKey(runId);
  const name = http ? httpStoreName(manifestStore) : grpcStoreName(manifestStore);
  if (name === undefined) exec.test.abort(`cleanup: cannot read the manifest store ${manifestStore} (see the errors above); run the cleanup again`);
  let plan: CleanupPlan;
  if (name === null) {
    // No manifest: the run died before making it, or a cleanup removed it. The same variables as the run's give the same keys.
    plan = {
      recorded: false,
      manifest: {
        runId,
        segment: segmentLabel(),
        stores: templates.stores.map((template) => storeKey(runId, template.name)),
        recordsPerStore: config.recordsPerStore,
        blobLabels: config.blobSizes.map(sizeLabel),
        maxVus: resolveShape(config).maxVus,
      },
    };
  } else {
    const manifest = parseManifest(name ?? '');
    if (manifest === undefined || manifest.runId !== runId) {
      exec.test.abort(`cleanup: store ${manifestStore} holds no manifest of run ${runId} (its name is not one this kit writes); check RUN_ID`);
      throw new Error('unreachable');
    }
    plan = { recorded: true, manifest };
  }
  const { manifest } = plan;
  const candidates = candidateCount(manifest);
  const source = plan.recorded
    ? `as its manifest records`
    : `no manifest store ${manifestStore}, so from this command's RECORDS_PER_STORE, BLOB_SIZES and MAX_VUS/PROFILE; ` +
      'a run split with --execution-segment is cleaned with the same flags, one segment at a time';
  console.log(
    `cleanup of run ${runId} (segment ${manifest.segment}): looking up ${candidates.records} record and ${candidates.stores} store keys ` +
      `(${manifest.recordsPerStore} seeds per store, blob sizes ${manifest.blobLabels.join(',') || 'none'}, up to ${manifest.maxVus} VUs; ${source})`,
  );
  return plan;
}

function count(tally: Tally): void {
  for (const kind of KINDS) {
    deletedItems.add(tally.deleted[kind], { kind });
    goneItems.add(tally.gone[kind], { kind });
    leftItems.add(tally.left[kind], { kind });
  }
}

/** The keys of the run's VUs, shared among this instance's workers. */
export default function cleanup(plan: CleanupPlan): void {
  retryUnavailable(RETRIES);
  const { manifest } = plan;
  const workers = exec.instance.vusInitialized;
  const tally = newTally();
  for (let vu = exec.vu.idInInstance; vu <= manifest.maxVus; vu += workers) {
    const records = vuRecords(manifest, vu);
    if (http) for (const ref of records) deleteHttpRecord(ref, tally);
    else deleteGrpcRecords(records, tally);
    for (const store of vuStores(manifest, vu)) {
      if (http) deleteHttpStore(store, tally);
      else deleteGrpcStore(store, tally);
    }
  }
  count(tally);
}

export function teardown(plan: CleanupPlan): void {
  retryUnavailable(RETRIES);
  const { manifest } = plan;
  const tally = newTally();
  const records = setupRecords(manifest);
  if (http) for (const ref of records) deleteHttpRecord(ref, tally);
  else deleteGrpcRecords(records, tally);
  sweepStores(manifest.stores, manifestStoreKey(manifest.runId), tally, true);
  count(tally);
  finished.add(1);
}

interface SummaryData {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const tally = newTally();
  for (const kind of KINDS) {
    tally.deleted[kind] = data.metrics[`opensaves_cleanup_deleted{kind:${kind}}`]?.values.count ?? 0;
    tally.gone[kind] = data.metrics[`opensaves_cleanup_not_found{kind:${kind}}`]?.values.count ?? 0;
    tally.left[kind] = data.metrics[`opensaves_cleanup_left{kind:${kind}}`]?.values.count ?? 0;
  }
  const left = KINDS.reduce((sum, kind) => sum + tally.left[kind], 0);
  const runId = config.runId ?? '(no RUN_ID)';
  const verdict =
    data.metrics.opensaves_cleanup_finished === undefined
      ? `RESULT: the cleanup of run ${runId} did not finish (see the errors above); nothing was verified`
      : left === 0
      ? `RESULT: nothing of run ${runId} is left`
      : `RESULT: ${left} item(s) of run ${runId} are left (see the errors above); run this cleanup again, and check the target if they stay`;
  const target = http ? config.httpUrl : config.addr;
  // "already gone" also covers keys the run never got to make.
  const lines = [`cleanup of run ${runId} at ${target}: ${describeTally(tally).replace('already gone', 'not found (already gone or never made)')}`, verdict, ''];
  return { stdout: lines.join('\n') };
}
