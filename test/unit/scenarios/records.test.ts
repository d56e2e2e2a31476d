// What record reads are checked against: key and version on every read, the
// whole content on a schedule, and a comparison that finds every kind of difference.
import { describe, expect, it } from 'vitest';
import { buildRecord, nextSampledReadIsFull, readDifferences, recordDifferences } from '../../../scripts/lib/model/records.js';
import type { RecordMessage } from '../../../scripts/lib/model/messages.js';

// What k6 hands over for a read: a copy, property order as the server sent it.
function asRead(record: RecordMessage): RecordMessage {
  const copy = JSON.parse(JSON.stringify(record)) as RecordMessage;
  const reversed = Object.fromEntries(Object.entries(copy.properties ?? {}).reverse());
  return { ...copy, properties: reversed };
}

describe('readDifferences', () => {
  // A read whose key and version are right but one property is not: only a full comparison sees it.
  function tampered(record: RecordMessage): RecordMessage {
    const read = asRead(record);
    const name = Object.keys(read.properties ?? {})[0]!;
    return { ...read, properties: { ...read.properties, [name]: { type: 'STRING', stringValue: 'tampered' } } };
  }
  const failingReads = (outcomes: readonly (readonly string[])[]) => outcomes.flatMap((differences, index) => (differences.length > 0 ? [index + 1] : []));

  it('compares the whole content on the first read of a version and on one read in N after it', () => {
    const ref = { store: 's', key: 'record-3', seed: 99 };
    const bad = tampered(buildRecord('record-3', 99, 0));
    const outcomes = Array.from({ length: 20 }, () => readDifferences(bad, ref, 0, 8));
    expect(failingReads(outcomes)).toEqual([1, 9, 17]);
  });

  it('compares a seeded record in full within its first N reads, at a point set by its seed, then one read in N', () => {
    const failingFor = (seed: number) => {
      const ref = { store: 's', key: `seeded-${seed}`, seed };
      const bad = tampered(buildRecord(ref.key, seed, 0));
      return failingReads(Array.from({ length: 20 }, () => readDifferences(bad, ref, 0, 8, 'sampled')));
    };
    expect(failingFor(16)).toEqual([8, 16]);
    expect(failingFor(21)).toEqual([3, 11, 19]);
    expect(failingFor(7)).toEqual([1, 9, 17]);
    // N = 1 still compares every read in full.
    const ref = { store: 's', key: 'seeded-every', seed: 5 };
    const bad = tampered(buildRecord(ref.key, 5, 0));
    expect(failingReads(Array.from({ length: 4 }, () => readDifferences(bad, ref, 0, 1, 'sampled')))).toEqual([1, 2, 3, 4]);
  });

  it('schedules the full reads of a seeded record the same way when nothing else is read (nextSampledReadIsFull)', () => {
    const fullReads = (seed: number, fullEvery = 8) => {
      const ref = { store: 's', key: `counted-${seed}`, seed };
      return Array.from({ length: 20 }, () => nextSampledReadIsFull(ref, 0, fullEvery)).flatMap((full, index) => (full ? [index + 1] : []));
    };
    expect(fullReads(16)).toEqual([8, 16]);
    expect(fullReads(21)).toEqual([3, 11, 19]);
    expect(fullReads(7)).toEqual([1, 9, 17]);
    expect(fullReads(3, 1)).toHaveLength(20);
    // A new version starts its count again.
    const ref = { store: 's', key: 'counted-versions', seed: 16 };
    for (let read = 0; read < 3; read++) nextSampledReadIsFull(ref, 0, 8);
    expect(Array.from({ length: 8 }, () => nextSampledReadIsFull(ref, 1, 8)).indexOf(true)).toBe(7);
  });

  it('still checks key and version on every sampled read', () => {
    const ref = { store: 's', key: 'seeded-9', seed: 9 };
    for (let read = 0; read < 10; read++) {
      expect(readDifferences(asRead(buildRecord('seeded-9', 9, 1)), ref, 0, 8, 'sampled')).not.toEqual([]);
      expect(readDifferences(asRead(buildRecord('seeded-other', 9, 0)), ref, 0, 8, 'sampled')).not.toEqual([]);
    }
  });

  it('compares every read in full when N is 1', () => {
    const ref = { store: 's', key: 'record-3', seed: 99 };
    const bad = tampered(buildRecord('record-3', 99, 0));
    const outcomes = Array.from({ length: 5 }, () => readDifferences(bad, ref, 0, 1));
    expect(failingReads(outcomes)).toEqual([1, 2, 3, 4, 5]);
  });

  it('catches a read of another version or another record on every read', () => {
    const ref = { store: 's', key: 'record-4', seed: 5 };
    readDifferences(asRead(buildRecord('record-4', 5, 2)), ref, 2, 8);
    for (let read = 0; read < 10; read++) {
      expect(readDifferences(asRead(buildRecord('record-4', 5, 1)), ref, 2, 8)).not.toEqual([]);
      expect(readDifferences(asRead(buildRecord('record-4', 6, 2)), ref, 2, 8)).not.toEqual([]);
      expect(readDifferences(asRead(buildRecord('record-5', 5, 2)), ref, 2, 8)).not.toEqual([]);
    }
    expect(readDifferences(null, ref, 2, 8)).toEqual(['record missing']);
  });

  it('finds none for faithful reads, and starts the count again for a new version', () => {
    const ref = { store: 's', key: 'record-6', seed: 31 };
    for (let read = 0; read < 10; read++) expect(readDifferences(asRead(buildRecord('record-6', 31, 0)), ref, 0, 8)).toEqual([]);
    const bad = tampered(buildRecord('record-6', 31, 1));
    expect(readDifferences(bad, ref, 1, 8)).not.toEqual([]);
    expect(readDifferences(bad, ref, 1, 8)).toEqual([]);
  });

  it('keeps the count of each reference apart, even for the same key', () => {
    const one = { store: 'a', key: 'same', seed: 1 };
    const other = { store: 'b', key: 'same', seed: 1 };
    const bad = tampered(buildRecord('same', 1, 0));
    expect(readDifferences(bad, one, 0, 8)).not.toEqual([]);
    expect(readDifferences(bad, other, 0, 8)).not.toEqual([]);
    expect(readDifferences(bad, one, 0, 8)).toEqual([]);
  });
});

