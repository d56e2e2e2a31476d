// CompareAndSwap and the atomic integer operations (spec d.5). Every response
// carries the property value as it was before the call.
import { invalidArgument, notFound } from '../errors.js';
import type { HintMessage } from '../messages.js';
import {
  propertiesEqual,
  propertyBytes,
  propertyFromMessage,
  propertyToMessage,
  requireIntegerProperty,
  type PropertyMessage,
  type StoredProperty,
} from '../state/properties.js';
import { touchRecord, type RecordEntity, type State } from '../state/state.js';
import { cacheAfterWrite } from './record-cache.js';
import { requireRecord } from './record-fields.js';

interface PropertyAddress {
  storeKey?: string;
  recordKey?: string;
  propertyName?: string;
  hint?: HintMessage | null;
}

export interface CompareAndSwapRequest extends PropertyAddress {
  value?: PropertyMessage | null;
  oldValue?: PropertyMessage | null;
}

export interface AtomicIntRequest extends PropertyAddress {
  value?: string;
}

export interface AtomicIncRequest extends PropertyAddress {
  lowerBound?: string;
  upperBound?: string;
}

export interface AtomicIntResponse {
  updated: boolean;
  value: string;
}

function locate(state: State, request: PropertyAddress): { record: RecordEntity; name: string; current: StoredProperty } {
  const record = requireRecord(state, request.storeKey ?? '', request.recordKey ?? '');
  const name = request.propertyName ?? '';
  const current = record.properties.get(name);
  if (!current) throw notFound(`property "${name}" not found in record "${record.key}"`);
  return { record, name, current };
}

/** Writes the new value under the byte budget, bumps the record and caches it per hint. */
function store(state: State, record: RecordEntity, name: string, value: StoredProperty, hint: HintMessage | null | undefined): void {
  const previous = record.properties.get(name);
  const delta = propertyBytes(name, value) - (previous ? propertyBytes(name, previous) : 0);
  state.budget.adjust(delta);
  state.recordChanging(record);
  record.bytes += delta;
  record.properties.set(name, value);
  touchRecord(record);
  cacheAfterWrite(state, record, hint);
}

/** Swaps when the stored property has old_value's type and value; an unset old_value never matches. */
export function compareAndSwap(state: State, request: CompareAndSwapRequest): { updated: boolean; value: PropertyMessage } {
  const { record, name, current } = locate(state, request);
  if (!request.value) throw invalidArgument('CompareAndSwap needs value');
  const next = propertyFromMessage(name, request.value);
  const old = request.oldValue ? propertyFromMessage(name, request.oldValue) : undefined;
  const updated = old !== undefined && propertiesEqual(current, old);
  if (updated) store(state, record, name, next, request.hint);
  return { updated, value: propertyToMessage(current) };
}

type IntOperation = (current: bigint) => bigint | undefined;

function applyIntOperation(state: State, request: PropertyAddress, operation: IntOperation): AtomicIntResponse {
  const { record, name, current } = locate(state, request);
  const before = requireIntegerProperty(name, current);
  const after = operation(before);
  if (after !== undefined) store(state, record, name, { type: 'INTEGER', value: after }, request.hint);
  return { updated: after !== undefined, value: before.toString() };
}

// Go int64 arithmetic wraps around; so does this.
const wrap64 = (n: bigint): bigint => BigInt.asIntN(64, n);
const int64 = (value: string | undefined): bigint => BigInt(value ?? 0);

export function compareAndSwapGreaterInt(state: State, request: AtomicIntRequest): AtomicIntResponse {
  const value = int64(request.value);
  return applyIntOperation(state, request, (current) => (value > current ? value : undefined));
}

export function compareAndSwapLessInt(state: State, request: AtomicIntRequest): AtomicIntResponse {
  const value = int64(request.value);
  return applyIntOperation(state, request, (current) => (value < current ? value : undefined));
}

export function atomicAddInt(state: State, request: AtomicIntRequest): AtomicIntResponse {
  const value = int64(request.value);
  return applyIntOperation(state, request, (current) => wrap64(current + value));
}

export function atomicSubInt(state: State, request: AtomicIntRequest): AtomicIntResponse {
  const value = int64(request.value);
  return applyIntOperation(state, request, (current) => wrap64(current - value));
}

/** current + 1 while below upper_bound, else wraps to lower_bound (bounds are not validated). */
export function atomicInc(state: State, request: AtomicIncRequest): AtomicIntResponse {
  const lower = int64(request.lowerBound);
  const upper = int64(request.upperBound);
  return applyIntOperation(state, request, (current) => (current < upper ? wrap64(current + 1n) : lower));
}

/** current - 1 while above lower_bound, else wraps to upper_bound. */
export function atomicDec(state: State, request: AtomicIncRequest): AtomicIntResponse {
  const lower = int64(request.lowerBound);
  const upper = int64(request.upperBound);
  return applyIntOperation(state, request, (current) => (lower < current ? wrap64(current - 1n) : upper));
}
