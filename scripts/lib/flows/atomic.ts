// Atomic flows, gRPC's alone (the AWS port has no atomic routes: over HTTP each
// is skipped and counted). `atomicSequence` walks one private record through
// every atomic RPC and checks each pre-operation value the server reports
// (spec d.5); `contend` hits shared counters where ABORTED is expected
// under contention and reported through opensaves_atomic_contention.
import { unary, type CallOptions } from '../transport/grpc-client.js';
import { verify } from '../verify/checks.js';
import { ATOMIC_RPCS, type RpcName } from '../config/constants.js';
import { transport } from '../transport/transport.js';
import { skip } from '../metrics/skips.js';
import { intProperty, propertyValue, stringProperty, type AtomicIntResponse, type CompareAndSwapResponse, type RecordMessage } from '../model/messages.js';

const CONTENDED: CallOptions = { expect: ['OK', 'ABORTED'] };

interface Step {
  op: RpcName;
  request: Record<string, unknown>;
  before: number;
  updated: boolean;
}

/** Creates a record with counter `n` = 10 and text `s` = "a", runs every atomic RPC on it, reads it back, deletes it. */
export function atomicSequence(store: string, key: string): void {
  if (!transport.offers('AtomicAddInt')) {
    for (const op of ATOMIC_RPCS) skip(op);
    return;
  }
  const base = { storeKey: store, recordKey: key, propertyName: 'n' };
  const created = unary('CreateRecord', {
    storeKey: store,
    record: { key, ownerId: 'atomic', properties: { n: intProperty(10), s: stringProperty('a') } },
  });
  if (!created.ok) return;
  const steps: Step[] = [
    { op: 'AtomicAddInt', request: { ...base, value: '5' }, before: 10, updated: true },
    { op: 'AtomicSubInt', request: { ...base, value: '3' }, before: 15, updated: true },
    { op: 'CompareAndSwapGreaterInt', request: { ...base, value: '20' }, before: 12, updated: true },
    { op: 'CompareAndSwapGreaterInt', request: { ...base, value: '5' }, before: 20, updated: false },
    { op: 'CompareAndSwapLessInt', request: { ...base, value: '7' }, before: 20, updated: true },
    { op: 'AtomicInc', request: { ...base, lowerBound: '0', upperBound: '8' }, before: 7, updated: true },
    { op: 'AtomicInc', request: { ...base, lowerBound: '0', upperBound: '8' }, before: 8, updated: true },
    { op: 'AtomicDec', request: { ...base, lowerBound: '0', upperBound: '8' }, before: 0, updated: true },
  ];
  for (const step of steps) {
    const result = unary<AtomicIntResponse>(step.op, step.request);
    if (!result.message) break;
    verify(step.op, `${step.op} reports the value before the operation`, Number(result.message.value) === step.before && result.message.updated === step.updated, () =>
      `expected ${step.before}/${step.updated}, got ${result.message?.value}/${result.message?.updated}`,
    );
  }
  const textBase = { storeKey: store, recordKey: key, propertyName: 's' };
  const swapped = unary<CompareAndSwapResponse>('CompareAndSwap', { ...textBase, oldValue: stringProperty('a'), value: stringProperty('b') });
  if (swapped.message) verify('CompareAndSwap', 'a matching compare-and-swap swaps and returns the old value', swapped.message.updated && propertyValue(swapped.message.value) === 'STRING:a');
  const refused = unary<CompareAndSwapResponse>('CompareAndSwap', { ...textBase, oldValue: stringProperty('a'), value: stringProperty('c') });
  if (refused.message) verify('CompareAndSwap', 'a stale compare-and-swap is refused', !refused.message.updated && propertyValue(refused.message.value) === 'STRING:b');

  const after = unary<RecordMessage>('GetRecord', { storeKey: store, key, hint: { skipCache: true } });
  if (after.message) {
    const n = propertyValue(after.message.properties?.n);
    const s = propertyValue(after.message.properties?.s);
    verify('GetRecord', 'a record reads back with the result of its atomic operations', n === 'INTEGER:8' && s === 'STRING:b', () => `n=${n} s=${s}`);
  }
  unary('DeleteRecord', { storeKey: store, key });
}

/** One contended operation on a shared counter record; ABORTED counts as contention, not failure. */
export function contend(store: string, key: string, property: string, op: RpcName): void {
  if (!transport.offers(op)) {
    skip(op);
    return;
  }
  const base = { storeKey: store, recordKey: key, propertyName: property };
  const bounds = { lowerBound: '0', upperBound: '1000000000' };
  switch (op) {
    case 'AtomicInc':
    case 'AtomicDec':
      unary<AtomicIntResponse>(op, { ...base, ...bounds }, CONTENDED);
      return;
    case 'CompareAndSwap': {
      // Swap the flag from whatever we last saw; a refusal is a normal outcome under contention.
      unary<CompareAndSwapResponse>(op, { ...base, propertyName: 'flag', oldValue: stringProperty('idle'), value: stringProperty('idle') }, CONTENDED);
      return;
    }
    case 'CompareAndSwapGreaterInt':
    case 'CompareAndSwapLessInt':
    case 'AtomicAddInt':
    case 'AtomicSubInt':
      unary<AtomicIntResponse>(op, { ...base, value: '1' }, CONTENDED);
      return;
    default:
      throw new Error(`contend: ${op} is not an atomic RPC`);
  }
}

/** The properties of a shared counter record: one hot counter, cold ones, a text flag. */
export function counterProperties(coldCount: number): Record<string, ReturnType<typeof intProperty>> {
  const properties: Record<string, ReturnType<typeof intProperty>> = { hot: intProperty(0), flag: stringProperty('idle') };
  for (let i = 0; i < coldCount; i++) properties[`cold${i}`] = intProperty(0);
  return properties;
}
