// Query flows over gRPC. The seeded records' content is known, so every query
// checks that the results hold what was written (every matching seed is
// present) and that nothing returned breaks the query's own condition.
import { unary } from '../grpc-client.js';
import { verify } from '../checks.js';
import type { RunData, SeedRecord } from '../run-data.js';
import type { QueryRecordsResponse, RecordMessage } from '../messages.js';
import { ownerFor, propertiesFor, tagsFor } from '../records.js';

export type QueryKind = 'owner' | 'tagsAnd' | 'tagsOr' | 'filter' | 'sorted' | 'page' | 'keysOnly' | 'allStores';

export const QUERY_KINDS: readonly QueryKind[] = ['owner', 'tagsAnd', 'tagsOr', 'filter', 'sorted', 'page', 'keysOnly', 'allStores'];

function integerOf(record: RecordMessage, name: string): number {
  return Number(record.properties?.[name]?.integerValue ?? Number.NaN);
}

function seedLevel(seed: SeedRecord): number {
  return Number(propertiesFor(seed.seed, 0).level?.integerValue);
}

function query(kind: QueryKind, request: Record<string, unknown>): QueryRecordsResponse | null {
  return unary<QueryRecordsResponse>('QueryRecords', request, { tags: { query: kind } }).message;
}

function containsAll(found: readonly RecordMessage[], expected: readonly SeedRecord[]): boolean {
  const keys = new Set(found.map((record) => record.key));
  return expected.every((seed) => keys.has(seed.key));
}

/** Runs one kind of query around `seed` and verifies its results. */
export function runQuery(kind: QueryKind, data: RunData, seed: SeedRecord): void {
  const storeSeeds = data.seeds.filter((candidate) => candidate.store === seed.store);
  const storeKey = seed.store;
  switch (kind) {
    case 'owner': {
      const owner = ownerFor(seed.seed);
      const result = query(kind, { storeKey, ownerId: owner });
      if (!result) return;
      verify('QueryRecords', 'an owner query returns every record of that owner', containsAll(result.records, storeSeeds.filter((s) => ownerFor(s.seed) === owner)));
      verify('QueryRecords', 'an owner query returns only that owner', result.records.every((record) => record.ownerId === owner));
      return;
    }
    case 'tagsAnd': {
      const tags = tagsFor(seed.seed);
      const result = query(kind, { storeKey, tags, tagFilterMode: 'AND' });
      if (!result) return;
      const matches = (recordTags: readonly string[]) => tags.every((tag) => recordTags.includes(tag));
      verify('QueryRecords', 'an all-tags query returns every record with all the tags', containsAll(result.records, storeSeeds.filter((s) => matches(tagsFor(s.seed)))));
      verify('QueryRecords', 'an all-tags query returns only records with all the tags', result.records.every((record) => matches(record.tags ?? [])));
      return;
    }
    case 'tagsOr': {
      const tags = tagsFor(seed.seed);
      const result = query(kind, { storeKey, tags, tagFilterMode: 'OR' });
      if (!result) return;
      const matches = (recordTags: readonly string[]) => tags.some((tag) => recordTags.includes(tag));
      verify('QueryRecords', 'an any-tag query returns every record with one of the tags', containsAll(result.records, storeSeeds.filter((s) => matches(tagsFor(s.seed)))));
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
      verify('QueryRecords', 'a property filter returns every record above the bound', containsAll(result.records, storeSeeds.filter((s) => seedLevel(s) > floor)));
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
      verify('QueryRecords', 'a keys-only query returns every seeded key', containsAll(result.records, storeSeeds));
      verify('QueryRecords', 'a keys-only query returns keys without content', result.records.every((record) => Object.keys(record.properties ?? {}).length === 0));
      verify('QueryRecords', 'a keys-only query still names each store', result.storeKeys.length === result.records.length);
      return;
    }
    case 'allStores': {
      const owner = ownerFor(seed.seed);
      const result = query(kind, { ownerId: owner });
      if (!result) return;
      const expected = data.seeds.filter((s) => ownerFor(s.seed) === owner);
      verify('QueryRecords', 'a query across stores finds the owner in every store', containsAll(result.records, expected));
      const storesOk = result.records.every((record, i) => {
        const seedOfRecord = data.seeds.find((s) => s.key === record.key);
        return seedOfRecord === undefined || seedOfRecord.store === result.storeKeys[i];
      });
      verify('QueryRecords', 'a query across stores names the store of each record', storesOk);
      return;
    }
  }
}
