// Query flows, written once against the transport-neutral client. The seeded
// records' content is known, so every query checks that nothing returned breaks
// the query's own condition, that the seeds it returns read as written, and,
// where the transport answers in full, that every matching seed is present. The
// AWS port answers only its first page (1 MB), so over HTTP what is returned is
// verified, never that everything is. A kind the transport cannot ask is skipped
// and counted.
import { verify } from '../verify/checks.js';
import type { RunData, SeedRecord } from '../run/run-data.js';
import type { QueryRecordsResponse, RecordMessage } from '../model/messages.js';
import { buildRecord, ownerFor, propertiesFor, recordDifferences, tagsFor } from '../model/records.js';
import { transport } from '../transport/transport.js';
import { skipQuery } from '../metrics/skips.js';
import type { QueryFeature, QueryRequest } from '../transport/transport-types.js';

export type QueryKind = 'owner' | 'tagsAnd' | 'tagsOr' | 'filter' | 'sorted' | 'page' | 'keysOnly' | 'allStores';

export const QUERY_KINDS: readonly QueryKind[] = ['owner', 'tagsAnd', 'tagsOr', 'filter', 'sorted', 'page', 'keysOnly', 'allStores'];

const FEATURES_OF: Readonly<Record<QueryKind, readonly QueryFeature[]>> = {
  owner: ['owner'],
  tagsAnd: ['tags'],
  tagsOr: ['tags'],
  filter: ['filters'],
  sorted: ['sort', 'limit'],
  page: ['owner', 'keysOnly', 'offset', 'limit'],
  keysOnly: ['keysOnly'],
  allStores: ['owner', 'crossStore'],
};

/** Whether the run's transport can ask this kind of query. */
export function queryOffered(kind: QueryKind): boolean {
  return FEATURES_OF[kind].every((feature) => transport.queryFeatures.has(feature));
}

function integerOf(record: RecordMessage, name: string): number {
  return Number(record.properties?.[name]?.integerValue ?? Number.NaN);
}

function seedLevel(seed: SeedRecord): number {
  return Number(propertiesFor(seed.seed, 0).level?.integerValue);
}

const tagsOfKind = (kind: QueryKind) => ({ tags: { query: kind } });

function query(kind: QueryKind, request: QueryRequest): QueryRecordsResponse | null {
  return transport.queryRecords(request, tagsOfKind(kind)).message;
}

/** Every seed in `expected` is among the results; verified only where results are complete. */
function verifyContainsAll(sentence: string, found: readonly RecordMessage[], expected: readonly SeedRecord[]): void {
  if (!transport.completeLists) return;
  const keys = new Set(found.map((record) => record.key));
  verify('QueryRecords', sentence, expected.every((seed) => keys.has(seed.key)));
}

/** Every seeded record among the results reads as setup() wrote it (other records may be anyone's). */
function verifySeedsReadBack(found: readonly RecordMessage[], seeds: readonly SeedRecord[]): void {
  const seedOf = new Map(seeds.map((seed) => [seed.key, seed]));
  const differences = found.flatMap((record) => {
    const seed = seedOf.get(record.key);
    return seed === undefined ? [] : recordDifferences(record, buildRecord(seed.key, seed.seed)).map((difference) => `${seed.key}: ${difference}`);
  });
  verify('QueryRecords', 'the seeded records a query returns read back as written', differences.length === 0, () => differences.join('; '));
}

