// /api/stores/{store_id}/records[/{record_id}] of the AWS port, over the shared
// records (JSON properties mapped as http/json-properties.ts describes).
import { microsToRfc3339Seconds } from '../state/clock.js';
import { newRecordEntity } from '../handlers/records.js';
import { estimateFieldBytes, type WritableFields } from '../handlers/record-fields.js';
import { recordCacheKey, touchRecord, type RecordEntity, type RecordView, type State } from '../state/state.js';
import { readJsonObject, type HttpContext } from './context.js';
import { propertiesFromJson, propertiesToJson, stringProperty } from './json-properties.js';
import { countRecordCreated, countRecordDeleted } from './metadata.js';
import { dynamoItemBytes, firstPage } from './paging.js';
import { HttpError, methodNotAllowed, sendEmpty, sendJson } from './respond.js';

/**
 * The AWS port's Record JSON. GET record leaves out owner_id and game_id; query
 * results carry them (`withOwner`), as the AWS port does.
 */
export function recordToJson(record: RecordView, withOwner: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = { store_id: record.storeKey, record_id: record.key };
  if (withOwner) {
    if (record.ownerId !== '') json.owner_id = record.ownerId;
    const gameId = gameIdOf(record);
    if (gameId) json.game_id = gameId;
  }
  if (record.tags.length > 0) json.tags = record.tags;
  if (record.properties.size > 0) json.properties = propertiesToJson(record.properties);
  if (record.namedBlobs && record.namedBlobs.size > 0) json.blob_keys = [...record.namedBlobs.keys()];
  json.created_at = microsToRfc3339Seconds(record.createdAt);
  json.updated_at = microsToRfc3339Seconds(record.updatedAt);
  return json;
}

/** The record's game_id attribute as the port's GameIDIndex sees it. */
function gameIdOf(record: RecordView): string {
  return record.gameId ?? stringProperty(record.properties, 'game_id') ?? '';
}

/** properties.game_id when a non-empty string, else the attribute the record already has. */
function gameIdAfterWrite(properties: RecordView['properties'], current: RecordView | undefined): string {
  const fromProperties = stringProperty(properties, 'game_id');
  return fromProperties ? fromProperties : current ? gameIdOf(current) : '';
}

function requireStore(state: State, storeId: string): void {
  if (!state.storeForRead(storeId)) throw new HttpError(404, 'store not found');
}

/** The record as the port's GetItem reads it; 404 when that read finds nothing. */
export function requireHttpRecord(state: State, storeId: string, recordId: string): RecordView {
  const record = state.recordForRead(storeId, recordId);
  if (!record) throw new HttpError(404, 'record not found');
  return record;
}

/** The store lookup comes before the method check, as in the AWS port. */
export async function recordsRoute(context: HttpContext): Promise<void> {
  const { state, method, response } = context;
  const storeId = context.params[0]!;
  requireStore(state, storeId);
  if (method === 'GET') {
    const records = queryRecordsPage(state, storeId, context.query).map((record) => recordToJson(record, true));
    sendJson(response, 200, { records });
    return;
  }
  if (method !== 'POST') throw methodNotAllowed();
  const body = await readJsonObject(context);
  const recordId = typeof body.record_id === 'string' ? body.record_id : '';
  if (recordId === '') throw new HttpError(400, 'record_id is required');
  // A duplicate record_id is a 500 in the AWS port (its conditional put fails).
  if (state.getRecord(storeId, recordId)) throw new HttpError(500, 'Failed to create record');
  const fields = fieldsFromJson(body, undefined, undefined);
  const record = newRecordEntity(storeId, recordId, fields, 0n, estimateFieldBytes(storeId, recordId, fields));
  record.gameId = gameIdAfterWrite(fields.properties, undefined);
  state.addRecord(record);
  countRecordCreated(state, storeId);
  sendEmpty(response, 201);
}

/**
 * The port's record Query: game_id takes precedence over owner_id; results in record-key
 * order (the table's and the GSIs' sort key); limit > 0 caps them; only the first page.
 */
