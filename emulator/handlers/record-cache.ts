// The record cache as the record RPCs use it (spec d.6): reads go through it
// unless skip_cache; writes refresh it unless do_not_cache, which purges instead.
import { notFound } from '../errors.js';
import { recordToMessage, type HintMessage, type RecordMessage } from '../messages.js';
import { recordCacheKey, type RecordEntity, type State } from '../state/state.js';

export interface CachedRecord {
  readonly entity: RecordEntity;
  readonly message: RecordMessage;
}

/** After a write: cache the new record, or purge its entry with do_not_cache. */
export function cacheAfterWrite(state: State, record: RecordEntity, hint: HintMessage | null | undefined): RecordMessage {
  const message = recordToMessage(record);
  const key = recordCacheKey(record.storeKey, record.key);
  if (hint?.doNotCache) state.cache.delete(key);
  else state.cache.set(key, { entity: record, message } satisfies CachedRecord);
  return message;
}

/** GetRecord's read path: cache first unless skip_cache; a miss is cached or purged per hint. */
export function readRecordThroughCache(
  state: State,
  storeKey: string,
  key: string,
  hint: HintMessage | null | undefined,
): CachedRecord {
  const cacheKey = recordCacheKey(storeKey, key);
  if (!hint?.skipCache) {
    const cached = state.cache.get(cacheKey) as CachedRecord | undefined;
    if (cached) return cached;
  }
  const entity = state.getRecord(storeKey, key);
  if (!entity) throw notFound(`record "${key}" not found in store "${storeKey}"`);
  const message = recordToMessage(entity);
  const fresh: CachedRecord = { entity, message };
  if (hint?.doNotCache) state.cache.delete(cacheKey);
  else state.cache.set(cacheKey, fresh);
  return fresh;
}