/** Runs one kind of query around `seed` and verifies its results; a kind the transport cannot ask is skipped and counted. */
export function runQuery(kind: QueryKind, data: RunData, seed: SeedRecord): void {
  if (!queryOffered(kind)) {
    skipQuery(kind);
    return;
  }
  const storeSeeds = data.seeds.filter((candidate) => candidate.store === seed.store);
  const storeKey = seed.store;
  switch (kind) {
    case 'owner': {
      const owner = ownerFor(seed.seed);
      const result = query(kind, { storeKey, ownerId: owner });
      if (!result) return;
      verifyContainsAll('an owner query returns every record of that owner', result.records, storeSeeds.filter((s) => ownerFor(s.seed) === owner));
      verify('QueryRecords', 'an owner query returns only that owner', result.records.every((record) => record.ownerId === owner));
      verifySeedsReadBack(result.records, storeSeeds);
      return;
    }
    case 'tagsAnd': {
      const tags = tagsFor(seed.seed);
      const result = query(kind, { storeKey, tags, tagFilterMode: 'AND' });
      if (!result) return;
      const matches = (recordTags: readonly string[]) => tags.every((tag) => recordTags.includes(tag));
      verifyContainsAll('an all-tags query returns every record with all the tags', result.records, storeSeeds.filter((s) => matches(tagsFor(s.seed))));
      verify('QueryRecords', 'an all-tags query returns only records with all the tags', result.records.every((record) => matches(record.tags ?? [])));
      return;
    }
    case 'tagsOr': {
      const tags = tagsFor(seed.seed);
      const result = query(kind, { storeKey, tags, tagFilterMode: 'OR' });
      if (!result) return;
      const matches = (recordTags: readonly string[]) => tags.some((tag) => recordTags.includes(tag));
      verifyContainsAll('an any-tag query returns every record with one of the tags', result.records, storeSeeds.filter((s) => matches(tagsFor(s.seed))));
      verify('QueryRecords', 'an any-tag query returns only records with one of the tags', result.records.every((record) => matches(record.tags ?? [])));
      return;
    }
    case 'filter': {
      const floor = seedLevel(seed) - 1;
      const result = query(kind, {
        storeKey,
        filters: [{ propertyName: 'level', operator: 'GREATER', value: { type: 'INTEGER', integerValue: String(floor) } }],
      });
      if (!result) return;
      verifyContainsAll('a property filter returns every record above the bound', result.records, storeSeeds.filter((s) => seedLevel(s) > floor));
      verify('QueryRecords', 'a property filter returns only records above the bound', result.records.every((record) => integerOf(record, 'level') > floor));
      return;
    }
    case 'sorted': {
      const result = query(kind, { storeKey, sortOrders: [{ property: 'USER_PROPERTY', userPropertyName: 'gold', direction: 'DESC' }], limit: 10 });
      if (!result) return;
      const gold = result.records.map((record) => integerOf(record, 'gold'));
      verify('QueryRecords', 'a sorted query returns records in descending order', gold.every((value, i) => i === 0 || value <= (gold[i - 1] as number)));
      verify('QueryRecords', 'a sorted query honours its limit', result.records.length <= 10);
      return;
    }
    case 'page': {
      const all = query(kind, { storeKey, ownerId: ownerFor(seed.seed), keysOnly: true });
      const page = query(kind, { storeKey, ownerId: ownerFor(seed.seed), keysOnly: true, offset: 1, limit: 2 });
      if (!all || !page) return;
      const expected = all.records.slice(1, 3).map((record) => record.key).join(',');
      verify('QueryRecords', 'offset and limit select the matching slice', page.records.map((record) => record.key).join(',') === expected);
      return;
    }
    case 'keysOnly': {
      const result = query(kind, { storeKey, keysOnly: true });
      if (!result) return;
      verifyContainsAll('a keys-only query returns every seeded key', result.records, storeSeeds);
      verify('QueryRecords', 'a keys-only query returns keys without content', result.records.every((record) => Object.keys(record.properties ?? {}).length === 0));
      verify('QueryRecords', 'a keys-only query still names each store', result.storeKeys.length === result.records.length);
      return;
    }
    case 'allStores': {
      const owner = ownerFor(seed.seed);
      const result = query(kind, { ownerId: owner });
      if (!result) return;
      const expected = data.seeds.filter((s) => ownerFor(s.seed) === owner);
      verifyContainsAll('a query across stores finds the owner in every store', result.records, expected);
      const storesOk = result.records.every((record, i) => {
        const seedOfRecord = data.seeds.find((s) => s.key === record.key);
        return seedOfRecord === undefined || seedOfRecord.store === result.storeKeys[i];
      });
      verify('QueryRecords', 'a query across stores names the store of each record', storesOk);
      return;
    }
  }
}
