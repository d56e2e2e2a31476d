// Cleanup: removes the data of a run that did not clean up after itself (k6
// killed, the target gone mid-run, KEEP_DATA=true), over either transport:
//   k6 run -e RUN_ID=<id> [-e TRANSPORT=http ...] [--execution-segment ...] dist/cleanup.js
// Every key a run can create follows from its id, its segment and the bounded
// parameters its setup() recorded in the manifest store (cleanup-plan.ts), and the
// keys its VUs wrote are named in their markers, records of that store
// (markers.ts): the keys are looked up, not listed (the AWS port lists a first page
// only). With the manifest, workers look up what the markers name; without it (the
// run died in setup, or a cleanup removed it) they probe every key the run could
// have made (the full probe), and the cleanup says which it does. teardown() then
// removes setup()'s records, whatever the run's stores still list, the stores,
// their metadata items (over HTTP) and last the markers and the manifest. Exits 0
// only when nothing of the run is left; 99 (a failed threshold) when something is.
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
import { ALL_SETUP_PARTS, candidateCount, parseManifest, setupRecords, vuRecords, vuStores, type RunManifest } from '../lib/run/cleanup-plan.js';
import { allMarkedKeys, markerKeyOf, type Marker } from '../lib/run/markers.js';
import { deleteMarkedKeys, deleteRecordsByKey, deleteStore, readMarkers, storeName, sweepStores } from '../lib/lifecycle/cleanup-run.js';
import { describeTally, ITEM_KINDS, newTally, type Tally } from '../lib/lifecycle/tally.js';

const WORKERS = 4;
const RETRIES = 5;
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
    ...Object.fromEntries(ITEM_KINDS.flatMap((kind) => ['deleted', 'not_found', 'left'].map((what) => [`opensaves_cleanup_${what}{kind:${kind}}`, ['count>=0']]))),
  },
  setupTimeout: '2m',
  teardownTimeout: '30m',
  summaryTrendStats: ['count'],
};

interface CleanupPlan {
  readonly manifest: RunManifest;
  /** whether the manifest came from the target (else from this command's environment) */
  readonly recorded: boolean;
  /** the VUs' markers; null without a manifest: then every key the run could have made is probed */
  readonly markers: readonly Marker[] | null;
}

function requireRunId(): string {
  if (config.runId !== undefined) return config.runId;
  exec.test.abort(new ConfigError('RUN_ID', 'the id of the run whose data to remove (its setup() printed it)', '').message);
  throw new Error('unreachable');
}

/** What this command's variables make of a run that left no manifest: the same keys as the run's, and every part of setup. */
function manifestFromEnvironment(runId: string): RunManifest {
  return {
    runId,
    segment: segmentLabel(),
    stores: templates.stores.map((template) => storeKey(runId, template.name)),
    recordsPerStore: config.recordsPerStore,
    blobLabels: config.blobSizes.map(sizeLabel),
    maxVus: resolveShape(config).maxVus,
    needs: ALL_SETUP_PARTS,
  };
}

function stop(line: string): never {
  exec.test.abort(line);
  throw new Error('unreachable');
}

export function setup(): CleanupPlan {
  const runId = requireRunId();
  preflight();
  retryUnavailable(RETRIES);
  const manifestStore = manifestStoreKey(runId);
  const name = storeName(manifestStore);
  if (name === undefined) stop(`cleanup: cannot read the manifest store ${manifestStore} (see the errors above); run the cleanup again`);
  if (name === null) {
    // No manifest: the run died before making it, or a cleanup removed it. The same variables as the run's give the same keys.
    const manifest = manifestFromEnvironment(runId);
    const candidates = candidateCount(manifest);
    console.log(
      `cleanup of run ${runId} (segment ${manifest.segment}): no manifest store ${manifestStore}, so no markers of the keys the VUs wrote either: ` +
        `the full probe, looking up ${candidates.records} record and ${candidates.stores} store keys, every key ${manifest.maxVus} VUs can make ` +
        `(from this command's RECORDS_PER_STORE ${manifest.recordsPerStore}, BLOB_SIZES ${manifest.blobLabels.join(',') || 'none'} and MAX_VUS/PROFILE; ` +
        'a run split with --execution-segment is cleaned with the same flags, one segment at a time)',
    );
    return { manifest, recorded: false, markers: null };
  }
  const manifest = parseManifest(name ?? '');
  if (manifest === undefined || manifest.runId !== runId) {
    stop(`cleanup: store ${manifestStore} holds no manifest of run ${runId} (its name is not one this kit writes); check RUN_ID`);
  }
  const markers = readMarkers(manifest, manifestStore);
  if (markers === undefined) stop(`cleanup: cannot list the markers in store ${manifestStore} (see the errors above); run the cleanup again`);
  const marked = allMarkedKeys(manifest, markers);
  console.log(
    `cleanup of run ${runId} (segment ${manifest.segment}), as its manifest records: looking up the ${marked.records.length} record and ` +
      `${marked.stores.length} store keys the markers of ${markers.length} VUs name, and ${setupRecords(manifest).length} records of setup ` +
      `(${manifest.recordsPerStore} seeds per store, blob sizes ${manifest.blobLabels.join(',') || 'none'})`,
  );
  return { manifest, recorded: true, markers };
}

function count(tally: Tally): void {
  for (const kind of ITEM_KINDS) {
    deletedItems.add(tally.deleted[kind], { kind });
    goneItems.add(tally.gone[kind], { kind });
    leftItems.add(tally.left[kind], { kind });
  }
}

/** The keys of the run's VUs, shared among this instance's workers: by marker, or every VU's (the full probe). */
export default function cleanup(plan: CleanupPlan): void {
  retryUnavailable(RETRIES);
  const { manifest, markers } = plan;
  const workers = exec.instance.vusInitialized;
  const tally = newTally();
  if (markers !== null) {
    for (let index = exec.vu.idInInstance - 1; index < markers.length; index += workers) {
      deleteMarkedKeys(manifest, [markers[index] as Marker], tally);
    }
  } else {
    for (let vu = exec.vu.idInInstance; vu <= manifest.maxVus; vu += workers) {
      deleteRecordsByKey(vuRecords(manifest, vu), tally);
      for (const store of vuStores(manifest, vu)) deleteStore(store, tally, true);
    }
  }
  count(tally);
}

export function teardown(plan: CleanupPlan): void {
  retryUnavailable(RETRIES);
  const { manifest } = plan;
  const tally = newTally();
  deleteRecordsByKey(setupRecords(manifest), tally);
  const processedMarkers = new Set((plan.markers ?? []).map((marker) => markerKeyOf(manifest.runId, manifest.segment, marker.vu)));
  sweepStores(manifest, manifestStoreKey(manifest.runId), tally, { mayNotExist: true, deleted: [], processedMarkers, deadlineMs: Infinity });
  count(tally);
  finished.add(1);
}

interface SummaryData {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const tally = newTally();
  for (const kind of ITEM_KINDS) {
    tally.deleted[kind] = data.metrics[`opensaves_cleanup_deleted{kind:${kind}}`]?.values.count ?? 0;
    tally.gone[kind] = data.metrics[`opensaves_cleanup_not_found{kind:${kind}}`]?.values.count ?? 0;
    tally.left[kind] = data.metrics[`opensaves_cleanup_left{kind:${kind}}`]?.values.count ?? 0;
  }
  const left = ITEM_KINDS.reduce((sum, kind) => sum + tally.left[kind], 0);
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
