// CompareAndSwap and the atomic integer operations (spec d.5, table and tested examples).
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, intProperty, seedRecord, startTestEmulator, stringProperty, type TestEmulator } from './support/client.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.stop());

interface RecordMessage {
  properties: Record<string, { type: string; integerValue?: string; stringValue?: string }>;
  signature: Buffer;
}

async function withProperty(property: object) {
  const seeded = await seedRecord(emulator.client, { properties: { p: property } });
  const read = () => emulator.client.unary<RecordMessage>('GetRecord', { storeKey: seeded.storeKey, key: seeded.recordKey });
  return { ...seeded, address: { storeKey: seeded.storeKey, recordKey: seeded.recordKey, propertyName: 'p' }, read };
}

describe('CompareAndSwap', () => {
  it('swaps on same type and value, may change the type, and returns the previous value', async () => {
    const { address, read } = await withProperty(intProperty(5));
    const response = await emulator.client.unary('CompareAndSwap', { ...address, oldValue: intProperty(5), value: stringProperty('five') });
    expect(response).toMatchObject({ updated: true, value: { type: 'INTEGER', integerValue: '5' } });
    expect((await read()).properties.p).toMatchObject({ type: 'STRING', stringValue: 'five' });
  });

  it('does not swap on a different value or type, returns the current value and keeps the signature', async () => {
    const { address, read, created } = await withProperty(intProperty(5));
    for (const oldValue of [intProperty(6), stringProperty('5'), undefined]) {
      const response = await emulator.client.unary('CompareAndSwap', { ...address, oldValue, value: intProperty(9) });
      expect(response).toMatchObject({ updated: false, value: { type: 'INTEGER', integerValue: '5' } });
    }
    const after = await read();
    expect(after.properties.p).toMatchObject({ integerValue: '5' });
    expect(after.signature.equals(created.signature as Buffer)).toBe(true);
  });
});

describe('integer operations (table d.5)', () => {
  it.each([
    ['CompareAndSwapGreaterInt', 5, 7, true, '7'],
    ['CompareAndSwapGreaterInt', 5, 5, false, '5'],
    ['CompareAndSwapGreaterInt', 5, 3, false, '5'],
    ['CompareAndSwapLessInt', 5, 3, true, '3'],
    ['CompareAndSwapLessInt', 5, 5, false, '5'],
    ['CompareAndSwapLessInt', 5, 8, false, '5'],
    ['AtomicAddInt', 5, 3, true, '8'],
    ['AtomicSubInt', 5, 3, true, '2'],
  ])('%s from %d with value %d: updated=%s, new value %s', async (rpc, start, value, updated, after) => {
    const { address, read } = await withProperty(intProperty(start));
    const response = await emulator.client.unary(rpc, { ...address, value });
    expect(response).toEqual({ updated, value: String(start) });
    expect((await read()).properties.p).toMatchObject({ integerValue: after });
  });

  it.each([
    ['AtomicInc', 1, 0, 5, '2'],
    ['AtomicInc', 5, 0, 5, '0'],
    ['AtomicInc', 3, 0, 2, '0'],
    ['AtomicDec', 3, 0, 5, '2'],
    ['AtomicDec', 0, 0, 5, '5'],
    ['AtomicDec', -4, -3, -1, '-1'],
  ])('%s from %d with bounds [%d, %d] gives %s and reports the previous value', async (rpc, start, lower, upper, after) => {
    const { address, read } = await withProperty(intProperty(start));
    const response = await emulator.client.unary(rpc, { ...address, lowerBound: lower, upperBound: upper });
    expect(response).toEqual({ updated: true, value: String(start) });
    expect((await read()).properties.p).toMatchObject({ integerValue: after });
  });

  it('wraps around on int64 overflow, as Go arithmetic does', async () => {
    const { address, read } = await withProperty(intProperty('9223372036854775807'));
    await emulator.client.unary('AtomicAddInt', { ...address, value: 1 });
    expect((await read()).properties.p).toMatchObject({ integerValue: '-9223372036854775808' });
  });

  it('bumps the signature only when the value changed', async () => {
    const { address, read, created } = await withProperty(intProperty(5));
    await emulator.client.unary('CompareAndSwapGreaterInt', { ...address, value: 1 });
    expect((await read()).signature.equals(created.signature as Buffer)).toBe(true);
    await emulator.client.unary('CompareAndSwapGreaterInt', { ...address, value: 10 });
    expect((await read()).signature.equals(created.signature as Buffer)).toBe(false);
  });

  it('is NOT_FOUND for a missing record', async () => {
    const { storeKey } = await seedRecord(emulator.client);
    const call = emulator.client.unary('AtomicAddInt', { storeKey, recordKey: 'absent', propertyName: 'p', value: 1 });
    expect((await failure(call)).code).toBe(status.NOT_FOUND);
  });
});
