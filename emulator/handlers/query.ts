// QueryRecords (spec d.2): all conditions ANDed, results in Datastore's order (below),
// then offset, limit and keys_only. Runs over memory, so it needs no composite indexes.
import { status } from '@grpc/grpc-js';
import { invalidArgument, RpcError } from '../errors.js';
import { keyOnlyRecordMessage, recordToMessage, type RecordMessage } from '../messages.js';
import { compareProperties, propertyFromMessage, type PropertyMessage, type StoredProperty } from '../state/properties.js';
import type { RecordEntity, State } from '../state/state.js';

export interface QueryFilterMessage {
  propertyName?: string;
  operator?: string | number;
  value?: PropertyMessage | null;
}

export interface SortOrderMessage {
  direction?: string | number;
  property?: string | number;
  userPropertyName?: string;
}

export interface QueryRecordsRequest {
  storeKey?: string;
  filters?: QueryFilterMessage[];
  tags?: string[];
  ownerId?: string;
  sortOrders?: SortOrderMessage[];
  limit?: number;
  keysOnly?: boolean;
  offset?: number;
  tagFilterMode?: string | number;
}

export interface QueryRecordsResponse {
  records: RecordMessage[];
  storeKeys: string[];
}

type Predicate = (record: RecordEntity) => boolean;
type Comparator = (a: RecordEntity, b: RecordEntity) => number;

const OPERATORS: Record<string, (order: number) => boolean> = {
  EQUAL: (order) => order === 0,
  GREATER: (order) => order > 0,
  LESS: (order) => order < 0,
  GREATER_OR_EQUAL: (order) => order >= 0,
  LESS_OR_EQUAL: (order) => order <= 0,
};

export function queryRecords(state: State, request: QueryRecordsRequest): QueryRecordsResponse {
  const predicates = buildPredicates(request);
  const comparators = datastoreOrder(request).map(buildComparator);
  const matches: RecordEntity[] = [];
  const storeKey = request.storeKey ?? '';
  const ownerId = request.ownerId ?? '';
  // Start from the smaller candidate set: the owner's records, or the store's.
  const storeRecords = storeKey === '' ? undefined : (state.records.get(storeKey)?.values() ?? []);
  const ownerRecords = ownerId === '' ? undefined : state.recordsOfOwner(ownerId);
  if (ownerRecords && (!storeRecords || ownerRecords.size < (state.records.get(storeKey)?.size ?? 0))) {
    collect(ownerRecords, storeKey === '' ? predicates : [(record) => record.storeKey === storeKey, ...predicates], matches);
  } else if (storeRecords) collect(storeRecords, predicates, matches);
  else for (const byKey of state.records.values()) collect(byKey.values(), predicates, matches);

  // Datastore key order (store, then record key) when no sort order decides.
  matches.sort((a, b) => {
    for (const compare of comparators) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return compareKeys(a, b);
  });

  const offset = Math.max(0, request.offset ?? 0);
  const limit = request.limit ?? 0;
  const end = limit > 0 ? Math.min(matches.length, offset + limit) : matches.length;
  const records: RecordMessage[] = [];
  const storeKeys: string[] = [];
  for (let i = offset; i < end; i++) {
    const record = matches[i]!;
    records.push(request.keysOnly ? keyOnlyRecordMessage(record.key) : recordToMessage(record));
    storeKeys.push(record.storeKey);
  }
  return { records, storeKeys };
}

const INEQUALITY_OPERATORS = new Set(['GREATER', 'LESS', 'GREATER_OR_EQUAL', 'LESS_OR_EQUAL']);

/**
 * The sort orders Datastore applies: the request's, in sequence, then each property an
 * inequality filter names (ascending, in the order the filters name them) that no sort order
 * already covers; the key decides last. So without sort orders an equality-only query comes
 * in key order and `prop1 > 0` in prop1 order (10 before 20), as the inequality property's index
 * serves it. Datastore refuses sort orders that do not start with the inequality property
 * (upstream: INTERNAL); here they are served as given (README, deviation 6).
 */
function datastoreOrder(request: QueryRecordsRequest): SortOrderMessage[] {
  const orders = [...(request.sortOrders ?? [])];
  const sorted = new Set(orders.filter((order) => order.property === 'USER_PROPERTY').map((order) => order.userPropertyName ?? ''));
  for (const filter of request.filters ?? []) {
    const name = filter.propertyName ?? '';
    if (typeof filter.operator !== 'string' || !INEQUALITY_OPERATORS.has(filter.operator) || sorted.has(name)) continue;
    sorted.add(name);
    orders.push({ property: 'USER_PROPERTY', userPropertyName: name, direction: 'ASC' });
  }
  return orders;
}

function collect(records: Iterable<RecordEntity>, predicates: Predicate[], into: RecordEntity[]): void {
  outer: for (const record of records) {
    for (const matches of predicates) if (!matches(record)) continue outer;
    into.push(record);
  }
}

function buildPredicates(request: QueryRecordsRequest): Predicate[] {
  const predicates: Predicate[] = [];
  const ownerId = request.ownerId ?? '';
  if (ownerId !== '') predicates.push((record) => record.ownerId === ownerId);
  for (const filter of request.filters ?? []) predicates.push(buildFilter(filter));
  // Datastore leaves out entities that lack a property the query sorts by.
  for (const order of request.sortOrders ?? []) {
    const name = order.userPropertyName ?? '';
    if (order.property === 'USER_PROPERTY' && name !== '') predicates.push((record) => record.properties.has(name));
  }
  const tags = request.tags ?? [];
  if (tags.length > 0) {
    if (request.tagFilterMode === 'OR' || request.tagFilterMode === 1) {
      predicates.push((record) => tags.some((tag) => record.tags.includes(tag)));
    } else {
      predicates.push((record) => tags.every((tag) => record.tags.includes(tag)));
    }
  }
  return predicates;
}

function buildFilter(filter: QueryFilterMessage): Predicate {
  const operator = typeof filter.operator === 'string' ? OPERATORS[filter.operator] : undefined;
  if (!operator) throw new RpcError(status.UNIMPLEMENTED, `unknown filter operator ${String(filter.operator)}`);
  const name = filter.propertyName ?? '';
  const value: StoredProperty = propertyFromMessage(name, filter.value ?? {});
  // Like Datastore, a filter only matches values of the same type, and never a missing property.
  return (record) => {
    const property = record.properties.get(name);
    return property !== undefined && property.type === value.type && operator(compareProperties(property, value));
  };
}

function buildComparator(order: SortOrderMessage): Comparator {
  const sign = order.direction === 'ASC' ? 1 : order.direction === 'DESC' ? -1 : 0;
  if (sign === 0) throw invalidArgument(`unknown sort direction ${String(order.direction)}`);
  switch (order.property) {
    case 'UPDATED_AT':
      return (a, b) => sign * (a.updatedAt - b.updatedAt);
    case 'CREATED_AT':
      return (a, b) => sign * (a.createdAt - b.createdAt);
    case 'USER_PROPERTY': {
      const name = order.userPropertyName ?? '';
      if (name === '') throw invalidArgument('sort order USER_PROPERTY needs a non-empty user_property_name');
      return (a, b) => sign * compareProperties(a.properties.get(name)!, b.properties.get(name)!);
    }
    default:
      throw invalidArgument(`unknown sort property ${String(order.property)}`);
  }
}

function compareKeys(a: RecordEntity, b: RecordEntity): number {
  if (a.storeKey !== b.storeKey) return a.storeKey < b.storeKey ? -1 : 1;
  return a.key < b.key ? -1 : a.key === b.key ? 0 : 1;
}