describe('recordDifferences', () => {
  const expected = buildRecord('record-5', 4242, 2);

  it('finds none for a faithful read, whatever order its properties come in', () => {
    expect(recordDifferences(asRead(expected), expected)).toEqual([]);
  });

  it('names each field that differs', () => {
    const read = asRead(expected);
    const name = Object.keys(expected.properties ?? {})[0]!;
    const properties = { ...read.properties, [name]: { type: 'STRING' as const, stringValue: 'tampered' } };
    const wrong = { ...read, ownerId: 'someone-else', tags: ['slot:none'], opaqueString: 'x', properties };
    const differences = recordDifferences(wrong, expected).join('; ');
    expect(differences).toContain('ownerId someone-else');
    expect(differences).toContain('tags slot:none');
    expect(differences).toContain('opaqueString differs');
    expect(differences).toContain(`property ${name}`);
  });

  it('reports a property the server added or dropped, and a missing record', () => {
    const read = asRead(expected);
    const added = { ...read, properties: { ...read.properties, extra: { type: 'BOOLEAN' as const, booleanValue: true } } };
    expect(recordDifferences(added, expected).join('; ')).toContain('property extra');
    const [dropped, ...kept] = Object.keys(read.properties ?? {});
    const fewer = { ...read, properties: Object.fromEntries(kept.map((name) => [name, read.properties![name]!])) };
    expect(recordDifferences(fewer, expected).join('; ')).toContain(`property ${dropped}`);
    expect(recordDifferences(null, expected)).toEqual(['record missing']);
  });

  it('tells an older version of the record from the one expected', () => {
    expect(recordDifferences(asRead(buildRecord('record-5', 4242, 1)), expected)).not.toEqual([]);
  });
});
