// A VU's marker names the keys it writes before it writes them; what a cleanup
// looks up follows from the markers alone: each tag is one record key in one of
// the run's stores, or one store key, and a tag the run's layout does not allow
// names nothing.
import { describe, expect, it } from 'vitest';
import { KEY_ROLE_SLOTS, vuKeyOf } from '../../../scripts/lib/run/cleanup-keys.js';
import { allMarkedKeys, markedKeys, markerKeyOf, markerTag, markerVuOf } from '../../../scripts/lib/run/markers.js';
import type { RunKeys } from '../../../scripts/lib/run/cleanup-plan.js';

const RUN: RunKeys = { runId: 'r1', segment: 'all', stores: ['r1-all-saves', 'r1-all-profiles'], blobLabels: ['1KB', '10MB'] };

describe('a marker', () => {
  it('has one record per VU in the manifest store, whose key gives the VU back', () => {
    expect(markerKeyOf('r1', 'all', 7)).toBe('r1-all-v7-marker');
    expect(markerVuOf(RUN, 'r1-all-v7-marker')).toBe(7);
    // Another run's, another segment's, a VU's own record and a seed are no markers.
    for (const key of ['r2-all-v7-marker', 'r1-0-1_2-v7-marker', vuKeyOf('r1', 'all', 7, 'own', 0), 'r1-all-saves-seed-0', 'r1-all-v0-marker', 'r1-all-vx-marker']) {
      expect(markerVuOf(RUN, key), key).toBeUndefined();
    }
  });

  it('names each record key in the store it was written to, and each store key', () => {
    const tags = [markerTag('own', 3, 1), markerTag('blob-10MB', 1, 0), markerTag('store', 2)];
    expect(tags).toEqual(['own.3@1', 'blob-10MB.1@0', 'store.2']);
    expect(markedKeys(RUN, { vu: 4, tags })).toEqual({
      records: [
        { store: 'r1-all-profiles', key: vuKeyOf('r1', 'all', 4, 'own', 3) },
        { store: 'r1-all-saves', key: vuKeyOf('r1', 'all', 4, 'blob-10MB', 1) },
      ],
      stores: [vuKeyOf('r1', 'all', 4, 'store', 2)],
    });
  });

  it('names nothing the run layout does not allow: an unwritten or unknown role, a slot past the ring, a store the run lacks', () => {
    const tags = [
      markerTag('missing', 0, 0),
      'blob-5MB.0@0',
      markerTag('own', KEY_ROLE_SLOTS.own, 0),
      markerTag('own', 0, 2),
      'own.1',
      'store.0@1',
      'not a tag',
    ];
    expect(markedKeys(RUN, { vu: 1, tags })).toEqual({ records: [], stores: [] });
  });

  it('names each key once however often it is tagged, and the markers of several VUs add up', () => {
    const one = { vu: 1, tags: ['own.0@0', 'own.0@0', 'own.0@1'] };
    const two = { vu: 2, tags: ['own.0@0', 'store.0'] };
    const keys = allMarkedKeys(RUN, [one, two]);
    expect(keys.records.map((ref) => `${ref.store}/${ref.key}`)).toEqual([
      `r1-all-saves/${vuKeyOf('r1', 'all', 1, 'own', 0)}`,
      `r1-all-profiles/${vuKeyOf('r1', 'all', 1, 'own', 0)}`,
      `r1-all-saves/${vuKeyOf('r1', 'all', 2, 'own', 0)}`,
    ]);
    expect(keys.stores).toEqual([vuKeyOf('r1', 'all', 2, 'store', 0)]);
  });
});
