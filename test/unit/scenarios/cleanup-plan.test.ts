// What a cleanup looks for, as pure functions: the manifest a store name
// carries, every key a run can make (the keys VUs make included, bounded by
// maxVUs and each role's slots), and the printed command, which never holds the token.
import { describe, expect, it } from 'vitest';
import { KEY_ROLE_SLOTS, roleSlots, vuKeyOf } from '../../../scripts/lib/run/cleanup-keys.js';
import { candidateCount, cleanupCommand, manifestName, parseManifest, setupRecords, vuRecords, vuStores, type RunManifest } from '../../../scripts/lib/run/cleanup-plan.js';

const MANIFEST: RunManifest = {
  runId: 'r1',
  segment: '0-1_2',
  stores: ['r1-0-1_2-saves', 'r1-0-1_2-profiles'],
  recordsPerStore: 3,
  blobLabels: ['1KB', '10MB'],
  maxVus: 4,
  needs: { seeds: true, blobs: true, chunked: true, counters: true },
};

describe('the manifest in a store name', () => {
  it('reads back what was written, and nothing from another name', () => {
    expect(parseManifest(manifestName(MANIFEST))).toEqual(MANIFEST);
    expect(parseManifest('saves r1-all-saves')).toBeUndefined();
    expect(parseManifest(manifestName(MANIFEST).replace('"maxVus":4', '"maxVus":"4"'))).toBeUndefined();
    // An older kit's manifest (v1, no markers, no parts) is not guessed at.
    expect(parseManifest(manifestName(MANIFEST).replace(' v2 ', ' v1 '))).toBeUndefined();
    expect(parseManifest(manifestName(MANIFEST).replace('"chunked":true', '"chunked":1'))).toBeUndefined();
  });
});

describe('the keys a cleanup looks up', () => {
  it("hold setup()'s seeds, blob records, chunked record and counters", () => {
    const keys = setupRecords(MANIFEST).map((ref) => `${ref.store}/${ref.key}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'r1-0-1_2-saves/r1-0-1_2-saves-seed-0',
        'r1-0-1_2-profiles/r1-0-1_2-profiles-seed-2',
        'r1-0-1_2-saves/r1-0-1_2-saves-blob-10MB',
        'r1-0-1_2-saves/r1-0-1_2-saves-chunked',
        'r1-0-1_2-profiles/r1-0-1_2-profiles-counters',
      ]),
    );
    expect(keys).not.toContain('r1-0-1_2-saves/r1-0-1_2-saves-seed-3');
  });

  it('hold only the parts setup() recorded it made', () => {
    const seedsOnly = setupRecords({ ...MANIFEST, needs: { seeds: true, blobs: false, chunked: false, counters: false } }).map((ref) => ref.key);
    expect(seedsOnly).toHaveLength(2 * 3);
    expect(seedsOnly.every((key) => key.includes('-seed-'))).toBe(true);
    expect(setupRecords({ ...MANIFEST, needs: { seeds: false, blobs: false, chunked: false, counters: false } })).toEqual([]);
  });

  it('hold every slot of every role a VU writes, in every store, and never the unwritten key', () => {
    const keys = vuRecords(MANIFEST, 4).map((ref) => `${ref.store}/${ref.key}`);
    for (const store of MANIFEST.stores) {
      expect(keys).toContain(`${store}/${vuKeyOf('r1', '0-1_2', 4, 'own', KEY_ROLE_SLOTS.own - 1)}`);
      expect(keys).toContain(`${store}/${vuKeyOf('r1', '0-1_2', 4, 'blob-10MB', roleSlots('blob-10MB') - 1)}`);
      expect(keys).not.toContain(`${store}/${vuKeyOf('r1', '0-1_2', 4, 'missing', 0)}`);
    }
    expect(vuStores(MANIFEST, 2)).toEqual(Array.from({ length: KEY_ROLE_SLOTS.store }, (_, slot) => vuKeyOf('r1', '0-1_2', 2, 'store', slot)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('number setup records plus maxVUs times one VU share', () => {
    const perVu = vuRecords(MANIFEST, 1).length;
    expect(candidateCount(MANIFEST)).toEqual({ records: setupRecords(MANIFEST).length + 4 * perVu, stores: 2 + 1 + 4 * KEY_ROLE_SLOTS.store });
  });
});

describe('the printed cleanup command', () => {
  const base = { runId: 'r1', addr: 'saves.example:443', httpUrl: 'https://d1.cloudfront.net', tls: true, caCertPath: 'ca.pem', executionSegment: undefined, executionSegmentSequence: undefined };

  it('carries the transport, TLS, segment flags and the token only as a shell variable', () => {
    expect(cleanupCommand({ ...base, transport: 'grpc', tokenSet: true, executionSegment: '0:1/2', executionSegmentSequence: '0,1/2,1' })).toBe(
      'k6 run -e RUN_ID=r1 -e OPEN_SAVES_ADDR=saves.example:443 -e OPEN_SAVES_TLS=true -e OPEN_SAVES_CA_CERT=ca.pem -e OPEN_SAVES_AUTH_TOKEN="$OPEN_SAVES_AUTH_TOKEN" --execution-segment 0:1/2 --execution-segment-sequence 0,1/2,1 dist/cleanup.js',
    );
    expect(cleanupCommand({ ...base, transport: 'http', tokenSet: false })).toBe('k6 run -e RUN_ID=r1 -e TRANSPORT=http -e OPEN_SAVES_HTTP_URL=https://d1.cloudfront.net dist/cleanup.js');
  });
});