export function queryRecordsPage(state: State, storeId: string, query: URLSearchParams): RecordView[] {
  const gameId = query.get('game_id') ?? '';
  const ownerId = query.get('owner_id') ?? '';
  // Anything but a plain positive integer means no limit, as strconv.Atoi failing does in the AWS port.
  const limitText = query.get('limit') ?? '';
  const parsedLimit = /^\d+$/.test(limitText) ? Number(limitText) : 0;
  const limit = Number.isSafeInteger(parsedLimit) ? parsedLimit : 0;
  const matches: RecordView[] = [];
  for (const record of state.recordsForRead(storeId)) {
    if (gameId !== '') {
      if (gameIdOf(record) !== gameId) continue;
    } else if (ownerId !== '' && record.ownerId !== ownerId) continue;
    matches.push(record);
  }
  matches.sort((a, b) => (a.key < b.key ? -1 : a.key === b.key ? 0 : 1));
  const page = firstPage(matches, state.pageBytes, limit, recordItemBytes);
  if (page.length < matches.length && (limit <= 0 || page.length < limit)) state.truncatedLists++;
  return page;
}

/** The size of the DynamoDB item the port stores for a record (timestamps as Unix seconds). */
export function recordItemBytes(record: RecordView): number {
  const item = recordToJson(record, true);
  item.concat_key = `${record.storeKey}#${record.key}`;
  item.created_at = Math.floor(record.createdAt / 1_000_000);
  item.updated_at = Math.floor(record.updatedAt / 1_000_000);
  return dynamoItemBytes(item);
}

/**
 * Body fields onto the typed model. Top-level owner_id is dropped, as in the AWS
 * port: owner_id comes only from properties.owner_id. Omitted tags/properties keep
 * the values of the record as the handler read it (`read`, which a lagged read may
 * make older than `live`), present ones replace them.
 */
function fieldsFromJson(body: Record<string, unknown>, read: RecordView | undefined, live: RecordEntity | undefined): WritableFields {
  const tags = Array.isArray(body.tags) ? body.tags.map((tag) => (typeof tag === 'string' ? tag : '')) : [...(read?.tags ?? [])];
  const rawProperties = body.properties;
  const properties =
    typeof rawProperties === 'object' && rawProperties !== null && !Array.isArray(rawProperties)
      ? propertiesFromJson(rawProperties as Record<string, unknown>)
      : read === live && live
        ? live.properties
        : new Map(read?.properties ?? []);
  const ownerFromProperties = stringProperty(properties, 'owner_id');
  // An existing owner_id attribute is never removed by the AWS port.
  const ownerId = ownerFromProperties ? ownerFromProperties : (live?.ownerId ?? '');
  return { ownerId, properties, tags, opaqueString: live?.opaqueString ?? '', expiresAt: null };
}

export async function recordRoute(context: HttpContext): Promise<void> {
  const { state, method, response } = context;
  const [storeId, recordId] = context.params as [string, string];
  switch (method) {
    case 'GET':
      sendJson(response, 200, recordToJson(requireHttpRecord(state, storeId, recordId), false));
      return;
    case 'PUT': {
      const body = await readJsonObject(context);
      const read = requireHttpRecord(state, storeId, recordId);
      // The port's UpdateItem is conditional on the item existing: a stale read of a deleted record fails there.
      const record = state.getRecord(storeId, recordId);
      if (!record) throw new HttpError(500, 'Failed to update record');
      const fields = fieldsFromJson(body, read, record);
      const bytes = estimateFieldBytes(storeId, recordId, fields);
      state.budget.adjust(bytes - record.bytes);
      state.recordChanging(record);
      record.bytes = bytes;
      record.tags = fields.tags;
      record.gameId = gameIdAfterWrite(fields.properties, record);
      record.properties = fields.properties;
      state.setOwner(record, fields.ownerId);
      touchRecord(record);
      state.cache.delete(recordCacheKey(storeId, recordId));
      sendEmpty(response, 200);
      return;
    }
    case 'DELETE': {
      const record = state.getRecord(storeId, recordId);
      // The AWS port leaves the record's blob objects in S3.
      if (record) state.removeRecord(record, 'orphan');
      // Its store_stats update follows an unconditional DeleteItem, so it runs for a missing record too.
      countRecordDeleted(state, storeId);
      sendEmpty(response, 204);
      return;
    }
    default:
      throw methodNotAllowed();
  }
}
