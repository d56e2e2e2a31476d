// What a run may have left, from its run id and segment alone: setup() records
// the run's bounded parameters in the name of a manifest store
// (`<run>-<segment>-manifest`), and every key of the run follows from those
// (cleanup-keys.ts); the keys the VUs wrote are named in their markers, records
// of that store (markers.ts). Also the exact command that removes a run's data. Pure.
import {
  chunkedKeyOf,
  countersKeyOf,
  manifestStoreKeyOf,
  seedKeyOf,
  setupBlobKeyOf,
  vuRecordKeys,
  vuStoreKeys,
} from './cleanup-keys.js';
import type { SetupNeeds } from './setup-needs.js';

export interface RunManifest {
  readonly runId: string;
  readonly segment: string;
  /** keys of the stores setup() made, first one first */
  readonly stores: readonly string[];
  readonly recordsPerStore: number;
  /** size labels of the BLOB_SIZES classes, e.g. 1KB */
  readonly blobLabels: readonly string[];
  /** the most VUs the test may run per instance (the sum of its scenarios' maxVUs) */
  readonly maxVus: number;
  /** the parts of the run layout setup() makes (it records them before making any) */
  readonly needs: Required<SetupNeeds>;
}

/** What the keys of a run follow from: its id, segment, stores and blob size classes. */
export type RunKeys = Pick<RunManifest, 'runId' | 'segment' | 'stores' | 'blobLabels'>;

/** Every part of the run layout: what a cleanup without a manifest must assume was made. */
export const ALL_SETUP_PARTS: Required<SetupNeeds> = { seeds: true, blobs: true, chunked: true, counters: true };

export interface RecordRef {
  readonly store: string;
  readonly key: string;
}

// Bumped when the key layout changes, so a cleanup never guesses at an older run's keys.
// v2: the VUs mark the keys they write (markers.ts), and setup's parts are recorded.
const MANIFEST_PREFIX = 'open-saves-loadkit run manifest v2 ';

export function manifestName(manifest: RunManifest): string {
  return MANIFEST_PREFIX + JSON.stringify(manifest);
}

/** The manifest in a store name; undefined when the name is not one. */
export function parseManifest(name: string): RunManifest | undefined {
  if (!name.startsWith(MANIFEST_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(name.slice(MANIFEST_PREFIX.length));
  } catch {
    return undefined;
  }
  const candidate = parsed as Partial<RunManifest> | null;
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  const count = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  const needs = candidate?.needs as Record<string, unknown> | null | undefined;
  const parts = typeof needs === 'object' && needs !== null && Object.keys(ALL_SETUP_PARTS).every((part) => typeof needs[part] === 'boolean');
  const valid =
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.runId === 'string' &&
    typeof candidate.segment === 'string' &&
    strings(candidate.stores) &&
    strings(candidate.blobLabels) &&
    count(candidate.recordsPerStore) &&
    count(candidate.maxVus) &&
    parts;
  return valid ? (candidate as RunManifest) : undefined;
}

export function manifestStoreOf(manifest: Pick<RunManifest, 'runId' | 'segment'>): string {
  return manifestStoreKeyOf(manifest.runId, manifest.segment);
}

/** Every record setup() may have made of the parts it recorded: seeds, blob records, the chunked record, counters. */
export function setupRecords(manifest: RunManifest): RecordRef[] {
  const { needs } = manifest;
  const refs: RecordRef[] = [];
  for (const store of manifest.stores) {
    if (needs.seeds) for (let i = 0; i < manifest.recordsPerStore; i++) refs.push({ store, key: seedKeyOf(store, i) });
    if (needs.counters) refs.push({ store, key: countersKeyOf(store) });
  }
  const first = manifest.stores[0];
  if (first !== undefined) {
    if (needs.blobs) for (const label of manifest.blobLabels) refs.push({ store: first, key: setupBlobKeyOf(first, label) });
    if (needs.chunked) refs.push({ store: first, key: chunkedKeyOf(first) });
  }
  return refs;
}

/** Every record VU `vu` may have made, in each of the run's stores (a VU writes to any of them). */
export function vuRecords(manifest: RunManifest, vu: number): RecordRef[] {
  const keys = vuRecordKeys(manifest.runId, manifest.segment, vu, manifest.blobLabels);
  return manifest.stores.flatMap((store) => keys.map((key) => ({ store, key })));
}

/** Every store VU `vu` may have made. */
export function vuStores(manifest: RunManifest, vu: number): string[] {
  return vuStoreKeys(manifest.runId, manifest.segment, vu);
}

/** How many records and stores a cleanup of this manifest looks for when it probes every VU's keys (no markers). */
export function candidateCount(manifest: RunManifest): { records: number; stores: number } {
  const perVu = vuRecords(manifest, 1).length;
  return { records: setupRecords(manifest).length + perVu * manifest.maxVus, stores: manifest.stores.length + 1 + vuStores(manifest, 1).length * manifest.maxVus };
}

export interface CleanupTarget {
  readonly runId: string;
  readonly transport: 'grpc' | 'http';
  readonly addr: string;
  readonly httpUrl: string;
  readonly tls: boolean;
  readonly caCertPath: string | undefined;
  readonly tokenSet: boolean;
  /** k6's --execution-segment and --execution-segment-sequence, when the run had them */
  readonly executionSegment: string | undefined;
  readonly executionSegmentSequence: string | undefined;
}

/** The command that removes the run's data; the token is passed from the shell, never printed. */
export function cleanupCommand(target: CleanupTarget): string {
  const parts = ['k6 run', `-e RUN_ID=${target.runId}`];
  if (target.transport === 'http') {
    parts.push('-e TRANSPORT=http', `-e OPEN_SAVES_HTTP_URL=${target.httpUrl}`);
  } else {
    parts.push(`-e OPEN_SAVES_ADDR=${target.addr}`);
    if (target.tls) parts.push('-e OPEN_SAVES_TLS=true');
    if (target.caCertPath !== undefined) parts.push(`-e OPEN_SAVES_CA_CERT=${target.caCertPath}`);
  }
  if (target.tokenSet) parts.push('-e OPEN_SAVES_AUTH_TOKEN="$OPEN_SAVES_AUTH_TOKEN"');
  if (target.executionSegment !== undefined) parts.push(`--execution-segment ${target.executionSegment}`);
  if (target.executionSegmentSequence !== undefined) parts.push(`--execution-segment-sequence ${target.executionSegmentSequence}`);
  parts.push('dist/cleanup.js');
  return parts.join(' ');
}
