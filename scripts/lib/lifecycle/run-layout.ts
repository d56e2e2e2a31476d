// The data every run starts with, the same on both transports: one store per
// template, RECORDS_PER_STORE seeded records per store, and one record per
// BLOB_SIZES class holding a blob of that size. Each transport supplies the writes.
// Before any of it, a manifest store records the run's bounded parameters, so
// dist/cleanup.js can derive every key of the run from its id (cleanup-plan.ts).
import exec from 'k6/execution';
import templates from '../../../data/save-templates.json';
import { config } from '../config/runtime.js';
import { manifestStoreKey, randomRunId, seedKey, segmentLabel, storeKey } from '../run/keys.js';
import { setupBlobKeyOf } from '../run/cleanup-keys.js';
import { manifestName, type RunManifest } from '../run/cleanup-plan.js';
import { cleanupCommandFor } from './cleanup-command.js';
import { makePayload, sizeLabel, type Payload } from '../model/payloads.js';
import type { BlobRecord, RunData, SeedRecord } from '../run/run-data.js';
import type { SetupNeeds } from '../run/setup-needs.js';

// Seeds of different stores must differ so their content (owner, tags, properties) differs too.
const SEEDS_PER_STORE = 1_000_000;

export interface LayoutWriter {
  /** where the writes go, for the error that stops setup */
  readonly endpoint: string;
  createStore(key: string, name: string, tags: readonly string[]): boolean;
  createRecord(seed: SeedRecord): boolean;
  uploadBlob(ref: { store: string; key: string }, payload: Payload): boolean | Promise<boolean>;
}

export type RunLayout = Pick<RunData, 'runId' | 'stores' | 'storeNames' | 'seeds' | 'blobs'>;

/** The most VUs the test runs per instance: every VU key carries an id up to this. */
function maxVusOfTest(): number {
  const scenarios = (exec.test.options.scenarios ?? {}) as Record<string, { maxVUs?: number; vus?: number }>;
  let total = 0;
  for (const name of Object.keys(scenarios)) total += scenarios[name]?.maxVUs ?? scenarios[name]?.vus ?? 1;
  return Math.max(1, total);
}

/** The bounded parameters of this run, as its manifest store records them. */
export function runManifestOf(runId: string, stores: readonly string[], needs: Required<SetupNeeds>): RunManifest {
  return {
    runId,
    segment: segmentLabel(),
    stores,
    recordsPerStore: config.recordsPerStore,
    // VUs name blob records by these labels too (blobs scenario), whether or not setup() makes blobs.
    blobLabels: config.blobSizes.map(sizeLabel),
    maxVus: maxVusOfTest(),
    needs,
  };
}

/**
 * Makes the manifest store, the run's stores and, of `needs`, the seeds and blob records
 * (the transport's setup makes the rest; the manifest records all of `needs` first).
 * Throws (an Error whose message is one line for the user) when the run cannot start:
 * the stores every iteration uses must exist.
 */
export async function createRunLayout(writer: LayoutWriter, needs: Required<SetupNeeds>): Promise<RunLayout> {
  const runId = config.runId ?? randomRunId();
  const storeKeys = templates.stores.map((template) => storeKey(runId, template.name));
  const manifest = manifestName(runManifestOf(runId, storeKeys, needs));
  if (!writer.createStore(manifestStoreKey(runId), manifest, [])) {
    throw new Error(`setup: cannot create store ${manifestStoreKey(runId)} at ${writer.endpoint}; see the errors above`);
  }
  console.log(`run ${runId}: should it die before its teardown, remove its data with: ${cleanupCommandFor(runId)}`);
  const stores: string[] = [];
  const storeNames: string[] = [];
  templates.stores.forEach((template, index) => {
    const key = storeKeys[index] as string;
    const name = `${template.name} ${key}`;
    if (!writer.createStore(key, name, template.tags)) {
      throw new Error(`setup: cannot create store ${key} at ${writer.endpoint}; see the errors above; remove what was made with: ${cleanupCommandFor(runId)}`);
    }
    stores.push(key);
    storeNames.push(name);
  });
  const seeds: SeedRecord[] = [];
  if (needs.seeds) {
    stores.forEach((store, storeIndex) => {
      for (let i = 0; i < config.recordsPerStore; i++) {
        const seed: SeedRecord = { store, key: seedKey(store, i), seed: storeIndex * SEEDS_PER_STORE + i };
        if (writer.createRecord(seed)) seeds.push(seed);
      }
    });
  }
  const blobs: BlobRecord[] = [];
  if (needs.blobs) {
    const firstStore = stores[0] as string;
    for (const size of config.blobSizes) {
      const payload = makePayload(size);
      const key = setupBlobKeyOf(firstStore, payload.label);
      if (writer.createRecord({ store: firstStore, key, seed: 0 }) && (await writer.uploadBlob({ store: firstStore, key }, payload))) {
        blobs.push({ store: firstStore, key, size });
      }
    }
  }
  return { runId, stores, storeNames, seeds, blobs };
}

/** Stops the test with the one line of a setup failure (k6 exits 108), never a stack trace. */
export function stopSetup(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  exec.test.abort(message.startsWith('setup:') ? message : `setup: ${message}`);
  throw error;
}
